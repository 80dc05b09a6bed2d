/* The smallest program that embeds the interpreter: CPython's own `main`,
   which hands its command line to Py_BytesMain. The tests run it with
   python3's options and compare with the same program built for CPython. */
#include <Python.h>

int
main(int argc, char **argv)
{
    return Py_BytesMain(argc, argv);
}
