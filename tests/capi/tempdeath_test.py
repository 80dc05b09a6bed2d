import io
import weakref

import tempdeath_ext as ext

bio = io.BytesIO(b"0123")
print("view then write:", ext.view_then_write(bio), bio.getvalue())

events = []


class Noted:
    def __del__(self):
        events.append("__del__")


print(ext.make_and_drop(Noted, events.append), events)

events.clear()
dead = []


def weakly_noted():
    obj = Noted()
    # The callback must outlive the object: keep the weakref in `dead`.
    dead.append(weakref.ref(obj, lambda r: events.append("weakref callback")))
    return obj


ext.make_and_drop(weakly_noted, events.append)
print("with a weakref:", events)

events.clear()
kept = ext.steal_then_keep(Noted, events.append)
print("steal then keep:", type(kept).__name__, events)
del kept
print("after del:", events)

events.clear()
shared = Noted()
ext.release_shared(shared, events.append)
print("shared:", events)
del shared
print("shared after del:", events)
events.clear()
ext.list_then_drop(Noted, events.append)
print("list made in C, dropped:", events)
print("DONE")
