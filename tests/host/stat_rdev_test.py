"""os.stat_result has st_rdev on Linux: the device number of a special file."""
import os
import stat

st = os.stat("/dev/null")
print("char device:", stat.S_ISCHR(st.st_mode))
print("rdev:", os.major(st.st_rdev), os.minor(st.st_rdev))
print("regular file rdev:", os.stat(__file__).st_rdev)
print("lstat has it:", os.lstat("/dev/null").st_rdev == st.st_rdev)
with open("/dev/null") as f:
    print("fstat has it:", os.fstat(f.fileno()).st_rdev == st.st_rdev)
print("DONE")
