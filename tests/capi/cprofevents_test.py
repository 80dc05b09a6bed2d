# A C profile function sees the program's calls only: starting it again
# while it runs reported the layer's own sys.setprofile call, and a C
# object's death reported the layer's callback (viztracer's traces began
# with a "sys.setprofile" entry).
import cprofevents_ext as ext


class Sub(ext.Blob):
    pass


def work():
    b = ext.Blob()
    s = Sub()
    del b, s
    return len([1, 2])


ext.start()
ext.start()          # again, while installed
work()
sorted([3, 1], key=abs)
ext.stop()
for line in ext.take():
    print(line)
print("DONE")
