/* Interpreter state, as far as extensions reach it. */
#ifndef CPYEXT_PYSTATE_H
#define CPYEXT_PYSTATE_H

/* Borrowed: the module single-phase init made from the definition. */
PyAPI_FUNC(PyObject *) PyState_FindModule(struct PyModuleDef *def);

#endif
