"""The crate's modules form layers that point one way (docs/design.md, "Module
map"): a module may use its own layer and the layers below it, never one
above. The object model at the bottom knows nothing of the API files; what it
needs from above is registered with it as a hook (`hooks.rs`)."""
import os
import re

import harness

SRC = os.path.join(harness.ROOT, "cpyext", "src")

# Lowest first. Every module of the crate must be in exactly one layer.
# Types, slots and api/ still share one layer: the slot tables of type
# objects hold C-API functions (PyObject_Repr as tp_repr), and C types build
# their descriptors with api/'s member and getset code.
LAYERS = [
    ("object model", {"ffi", "gil", "error_indicator", "proxy", "borrow", "boundary", "hooks", "death_watch"}),
    ("types, slots and the C API", {"types", "methods", "ctype", "slots", "api", "startup"}),
    ("loader and command line", {"loader", "elf", "sysconfig", "pythonapi", "mro", "host_stdlib", "cli", "layer", "lib", "main"}),
]
LAYER_OF = {module: rank for rank, (_, modules) in enumerate(LAYERS) for module in modules}
REFERENCE = re.compile(r"\bcrate::(r#)?(\w+)")
GROUPED_USE = re.compile(r"\buse crate::\{([^;]*)\}", re.S)


def top_module(path):
    rel = os.path.relpath(path, SRC)
    return rel.split(os.sep)[0].removesuffix(".rs")


def references(path):
    text = open(path).read()
    # Comments may name modules freely.
    text = re.sub(r"//[^\n]*", "", text)
    found = {m.group(2) for m in REFERENCE.finditer(text)}
    for group in GROUPED_USE.findall(text):
        found |= {re.split(r"\W", item.strip())[0] for item in group.split(",") if item.strip()}
    return found - {"self", "r", ""}


def rust_files():
    for folder, _, files in os.walk(SRC):
        for name in files:
            if name.endswith(".rs"):
                yield os.path.join(folder, name)


def test_every_module_has_a_layer():
    unplaced = sorted({top_module(p) for p in rust_files()} - set(LAYER_OF))
    assert not unplaced, f"modules in no layer of tests/test_layers.py: {unplaced}"


def test_no_module_uses_a_layer_above_its_own():
    upward = []
    for path in rust_files():
        module = top_module(path)
        for used in references(path):
            if used in LAYER_OF and LAYER_OF[used] > LAYER_OF.get(module, 99):
                upward.append(f"{os.path.relpath(path, SRC)} ({LAYERS[LAYER_OF[module]][0]}) uses "
                              f"crate::{used} ({LAYERS[LAYER_OF[used]][0]})")
    assert not upward, "\n".join(sorted(upward))


def test_the_check_sees_references():
    # A floor so that a broken pattern cannot pass by finding nothing.
    assert "proxy" in references(os.path.join(SRC, "borrow.rs"))
