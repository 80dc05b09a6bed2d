import bytesinit_ext as ext

src = b"ABCDEFGH" * 4
print("bump_copy", ext.bump_copy(src)[:10], "src kept", src[:4])
print("bump_copy_nogil", ext.bump_copy_nogil(b"\x00\x01\x02xyz"))
print("upper_fromstring", ext.upper_fromstring())
print("bump_copy long", ext.bump_copy(bytes(range(100)) * 50) == bytes(range(1, 101)) * 50)
print("bump_then_compare (False expected)", ext.bump_then_compare(b"hello"))
print("empty", ext.bump_copy(b""))
print("DONE")
