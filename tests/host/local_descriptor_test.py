# A threading.local subclass's property setter runs on assignment (tox's
# log context stores its name through one); deleting a missing attribute is
# an AttributeError.
import threading


class Named(threading.local):
    def __init__(self, name):
        self.name = name

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._name = value.upper()


n = Named("root")
print(n.name, sorted(n.__dict__))
n.name = "x"
print(n.name, sorted(n.__dict__))
seen = []
t = threading.Thread(target=lambda: seen.append((n.name, sorted(n.__dict__))))
t.start()
t.join()
print("thread:", seen)
n.plain = 1
del n.plain
try:
    del n.plain
except AttributeError:
    print("del missing: AttributeError")
print("DONE")
