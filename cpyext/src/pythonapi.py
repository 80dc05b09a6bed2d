# Runs once in the host's _ctypes module, after its own set-up
# (cpyext/src/pythonapi.rs). It gives functions flagged FUNCFLAG_PYTHONAPI
# (ctypes.pythonapi, PyDLL, PYFUNCTYPE) CPython's calling convention: the call
# holds the GIL, py_object arguments reach C as proxies, a py_object result is
# a new reference taken over, and a pending exception is raised.

def install(module, call_with_proxies, read_pointer):
    host_base = module.CFuncPtr
    host_call = host_base.__call__
    pythonapi_flag = module.FUNCFLAG_PYTHONAPI
    cdecl_flag = module.FUNCFLAG_CDECL
    addressof = module.addressof
    # The host's own PYFUNCTYPE helpers (ctypes.cast, string_at...) are Rust
    # and take the host's object pointers, not proxies.
    host_functions = frozenset(
        getattr(module, name)
        for name in ("_cast_addr", "_string_at_addr", "_wstring_at_addr", "_memoryview_at_addr")
        if hasattr(module, name)
    )
    cast_address = getattr(module, "_cast_addr", None)
    # One C-calling twin per signature: the same address, with c_void_p where
    # the function declares py_object.
    twins = {}

    def twin_for(address, argtypes, restype, object_positions, ctypes):
        key = (address, argtypes, restype, object_positions)
        twin = twins.get(key)
        if twin is None:
            returns_object = isinstance(restype, type) and issubclass(restype, ctypes.py_object)

            class Twin(host_base):
                _flags_ = cdecl_flag
                _restype_ = ctypes.c_void_p if returns_object else restype

            twin = Twin(address)
            if argtypes is not None:
                twin.argtypes = tuple(
                    ctypes.c_void_p if i in object_positions else t for i, t in enumerate(argtypes)
                )
            twin = (twin, returns_object)
            twins[key] = twin
        return twin

    def too_few_message(declared, given):
        s = "" if declared == 1 else "s"
        return f"this function takes at least {declared} argument{s} ({given} given)"

    def call_with_extra_arguments(func, argtypes, args):
        # CPython passes arguments beyond argtypes by the default conversions
        # (a cdecl function may be variadic, like printf); the host takes
        # exactly its argtypes, so the declared ones are converted here and
        # a twin without argtypes makes the call.
        import ctypes

        values = [declared.from_param(value) for declared, value in zip(argtypes, args)]
        values += args[len(argtypes):]
        twin, _ = twin_for(read_pointer(addressof(func)), None, func.restype, (), ctypes)
        result = host_call(twin, *values)
        errcheck = func.errcheck
        if errcheck is not None:
            result = errcheck(result, func, args)
        return result

    def call_pythonapi(func, address, args):
        import ctypes

        argtypes = func.argtypes
        if argtypes is not None:
            argtypes = tuple(argtypes)
            if len(args) < len(argtypes):
                raise TypeError(too_few_message(len(argtypes), len(args)))
        values = list(args)
        object_positions = []
        for i, arg in enumerate(args):
            declared = argtypes[i] if argtypes is not None and i < len(argtypes) else None
            if declared is not None and isinstance(declared, type) and issubclass(declared, ctypes.py_object):
                object_positions.append(i)
                if isinstance(arg, ctypes.py_object):
                    values[i] = arg.value
            elif declared is None and isinstance(arg, ctypes.py_object):
                object_positions.append(i)
                values[i] = arg.value
        object_positions = tuple(object_positions)
        if argtypes is not None and len(args) > len(argtypes):
            # Extra arguments of a variadic function: the host's twin takes
            # exactly its argtypes, so the declared ones are converted here.
            for i, declared in enumerate(argtypes):
                if i not in object_positions:
                    values[i] = declared.from_param(values[i])
            argtypes = None
        restype = func.restype
        twin, returns_object = twin_for(address, argtypes, restype, object_positions, ctypes)
        result = call_with_proxies(twin, values, object_positions, ctypes.c_void_p, returns_object, getattr(func, "__name__", hex(address)))
        errcheck = func.errcheck
        if errcheck is not None:
            result = errcheck(result, func, args)
        return result

    host_restype = host_base.__dict__["restype"]
    host_argtypes = host_base.__dict__["argtypes"]

    class CFuncPtr(host_base):
        _flags_ = cdecl_flag

        # As CPython reads them: what the function was given, else its
        # prototype's, and None (void) when set to None. The host reads an
        # unset argtypes as () and forgets an explicit restype = None.
        @property
        def restype(self):
            if self.__dict__.get("_void_result_"):
                return None
            declared = host_restype.__get__(self)
            return getattr(type(self), "_restype_", None) if declared is None else declared

        @restype.setter
        def restype(self, value):
            host_restype.__set__(self, value)
            self.__dict__["_void_result_"] = value is None

        @property
        def argtypes(self):
            return tuple(host_argtypes.__get__(self)) or getattr(type(self), "_argtypes_", None)

        @argtypes.setter
        def argtypes(self, value):
            host_argtypes.__set__(self, value)

        def __call__(self, *args, **kwargs):
            if not (self._flags_ & pythonapi_flag) or kwargs:
                declared = host_argtypes.__get__(self)
                if declared and not kwargs and len(args) != len(declared):
                    if len(args) < len(declared):
                        # The host would call it with garbage for the rest.
                        raise TypeError(too_few_message(len(declared), len(args)))
                    return call_with_extra_arguments(self, tuple(declared), args)
                return host_call(self, *args, **kwargs)
            address = read_pointer(addressof(self))
            if address in host_functions:
                if address == cast_address and args and isinstance(args[0], host_base):
                    # The host casts a function object's buffer address, not
                    # the address of the function it calls, as CPython does.
                    args = (read_pointer(addressof(args[0])),) + args[1:]
                return host_call(self, *args)
            return call_pythonapi(self, address, args)

    CFuncPtr.__module__ = module.__name__
    module.CFuncPtr = CFuncPtr
