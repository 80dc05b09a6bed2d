/* str (unicodeobject.h together with the names of cpython/unicodeobject.h).
 *
 * A str that C sees has CPython 3.11's compact PEP 393 layout: a
 * PyASCIIObject (pure ASCII text) or a PyCompactUnicodeObject (any other
 * text), immediately followed by the characters, 1, 2 or 4 bytes each (the
 * kind) and a terminating NUL character. So the inline functions below are
 * plain memory reads, as in CPython. The host str stays the text's owner; the
 * proxy holds a copy made when the str first reaches C. A str made by
 * PyUnicode_New is written through that memory until it reaches Python. */
#ifndef Py_UNICODEOBJECT_H
#define Py_UNICODEOBJECT_H
#define Py_CPYTHON_UNICODEOBJECT_H

#define Py_USING_UNICODE
#define Py_UNICODE_WIDE
#define Py_UNICODE_SIZE 4
#define PY_UNICODE_TYPE wchar_t
typedef wchar_t Py_UNICODE;
#define USE_UNICODE_WCHAR_CACHE 1

#define Py_UNICODE_REPLACEMENT_CHARACTER ((Py_UCS4)0xFFFD)

PyAPI_DATA(PyTypeObject) PyUnicode_Type;
PyAPI_DATA(PyTypeObject) PyUnicodeIter_Type;
#define PyUnicode_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_UNICODE_SUBCLASS)
#define PyUnicode_CheckExact(op) Py_IS_TYPE((op), &PyUnicode_Type)

/* ---- the object layout --------------------------------------------------- */

typedef struct {
    PyObject ob_base;
    Py_ssize_t length;          /* in code points */
    Py_hash_t hash;             /* -1 until known */
    struct {
        unsigned int interned:2;    /* an SSTATE_* value */
        unsigned int kind:3;        /* bytes per character: 1, 2 or 4 */
        unsigned int compact:1;     /* characters follow the struct */
        unsigned int ascii:1;       /* every character below 128 */
        unsigned int ready:1;       /* always 1 for a str made here */
        unsigned int :24;
    } state;
    wchar_t *wstr;              /* wchar_t copy, made on request */
} PyASCIIObject;

typedef struct {
    PyASCIIObject _base;
    Py_ssize_t utf8_length;     /* bytes in utf8, NUL excluded */
    char *utf8;                 /* UTF-8 copy, made on request */
    Py_ssize_t wstr_length;     /* wchar_t units in wstr */
} PyCompactUnicodeObject;

typedef struct {
    PyCompactUnicodeObject _base;
    union {
        void *any;
        Py_UCS1 *latin1;
        Py_UCS2 *ucs2;
        Py_UCS4 *ucs4;
    } data;                     /* the characters, when not compact */
} PyUnicodeObject;

#define _PyASCIIObject_CAST(op) ((PyASCIIObject *)(op))
#define _PyCompactUnicodeObject_CAST(op) ((PyCompactUnicodeObject *)(op))
#define _PyUnicodeObject_CAST(op) ((PyUnicodeObject *)(op))

#define SSTATE_NOT_INTERNED 0
#define SSTATE_INTERNED_MORTAL 1
#define SSTATE_INTERNED_IMMORTAL 2

enum PyUnicode_Kind {
    PyUnicode_WCHAR_KIND = 0,
    PyUnicode_1BYTE_KIND = 1,
    PyUnicode_2BYTE_KIND = 2,
    PyUnicode_4BYTE_KIND = 4
};

static inline unsigned int PyUnicode_CHECK_INTERNED(PyObject *op) {
    return _PyASCIIObject_CAST(op)->state.interned;
}
#define PyUnicode_CHECK_INTERNED(op) PyUnicode_CHECK_INTERNED(_PyObject_CAST(op))

static inline unsigned int PyUnicode_IS_READY(PyObject *op) {
    return _PyASCIIObject_CAST(op)->state.ready;
}
#define PyUnicode_IS_READY(op) PyUnicode_IS_READY(_PyObject_CAST(op))

