/* Path conventions of the operating system (POSIX here), as wide characters. */
#ifndef Py_OSDEFS_H
#define Py_OSDEFS_H

#include <limits.h>

/* Separator between the parts of a path, and an alternative (none here). */
#define SEP L'/'
/* Separator between the entries of a search path such as PYTHONPATH. */
#define DELIM L':'

#ifndef MAXPATHLEN
#  if defined(PATH_MAX) && PATH_MAX > 1024
#    define MAXPATHLEN PATH_MAX
#  else
#    define MAXPATHLEN 1024
#  endif
#endif

#endif
