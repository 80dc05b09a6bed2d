import sub2lvl_ext as m


class MA(m.Obj):
    def __finalize__(self, obj):
        print("MA finalize", type(self).__name__, self.value)


class MC(MA):
    def __finalize__(self, obj):
        print("MC finalize", type(self).__name__, self.value)
        return super().__finalize__(obj)


class MD(MA):
    pass


for cls in (MA, MC, MD):
    o = m.make(cls, 7)
    print(cls.__name__, "->", type(o).__name__, o.value)
print("DONE")
