# os.truncate of a path is truncate(2), not an open for writing: a FIFO
# with no reader gives EINVAL at once (an open would block), and errors name the file.
import os, tempfile
d = tempfile.mkdtemp()
fifo = os.path.join(d, "fifo")
os.mkfifo(fifo)
try:
    os.truncate(fifo, 0)
    print("fifo truncated")
except OSError as e:
    print(type(e).__name__, e.errno, e.filename == fifo)
name = os.path.join(d, "f")
with open(name, "wb") as f:
    f.write(b"x" * 100)
os.truncate(name, 10)
print(os.path.getsize(name))
os.truncate(path=name, length=200)
print(os.path.getsize(name))
os.truncate(name.encode(), 5)
print(os.path.getsize(name))
for bad in [(os.path.join(d, "missing"), 0), (d, 0), (name, -1)]:
    try:
        os.truncate(*bad)
    except OSError as e:
        print(type(e).__name__, e.errno, e.filename == bad[0])
fd = os.open(name, os.O_RDWR)
os.truncate(fd, 3)
print(os.path.getsize(name), os.truncate in os.supports_fd)
os.close(fd)
try:
    os.truncate(name, "1")
except TypeError:
    print("TypeError")
os.unlink(name); os.unlink(fifo); os.rmdir(d)
