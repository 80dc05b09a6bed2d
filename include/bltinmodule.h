/* The type objects of filter, map and zip. */
#ifndef CPYEXT_BLTINMODULE_H
#define CPYEXT_BLTINMODULE_H

PyAPI_DATA(PyTypeObject) PyFilter_Type;
PyAPI_DATA(PyTypeObject) PyMap_Type;
PyAPI_DATA(PyTypeObject) PyZip_Type;

#endif
