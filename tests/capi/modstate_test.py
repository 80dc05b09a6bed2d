import modstate_ext as ext

print("scenario:", ext.scenario())
for name in ["add_slotted", "remove_slotted"]:
    try:
        getattr(ext, name)()
    except SystemError as e:
        print(name, "->", type(e).__name__, e)
print("DONE")
