"""zlib, hashlib, select and mmap as CPython 3.11 has them where the host's
differed: zlib's "Error -3 while decompressing data: ..." messages,
hashlib's TypeError for str and non-buffer data, select's messages for a
negative descriptor and timeout, poll.modify of an unregistered descriptor,
and mmap.resize (anonymous and file maps). Plain behaviours around them
are printed too."""
import hashlib
import mmap
import os
import select
import tempfile
import zlib


def show(label, f):
    try:
        r = f()
    except Exception as e:
        r = "%s: %s" % (type(e).__name__, e)
    print(label, repr(r))


data = b"hello world " * 50
c = zlib.compress(data)
show("zlib roundtrip", lambda: zlib.decompress(c) == data)
show("zlib compress", lambda: zlib.compress(b"abc"))
show("zlib raw", lambda: zlib.compress(b"abc", wbits=-15))
show("zlib bad header", lambda: zlib.decompress(b"garbage"))
show("zlib truncated", lambda: zlib.decompress(c[:-5]))
show("zlib bad block", lambda: zlib.decompress(b"\x78\x9c\xff\xff"))
show("zlib bad raw", lambda: zlib.decompress(b"\xff\xff\xff", -15))
show("zlib bad check", lambda: zlib.decompress(c[:-1] + bytes([c[-1] ^ 1])))
show("decompressobj bad", lambda: zlib.decompressobj().decompress(b"garbage"))
show("decompressobj gzip bad", lambda: zlib.decompressobj(31).decompress(b"\x1f\x8b\x09"))
show("need dictionary", lambda: zlib.decompress(zlib.compressobj(zdict=b"hello").compress(b"hello") + b"\x00" * 8))
show("zdict", lambda: zlib.decompressobj(zdict=b"hello").decompress(zlib.compressobj(zdict=b"hello").compress(b"hello hello")))
show("crc32 adler32", lambda: (zlib.crc32(b"abc"), zlib.crc32(b"abc", 5), zlib.adler32(b"abc"), zlib.adler32(b"abc", 7)))
d = zlib.decompressobj()
show("decompressobj", lambda: (d.decompress(c[:10]), len(d.decompress(c[10:] + b"extra")), d.unused_data, d.eof))
show("bad level", lambda: zlib.compress(b"a", 12))

for v in ("x", 1, [1]):
    for name in ("md5", "sha1", "sha256", "sha512", "sha3_256", "blake2b", "blake2s"):
        f = getattr(hashlib, name)
        show("%s(%r)" % (name, v), lambda: f(v))
        show("%s().update(%r)" % (name, v), lambda: f().update(v))
    show("new(%r)" % (v,), lambda: hashlib.new("sha256", v))
show("shake update str", lambda: hashlib.shake_128().update("x"))
show("sha256 memoryview", lambda: hashlib.sha256(memoryview(b"abc")).hexdigest())
show("md5 string=", lambda: hashlib.md5(string=b"abc").hexdigest())
show("md5 bytearray", lambda: hashlib.md5(bytearray(b"abc")).hexdigest())

r, w = os.pipe()
show("select", lambda: [[fd == w for fd in x] for x in select.select([r], [w], [], 0)])
show("select negative fd", lambda: select.select([-1], [], [], 0))
show("select negative timeout", lambda: select.select([], [], [], -1))
show("select no fileno", lambda: select.select([object()], [], [], 0))
p = select.poll()
p.register(w, select.POLLOUT)
show("poll", lambda: [(fd == w, ev) for fd, ev in p.poll(0)])
show("poll modify unregistered", lambda: p.modify(r, select.POLLIN))
try:
    p.unregister(r)
except KeyError as e:
    print("poll unregister unregistered: KeyError", e.args == (r,))
show("poll modify registered", lambda: (p.modify(w, select.POLLOUT), [(fd == w, ev) for fd, ev in p.poll(0)])[1])
os.close(r)
os.close(w)

a = mmap.mmap(-1, 10)
a[:3] = b"abc"
show("anon resize up", lambda: (a.resize(20), len(a), a[:4])[1:])
show("anon resize down", lambda: (a.resize(2), len(a), a[:])[1:])
show("anon resize zero", lambda: a.resize(0))
show("anon resize negative", lambda: a.resize(-1))
a.close()
fd, path = tempfile.mkstemp()
os.write(fd, b"0123456789")
m = mmap.mmap(fd, 0)
show("file resize down", lambda: (m.resize(4), len(m), m[:], os.path.getsize(path))[1:])
show("file resize up", lambda: (m.resize(12), m[:], os.path.getsize(path))[1:])
m[10:12] = b"xy"
m.flush()
with open(path, "rb") as f:
    show("file after write", lambda: f.read())
mv = memoryview(m)
show("resize while exported", lambda: m.resize(5))
mv.release()
ro = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
show("resize read-only", lambda: ro.resize(5))
ro.close()
m.close()
os.close(fd)
os.unlink(path)
print("DONE")
