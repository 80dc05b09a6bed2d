/* Struct sequences: tuple subclasses whose items are also named attributes
 * (like os.stat_result). Fields past n_in_sequence are hidden: reachable by
 * name only. Instances are tuples, so the tuple macros fill them. */
#ifndef Py_STRUCTSEQ_H
#define Py_STRUCTSEQ_H

typedef struct PyStructSequence_Field {
    const char *name;
    const char *doc;
} PyStructSequence_Field;

typedef struct PyStructSequence_Desc {
    const char *name;
    const char *doc;
    PyStructSequence_Field *fields;
    int n_in_sequence;
} PyStructSequence_Desc;

/* The name of a field without a name (index access only). */
PyAPI_DATA(const char * const) PyStructSequence_UnnamedField;

PyAPI_FUNC(void) PyStructSequence_InitType(PyTypeObject *type, PyStructSequence_Desc *desc);
PyAPI_FUNC(int) PyStructSequence_InitType2(PyTypeObject *type, PyStructSequence_Desc *desc);
PyAPI_FUNC(PyTypeObject *) PyStructSequence_NewType(PyStructSequence_Desc *desc);
/* A new instance with every field NULL: C must set all of them (hidden ones
 * included) before it reaches Python. */
PyAPI_FUNC(PyObject *) PyStructSequence_New(PyTypeObject *type);

typedef PyTupleObject PyStructSequence;
#define PyStructSequence_SET_ITEM(op, i, v) PyTuple_SET_ITEM((op), (i), (v))
#define PyStructSequence_GET_ITEM(op, i) PyTuple_GET_ITEM((op), (i))

/* Steals v. */
PyAPI_FUNC(void) PyStructSequence_SetItem(PyObject *p, Py_ssize_t pos, PyObject *v);
/* Borrowed. */
PyAPI_FUNC(PyObject *) PyStructSequence_GetItem(PyObject *p, Py_ssize_t pos);

#endif