static inline unsigned int PyUnicode_IS_ASCII(PyObject *op) {
    return _PyASCIIObject_CAST(op)->state.ascii;
}
#define PyUnicode_IS_ASCII(op) PyUnicode_IS_ASCII(_PyObject_CAST(op))

static inline unsigned int PyUnicode_IS_COMPACT(PyObject *op) {
    return _PyASCIIObject_CAST(op)->state.compact;
}
#define PyUnicode_IS_COMPACT(op) PyUnicode_IS_COMPACT(_PyObject_CAST(op))

static inline int PyUnicode_IS_COMPACT_ASCII(PyObject *op) {
    return PyUnicode_IS_ASCII(op) && PyUnicode_IS_COMPACT(op);
}
#define PyUnicode_IS_COMPACT_ASCII(op) PyUnicode_IS_COMPACT_ASCII(_PyObject_CAST(op))

#define PyUnicode_KIND(op) (_PyASCIIObject_CAST(op)->state.kind)

/* Compact text starts right after the struct: the short one for ASCII. */
static inline void *_PyUnicode_COMPACT_DATA(PyObject *op) {
    if (PyUnicode_IS_ASCII(op))
        return (void *)(_PyASCIIObject_CAST(op) + 1);
    return (void *)(_PyCompactUnicodeObject_CAST(op) + 1);
}

static inline void *_PyUnicode_NONCOMPACT_DATA(PyObject *op) {
    return _PyUnicodeObject_CAST(op)->data.any;
}

static inline void *PyUnicode_DATA(PyObject *op) {
    return PyUnicode_IS_COMPACT(op) ? _PyUnicode_COMPACT_DATA(op) : _PyUnicode_NONCOMPACT_DATA(op);
}
#define PyUnicode_DATA(op) PyUnicode_DATA(_PyObject_CAST(op))

#define PyUnicode_1BYTE_DATA(op) ((Py_UCS1 *)PyUnicode_DATA(op))
#define PyUnicode_2BYTE_DATA(op) ((Py_UCS2 *)PyUnicode_DATA(op))
#define PyUnicode_4BYTE_DATA(op) ((Py_UCS4 *)PyUnicode_DATA(op))

static inline Py_ssize_t PyUnicode_GET_LENGTH(PyObject *op) {
    return _PyASCIIObject_CAST(op)->length;
}
#define PyUnicode_GET_LENGTH(op) PyUnicode_GET_LENGTH(_PyObject_CAST(op))

static inline void PyUnicode_WRITE(int kind, void *data, Py_ssize_t index, Py_UCS4 value) {
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        ((Py_UCS1 *)data)[index] = (Py_UCS1)value;
        break;
    case PyUnicode_2BYTE_KIND:
        ((Py_UCS2 *)data)[index] = (Py_UCS2)value;
        break;
    default:
        ((Py_UCS4 *)data)[index] = value;
        break;
    }
}
#define PyUnicode_WRITE(kind, data, index, value) \
    PyUnicode_WRITE((int)(kind), (void *)(data), (index), (Py_UCS4)(value))

static inline Py_UCS4 PyUnicode_READ(int kind, const void *data, Py_ssize_t index) {
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return ((const Py_UCS1 *)data)[index];
    case PyUnicode_2BYTE_KIND:
        return ((const Py_UCS2 *)data)[index];
    default:
        return ((const Py_UCS4 *)data)[index];
    }
}
#define PyUnicode_READ(kind, data, index) \
    PyUnicode_READ((int)(kind), (const void *)(data), (index))

static inline Py_UCS4 PyUnicode_READ_CHAR(PyObject *unicode, Py_ssize_t index) {
    return PyUnicode_READ(PyUnicode_KIND(unicode), PyUnicode_DATA(unicode), index);
}
#define PyUnicode_READ_CHAR(unicode, index) PyUnicode_READ_CHAR(_PyObject_CAST(unicode), (index))

