# A bytes object C made and fills through its buffer, sliced in the same
# call after Python saw it: each slice shows what C had written by then
# (the slices showed zeros: imagecodecs' encoders returned all-zero output).
import latefillslice_ext as ext

for mode, what in ((0, "unseen"), (1, "memoryview first"), (2, "repr first")):
    print(what, ext.fill_then_slice(mode))
print("DONE")
