import platform_ext as ext

for group in ("config", "limits", "macros", "numbers"):
    for name, value in getattr(ext, group)():
        print(f"{group}: {name} = {value!r}")
print("versions:", ext.versions())
# CPython sets LC_CTYPE from the environment as it starts (a UTF-8 byte
# pair is then one wide character); the harness runs both with the same.
print("locale at start:", ext.start_locale())
print("DONE")
