import compile_ext as ext

# Every opcode number (the compiler's pseudo-instructions are negative), with opargs that exercise each bit field and sign, and
# each jump convention (None: the two-argument function, which takes the max).
opargs = (0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 255, 256, 257, 511, 1000, 65535, -1, -2, -256)
jumps = (None, -1, 0, 1, 2, -7)
valid = 0
for opcode in range(-40, 260):
    row = ext.effects(opcode, opargs, jumps)
    if any(e is not None for e in row):
        valid += 1
        print(opcode, row)
print("opcodes with an effect:", valid)
print("DONE")