/* The largest character the str's kind allows (not the largest it holds). */
static inline Py_UCS4 PyUnicode_MAX_CHAR_VALUE(PyObject *op) {
    if (PyUnicode_IS_ASCII(op))
        return 0x7f;
    switch (PyUnicode_KIND(op)) {
    case PyUnicode_1BYTE_KIND:
        return 0xff;
    case PyUnicode_2BYTE_KIND:
        return 0xffff;
    default:
        return 0x10ffff;
    }
}
#define PyUnicode_MAX_CHAR_VALUE(op) PyUnicode_MAX_CHAR_VALUE(_PyObject_CAST(op))

PyAPI_FUNC(int) _PyUnicode_Ready(PyObject *unicode);
static inline int PyUnicode_READY(PyObject *op) {
    return PyUnicode_IS_READY(op) ? 0 : _PyUnicode_Ready(op);
}
#define PyUnicode_READY(op) PyUnicode_READY(_PyObject_CAST(op))

PyAPI_FUNC(int) _PyUnicode_CheckConsistency(PyObject *op, int check_content);

/* ---- wchar_t views (deprecated since 3.3, still in 3.11) ------------------ */

Py_DEPRECATED(3.3) PyAPI_FUNC(PyObject *) PyUnicode_FromUnicode(const Py_UNICODE *u, Py_ssize_t size);
Py_DEPRECATED(3.3) PyAPI_FUNC(Py_UNICODE *) PyUnicode_AsUnicode(PyObject *unicode);
PyAPI_FUNC(const Py_UNICODE *) _PyUnicode_AsUnicode(PyObject *unicode);
Py_DEPRECATED(3.3) PyAPI_FUNC(Py_UNICODE *) PyUnicode_AsUnicodeAndSize(PyObject *unicode, Py_ssize_t *size);

/* The wchar_t copy's length: the str's own length for compact ASCII, whose
 * struct has no wstr_length. */
static inline Py_ssize_t PyUnicode_WSTR_LENGTH(PyObject *op) {
    if (PyUnicode_IS_COMPACT_ASCII(op))
        return _PyASCIIObject_CAST(op)->length;
    return _PyCompactUnicodeObject_CAST(op)->wstr_length;
}
#define PyUnicode_WSTR_LENGTH(op) PyUnicode_WSTR_LENGTH(_PyObject_CAST(op))

static inline Py_UNICODE *PyUnicode_AS_UNICODE(PyObject *op) {
    wchar_t *wide = _PyASCIIObject_CAST(op)->wstr;
    if (wide != NULL)
        return wide;
    return (Py_UNICODE *)_PyUnicode_AsUnicode(op);
}
#define PyUnicode_AS_UNICODE(op) PyUnicode_AS_UNICODE(_PyObject_CAST(op))

static inline const char *PyUnicode_AS_DATA(PyObject *op) {
    return (const char *)PyUnicode_AS_UNICODE(op);
}
#define PyUnicode_AS_DATA(op) PyUnicode_AS_DATA(_PyObject_CAST(op))

static inline Py_ssize_t PyUnicode_GET_SIZE(PyObject *op) {
    if (_PyASCIIObject_CAST(op)->wstr == NULL && PyUnicode_AS_UNICODE(op) == NULL)
        return 0;
    return PyUnicode_WSTR_LENGTH(op);
}
#define PyUnicode_GET_SIZE(op) PyUnicode_GET_SIZE(_PyObject_CAST(op))

static inline Py_ssize_t PyUnicode_GET_DATA_SIZE(PyObject *op) {
    return PyUnicode_GET_SIZE(op) * Py_UNICODE_SIZE;
}
#define PyUnicode_GET_DATA_SIZE(op) PyUnicode_GET_DATA_SIZE(_PyObject_CAST(op))

/* ---- characters ---------------------------------------------------------- */

