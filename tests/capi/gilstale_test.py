import gilstale_ext as ext

# (error still set before the outermost Release, set after a new Ensure,
#  set after an inner Release, set after the Release that ended the state)
print("pending error across Ensure/Release on a C thread:", ext.run())
print("again:", ext.run())
print("DONE")
