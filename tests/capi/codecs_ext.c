/* Codecs: the PyUnicode_Decode, Encode and As-String families and codecs.h
 * (registry, incremental and stream coders, error handlers). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* The pending exception as "!Type: message" (cleared); for the Unicode
 * errors also their attributes. */
static PyObject *
error_info(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *text = value ? PyObject_Str(value) : NULL;
    const char *message = text ? PyUnicode_AsUTF8(text) : "?";
    if (message == NULL) {
        PyErr_Clear();
        message = "?";
    }
    if (strstr(message, "bad argument to internal function") != NULL)
        message = "bad argument to internal function";
    PyObject *r;
    if (value && PyObject_IsInstance(value, PyExc_UnicodeError) == 1) {
        PyObject *enc = PyObject_GetAttrString(value, "encoding");
        if (enc == NULL) {
            PyErr_Clear();
            enc = Py_NewRef(Py_None);
        }
        PyObject *obj = PyObject_GetAttrString(value, "object");
        PyObject *start = PyObject_GetAttrString(value, "start");
        PyObject *end = PyObject_GetAttrString(value, "end");
        PyObject *reason = PyObject_GetAttrString(value, "reason");
        r = Py_BuildValue("(sNNNNN)", ((PyTypeObject *)type)->tp_name, enc, obj, start, end, reason);
    }
    else
        r = PyUnicode_FromFormat("!%s: %s", ((PyTypeObject *)type)->tp_name, message);
    Py_XDECREF(text);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return r;
}

#define RESULT(expr) do { PyObject *_r = (expr); return _r ? _r : error_info(); } while (0)

static const char *
opt(PyObject *o)
{
    return o == Py_None ? NULL : PyUnicode_AsUTF8(o);
}

/* decode(name, bytes, errors) */
static PyObject *
decode(PyObject *self, PyObject *args)
{
    const char *name, *s;
    Py_ssize_t n;
    PyObject *errors_obj;
    if (!PyArg_ParseTuple(args, "sy#O", &name, &s, &n, &errors_obj))
        return NULL;
    const char *errors = opt(errors_obj);
    PyObject *r;
    if (strcmp(name, "utf-8") == 0)
        r = PyUnicode_DecodeUTF8(s, n, errors);
    else if (strcmp(name, "latin-1") == 0)
        r = PyUnicode_DecodeLatin1(s, n, errors);
    else if (strcmp(name, "ascii") == 0)
        r = PyUnicode_DecodeASCII(s, n, errors);
    else if (strcmp(name, "utf-7") == 0)
        r = PyUnicode_DecodeUTF7(s, n, errors);
    else if (strcmp(name, "unicode-escape") == 0)
        r = PyUnicode_DecodeUnicodeEscape(s, n, errors);
    else if (strcmp(name, "raw-unicode-escape") == 0)
        r = PyUnicode_DecodeRawUnicodeEscape(s, n, errors);
    else if (strcmp(name, "fs") == 0)
        r = PyUnicode_DecodeFSDefaultAndSize(s, n);
    else if (strcmp(name, "locale") == 0)
        r = PyUnicode_DecodeLocaleAndSize(s, n, errors);
    else
        r = PyUnicode_Decode(s, n, name, errors);
    RESULT(r);
}

/* The stateful decoders: (text, consumed). */
static PyObject *
decode_stateful(PyObject *self, PyObject *args)
{
    const char *name, *s;
    Py_ssize_t n;
    PyObject *errors_obj;
    if (!PyArg_ParseTuple(args, "sy#O", &name, &s, &n, &errors_obj))
        return NULL;
    const char *errors = opt(errors_obj);
    Py_ssize_t consumed = -7;
    int order = 0;
    PyObject *r;
    if (strcmp(name, "utf-8") == 0)
        r = PyUnicode_DecodeUTF8Stateful(s, n, errors, &consumed);
    else if (strcmp(name, "utf-7") == 0)
        r = PyUnicode_DecodeUTF7Stateful(s, n, errors, &consumed);
    else if (strcmp(name, "utf-16") == 0)
        r = PyUnicode_DecodeUTF16Stateful(s, n, errors, &order, &consumed);
    else
        r = PyUnicode_DecodeUTF32Stateful(s, n, errors, &order, &consumed);
    if (r == NULL)
        return error_info();
    return Py_BuildValue("(Nni)", r, consumed, order);
}

/* The unicode_escape decoder that reports its first unknown escape instead
 * of warning: (text, consumed or None, offset of that escape or None). */
