/* compile.h: PyCompile_OpcodeStackEffect and ...WithJump over every opcode. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* effects(opcode, (oparg, ...), (jump, ...)) -> [effect or None, ...] per
 * oparg and jump; None is PY_INVALID_STACK_EFFECT. A jump of None asks the
 * two-argument function. */
static PyObject *
effects(PyObject *self, PyObject *args)
{
    int opcode;
    PyObject *opargs, *jumps;
    if (!PyArg_ParseTuple(args, "iO!O!", &opcode, &PyTuple_Type, &opargs, &PyTuple_Type, &jumps))
        return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(opargs); i++) {
        int oparg = (int)PyLong_AsLong(PyTuple_GET_ITEM(opargs, i));
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(jumps); j++) {
            PyObject *jump = PyTuple_GET_ITEM(jumps, j);
            int effect = jump == Py_None ? PyCompile_OpcodeStackEffect(opcode, oparg)
                                         : PyCompile_OpcodeStackEffectWithJump(opcode, oparg, (int)PyLong_AsLong(jump));
            PyObject *item = effect == PY_INVALID_STACK_EFFECT ? Py_NewRef(Py_None) : PyLong_FromLong(effect);
            if (item == NULL || PyList_Append(out, item) < 0) {
                Py_XDECREF(item);
                Py_DECREF(out);
                return NULL;
            }
            Py_DECREF(item);
        }
    }
    return out;
}

static PyMethodDef methods[] = {
    {"effects", effects, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "compile_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_compile_ext(void)
{
    return PyModule_Create(&module);
}
