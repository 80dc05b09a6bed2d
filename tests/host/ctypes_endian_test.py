"""Byte order and bit fields: BigEndianStructure/LittleEndianStructure of
the non-native order store their scalar, array and bit-field members
swapped; bit fields of native structures read and write only their bits."""
import ctypes
from ctypes import (BigEndianStructure, BigEndianUnion, LittleEndianStructure,
                    Structure, c_double, c_float, c_int, c_int16, c_ubyte,
                    c_uint, c_uint16, c_uint32, c_uint64)


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


class BE(BigEndianStructure):
    _fields_ = [("a", c_uint32), ("b", c_int16), ("c", c_double),
                ("d", c_uint16 * 2), ("e", c_float), ("f", (c_uint16 * 2) * 2)]


x = BE()
x.a = 0x01020304
x.b = -2
x.c = 2.5
x.d[0] = 0x0102
x.d[1] = 7
x.e = 1.0
x.f[1][0] = 0x0a0b
print("BE bytes:", bytes(x).hex())
print("BE values:", hex(x.a), x.b, x.c, list(x.d), x.e, [list(r) for r in x.f])
y = BE.from_buffer_copy(bytes(x))
print("BE copy:", hex(y.a), y.b, y.c, list(y.d), y.e)
z = BE(d=(0x0304, 0x0506))
print("BE init array:", bytes(z)[16:20].hex(), list(z.d))


class LE(LittleEndianStructure):
    _fields_ = [("a", c_uint32), ("d", c_uint16 * 2)]


print("LE bytes:", bytes(LE(0x01020304, (1, 2))).hex())

A = c_uint16.__ctype_be__ * 3
arr = A(1, 2, 0x0304)
print("swapped array:", bytes(arr).hex(), list(arr), arr[2])
arr[0] = 0x1122
print("swapped array set:", bytes(arr).hex(), arr[0])


class Bits(Structure):
    _fields_ = [("a", c_uint, 3), ("b", c_uint, 5), ("c", c_int, 4), ("d", c_ubyte)]


bits = Bits(5, 17, -3, 9)
print("bits:", bits.a, bits.b, bits.c, bits.d, bytes(bits).hex(), ctypes.sizeof(Bits))
bits.b = 31
bits.c = 7
bits.a = 9          # wraps to 3 bits
print("bits set:", bits.a, bits.b, bits.c, bits.d, bytes(bits).hex())
bits.c = -8
print("bits signed:", bits.c, bits.b)


class Wide(Structure):
    _fields_ = [("lo", c_uint64, 40), ("hi", c_uint64, 24)]


w = Wide(2**40 - 1, 0xabcdef)
print("wide bits:", hex(w.lo), hex(w.hi), bytes(w).hex())


class BEBits(BigEndianStructure):
    _fields_ = [("a", c_uint16, 4), ("b", c_uint16, 12)]


bb = BEBits(1, 2)
print("BE bits:", bytes(bb).hex(), bb.a, bb.b)
bb.b = 0xfff
print("BE bits set:", bytes(bb).hex(), bb.a, bb.b)


class BU(BigEndianUnion):
    _fields_ = [("a", c_uint32), ("b", c_ubyte * 4)]


print("BE union:", list(BU(0x01020304).b))
print("DONE")
