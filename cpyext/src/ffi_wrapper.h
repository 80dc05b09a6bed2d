/* What bindgen reads: the whole public header set. */
#define CPYEXT_NEWER_API 1
#include "Python.h"
#include "structmember.h"
#include "datetime.h"