#define Py_UNICODE_IS_SURROGATE(ch) (0xD800 <= (ch) && (ch) <= 0xDFFF)
#define Py_UNICODE_IS_HIGH_SURROGATE(ch) (0xD800 <= (ch) && (ch) <= 0xDBFF)
#define Py_UNICODE_IS_LOW_SURROGATE(ch) (0xDC00 <= (ch) && (ch) <= 0xDFFF)
#define Py_UNICODE_JOIN_SURROGATES(high, low) \
    ((Py_UCS4)(((((Py_UCS4)(high)) & 0x3FF) << 10) | (((Py_UCS4)(low)) & 0x3FF)) + 0x10000)
#define Py_UNICODE_HIGH_SURROGATE(ch) ((Py_UCS4)(0xD7C0 + ((Py_UCS4)(ch) >> 10)))
#define Py_UNICODE_LOW_SURROGATE(ch) ((Py_UCS4)(0xDC00 + ((Py_UCS4)(ch) & 0x3FF)))

/* Nonzero for the ASCII whitespace characters, indexed by code. */
PyAPI_DATA(const unsigned char) _Py_ascii_whitespace[];

PyAPI_FUNC(int) _PyUnicode_IsLowercase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsUppercase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsTitlecase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsXidStart(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsXidContinue(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsWhitespace(const Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsLinebreak(const Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToLowercase(Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToUppercase(Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToTitlecase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_ToLowerFull(Py_UCS4 ch, Py_UCS4 *res);
PyAPI_FUNC(int) _PyUnicode_ToTitleFull(Py_UCS4 ch, Py_UCS4 *res);
PyAPI_FUNC(int) _PyUnicode_ToUpperFull(Py_UCS4 ch, Py_UCS4 *res);
PyAPI_FUNC(int) _PyUnicode_ToFoldedFull(Py_UCS4 ch, Py_UCS4 *res);
PyAPI_FUNC(int) _PyUnicode_IsCaseIgnorable(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsCased(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_ToDecimalDigit(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_ToDigit(Py_UCS4 ch);
PyAPI_FUNC(double) _PyUnicode_ToNumeric(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsDecimalDigit(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsDigit(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsNumeric(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsPrintable(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsAlpha(Py_UCS4 ch);

#define Py_UNICODE_ISSPACE(ch) \
    ((Py_UCS4)(ch) < 128U ? _Py_ascii_whitespace[(ch)] : _PyUnicode_IsWhitespace(ch))
#define Py_UNICODE_ISLOWER(ch) _PyUnicode_IsLowercase(ch)
#define Py_UNICODE_ISUPPER(ch) _PyUnicode_IsUppercase(ch)
#define Py_UNICODE_ISTITLE(ch) _PyUnicode_IsTitlecase(ch)
#define Py_UNICODE_ISLINEBREAK(ch) _PyUnicode_IsLinebreak(ch)
#define Py_UNICODE_TOLOWER(ch) _PyUnicode_ToLowercase(ch)
#define Py_UNICODE_TOUPPER(ch) _PyUnicode_ToUppercase(ch)
#define Py_UNICODE_TOTITLE(ch) _PyUnicode_ToTitlecase(ch)
#define Py_UNICODE_ISDECIMAL(ch) _PyUnicode_IsDecimalDigit(ch)
#define Py_UNICODE_ISDIGIT(ch) _PyUnicode_IsDigit(ch)
#define Py_UNICODE_ISNUMERIC(ch) _PyUnicode_IsNumeric(ch)
#define Py_UNICODE_ISPRINTABLE(ch) _PyUnicode_IsPrintable(ch)
#define Py_UNICODE_TODECIMAL(ch) _PyUnicode_ToDecimalDigit(ch)
#define Py_UNICODE_TODIGIT(ch) _PyUnicode_ToDigit(ch)
#define Py_UNICODE_TONUMERIC(ch) _PyUnicode_ToNumeric(ch)
#define Py_UNICODE_ISALPHA(ch) _PyUnicode_IsAlpha(ch)
#define Py_UNICODE_ISALNUM(ch) \
    (Py_UNICODE_ISALPHA(ch) || Py_UNICODE_ISDECIMAL(ch) || Py_UNICODE_ISDIGIT(ch) || Py_UNICODE_ISNUMERIC(ch))

/* ---- making str objects -------------------------------------------------- */

PyAPI_FUNC(PyObject *) PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar);
PyAPI_FUNC(PyObject *) PyUnicode_FromStringAndSize(const char *u, Py_ssize_t size);
PyAPI_FUNC(PyObject *) PyUnicode_FromString(const char *u);
PyAPI_FUNC(PyObject *) PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size);
PyAPI_FUNC(PyObject *) _PyUnicode_FromASCII(const char *buffer, Py_ssize_t size);
PyAPI_FUNC(PyObject *) PyUnicode_FromOrdinal(int ordinal);
PyAPI_FUNC(PyObject *) PyUnicode_FromWideChar(const wchar_t *w, Py_ssize_t size);
PyAPI_FUNC(PyObject *) PyUnicode_FromEncodedObject(PyObject *obj, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_FromObject(PyObject *obj);
/* A str from a printf-like format: see the documentation of CPython 3.11. */
PyAPI_FUNC(PyObject *) PyUnicode_FromFormatV(const char *format, va_list vargs);
PyAPI_FUNC(PyObject *) PyUnicode_FromFormat(const char *format, ...);
PyAPI_FUNC(PyObject *) _PyUnicode_Copy(PyObject *unicode);
PyAPI_FUNC(PyObject *) PyUnicode_Substring(PyObject *str, Py_ssize_t start, Py_ssize_t end);

/* ---- interning ------------------------------------------------------------ */

PyAPI_FUNC(void) PyUnicode_InternInPlace(PyObject **p);
PyAPI_FUNC(PyObject *) PyUnicode_InternFromString(const char *u);
Py_DEPRECATED(3.10) PyAPI_FUNC(void) PyUnicode_InternImmortal(PyObject **p);
struct _Py_Identifier;
PyAPI_FUNC(PyObject *) _PyUnicode_FromId(struct _Py_Identifier *id);

/* ---- reading and writing characters --------------------------------------- */

PyAPI_FUNC(Py_ssize_t) PyUnicode_GetLength(PyObject *unicode);
Py_DEPRECATED(3.3) PyAPI_FUNC(Py_ssize_t) PyUnicode_GetSize(PyObject *unicode);
PyAPI_FUNC(Py_UCS4) PyUnicode_ReadChar(PyObject *unicode, Py_ssize_t index);
PyAPI_FUNC(int) PyUnicode_WriteChar(PyObject *unicode, Py_ssize_t index, Py_UCS4 character);
PyAPI_FUNC(Py_UCS4 *) PyUnicode_AsUCS4(PyObject *unicode, Py_UCS4 *buffer, Py_ssize_t buflen, int copy_null);
PyAPI_FUNC(Py_UCS4 *) PyUnicode_AsUCS4Copy(PyObject *unicode);
PyAPI_FUNC(int) PyUnicode_Resize(PyObject **unicode, Py_ssize_t length);
PyAPI_FUNC(Py_ssize_t) PyUnicode_CopyCharacters(PyObject *to, Py_ssize_t to_start, PyObject *from,
                                                Py_ssize_t from_start, Py_ssize_t how_many);
PyAPI_FUNC(void) _PyUnicode_FastCopyCharacters(PyObject *to, Py_ssize_t to_start, PyObject *from,
                                               Py_ssize_t from_start, Py_ssize_t how_many);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Fill(PyObject *unicode, Py_ssize_t start, Py_ssize_t length, Py_UCS4 fill_char);
PyAPI_FUNC(void) _PyUnicode_FastFill(PyObject *unicode, Py_ssize_t start, Py_ssize_t length, Py_UCS4 fill_char);
PyAPI_FUNC(Py_UCS4) _PyUnicode_FindMaxChar(PyObject *unicode, Py_ssize_t start, Py_ssize_t end);
PyAPI_FUNC(Py_ssize_t) PyUnicode_AsWideChar(PyObject *unicode, wchar_t *w, Py_ssize_t size);
PyAPI_FUNC(wchar_t *) PyUnicode_AsWideCharString(PyObject *unicode, Py_ssize_t *size);
PyAPI_FUNC(int) _PyUnicode_WideCharString_Converter(PyObject *obj, void *ptr);
PyAPI_FUNC(int) _PyUnicode_WideCharString_Opt_Converter(PyObject *obj, void *ptr);

/* ---- codecs --------------------------------------------------------------- */

PyAPI_FUNC(const char *) PyUnicode_GetDefaultEncoding(void);
PyAPI_FUNC(PyObject *) PyUnicode_Decode(const char *s, Py_ssize_t size, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsDecodedObject(PyObject *unicode, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsDecodedUnicode(PyObject *unicode, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsEncodedObject(PyObject *unicode, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsEncodedString(PyObject *unicode, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsEncodedUnicode(PyObject *unicode, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_BuildEncodingMap(PyObject *string);

PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF7(const char *string, Py_ssize_t length, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF7Stateful(const char *string, Py_ssize_t length, const char *errors,
                                                    Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeUTF7(PyObject *unicode, int base64SetO, int base64WhiteSpace,
                                             const char *errors);

PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF8(const char *string, Py_ssize_t length, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF8Stateful(const char *string, Py_ssize_t length, const char *errors,
                                                    Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsUTF8String(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_AsUTF8String(PyObject *unicode, const char *errors);
PyAPI_FUNC(const char *) PyUnicode_AsUTF8AndSize(PyObject *unicode, Py_ssize_t *size);
PyAPI_FUNC(const char *) PyUnicode_AsUTF8(PyObject *unicode);
#define _PyUnicode_AsString PyUnicode_AsUTF8

PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF32(const char *string, Py_ssize_t length, const char *errors,
                                             int *byteorder);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF32Stateful(const char *string, Py_ssize_t length, const char *errors,
                                                     int *byteorder, Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsUTF32String(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeUTF32(PyObject *unicode, const char *errors, int byteorder);

PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF16(const char *string, Py_ssize_t length, const char *errors,
                                             int *byteorder);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF16Stateful(const char *string, Py_ssize_t length, const char *errors,
                                                     int *byteorder, Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsUTF16String(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeUTF16(PyObject *unicode, const char *errors, int byteorder);

PyAPI_FUNC(PyObject *) PyUnicode_DecodeUnicodeEscape(const char *string, Py_ssize_t length, const char *errors);
PyAPI_FUNC(PyObject *) _PyUnicode_DecodeUnicodeEscapeStateful(const char *string, Py_ssize_t length,
                                                              const char *errors, Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) _PyUnicode_DecodeUnicodeEscapeInternal(const char *string, Py_ssize_t length,
                                                              const char *errors, Py_ssize_t *consumed,
                                                              const char **first_invalid_escape);
PyAPI_FUNC(PyObject *) PyUnicode_AsUnicodeEscapeString(PyObject *unicode);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeRawUnicodeEscape(const char *string, Py_ssize_t length, const char *errors);
PyAPI_FUNC(PyObject *) _PyUnicode_DecodeRawUnicodeEscapeStateful(const char *string, Py_ssize_t length,
                                                                 const char *errors, Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsRawUnicodeEscapeString(PyObject *unicode);

PyAPI_FUNC(PyObject *) PyUnicode_DecodeLatin1(const char *string, Py_ssize_t length, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsLatin1String(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_AsLatin1String(PyObject *unicode, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeASCII(const char *string, Py_ssize_t length, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsASCIIString(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_AsASCIIString(PyObject *unicode, const char *errors);

PyAPI_FUNC(PyObject *) PyUnicode_DecodeCharmap(const char *string, Py_ssize_t length, PyObject *mapping,
                                               const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsCharmapString(PyObject *unicode, PyObject *mapping);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeCharmap(PyObject *unicode, PyObject *mapping, const char *errors);

PyAPI_FUNC(PyObject *) PyUnicode_DecodeLocaleAndSize(const char *str, Py_ssize_t len, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeLocale(const char *str, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_EncodeLocale(PyObject *unicode, const char *errors);

PyAPI_FUNC(int) PyUnicode_FSConverter(PyObject *obj, void *result);
PyAPI_FUNC(int) PyUnicode_FSDecoder(PyObject *obj, void *result);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeFSDefault(const char *s);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeFSDefaultAndSize(const char *s, Py_ssize_t size);
PyAPI_FUNC(PyObject *) PyUnicode_EncodeFSDefault(PyObject *unicode);

PyAPI_FUNC(PyObject *) _PyUnicode_TransformDecimalAndSpaceToASCII(PyObject *unicode);

/* ---- str operations ------------------------------------------------------- */

PyAPI_FUNC(PyObject *) PyUnicode_Concat(PyObject *left, PyObject *right);
PyAPI_FUNC(void) PyUnicode_Append(PyObject **pleft, PyObject *right);
PyAPI_FUNC(void) PyUnicode_AppendAndDel(PyObject **pleft, PyObject *right);
PyAPI_FUNC(PyObject *) PyUnicode_Split(PyObject *s, PyObject *sep, Py_ssize_t maxsplit);
PyAPI_FUNC(PyObject *) PyUnicode_Splitlines(PyObject *s, int keepends);
PyAPI_FUNC(PyObject *) PyUnicode_Partition(PyObject *s, PyObject *sep);
PyAPI_FUNC(PyObject *) PyUnicode_RPartition(PyObject *s, PyObject *sep);
PyAPI_FUNC(PyObject *) PyUnicode_RSplit(PyObject *s, PyObject *sep, Py_ssize_t maxsplit);
PyAPI_FUNC(PyObject *) PyUnicode_Translate(PyObject *str, PyObject *table, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_Join(PyObject *separator, PyObject *seq);
PyAPI_FUNC(PyObject *) _PyUnicode_JoinArray(PyObject *separator, PyObject *const *items, Py_ssize_t seqlen);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Tailmatch(PyObject *str, PyObject *substr, Py_ssize_t start, Py_ssize_t end,
                                           int direction);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Find(PyObject *str, PyObject *substr, Py_ssize_t start, Py_ssize_t end,
                                      int direction);
PyAPI_FUNC(Py_ssize_t) PyUnicode_FindChar(PyObject *str, Py_UCS4 ch, Py_ssize_t start, Py_ssize_t end,
                                          int direction);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Count(PyObject *str, PyObject *substr, Py_ssize_t start, Py_ssize_t end);
PyAPI_FUNC(PyObject *) PyUnicode_Replace(PyObject *str, PyObject *substr, PyObject *replstr, Py_ssize_t maxcount);
PyAPI_FUNC(int) PyUnicode_Compare(PyObject *left, PyObject *right);
PyAPI_FUNC(int) PyUnicode_CompareWithASCIIString(PyObject *left, const char *right);
PyAPI_FUNC(int) _PyUnicode_EqualToASCIIString(PyObject *left, const char *right);
PyAPI_FUNC(int) _PyUnicode_EqualToASCIIId(PyObject *left, struct _Py_Identifier *right);
PyAPI_FUNC(int) _PyUnicode_EQ(PyObject *a, PyObject *b);
PyAPI_FUNC(int) _PyUnicode_Equal(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyUnicode_RichCompare(PyObject *left, PyObject *right, int op);
PyAPI_FUNC(PyObject *) PyUnicode_Format(PyObject *format, PyObject *args);
PyAPI_FUNC(int) PyUnicode_Contains(PyObject *container, PyObject *element);
PyAPI_FUNC(int) PyUnicode_IsIdentifier(PyObject *s);
PyAPI_FUNC(Py_ssize_t) _PyUnicode_ScanIdentifier(PyObject *s);
PyAPI_FUNC(PyObject *) _PyUnicode_XStrip(PyObject *self, int striptype, PyObject *sepobj);
PyAPI_FUNC(PyObject *) _PyUnicode_FormatLong(PyObject *val, int alt, int prec, int type);

/* ---- _PyUnicodeWriter: building a str in place ----------------------------- */

typedef struct _PyUnicodeWriter {
    PyObject *buffer;           /* the str being written, or NULL */
    void *data;                 /* PyUnicode_DATA(buffer) */
    enum PyUnicode_Kind kind;
    Py_UCS4 maxchar;
    Py_ssize_t size;            /* characters buffer holds */
    Py_ssize_t pos;             /* characters written */
    Py_ssize_t min_length;      /* the first buffer's least size */
    Py_UCS4 min_char;           /* the first buffer's least maxchar */
    unsigned char overallocate; /* grow by more than asked */
    unsigned char readonly;     /* buffer is a shared str, copied on write */
} _PyUnicodeWriter;

PyAPI_FUNC(void) _PyUnicodeWriter_Init(_PyUnicodeWriter *writer);
PyAPI_FUNC(int) _PyUnicodeWriter_PrepareInternal(_PyUnicodeWriter *writer, Py_ssize_t length, Py_UCS4 maxchar);
PyAPI_FUNC(int) _PyUnicodeWriter_PrepareKindInternal(_PyUnicodeWriter *writer, enum PyUnicode_Kind kind);
/* Room for `length` more characters up to `maxchar`; 0, or -1 on error. */
#define _PyUnicodeWriter_Prepare(W, LENGTH, MAXCHAR) \
    (((MAXCHAR) <= (W)->maxchar && (LENGTH) <= (W)->size - (W)->pos) ? 0 : \
     ((LENGTH) == 0 ? 0 : _PyUnicodeWriter_PrepareInternal((W), (LENGTH), (MAXCHAR))))
#define _PyUnicodeWriter_PrepareKind(W, KIND) \
    ((KIND) <= (W)->kind ? 0 : _PyUnicodeWriter_PrepareKindInternal((W), (KIND)))
PyAPI_FUNC(int) _PyUnicodeWriter_WriteChar(_PyUnicodeWriter *writer, Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteStr(_PyUnicodeWriter *writer, PyObject *str);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteSubstring(_PyUnicodeWriter *writer, PyObject *str, Py_ssize_t start,
                                                Py_ssize_t end);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteASCIIString(_PyUnicodeWriter *writer, const char *str, Py_ssize_t len);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteLatin1String(_PyUnicodeWriter *writer, const char *str, Py_ssize_t len);
PyAPI_FUNC(PyObject *) _PyUnicodeWriter_Finish(_PyUnicodeWriter *writer);
PyAPI_FUNC(void) _PyUnicodeWriter_Dealloc(_PyUnicodeWriter *writer);
PyAPI_FUNC(int) _PyUnicode_FormatAdvancedWriter(_PyUnicodeWriter *writer, PyObject *obj, PyObject *format_spec,
                                                Py_ssize_t start, Py_ssize_t end);
PyAPI_FUNC(Py_ssize_t) _PyUnicode_InsertThousandsGrouping(_PyUnicodeWriter *writer, Py_ssize_t n_buffer,
                                                          PyObject *digits, Py_ssize_t d_pos, Py_ssize_t n_digits,
                                                          Py_ssize_t min_width, const char *grouping,
                                                          PyObject *thousands_sep, Py_UCS4 *maxchar);

#endif
