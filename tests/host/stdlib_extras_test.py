# Standard-library functions CPython 3.11 has on Linux and the host lacks
# or differs in (cpyext/src/host_stdlib.rs).
import os, re, signal, socket, sys, tempfile, threading, time

# posix: FIFOs, device numbers, CPU affinity, confstr, eventfd, memfd.
work = tempfile.mkdtemp()
fifo = os.path.join(work, "fifo")
os.mkfifo(fifo, 0o600)
import stat
print("mkfifo:", stat.S_ISFIFO(os.stat(fifo).st_mode), oct(stat.S_IMODE(os.stat(fifo).st_mode)))
try:
    os.mkfifo(fifo)
except FileExistsError as e:
    print("mkfifo again:", type(e).__name__, e.errno, e.filename == fifo)
dir_fd = os.open(work, os.O_RDONLY)
os.mkfifo("relative", dir_fd=dir_fd)
print("mkfifo dir_fd:", stat.S_ISFIFO(os.stat(os.path.join(work, "relative")).st_mode))
os.close(dir_fd)
dev = os.makedev(8, 17)
print("makedev:", dev, os.major(dev), os.minor(dev), os.major(os.makedev(259, 70000)), os.minor(os.makedev(259, 70000)))
cpus = os.sched_getaffinity(0)
print("affinity:", type(cpus).__name__, len(cpus) >= 1, all(isinstance(c, int) for c in cpus))
os.sched_setaffinity(0, cpus)
print("affinity kept:", os.sched_getaffinity(0) == cpus)
for bad in ([-1], [1 << 20]):
    try:
        os.sched_setaffinity(0, bad)
    except (ValueError, OSError) as e:
        print("setaffinity", bad, type(e).__name__)
print("confstr:", os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc "), os.confstr(os.confstr_names["CS_PATH"]))
print("confstr_names:", sorted(os.confstr_names.items())[:3], len(os.confstr_names))
try:
    os.confstr("CS_NOPE")
except ValueError as e:
    print("confstr unknown:", e)
print("ctermid:", os.ctermid())
fd = os.eventfd(3)
os.eventfd_write(fd, 4)
print("eventfd:", os.eventfd_read(fd), os.get_inheritable(fd))
os.close(fd)
fd = os.memfd_create("cpyext-test")
os.write(fd, b"hello")
print("memfd:", os.pread(fd, 5, 0), os.readlink(f"/proc/self/fd/{fd}").startswith("/memfd:cpyext-test"))
with open(os.path.join(work, "data"), "wb") as f:
    os.posix_fallocate(f.fileno(), 0, 4096)
    os.posix_fadvise(f.fileno(), 0, 4096, os.POSIX_FADV_DONTNEED)
    os.fdatasync(f)
    os.fsync(f)
    os.fsync(f.fileno())
    os.lockf(f.fileno(), os.F_LOCK, 0)
    os.lockf(f.fileno(), os.F_ULOCK, 0)
    print("fallocate:", os.fstat(f.fileno()).st_size)
try:
    os.fdatasync(987654)
except OSError as e:
    print("fdatasync bad fd:", e.errno)
try:
    os.fsync(987654)
except OSError as e:
    print("fsync bad fd:", e.errno)
print("constants:", os.O_ACCMODE, os.RTLD_DEEPBIND, os.ST_NOATIME, os.MFD_HUGE_2MB, os.MFD_HUGE_1GB, os.NGROUPS_MAX)

# time: zone attributes after tzset.
for zone in ("UTC", "EST+05EDT,M3.2.0,M11.1.0", "AEST-10AEDT,M10.1.0,M4.1.0/3", "JST-9"):
    os.environ["TZ"] = zone
    time.tzset()
    print("tzset", zone, time.timezone, time.altzone, time.daylight, time.tzname)
print("localtime:", time.localtime(0)[:6], time.strftime("%Z", time.localtime(0)))

# signal: real-time signals, pthread_kill, sigpending, sigwait.
print("signals:", int(signal.SIGRTMIN), int(signal.SIGRTMAX), signal.SIGCLD == signal.SIGCHLD, int(signal.SIGIOT), int(signal.SIGPOLL))
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
print("pending:", sorted(int(s) for s in signal.sigpending()))
print("sigwait:", int(signal.sigwait([signal.SIGUSR1])))
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1])

# locale.nl_langinfo.
import locale
print("langinfo:", locale.nl_langinfo(locale.CODESET), locale.nl_langinfo(locale.D_T_FMT), locale.nl_langinfo(locale.RADIXCHAR))
try:
    locale.nl_langinfo(123456)
except ValueError as e:
    print("langinfo bad:", e)

# re: a replacement function that returns None adds nothing.
print("sub:", re.sub("a", lambda m: None, "banana"), re.subn(b"a", lambda m: None, b"banana"))
print("sub keyword:", re.compile("n").sub(repl=lambda m: None if m.start() < 3 else "N", string="banana"))
print("sub str repl:", re.sub("a", "o", "banana"), re.sub("(a)", r"<\1>", "banana", count=2))

# socket: a host given as bytes.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((b"127.0.0.1", 0))
port = s.getsockname()[1]
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.connect((b"127.0.0.1", port))
r.send(b"one")
r.sendto(b"two", (b"127.0.0.1", port))
print("socket:", s.recv(10), s.recv(10), socket.gethostbyname(b"127.0.0.1"))
s.close(); r.close()

# threading.local: deleting what is not there.
local = threading.local()
try:
    del local.missing
except AttributeError as e:
    print("local del:", e)
local.x = 1
del local.x
print("local deleted:", hasattr(local, "x"))

# pyexpat: the Error* positions (xml.sax's locator reads them).
import xml.parsers.expat
parser = xml.parsers.expat.ParserCreate()
seen = []
parser.StartElementHandler = lambda name, attrs: seen.append((name, parser.ErrorLineNumber, parser.CurrentLineNumber, parser.ErrorByteIndex == parser.CurrentByteIndex))
parser.Parse(b"<a>\n  <b/>\n</a>", True)
print("expat:", seen, parser.ErrorColumnNumber == parser.CurrentColumnNumber)

# sys: the flags extension modules are opened with.
flags = sys.getdlopenflags()
print("dlopenflags:", flags == os.RTLD_NOW)
sys.setdlopenflags(os.RTLD_NOW | os.RTLD_GLOBAL)
print("dlopenflags set:", sys.getdlopenflags() == os.RTLD_NOW | os.RTLD_GLOBAL)
sys.setdlopenflags(flags)
interval = sys.getswitchinterval()
sys.setswitchinterval(1)
print("switchinterval:", sys.getswitchinterval())
sys.setswitchinterval(interval)
class Angle(float):
    def __str__(self): return "angle"
angle = Angle(1.5)
print("float subclass real:", type(angle.real).__name__, angle.real, type(angle.conjugate()).__name__, angle.conjugate(), angle.imag, (2.5).real, (2.5).conjugate())
import operator
class Hint:
    def __length_hint__(self): return 7
class NoHint:
    pass
hints = [operator.length_hint(x, d) for x in ([1, 2], Hint(), NoHint(), iter([])) for d in (-1, 0, 5, True)]
print("length_hint:", hints, operator.length_hint(NoHint()), operator.length_hint((i for i in []), -1))
for bad in ("3", 2.5, None):
    try:
        operator.length_hint(NoHint(), bad)
    except TypeError as e:
        print("length_hint default", type(bad).__name__, "TypeError:", e)
print("DONE")
