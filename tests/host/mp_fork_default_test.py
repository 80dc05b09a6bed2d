# multiprocessing forks by default on Linux, as in CPython 3.11 (the host's
# 3.14 default, forkserver, starts children that do not see what the parent
# set up at run time: cutadapt's /dev/fd/N inputs hung), and a fork made
# while a thread runs gives no DeprecationWarning (3.12 added it).
import multiprocessing
import os
import threading
import warnings

print(multiprocessing.get_start_method())
print(multiprocessing.get_all_start_methods())

SEEN = []


def child(queue, fd):
    # Both exist only because the child is a fork of this process.
    queue.put((list(SEEN), os.read(fd, 5)))


if __name__ == "__main__":
    SEEN.append("set at run time")
    read_end, write_end = os.pipe()
    os.write(write_end, b"piped")
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=child, args=(queue, read_end))
    process.start()
    print(queue.get(timeout=60))
    process.join()
    print("exit code", process.exitcode)

    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pid = os.fork()
        if pid == 0:
            os._exit(0)
    os.waitpid(pid, 0)
    stop.set()
    worker.join()
    print("fork with a thread running: no warning")
    ctx = multiprocessing.get_context("spawn")
    print(ctx.get_start_method())