static PyObject *
decode_escape_internal(PyObject *self, PyObject *args)
{
    const char *s;
    Py_ssize_t n;
    PyObject *errors_obj;
    int stateful;
    if (!PyArg_ParseTuple(args, "y#Op", &s, &n, &errors_obj, &stateful))
        return NULL;
    Py_ssize_t consumed = n; /* as _codecs does: CPython writes it only when the text ends in an escape */
    const char *first_invalid = s - 1;
    PyObject *r = _PyUnicode_DecodeUnicodeEscapeInternal(s, n, opt(errors_obj), stateful ? &consumed : NULL,
                                                         &first_invalid);
    if (r == NULL)
        return error_info();
    /* Once an error handler ran, CPython's pointer may be into its copy. */
    PyObject *at = first_invalid == NULL                        ? Py_NewRef(Py_None)
                   : first_invalid >= s && first_invalid < s + n ? PyLong_FromSsize_t(first_invalid - s)
                                                                 : PyUnicode_FromString("elsewhere");
    PyObject *used = stateful ? PyLong_FromSsize_t(consumed) : Py_NewRef(Py_None);
    return Py_BuildValue("(NNN)", r, used, at);
}

/* UTF-16/32 with a byte order in and out (None: a NULL pointer). */
static PyObject *
decode_wide(PyObject *self, PyObject *args)
{
    int bits;
    const char *s;
    Py_ssize_t n;
    PyObject *order_obj, *errors_obj;
    if (!PyArg_ParseTuple(args, "iy#OO", &bits, &s, &n, &order_obj, &errors_obj))
        return NULL;
    int order = order_obj == Py_None ? 0 : (int)PyLong_AsLong(order_obj);
    int *porder = order_obj == Py_None ? NULL : &order;
    PyObject *r = bits == 16 ? PyUnicode_DecodeUTF16(s, n, opt(errors_obj), porder)
                             : PyUnicode_DecodeUTF32(s, n, opt(errors_obj), porder);
    if (r == NULL)
        return error_info();
    return Py_BuildValue("(Ni)", r, order);
}

/* encode(name, str) through the As*String functions. */
static PyObject *
encode(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *u;
    if (!PyArg_ParseTuple(args, "sO", &name, &u))
        return NULL;
    PyObject *r;
    if (strcmp(name, "utf-8") == 0)
        r = PyUnicode_AsUTF8String(u);
    else if (strcmp(name, "utf-16") == 0)
        r = PyUnicode_AsUTF16String(u);
    else if (strcmp(name, "utf-32") == 0)
        r = PyUnicode_AsUTF32String(u);
    else if (strcmp(name, "latin-1") == 0)
        r = PyUnicode_AsLatin1String(u);
    else if (strcmp(name, "ascii") == 0)
        r = PyUnicode_AsASCIIString(u);
    else if (strcmp(name, "unicode-escape") == 0)
        r = PyUnicode_AsUnicodeEscapeString(u);
    else if (strcmp(name, "raw-unicode-escape") == 0)
        r = PyUnicode_AsRawUnicodeEscapeString(u);
    else if (strcmp(name, "fs") == 0)
        r = PyUnicode_EncodeFSDefault(u);
    else if (strcmp(name, "locale") == 0)
        r = PyUnicode_EncodeLocale(u, NULL);
    else if (strcmp(name, "locale-surrogateescape") == 0)
        r = PyUnicode_EncodeLocale(u, "surrogateescape");
    else
        r = PyUnicode_AsEncodedString(u, name, NULL);
    RESULT(r);
}

/* The private encoders with an errors argument (and a byte order). */
static PyObject *
encode_errors(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *u, *errors_obj;
    int order = 0;
    if (!PyArg_ParseTuple(args, "sOO|i", &name, &u, &errors_obj, &order))
        return NULL;
    const char *errors = opt(errors_obj);
    PyObject *r;
    if (strcmp(name, "utf-8") == 0)
        r = _PyUnicode_AsUTF8String(u, errors);
    else if (strcmp(name, "latin-1") == 0)
        r = _PyUnicode_AsLatin1String(u, errors);
    else if (strcmp(name, "ascii") == 0)
        r = _PyUnicode_AsASCIIString(u, errors);
    else if (strcmp(name, "utf-16") == 0)
        r = _PyUnicode_EncodeUTF16(u, errors, order);
    else
        r = _PyUnicode_EncodeUTF32(u, errors, order);
    RESULT(r);
}

