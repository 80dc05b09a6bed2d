/* The Unicode character-name interface that unicodedata exports in a
 * capsule (CPython's internal header of the same name). Packages that
 * rebuild unicodedata on their own (unicodedata2) include it. */
#ifndef Py_INTERNAL_UCNHASH_H
#define Py_INTERNAL_UCNHASH_H
#ifdef __cplusplus
extern "C" {
#endif

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#define PyUnicodeData_CAPSULE_NAME "unicodedata._ucnhash_CAPI"

typedef struct {
    /* Writes the name of `code` into `buffer`; nonzero on success, and
     * never sets an exception. */
    int (*getname)(Py_UCS4 code, char *buffer, int buflen, int with_alias_and_seq);
    /* The character named `name` (`namelen` bytes) into *code; nonzero on
     * success, and never sets an exception. */
    int (*getcode)(const char *name, int namelen, Py_UCS4 *code, int with_named_seq);
} _PyUnicode_Name_CAPI;

#ifdef __cplusplus
}
#endif
#endif /* !Py_INTERNAL_UCNHASH_H */
