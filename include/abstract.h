/* The abstract object protocol: calls, containers, iteration. */
#ifndef Py_ABSTRACTOBJECT_H
#define Py_ABSTRACTOBJECT_H
#define Py_CPYTHON_ABSTRACTOBJECT_H

PyAPI_FUNC(PyObject *) PyObject_Call(PyObject *callable, PyObject *args, PyObject *kwargs);
PyAPI_FUNC(PyObject *) PyObject_CallObject(PyObject *callable, PyObject *args);
PyAPI_FUNC(PyObject *) PyObject_CallNoArgs(PyObject *callable);
PyAPI_FUNC(PyObject *) PyObject_CallOneArg(PyObject *callable, PyObject *arg);
PyAPI_FUNC(PyObject *) PyObject_CallMethodNoArgs(PyObject *obj, PyObject *name);
PyAPI_FUNC(PyObject *) PyObject_CallMethodOneArg(PyObject *obj, PyObject *name, PyObject *arg);

/* Arguments built from a Py_BuildValue format (NULL or "" for none); one
 * tuple value stands for the whole argument list. With PY_SSIZE_T_CLEAN
 * (required for '#' units) the _SizeT functions are the ones called. */
PyAPI_FUNC(PyObject *) PyObject_CallFunction(PyObject *callable, const char *format, ...);
PyAPI_FUNC(PyObject *) PyObject_CallMethod(PyObject *obj, const char *name, const char *format, ...);
PyAPI_FUNC(PyObject *) _PyObject_CallFunction_SizeT(PyObject *callable, const char *format, ...);
PyAPI_FUNC(PyObject *) _PyObject_CallMethod_SizeT(PyObject *obj, const char *name, const char *format, ...);
#ifdef PY_SSIZE_T_CLEAN
#define PyObject_CallFunction _PyObject_CallFunction_SizeT
#define PyObject_CallMethod _PyObject_CallMethod_SizeT
#endif
/* Arguments as objects, up to a NULL. */
PyAPI_FUNC(PyObject *) PyObject_CallFunctionObjArgs(PyObject *callable, ...);
PyAPI_FUNC(PyObject *) PyObject_CallMethodObjArgs(PyObject *obj, PyObject *name, ...);

/* Vectorcall: positional arguments in an array, keyword values after them
 * with their names in `kwnames`. */
#define PY_VECTORCALL_ARGUMENTS_OFFSET ((size_t)1 << (8 * sizeof(size_t) - 1))
static inline Py_ssize_t _PyVectorcall_NARGS(size_t nargsf) {
    return (Py_ssize_t)(nargsf & ~PY_VECTORCALL_ARGUMENTS_OFFSET);
}
/* Exported too (the stable ABI has it); the macro uses the inline form. */
PyAPI_FUNC(Py_ssize_t) PyVectorcall_NARGS(size_t nargsf);
#define PyVectorcall_NARGS(n) _PyVectorcall_NARGS(n)
PyAPI_FUNC(PyObject *) PyObject_Vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames);
PyAPI_FUNC(PyObject *) PyVectorcall_Call(PyObject *callable, PyObject *tuple, PyObject *dict);
/* Keyword arguments in a dict (or NULL). */
PyAPI_FUNC(PyObject *) PyObject_VectorcallDict(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwdict);
/* Calls the method `name` of args[0] with the other arguments. */
PyAPI_FUNC(PyObject *) PyObject_VectorcallMethod(PyObject *name, PyObject *const *args, size_t nargsf, PyObject *kwnames);
/* The vectorcall function an object's type stores in it, or NULL. */
PyAPI_FUNC(vectorcallfunc) PyVectorcall_Function(PyObject *callable);
/* The names these calls had before they became public (3.8). */
#define _PyObject_Vectorcall PyObject_Vectorcall
#define _PyObject_VectorcallMethod PyObject_VectorcallMethod
#define _PyObject_FastCallDict PyObject_VectorcallDict
#define _PyVectorcall_Function PyVectorcall_Function
#define _PyObject_CallOneArg PyObject_CallOneArg
#define _PyObject_CallMethodNoArgs PyObject_CallMethodNoArgs
#define _PyObject_CallMethodOneArg PyObject_CallMethodOneArg
/* Positional arguments only, from an array. */
PyAPI_FUNC(PyObject *) _PyObject_FastCall(PyObject *callable, PyObject *const *args, Py_ssize_t nargs);
/* The keyword arguments of a vectorcall as a new dict: `values[i]` under
 * the name `kwnames[i]` (Cython builds **kwargs with it). */