static PyObject *
charmap(PyObject *self, PyObject *args)
{
    const char *s;
    Py_ssize_t n;
    PyObject *mapping, *u, *enc_mapping, *errors_obj;
    if (!PyArg_ParseTuple(args, "y#OOOO", &s, &n, &mapping, &u, &enc_mapping, &errors_obj))
        return NULL;
    if (mapping == Py_None)
        mapping = NULL;
    if (enc_mapping == Py_None)
        enc_mapping = NULL;
    PyObject *dec = PyUnicode_DecodeCharmap(s, n, mapping, opt(errors_obj));
    if (dec == NULL)
        dec = error_info();
    PyObject *enc = PyUnicode_AsCharmapString(u, enc_mapping);
    if (enc == NULL)
        enc = error_info();
    return Py_BuildValue("(NN)", dec, enc);
}

static PyObject *
build_encoding_map(PyObject *self, PyObject *s)
{
    PyObject *m = PyUnicode_BuildEncodingMap(s);
    if (m == NULL)
        return error_info();
    /* An EncodingMap object for 256-character strings, else a dict: show
     * how it encodes. */
    PyObject *r = PyUnicode_AsCharmapString(s, m);
    Py_DECREF(m);
    RESULT(r);
}

static PyObject *
decode_locale(PyObject *self, PyObject *args)
{
    const char *s;
    PyObject *errors_obj;
    if (!PyArg_ParseTuple(args, "yO", &s, &errors_obj))
        return NULL;
    RESULT(PyUnicode_DecodeLocale(s, opt(errors_obj)));
}

static PyObject *
decode_locale_embedded_nul(PyObject *self, PyObject *noargs)
{
    RESULT(PyUnicode_DecodeLocaleAndSize("a\0b", 3, NULL));
}

static PyObject *
decode_fs_default(PyObject *self, PyObject *arg)
{
    RESULT(PyUnicode_DecodeFSDefault(PyBytes_AsString(arg)));
}

static PyObject *
from_encoded_object(PyObject *self, PyObject *args)
{
    PyObject *o, *enc, *errors;
    if (!PyArg_ParseTuple(args, "OOO", &o, &enc, &errors))
        return NULL;
    RESULT(PyUnicode_FromEncodedObject(o, opt(enc), opt(errors)));
}

static PyObject *
from_object(PyObject *self, PyObject *o)
{
    PyObject *r = PyUnicode_FromObject(o);
    if (r == NULL)
        return error_info();
    return Py_BuildValue("(NO)", r, r == o ? Py_True : Py_False);
}

/* The deprecated object codecs: (result, warnings caught by the caller). */
static PyObject *
codec_object(PyObject *self, PyObject *args)
{
    const char *which;
    PyObject *u, *enc;
    if (!PyArg_ParseTuple(args, "sOO", &which, &u, &enc))
        return NULL;
    PyObject *r;
    if (strcmp(which, "AsEncodedObject") == 0)
        r = PyUnicode_AsEncodedObject(u, opt(enc), NULL);
    else if (strcmp(which, "AsEncodedUnicode") == 0)
        r = PyUnicode_AsEncodedUnicode(u, opt(enc), NULL);
    else if (strcmp(which, "AsDecodedObject") == 0)
        r = PyUnicode_AsDecodedObject(u, opt(enc), NULL);
    else
        r = PyUnicode_AsDecodedUnicode(u, opt(enc), NULL);
    RESULT(r);
}

/* An O& converter run by hand: (result, return value); then released. */
static PyObject *
converter(PyObject *self, PyObject *args)
{
    const char *which;
    PyObject *o;
    if (!PyArg_ParseTuple(args, "sO", &which, &o))
        return NULL;
    int (*conv)(PyObject *, void *) = strcmp(which, "FSDecoder") == 0 ? PyUnicode_FSDecoder : PyUnicode_FSConverter;
    PyObject *out = NULL;
    int r = conv(o, &out);
    if (r == 0)
        return error_info();
    PyObject *result = Py_BuildValue("(Oi)", out ? out : Py_None, r == Py_CLEANUP_SUPPORTED);
    int cleanup = conv(NULL, &out);
    PyObject *full = Py_BuildValue("(NiO)", result, cleanup, out == NULL ? Py_True : Py_False);
    return full;
}

static PyObject *
default_encoding(PyObject *self, PyObject *noargs)
{
    return PyUnicode_FromString(PyUnicode_GetDefaultEncoding());
}

/* ---- codecs.h --------------------------------------------------------------- */

