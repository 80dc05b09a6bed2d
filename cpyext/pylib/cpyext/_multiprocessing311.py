"""multiprocessing's default start method as CPython 3.11 has it on Linux.

The host's multiprocessing is 3.14's, which starts processes with
'forkserver' unless told otherwise; 3.11 forks. Code written for 3.11
relies on fork: a child sees what the parent set up at run time (a
module global, an open descriptor reached as /dev/fd/N), and a
forkserver child does not. `complete(context)` makes 'fork' the default
once the host's `multiprocessing.context` has run, before
`multiprocessing` copies the default context's functions (the layer calls
it from the frozen importer; host_stdlib.rs). `set_start_method` and
`get_context` still choose any method.
"""
import sys


def complete(context):
    if sys.platform == "darwin" or not hasattr(context, "_concrete_contexts"):
        return
    fork = context._concrete_contexts.get("fork")
    if fork is not None:
        context._default_context = context.DefaultContext(fork)