PyAPI_FUNC(PyObject *) _PyStack_AsDict(PyObject *const *values, PyObject *kwnames);
#define PyEval_CallObject(callable, args) PyObject_CallObject((callable), (args))

PyAPI_FUNC(PyObject *) PyObject_Type(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PyObject_Size(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PyObject_Length(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_GetItem(PyObject *o, PyObject *key);
PyAPI_FUNC(int) PyObject_SetItem(PyObject *o, PyObject *key, PyObject *v);
PyAPI_FUNC(int) PyObject_DelItem(PyObject *o, PyObject *key);
PyAPI_FUNC(int) PyObject_DelItemString(PyObject *o, const char *key);
PyAPI_FUNC(int) PyObject_IsInstance(PyObject *inst, PyObject *cls);
PyAPI_FUNC(int) PyObject_IsSubclass(PyObject *derived, PyObject *cls);
PyAPI_FUNC(PyObject *) PyObject_GetIter(PyObject *o);
PyAPI_FUNC(int) PyIter_Check(PyObject *o);
PyAPI_FUNC(PyObject *) PyIter_Next(PyObject *o);
/* Sends `arg` into a generator or iterator (None means next()); the result
 * says whether *presult is a yielded value, the return value, or NULL with
 * an exception set. */
PyAPI_FUNC(PySendResult) PyIter_Send(PyObject *iter, PyObject *arg, PyObject **presult);
PyAPI_FUNC(PyObject *) PyObject_GetAIter(PyObject *o);
PyAPI_FUNC(int) PyAIter_Check(PyObject *o);
/* format(obj, format_spec); a NULL spec means "". */
PyAPI_FUNC(PyObject *) PyObject_Format(PyObject *obj, PyObject *format_spec);
/* len(o), else o.__length_hint__(), else `defaultvalue`. */
PyAPI_FUNC(Py_ssize_t) PyObject_LengthHint(PyObject *o, Py_ssize_t defaultvalue);

/* The old buffer interface, kept for compatibility: the pointer is valid
 * while the object lives and is not resized. */
PyAPI_FUNC(int) PyObject_AsCharBuffer(PyObject *obj, const char **buffer, Py_ssize_t *buffer_len);
PyAPI_FUNC(int) PyObject_CheckReadBuffer(PyObject *obj);
PyAPI_FUNC(int) PyObject_AsReadBuffer(PyObject *obj, const void **buffer, Py_ssize_t *buffer_len);
PyAPI_FUNC(int) PyObject_AsWriteBuffer(PyObject *obj, void **buffer, Py_ssize_t *buffer_len);

/* The number protocol. */
PyAPI_FUNC(int) PyNumber_Check(PyObject *o);
PyAPI_FUNC(PyObject *) PyNumber_Add(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Subtract(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Multiply(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_MatrixMultiply(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_FloorDivide(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_TrueDivide(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Remainder(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Divmod(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Lshift(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Rshift(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_And(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Xor(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Or(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_Power(PyObject *a, PyObject *b, PyObject *c);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceAdd(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceSubtract(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceMultiply(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceMatrixMultiply(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceFloorDivide(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceTrueDivide(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceRemainder(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceLshift(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceRshift(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceAnd(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceXor(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlaceOr(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyNumber_InPlacePower(PyObject *a, PyObject *b, PyObject *c);
PyAPI_FUNC(PyObject *) PyNumber_Negative(PyObject *o);
PyAPI_FUNC(PyObject *) PyNumber_Positive(PyObject *o);
PyAPI_FUNC(PyObject *) PyNumber_Absolute(PyObject *o);
PyAPI_FUNC(PyObject *) PyNumber_Invert(PyObject *o);
PyAPI_FUNC(PyObject *) PyNumber_Long(PyObject *o);
PyAPI_FUNC(PyObject *) PyNumber_Float(PyObject *o);

PyAPI_FUNC(PyObject *) PyNumber_Index(PyObject *o);
PyAPI_FUNC(int) PyIndex_Check(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PyNumber_AsSsize_t(PyObject *o, PyObject *exc);
PyAPI_FUNC(PyObject *) PyNumber_ToBase(PyObject *n, int base);
PyAPI_FUNC(PyObject *) PySequence_Tuple(PyObject *o);

/* The mapping protocol. */
PyAPI_FUNC(int) PyMapping_Check(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PyMapping_Size(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PyMapping_Length(PyObject *o);
PyAPI_FUNC(PyObject *) PyMapping_GetItemString(PyObject *o, const char *key);
PyAPI_FUNC(int) PyMapping_HasKeyString(PyObject *o, const char *key);
PyAPI_FUNC(PyObject *) PyMapping_Keys(PyObject *o);
PyAPI_FUNC(PyObject *) PyMapping_Values(PyObject *o);
PyAPI_FUNC(PyObject *) PyMapping_Items(PyObject *o);
PyAPI_FUNC(int) PyMapping_HasKey(PyObject *o, PyObject *key);
PyAPI_FUNC(int) PyMapping_SetItemString(PyObject *o, const char *key, PyObject *v);
#define PyMapping_DelItem(o, key) PyObject_DelItem((o), (key))
#define PyMapping_DelItemString(o, key) PyObject_DelItemString((o), (key))

/* Calls by a static identifier (private API that older extensions use). */
typedef struct _Py_Identifier {
    const char *string;
    Py_ssize_t index;
} _Py_Identifier;
#define _Py_static_string_init(value) { .string = (value), .index = -1 }
#define _Py_static_string(varname, value) static _Py_Identifier varname = _Py_static_string_init(value)
#define _Py_IDENTIFIER(varname) _Py_static_string(PyId_##varname, #varname)
PyAPI_FUNC(PyObject *) _PyObject_CallMethodId(PyObject *obj, _Py_Identifier *name, const char *format, ...);
PyAPI_FUNC(PyObject *) _PyObject_CallMethodId_SizeT(PyObject *obj, _Py_Identifier *name, const char *format, ...);
/* Arguments as objects, up to a NULL. */
PyAPI_FUNC(PyObject *) _PyObject_CallMethodIdObjArgs(PyObject *obj, _Py_Identifier *name, ...);
/* The method named by a str object, with Py_BuildValue arguments. */
PyAPI_FUNC(PyObject *) _PyObject_CallMethod(PyObject *obj, PyObject *name, const char *format, ...);
PyAPI_FUNC(PyObject *) _PyObject_CallMethodIdNoArgs(PyObject *obj, _Py_Identifier *name);
PyAPI_FUNC(PyObject *) _PyObject_CallMethodIdOneArg(PyObject *obj, _Py_Identifier *name, PyObject *arg);
/* args[0] is self; the method named by the identifier is called with all. */
PyAPI_FUNC(PyObject *) _PyObject_VectorcallMethodId(_Py_Identifier *name, PyObject *const *args, size_t nargsf,
                                                    PyObject *kwnames);
/* The call a type's tp_call makes, for callables without vectorcall; and
 * the check of a callable's result (NULL with an error, or a value with
 * none), which turns a broken result into SystemError. */
PyAPI_FUNC(PyObject *) _PyObject_MakeTpCall(PyThreadState *tstate, PyObject *callable, PyObject *const *args,
                                            Py_ssize_t nargs, PyObject *keywords);
PyAPI_FUNC(PyObject *) _Py_CheckFunctionResult(PyThreadState *tstate, PyObject *callable, PyObject *result,
                                               const char *where);
/* isinstance and issubclass without __instancecheck__/__subclasscheck__. */
PyAPI_FUNC(int) _PyObject_RealIsInstance(PyObject *inst, PyObject *cls);
PyAPI_FUNC(int) _PyObject_RealIsSubclass(PyObject *derived, PyObject *cls);
/* A NULL-terminated array of copies of the bytes in a sequence (for
 * exec-style argv); free it with _Py_FreeCharPArray. */
PyAPI_FUNC(char *const *) _PySequence_BytesToCharpArray(PyObject *self);
PyAPI_FUNC(void) _Py_FreeCharPArray(char *const array[]);
/* Step an nd-index to the next element in C (last index fastest) or
 * Fortran (first fastest) order, wrapping at the shape. */
PyAPI_FUNC(void) _Py_add_one_to_index_F(int nd, Py_ssize_t *index, const Py_ssize_t *shape);
PyAPI_FUNC(void) _Py_add_one_to_index_C(int nd, Py_ssize_t *index, const Py_ssize_t *shape);
/* Whether the type has a length (sq_length or mp_length). */
PyAPI_FUNC(int) _PyObject_HasLen(PyObject *o);
/* o.__index__() (an int, or an instance of a subclass of int). */
PyAPI_FUNC(PyObject *) _PyNumber_Index(PyObject *o);
PyAPI_FUNC(int) PySequence_Check(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PySequence_Size(PyObject *o);
PyAPI_FUNC(PyObject *) PySequence_GetItem(PyObject *o, Py_ssize_t i);
/* Old names: exported for the stable ABI, macros for source. */
PyAPI_FUNC(Py_ssize_t) PySequence_Length(PyObject *o);
#define PySequence_Length PySequence_Size
PyAPI_FUNC(PyObject *) PySequence_Concat(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PySequence_Repeat(PyObject *o, Py_ssize_t count);
PyAPI_FUNC(PyObject *) PySequence_InPlaceConcat(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PySequence_InPlaceRepeat(PyObject *o, Py_ssize_t count);
PyAPI_FUNC(PyObject *) PySequence_GetSlice(PyObject *o, Py_ssize_t i1, Py_ssize_t i2);
PyAPI_FUNC(int) PySequence_SetItem(PyObject *o, Py_ssize_t i, PyObject *v);
PyAPI_FUNC(int) PySequence_DelItem(PyObject *o, Py_ssize_t i);
PyAPI_FUNC(int) PySequence_SetSlice(PyObject *o, Py_ssize_t i1, Py_ssize_t i2, PyObject *v);
PyAPI_FUNC(int) PySequence_DelSlice(PyObject *o, Py_ssize_t i1, Py_ssize_t i2);
PyAPI_FUNC(PyObject *) PySequence_List(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PySequence_Count(PyObject *o, PyObject *value);
PyAPI_FUNC(int) PySequence_Contains(PyObject *seq, PyObject *ob);
PyAPI_FUNC(int) PySequence_In(PyObject *seq, PyObject *ob);
#define PySequence_In PySequence_Contains
PyAPI_FUNC(Py_ssize_t) PySequence_Index(PyObject *o, PyObject *value);
/* Without the slot shortcut: the item at i (negative counts from the end). */
#define PySequence_ITEM(o, i) PySequence_GetItem((o), (i))

/* What _PySequence_IterSearch looks for. */
#define PY_ITERSEARCH_COUNT 1
#define PY_ITERSEARCH_INDEX 2
#define PY_ITERSEARCH_CONTAINS 3
PyAPI_FUNC(Py_ssize_t) _PySequence_IterSearch(PyObject *seq, PyObject *obj, int operation);

/* A list or tuple with the items of `o` (`m` is the TypeError message when
 * `o` is not iterable): `o` itself if it is an exact list or tuple, else a
 * new tuple. PySequence_Fast_ITEMS is a tuple's own item array, or a
 * list's ob_item, brought up to date by the call. */
PyAPI_FUNC(PyObject *) PySequence_Fast(PyObject *o, const char *m);
PyAPI_FUNC(PyObject **) _PySequence_Fast_ListItems(PyObject *list);
#define PySequence_Fast_GET_SIZE(o) \
    (PyList_Check(o) ? PyList_GET_SIZE(o) : PyTuple_GET_SIZE(o))
#define PySequence_Fast_GET_ITEM(o, i) \
    (PyList_Check(o) ? PyList_GET_ITEM((o), (i)) : PyTuple_GET_ITEM((o), (i)))
#define PySequence_Fast_ITEMS(o) \
    (PyList_Check(o) ? _PySequence_Fast_ListItems(_PyObject_CAST(o)) : ((PyTupleObject *)(o))->ob_item)

#endif