static PyObject *
codec_register(PyObject *self, PyObject *f)
{
    if (PyCodec_Register(f) < 0)
        return error_info();
    Py_RETURN_NONE;
}

static PyObject *
codec_unregister(PyObject *self, PyObject *f)
{
    if (PyCodec_Unregister(f) < 0)
        return error_info();
    Py_RETURN_NONE;
}

static PyObject *
known_encoding(PyObject *self, PyObject *arg)
{
    int r = PyCodec_KnownEncoding(PyUnicode_AsUTF8(arg));
    PyObject *pending = PyErr_Occurred() ? Py_True : Py_False;
    return Py_BuildValue("(iO)", r, pending);
}

static PyObject *
codec_encode(PyObject *self, PyObject *args)
{
    PyObject *o, *enc, *errors;
    int decode;
    if (!PyArg_ParseTuple(args, "OOOi", &o, &enc, &errors, &decode))
        return NULL;
    RESULT(decode ? PyCodec_Decode(o, opt(enc), opt(errors)) : PyCodec_Encode(o, opt(enc), opt(errors)));
}

static PyObject *
coders(PyObject *self, PyObject *arg)
{
    const char *enc = PyUnicode_AsUTF8(arg);
    PyObject *e = PyCodec_Encoder(enc);
    if (e == NULL)
        return error_info();
    PyObject *d = PyCodec_Decoder(enc);
    if (d == NULL) {
        Py_DECREF(e);
        return error_info();
    }
    /* Call them: an encoder returns (bytes, length consumed). */
    PyObject *encoded = PyObject_CallFunction(e, "s", "h\xc3\xa9llo");
    PyObject *decoded = encoded ? PyObject_CallFunctionObjArgs(d, PyTuple_GET_ITEM(encoded, 0), NULL) : NULL;
    Py_DECREF(e);
    Py_DECREF(d);
    if (decoded == NULL) {
        Py_XDECREF(encoded);
        return error_info();
    }
    return Py_BuildValue("(NN)", encoded, decoded);
}

static PyObject *
incremental(PyObject *self, PyObject *args)
{
    const char *enc;
    PyObject *errors, *chunks;
    if (!PyArg_ParseTuple(args, "sOO", &enc, &errors, &chunks))
        return NULL;
    PyObject *dec = PyCodec_IncrementalDecoder(enc, opt(errors));
    if (dec == NULL)
        return error_info();
    PyObject *encoder = PyCodec_IncrementalEncoder(enc, opt(errors));
    if (encoder == NULL) {
        Py_DECREF(dec);
        return error_info();
    }
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(chunks); i++) {
        PyObject *piece = PyObject_CallMethod(dec, "decode", "O", PyList_GET_ITEM(chunks, i));
        if (piece == NULL)
            piece = error_info();
        PyList_Append(out, piece);
        Py_DECREF(piece);
    }
    PyObject *again = PyObject_CallMethod(encoder, "encode", "s", "\xc3\xa9t\xc3\xa9");
    if (again == NULL)
        again = error_info();
    PyObject *errors_attr = PyObject_GetAttrString(dec, "errors");
    Py_DECREF(dec);
    Py_DECREF(encoder);
    return Py_BuildValue("(NNN)", out, again, errors_attr);
}

static PyObject *
streams(PyObject *self, PyObject *args)
{
    const char *enc;
    PyObject *stream, *errors;
    int writer;
    if (!PyArg_ParseTuple(args, "sOOi", &enc, &stream, &errors, &writer))
        return NULL;
    RESULT(writer ? PyCodec_StreamWriter(enc, stream, opt(errors)) : PyCodec_StreamReader(enc, stream, opt(errors)));
}

static PyObject *
register_error(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *handler;
    if (!PyArg_ParseTuple(args, "sO", &name, &handler))
        return NULL;
    if (PyCodec_RegisterError(name, handler) < 0)
        return error_info();
    Py_RETURN_NONE;
}

static PyObject *
lookup_error(PyObject *self, PyObject *name)
{
    RESULT(PyCodec_LookupError(name == Py_None ? NULL : PyUnicode_AsUTF8(name)));
}

