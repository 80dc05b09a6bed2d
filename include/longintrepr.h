/* The name older extensions include: the same as cpython/longintrepr.h. */
#include "cpython/longintrepr.h"
