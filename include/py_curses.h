/* The C API capsule of the _curses module, for modules built on it. */
#ifndef Py_CURSES_H
#define Py_CURSES_H

/* Keep the WINDOW flags visible, as the _curses module expects. */
#if !defined(HAVE_CURSES_IS_PAD) && defined(WINDOW_HAS_FLAGS)
#  define NCURSES_OPAQUE 0
#endif

#ifdef HAVE_NCURSES_H
#  include <ncurses.h>
#else
#  include <curses.h>
#endif

#ifdef HAVE_NCURSES_H
#  if !defined(WINDOW_HAS_FLAGS) && !(NCURSES_OPAQUE + 0)
#    define WINDOW_HAS_FLAGS 1
#  endif
#  if !defined(HAVE_CURSES_IS_PAD) && NCURSES_VERSION_PATCH + 0 >= 20090906
#    define HAVE_CURSES_IS_PAD 1
#  endif
#  ifndef MVWDELCH_IS_EXPRESSION
#    define MVWDELCH_IS_EXPRESSION 1
#  endif
#endif

#define PyCurses_API_pointers 4
#define PyCurses_CAPSULE_NAME "_curses._C_API"

typedef struct {
    PyObject_HEAD
    WINDOW *win;
    char *encoding;
} PyCursesWindowObject;

#define PyCursesWindow_Check(v) Py_IS_TYPE((v), &PyCursesWindow_Type)

#ifndef CURSES_MODULE
/* A user of the capsule: import_curses() fills the table (the window type,
 * then three "is it initialised" checks). Without a _curses module the
 * import fails with the usual ImportError. */
static void **PyCurses_API;
#define PyCursesWindow_Type (*(PyTypeObject *)PyCurses_API[0])
#define PyCursesSetupTermCalled { if (!((int (*)(void))PyCurses_API[1])()) return NULL; }
#define PyCursesInitialised { if (!((int (*)(void))PyCurses_API[2])()) return NULL; }
#define PyCursesInitialisedColor { if (!((int (*)(void))PyCurses_API[3])()) return NULL; }
#define import_curses() PyCurses_API = (void **)PyCapsule_Import(PyCurses_CAPSULE_NAME, 1);
#endif

static const char catchall_ERR[] = "curses function returned ERR";
static const char catchall_NULL[] = "curses function returned NULL";

#endif
