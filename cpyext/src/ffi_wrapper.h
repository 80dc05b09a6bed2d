/* What bindgen reads: the whole public header set. */
#include "Python.h"
#include "structmember.h"