/* Calls one of the built-in handlers on an exception object. */
static PyObject *
handler(PyObject *self, PyObject *args)
{
    const char *which;
    PyObject *exc;
    if (!PyArg_ParseTuple(args, "sO", &which, &exc))
        return NULL;
    PyObject *r;
    if (strcmp(which, "strict") == 0)
        r = PyCodec_StrictErrors(exc);
    else if (strcmp(which, "ignore") == 0)
        r = PyCodec_IgnoreErrors(exc);
    else if (strcmp(which, "replace") == 0)
        r = PyCodec_ReplaceErrors(exc);
    else if (strcmp(which, "xmlcharrefreplace") == 0)
        r = PyCodec_XMLCharRefReplaceErrors(exc);
    else if (strcmp(which, "backslashreplace") == 0)
        r = PyCodec_BackslashReplaceErrors(exc);
    else
        r = PyCodec_NameReplaceErrors(exc);
    RESULT(r);
}

static PyObject *
text_codec(PyObject *self, PyObject *args)
{
    const char *which, *enc;
    PyObject *o;
    if (!PyArg_ParseTuple(args, "sOs", &which, &o, &enc))
        return NULL;
    if (strcmp(which, "lookup") == 0) {
        PyObject *info = _PyCodec_LookupTextEncoding(enc, "my.command()");
        if (info == NULL)
            return error_info();
        PyObject *name = PyObject_GetAttrString(info, "name");
        Py_DECREF(info);
        return name;
    }
    RESULT(strcmp(which, "encode") == 0 ? _PyCodec_EncodeText(o, enc, NULL) : _PyCodec_DecodeText(o, enc, "replace"));
}

static PyObject *
wide_converter(PyObject *self, PyObject *args)
{
    PyObject *o;
    int optional;
    if (!PyArg_ParseTuple(args, "Oi", &o, &optional))
        return NULL;
    wchar_t *w = (wchar_t *)1;
    int r = optional ? _PyUnicode_WideCharString_Opt_Converter(o, &w) : _PyUnicode_WideCharString_Converter(o, &w);
    if (r == 0)
        return error_info();
    PyObject *back = w ? PyUnicode_FromWideChar(w, -1) : Py_NewRef(Py_None);
    int cleanup = r == Py_CLEANUP_SUPPORTED;
    if (cleanup)
        _PyUnicode_WideCharString_Converter(NULL, &w);
    return Py_BuildValue("(NiO)", back, cleanup, w == NULL ? Py_True : Py_False);
}

static PyObject *
transform_decimal(PyObject *self, PyObject *o)
{
    PyObject *r = _PyUnicode_TransformDecimalAndSpaceToASCII(o);
    if (r == NULL)
        return error_info();
    return Py_BuildValue("(NO)", r, r == o ? Py_True : Py_False);
}

static PyMethodDef methods[] = {
    {"text_codec", text_codec, METH_VARARGS, NULL},
    {"wide_converter", wide_converter, METH_VARARGS, NULL},
    {"transform_decimal", transform_decimal, METH_O, NULL},
    {"decode", decode, METH_VARARGS, NULL},
    {"decode_stateful", decode_stateful, METH_VARARGS, NULL},
    {"decode_escape_internal", decode_escape_internal, METH_VARARGS, NULL},
    {"decode_wide", decode_wide, METH_VARARGS, NULL},
    {"encode", encode, METH_VARARGS, NULL},
    {"encode_errors", encode_errors, METH_VARARGS, NULL},
    {"charmap", charmap, METH_VARARGS, NULL},
    {"build_encoding_map", build_encoding_map, METH_O, NULL},
    {"decode_locale", decode_locale, METH_VARARGS, NULL},
    {"decode_locale_embedded_nul", decode_locale_embedded_nul, METH_NOARGS, NULL},
    {"decode_fs_default", decode_fs_default, METH_O, NULL},
    {"from_encoded_object", from_encoded_object, METH_VARARGS, NULL},
    {"from_object", from_object, METH_O, NULL},
    {"codec_object", codec_object, METH_VARARGS, NULL},
    {"converter", converter, METH_VARARGS, NULL},
    {"default_encoding", default_encoding, METH_NOARGS, NULL},
    {"codec_register", codec_register, METH_O, NULL},
    {"codec_unregister", codec_unregister, METH_O, NULL},
    {"known_encoding", known_encoding, METH_O, NULL},
    {"codec_encode", codec_encode, METH_VARARGS, NULL},
    {"coders", coders, METH_O, NULL},
    {"incremental", incremental, METH_VARARGS, NULL},
    {"streams", streams, METH_VARARGS, NULL},
    {"register_error", register_error, METH_VARARGS, NULL},
    {"lookup_error", lookup_error, METH_O, NULL},
    {"handler", handler, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "codecs_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_codecs_ext(void)
{
    return PyModule_Create(&module);
}
