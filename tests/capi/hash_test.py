import math
import sys
import hash_ext as ext

print("constants", ext.constants())
print("modulus matches sys.hash_info", ext.constants()[2] == sys.hash_info.modulus, ext.constants()[3] == sys.hash_info.inf)

# Byte hashes agree with hash() of the same bytes (the interpreter's own hash).
for data in [b"", b"a", b"hello world", bytes(range(256)), b"\x00" * 7, b"x" * 1000]:
    print("bytes", len(data), ext.hash_bytes(data) == hash(data), ext.hash_bytes(data) != -1)

# Float hashes are defined by the language: compare with hash() and print them.
for v in [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -2.75, 1e100, -1e-100, 5e-324, 2.0 ** 61, 2.0 ** 62 + 2048,
          1.7976931348623157e308, math.pi, -math.e, 3.0, float("inf"), float("-inf"), 123456789.0, 2.0 ** -1074]:
    h = ext.hash_double(v)
    print("double", repr(v), h, h == hash(v))
print("minus one maps to -2", ext.hash_double(-1.0))
nan = float("nan")
print("nan hashes by identity", ext.nan_identity(nan), ext.nan_identity(object()))
# ... which is object.__hash__ of it, as a C type's tp_hash of a NaN value
# by _Py_HashDouble(self, v) is tested (ml_dtypes).
print("a NaN's hash is object.__hash__ of its object", ext.hash_double(nan) == object.__hash__(nan))

for address in [0, 16, 0x1000, 0xdeadbeef0, 2**64 - 16, 2**64 - 1, 15]:
    print("pointer", hex(address), ext.hash_pointer(address))

name, hash_bits, seed_bits, sample = ext.funcdef()
print("funcdef matches sys.hash_info", name == sys.hash_info.algorithm, hash_bits == sys.hash_info.hash_bits,
      seed_bits == sys.hash_info.seed_bits, sample == hash(b"hash me"))
import os, subprocess
ext_dir = os.path.dirname(os.path.abspath(ext.__file__))
def secret_with_seed(seed):
    code = f"import sys; sys.path.insert(0, {ext_dir!r}); import hash_ext; print(hash_ext.secret().hex())"
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60).stdout.strip()
print("_Py_HashSecret size", len(ext.secret()))
print("_Py_HashSecret with PYTHONHASHSEED=0", secret_with_seed("0"))
print("_Py_HashSecret with PYTHONHASHSEED=12345", secret_with_seed("12345"))
random_secrets = {secret_with_seed("random") for _ in range(2)}
print("_Py_HashSecret random: two differ", len(random_secrets) == 2, "non-zero", all(set(s) != {"0"} for s in random_secrets))
print("DONE")
