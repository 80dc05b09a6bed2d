import platform_ext as ext

for group in ("config", "limits", "macros", "numbers"):
    for name, value in getattr(ext, group)():
        print(f"{group}: {name} = {value!r}")
print("versions:", ext.versions())
print("DONE")
