/* Hashing helpers. The hashes are the host interpreter's: _Py_HashBytes of a
 * buffer equals hash() of the bytes object with that content. */
#ifndef Py_HASH_H
#define Py_HASH_H

#include <stdint.h>

/* hash(float) for v; a NaN hashes by the identity of inst, as in 3.10+. */
PyAPI_FUNC(Py_hash_t) _Py_HashDouble(PyObject *inst, double v);
/* The pointer's address rotated right by 4 bits; never -1. */
PyAPI_FUNC(Py_hash_t) _Py_HashPointer(const void *p);
/* The same, but -1 stays -1. */
PyAPI_FUNC(Py_hash_t) _Py_HashPointerRaw(const void *p);
PyAPI_FUNC(Py_hash_t) _Py_HashBytes(const void *src, Py_ssize_t len);

/* The parameters of numeric hashing: hashes are taken modulo the Mersenne
 * prime 2**61 - 1; infinities hash to +-314159, and the imaginary part of a
 * complex is weighted by the multiplier. */
#define _PyHASH_MULTIPLIER 1000003UL
#define _PyHASH_BITS 61
#define _PyHASH_MODULUS (((size_t)1 << _PyHASH_BITS) - 1)
#define _PyHASH_INF 314159
#define _PyHASH_IMAG _PyHASH_MULTIPLIER

/* The randomization keys, as CPython lays them out (24 bytes). The layer's
 * hashing does not read them. */
typedef union {
    unsigned char uc[24];
    struct {
        Py_hash_t prefix;
        Py_hash_t suffix;
    } fnv;
    struct {
        uint64_t k0;
        uint64_t k1;
    } siphash;
    struct {
        unsigned char padding[16];
        Py_hash_t suffix;
    } djbx33a;
    struct {
        unsigned char padding[16];
        Py_hash_t hashsalt;
    } expat;
} _Py_HashSecret_t;
PyAPI_DATA(_Py_HashSecret_t) _Py_HashSecret;

/* The string hash in use: its function, name (sys.hash_info.algorithm) and
 * sizes in bits. */
typedef struct {
    Py_hash_t (*const hash)(const void *src, Py_ssize_t len);
    const char *name;
    const int hash_bits;
    const int seed_bits;
} PyHash_FuncDef;

PyAPI_FUNC(PyHash_FuncDef *) PyHash_GetFuncDef(void);

/* Strings shorter than this would use a cheaper hash; 0: none do. */
#ifndef Py_HASH_CUTOFF
#define Py_HASH_CUTOFF 0
#endif

/* Algorithm identifiers, and the one configured. */
#define Py_HASH_EXTERNAL 0
#define Py_HASH_SIPHASH24 1
#define Py_HASH_FNV 2
#define Py_HASH_SIPHASH13 3
#ifndef Py_HASH_ALGORITHM
#define Py_HASH_ALGORITHM Py_HASH_SIPHASH13
#endif

#endif
