"""python3-config for cpyext: the flags that build C against its headers.

    cpyext -m cpyext.config [--prefix] [--exec-prefix] [--includes] [--libs]
                            [--cflags] [--ldflags] [--extension-suffix]
                            [--abiflags] [--configdir] [--embed] [--help]

Each option prints its answer, on one line, in the order given. `--embed`
makes `--libs` and `--ldflags` link `libcpyext.so`, the interpreter as a
library, for a program that embeds it; an extension module links nothing.
"""
import os
import sys
import sysconfig

OPTIONS = ["prefix", "exec-prefix", "includes", "libs", "cflags", "ldflags",
           "extension-suffix", "abiflags", "configdir", "embed", "help"]


def library_dir():
    """Where libcpyext.so is: beside the cpyext binary."""
    return os.path.dirname(os.path.realpath(sys.executable))


def includes():
    include = sysconfig.get_paths()["include"]
    return f"-I{include}"


def libs(embed):
    return "-lcpyext -lpthread" if embed else ""


def ldflags(embed):
    if not embed:
        return ""
    lib = library_dir()
    return f"-L{lib} -Wl,-rpath,{lib} {libs(embed)}"


def cflags():
    # -fPIC also for a program that embeds the interpreter: it then reaches
    # Py_None and the type objects through the library (docs/differences.md).
    extra = sysconfig.get_config_var("CFLAGS") or ""
    return " ".join(part for part in [includes(), extra, "-fPIC"] if part)


def answer(option, embed):
    if option == "prefix":
        return sys.prefix
    if option == "exec-prefix":
        return sys.exec_prefix
    if option == "includes":
        return includes()
    if option == "libs":
        return libs(embed)
    if option == "cflags":
        return cflags()
    if option == "ldflags":
        return ldflags(embed)
    if option == "extension-suffix":
        return sysconfig.get_config_var("EXT_SUFFIX")
    if option == "abiflags":
        return getattr(sys, "abiflags", "")
    if option == "configdir":
        return sysconfig.get_config_var("LIBPL") or library_dir()
    raise AssertionError(option)


def usage(stream):
    print(f"Usage: {os.path.basename(sys.executable)} -m cpyext.config "
          + "|".join("--" + o for o in OPTIONS), file=stream)


def main(argv):
    wanted = []
    for arg in argv:
        if not arg.startswith("--") or arg[2:] not in OPTIONS:
            usage(sys.stderr)
            return 2
        wanted.append(arg[2:])
    if not wanted or "help" in wanted:
        usage(sys.stdout if "help" in wanted else sys.stderr)
        return 0 if "help" in wanted else 2
    embed = "embed" in wanted
    for option in wanted:
        if option != "embed":
            print(answer(option, embed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
