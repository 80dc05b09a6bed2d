import sys, threading, setattr_race
# argv[1]: "set" (default): o.some_attribute = i on fresh objects; "get": o.some_attribute reads.
mode = sys.argv[1] if len(sys.argv) > 1 else "set"
class Sub(setattr_race.S):
    def method(self):
        return 1
def run():
    o = Sub()
    o.some_attribute = 0
    for i in range(100000):
        if mode == "set":
            o = Sub()
            o.some_attribute = i      # the name 'some_attribute' is one shared str object
        else:
            o.some_attribute; o.method  # through tp_getattro: shared name, shared bound method's function
ts = [threading.Thread(target=run) for _ in range(2)]
[t.start() for t in ts]; [t.join() for t in ts]
print("ok", mode)
