pub(crate) use _csv::module_def;

#[pymodule]
mod _csv {
    use crate::common::lock::PyMutex;
    use crate::vm::{
        AsObject, Py, PyObject, PyObjectRef, PyPayload, PyRef, PyResult, TryFromObject,
        VirtualMachine,
        builtins::{PyBaseExceptionRef, PyInt, PyStr, PyType, PyTypeRef, PyUtf8StrRef},
        function::{ArgIterable, ArgumentError, FromArgs, FuncArgs, OptionalArg, Param},
        protocol::{PyIter, PyIterReturn, PyNumber},
        types::{Callable, Constructor, IterNext, Iterable, SelfIter},
    };
    use alloc::fmt;
    use itertools::Itertools;
    use parking_lot::Mutex;
    use rustpython_common::{
        lock::LazyLock,
        wtf8::{CodePoint, Wtf8, Wtf8Buf},
    };
    use rustpython_vm::match_class;
    use std::collections::HashMap;

    #[pyattr]
    const QUOTE_MINIMAL: i32 = QuoteStyle::Minimal as i32;

    #[pyattr]
    const QUOTE_ALL: i32 = QuoteStyle::All as i32;

    #[pyattr]
    const QUOTE_NONNUMERIC: i32 = QuoteStyle::Nonnumeric as i32;

    #[pyattr]
    const QUOTE_NONE: i32 = QuoteStyle::None as i32;

    #[pyattr]
    const QUOTE_STRINGS: i32 = QuoteStyle::Strings as i32;

    #[pyattr]
    const QUOTE_NOTNULL: i32 = QuoteStyle::Notnull as i32;

    #[pyattr(name = "__version__")]
    const __VERSION__: &str = "1.0";

    #[pyattr(name = "Error", once)]
    fn error(vm: &VirtualMachine) -> PyTypeRef {
        vm.ctx.new_exception_type(
            "_csv",
            "Error",
            Some(vec![vm.ctx.exceptions.exception_type.to_owned()]),
        )
    }

    static GLOBAL_HASHMAP: LazyLock<Mutex<HashMap<String, PyDialect>>> = LazyLock::new(|| {
        let m = HashMap::new();
        Mutex::new(m)
    });
    static GLOBAL_FIELD_LIMIT: LazyLock<Mutex<isize>> = LazyLock::new(|| Mutex::new(131072));

    fn new_csv_error(vm: &VirtualMachine, msg: impl Into<Wtf8Buf>) -> PyBaseExceptionRef {
        vm.new_exception_msg(super::_csv::error(vm), msg.into())
    }

    #[pyattr]
    #[pyclass(module = "_csv", name = "Dialect")]
    #[derive(Debug, PyPayload, Clone)]
    // cpyext patch: the one-character parameters are code points, not bytes:
    // a non-ASCII delimiter or quotechar was refused or ignored, and a field
    // with a lone surrogate raised UnicodeDecodeError (pandas' csv tests).
    struct PyDialect {
        delimiter: u32,
        quotechar: Option<u32>,
        escapechar: Option<u32>,
        doublequote: bool,
        skipinitialspace: bool,
        lineterminator: String,
        quoting: QuoteStyle,
        strict: bool,
    }

    impl Constructor for PyDialect {
        // cpyext patch: `_csv.Dialect(dialect=None, **fmtparams)` as CPython
        // has it: `_csv.Dialect(delimiter=';')` was refused.
        type Args = FormatOptions;

        fn py_new(_cls: &Py<PyType>, opts: Self::Args, vm: &VirtualMachine) -> PyResult<Self> {
            opts.result(vm)
        }
    }

    #[pyclass(with(Constructor))]
    impl PyDialect {
        #[pygetset]
        fn delimiter(zelf: &Py<Self>, vm: &VirtualMachine) -> PyRef<PyStr> {
            vm.ctx.new_str(code_point_str(zelf.delimiter))
        }

        #[pygetset]
        fn quotechar(zelf: &Py<Self>, vm: &VirtualMachine) -> Option<PyRef<PyStr>> {
            Some(vm.ctx.new_str(code_point_str(zelf.quotechar?)))
        }

        #[pygetset]
        fn doublequote(zelf: &Py<Self>) -> bool {
            zelf.doublequote
        }

        #[pygetset]
        fn skipinitialspace(zelf: &Py<Self>) -> bool {
            zelf.skipinitialspace
        }

        #[pygetset]
        fn lineterminator(zelf: &Py<Self>, vm: &VirtualMachine) -> PyRef<PyStr> {
            vm.ctx.new_str(zelf.lineterminator.clone())
        }

        #[pygetset]
        fn quoting(zelf: &Py<Self>) -> isize {
            zelf.quoting.into()
        }

        #[pygetset]
        fn escapechar(zelf: &Py<Self>, vm: &VirtualMachine) -> Option<PyRef<PyStr>> {
            Some(vm.ctx.new_str(code_point_str(zelf.escapechar?)))
        }

        #[pygetset(name = "strict")]
        fn get_strict(zelf: &Py<Self>) -> bool {
            zelf.strict
        }
    }

    fn code_point_str(c: u32) -> Wtf8Buf {
        CodePoint::from_u32(c).map(Wtf8Buf::from).unwrap_or_default()
    }

    fn code_point_char(c: u32) -> char {
        char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    // cpyext patch (this function to `FormatOptions::result`): the dialect
    // parameters are read as CPython reads them: a dialect class is read, not
    // instantiated, any error in it is raised (not "unexpected keyword
    // argument 'dialect'"), a missing attribute takes the default,
    // `quotechar=None` alone means QUOTE_NONE, and "quotechar must be set if
    // quoting enabled" applies to dialect classes and registered names too.
    // Messages CPython reworded after 3.11 keep the wording of the host's
    // version (3.14), which packages choose by `sys.version_info`.
    fn parse_char_param(
        vm: &VirtualMachine,
        name: &str,
        value: &PyObject,
        or_none: bool,
    ) -> PyResult<Option<u32>> {
        if or_none && vm.is_none(value) {
            return Ok(None);
        }
        let what = if or_none {
            "a unicode character or None"
        } else {
            "a unicode character"
        };
        let Some(s) = value.downcast_ref::<PyStr>() else {
            return Err(vm.new_type_error(format!(
                r#""{name}" must be {what}, not {}"#,
                value.class().name()
            )));
        };
        s.as_wtf8()
            .code_points()
            .exactly_one()
            .map(|c| Some(c.to_u32()))
            .map_err(|_| {
                vm.new_type_error(format!(
                    r#""{name}" must be {what}, not a string of length {}"#,
                    s.char_len()
                ))
            })
    }

    fn parse_quoting_param(vm: &VirtualMachine, value: &PyObject) -> PyResult<QuoteStyle> {
        if !value.class().is(vm.ctx.types.int_type) {
            return Err(vm.new_type_error(r#""quoting" must be an integer"#));
        }
        let n = value
            .downcast_ref::<PyInt>()
            .unwrap()
            .try_to_primitive::<isize>(vm)?;
        n.try_into()
            .map_err(|_| vm.new_type_error(r#"bad "quoting" value"#))
    }

    fn parse_lineterminator_param(
        vm: &VirtualMachine,
        value: &PyObject,
    ) -> PyResult<Option<String>> {
        if vm.is_none(value) {
            return Ok(None);
        }
        let s = value.downcast_ref::<PyStr>().ok_or_else(|| {
            vm.new_type_error(format!(
                r#""lineterminator" must be a string, not {}"#,
                value.class().name()
            ))
        })?;
        s.to_str()
            .map(|s| Some(s.to_owned()))
            .ok_or_else(|| vm.new_type_error(r#""lineterminator" must be a string"#))
    }

    const PARAM_NAMES: [&str; 8] = [
        "delimiter",
        "doublequote",
        "escapechar",
        "lineterminator",
        "quotechar",
        "quoting",
        "skipinitialspace",
        "strict",
    ];

    /// The parameters given so far: by a dialect, then by keywords.
    #[derive(Default, Clone)]
    struct DialectParams {
        delimiter: Option<u32>,
        quotechar: Option<Option<u32>>,
        escapechar: Option<Option<u32>>,
        doublequote: Option<bool>,
        skipinitialspace: Option<bool>,
        lineterminator: Option<Option<String>>,
        quoting: Option<QuoteStyle>,
        strict: Option<bool>,
    }

    impl DialectParams {
        /// Sets one parameter; false for a name that is none.
        fn set(&mut self, vm: &VirtualMachine, name: &str, value: &PyObject) -> PyResult<bool> {
            match name {
                "delimiter" => self.delimiter = parse_char_param(vm, name, value, false)?,
                "quotechar" => self.quotechar = Some(parse_char_param(vm, name, value, true)?),
                "escapechar" => self.escapechar = Some(parse_char_param(vm, name, value, true)?),
                "doublequote" => self.doublequote = Some(value.to_owned().try_to_bool(vm)?),
                "skipinitialspace" => {
                    self.skipinitialspace = Some(value.to_owned().try_to_bool(vm)?)
                }
                "strict" => self.strict = Some(value.to_owned().try_to_bool(vm)?),
                "lineterminator" => {
                    self.lineterminator = Some(parse_lineterminator_param(vm, value)?)
                }
                "quoting" => self.quoting = Some(parse_quoting_param(vm, value)?),
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn from_dialect(d: &PyDialect) -> Self {
            Self {
                delimiter: Some(d.delimiter),
                quotechar: Some(d.quotechar),
                escapechar: Some(d.escapechar),
                doublequote: Some(d.doublequote),
                skipinitialspace: Some(d.skipinitialspace),
                lineterminator: Some(Some(d.lineterminator.clone())),
                quoting: Some(d.quoting),
                strict: Some(d.strict),
            }
        }

        /// A dialect given as any object: its attributes, as far as it has them.
        fn from_object(vm: &VirtualMachine, obj: &PyObject) -> PyResult<Self> {
            if let Some(d) = obj.downcast_ref::<PyDialect>() {
                return Ok(Self::from_dialect(d));
            }
            let mut params = Self::default();
            for name in PARAM_NAMES {
                // As CPython: an attribute that cannot be read is not given.
                if let Ok(value) = obj.get_attr(name, vm) {
                    params.set(vm, name, &value)?;
                }
            }
            Ok(params)
        }

        fn overlay(&mut self, other: &Self) {
            macro_rules! take {
                ($($f:ident),*) => {$(
                    if other.$f.is_some() {
                        self.$f = other.$f.clone();
                    }
                )*};
            }
            take!(
                delimiter,
                quotechar,
                escapechar,
                doublequote,
                skipinitialspace,
                lineterminator,
                quoting,
                strict
            );
        }

        fn finish(self, vm: &VirtualMachine) -> PyResult<PyDialect> {
            let quoting = match self.quoting {
                Some(quoting) => quoting,
                None if self.quotechar == Some(None) => QuoteStyle::None,
                None => QuoteStyle::Minimal,
            };
            let quotechar = self.quotechar.unwrap_or(Some('"' as u32));
            if quoting != QuoteStyle::None && quotechar.is_none() {
                return Err(vm.new_type_error("quotechar must be set if quoting enabled"));
            }
            let lineterminator = match self.lineterminator {
                Some(Some(s)) => s,
                Some(None) => return Err(vm.new_type_error("lineterminator must be set")),
                None => "\r\n".to_owned(),
            };
            let dialect = PyDialect {
                delimiter: self.delimiter.unwrap_or(',' as u32),
                quotechar,
                escapechar: self.escapechar.unwrap_or(None),
                doublequote: self.doublequote.unwrap_or(true),
                skipinitialspace: self.skipinitialspace.unwrap_or(false),
                lineterminator,
                quoting,
                strict: self.strict.unwrap_or(false),
            };
            validate_dialect(vm, &dialect)?;
            Ok(dialect)
        }
    }

    /// The checks CPython makes since 3.13 (the host's version is 3.14).
    fn validate_dialect(vm: &VirtualMachine, dialect: &PyDialect) -> PyResult<()> {
        let values: [(&str, Option<u32>); 3] = [
            ("delimiter", Some(dialect.delimiter)),
            ("quotechar", dialect.quotechar),
            ("escapechar", dialect.escapechar),
        ];
        for (name, value) in values {
            if matches!(value, Some(CR | LF)) {
                return Err(vm.new_value_error(format!(
                    "{name} must be a single character, not a line break"
                )));
            }
        }
        if dialect.skipinitialspace
            && (dialect.escapechar == Some(SPACE) || dialect.quotechar == Some(SPACE))
        {
            return Err(vm.new_value_error(
                "escapechar or quotechar cannot be a space when skipinitialspace is enabled",
            ));
        }
        for (index, (left_name, left)) in values.iter().enumerate() {
            for (right_name, right) in values.iter().skip(index + 1) {
                if left.is_some() && left == right {
                    return Err(vm.new_value_error(format!(
                        "{left_name} and {right_name} cannot be the same"
                    )));
                }
            }
            if left.is_some_and(|value| dialect.lineterminator.chars().any(|c| c as u32 == value)) {
                return Err(vm.new_value_error(format!(
                    "{left_name} and lineterminator cannot be the same"
                )));
            }
        }
        Ok(())
    }

    #[derive(FromArgs)]
    struct DialectName {
        #[pyarg(any)]
        name: PyObjectRef,
    }

    #[pyfunction]
    fn register_dialect(
        name: PyObjectRef,
        opts: FormatOptions,
        vm: &VirtualMachine,
    ) -> PyResult<()> {
        // cpyext patch: CPython's message.
        let name = name
            .downcast::<PyStr>()
            .map_err(|_| vm.new_type_error("dialect name must be a string"))?;

        let name: PyUtf8StrRef = name.try_into_utf8(vm)?;

        let dialect = opts.result(vm)?;
        GLOBAL_HASHMAP
            .lock()
            .insert(name.as_str().to_owned(), dialect);

        Ok(())
    }

    #[pyfunction]
    fn get_dialect(DialectName { name }: DialectName, vm: &VirtualMachine) -> PyResult<PyDialect> {
        let name = name.downcast::<PyStr>().map_err(|obj| {
            new_csv_error(
                vm,
                format!("argument 0 must be a string, not '{}'", obj.class().name()),
            )
        })?;

        let name: PyUtf8StrRef = name.try_into_utf8(vm)?;
        let g = GLOBAL_HASHMAP.lock();

        if let Some(dialect) = g.get(name.as_str()) {
            return Ok(dialect.clone());
        }

        Err(new_csv_error(vm, "unknown dialect"))
    }

    #[pyfunction]
    fn unregister_dialect(DialectName { name }: DialectName, vm: &VirtualMachine) -> PyResult<()> {
        let name = name.downcast::<PyStr>().map_err(|obj| {
            new_csv_error(
                vm,
                format!("argument 0 must be a string, not '{}'", obj.class().name()),
            )
        })?;

        let name: PyUtf8StrRef = name.try_into_utf8(vm)?;
        let mut g = GLOBAL_HASHMAP.lock();

        if let Some(_removed) = g.remove(name.as_str()) {
            return Ok(());
        }

        Err(new_csv_error(vm, "unknown dialect"))
    }

    #[pyfunction]
    fn list_dialects(vm: &VirtualMachine) -> rustpython_vm::builtins::PyListRef {
        let g = GLOBAL_HASHMAP.lock();
        let t = g
            .keys()
            .cloned()
            .map(|x| vm.ctx.new_str(x).into())
            .collect_vec();
        // .iter().map(|x| vm.ctx.new_str(x.clone()).into_pyobject(vm)).collect_vec();
        vm.ctx.new_list(t)
    }

    #[derive(FromArgs)]
    struct FieldSizeLimitArgs {
        #[pyarg(any, optional)]
        new_limit: OptionalArg<PyObjectRef>,
    }

    #[pyfunction]
    fn field_size_limit(args: FieldSizeLimitArgs, vm: &VirtualMachine) -> PyResult<isize> {
        let old_size = GLOBAL_FIELD_LIMIT.lock().to_owned();
        if let OptionalArg::Present(limit) = args.new_limit {
            let Ok(new_size) = limit.try_int(vm) else {
                return Err(vm.new_type_error("limit must be an integer"));
            };
            *GLOBAL_FIELD_LIMIT.lock() = new_size.try_to_primitive::<isize>(vm)?;
        }
        Ok(old_size)
    }

    #[pyfunction]
    fn reader(iterable: PyIter, options: FormatOptions, vm: &VirtualMachine) -> PyResult<Reader> {
        let dialect = options.result(vm)?;
        Ok(Reader {
            iter: iterable,
            state: PyMutex::new(ReadState {
                line_num: 0,
                generation: 0,
            }),
            dialect,
        })
    }

    #[pyfunction]
    fn writer(
        fileobj: PyObjectRef,
        options: FormatOptions,
        vm: &VirtualMachine,
    ) -> PyResult<Writer> {
        let write = match vm.get_attribute_opt(&fileobj, "write")? {
            Some(write_meth) => write_meth,
            None if fileobj.is_callable() => fileobj,
            None => {
                return Err(vm.new_type_error(r#"argument 1 must have a "write" method"#));
            }
        };
        let dialect = options.result(vm)?;

        Ok(Writer {
            write,
            state: PyMutex::new(()),
            dialect,
        })
    }

    #[repr(i32)]
    #[derive(Debug, Clone, Copy, Eq, PartialEq)]
    pub enum QuoteStyle {
        Minimal = 0,
        All = 1,
        Nonnumeric = 2,
        None = 3,
        Strings = 4,
        Notnull = 5,
    }

    impl TryFromObject for QuoteStyle {
        fn try_from_object(vm: &VirtualMachine, obj: PyObjectRef) -> PyResult<Self> {
            let num = obj.try_int(vm)?.try_to_primitive::<isize>(vm)?;
            num.try_into().map_err(|_| {
                vm.new_value_error("can not convert to QuoteStyle enum from input argument")
            })
        }
    }

    impl TryFrom<isize> for QuoteStyle {
        type Error = ();

        fn try_from(num: isize) -> Result<Self, Self::Error> {
            Ok(match num {
                0 => Self::Minimal,
                1 => Self::All,
                2 => Self::Nonnumeric,
                3 => Self::None,
                4 => Self::Strings,
                5 => Self::Notnull,
                _ => return Err(()),
            })
        }
    }

    impl From<QuoteStyle> for isize {
        fn from(val: QuoteStyle) -> Self {
            match val {
                QuoteStyle::Minimal => 0,
                QuoteStyle::All => 1,
                QuoteStyle::Nonnumeric => 2,
                QuoteStyle::None => 3,
                QuoteStyle::Strings => 4,
                QuoteStyle::Notnull => 5,
            }
        }
    }

    #[derive(Default)]
    struct FormatOptions {
        dialect: Option<PyObjectRef>,
        params: DialectParams,
    }

    impl FromArgs for FormatOptions {
        const PARAMS: Option<&'static [Param]> = Some(&[
            Param {
                name: "dialect",
                kind: rustpython_vm::function::ParamKind::PositionalOrKeyword,
                default: Some(rustpython_vm::function::DefaultRepr::Str("excel")),
            },
            Param::var_keyword("fmtparams"),
        ]);

        fn from_args(vm: &VirtualMachine, args: &mut FuncArgs) -> Result<Self, ArgumentError> {
            let dialect = args.take_positional_keyword("dialect");
            let mut params = DialectParams::default();
            for (name, value) in core::mem::take(&mut args.kwargs) {
                if !params.set(vm, &name.to_string_lossy(), &value)? {
                    return Err(ArgumentError::Exception(vm.new_type_error(format!(
                        "'{name}' is an invalid keyword argument for this function"
                    ))));
                }
            }
            Ok(Self { dialect, params })
        }
    }

    impl FormatOptions {
        fn result(&self, vm: &VirtualMachine) -> PyResult<PyDialect> {
            let mut params = match &self.dialect {
                None => DialectParams::default(),
                Some(obj) => {
                    if let Some(name) = obj.downcast_ref::<PyStr>() {
                        let found = name
                            .to_str()
                            .and_then(|name| GLOBAL_HASHMAP.lock().get(name).cloned());
                        let dialect =
                            found.ok_or_else(|| new_csv_error(vm, "unknown dialect"))?;
                        DialectParams::from_dialect(&dialect)
                    } else {
                        DialectParams::from_object(vm, obj)?
                    }
                }
            };
            params.overlay(&self.params);
            params.finish(vm)
        }
    }

    struct ReadState {
        line_num: u64,
        generation: u64,
    }

    #[pyclass(no_attr, module = "_csv", name = "reader", traverse)]
    #[derive(PyPayload)]
    pub(super) struct Reader {
        iter: PyIter,
        #[pytraverse(skip)]
        state: PyMutex<ReadState>,
        #[pytraverse(skip)]
        dialect: PyDialect,
    }

    impl fmt::Debug for Reader {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "_csv.reader")
        }
    }

    #[pyclass(with(IterNext, Iterable), flags(DISALLOW_INSTANTIATION))]
    impl Reader {
        #[pygetset]
        fn line_num(zelf: &Py<Self>) -> u64 {
            zelf.state.lock().line_num
        }

        #[pygetset]
        fn dialect(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyDialect {
            zelf.dialect.clone()
        }
    }

    impl SelfIter for Reader {}

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum ParserState {
        StartRecord,
        StartField,
        EscapedChar,
        InField,
        InQuotedField,
        EscapeInQuotedField,
        QuoteInQuotedField,
        EatCrnl,
        AfterEscapedCrnl,
    }

    // cpyext patch: the parser reads code points (see `PyDialect`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum ParserInput {
        Byte(u32),
        Eol,
    }

    const CR: u32 = '\r' as u32;
    const LF: u32 = '\n' as u32;
    const SPACE: u32 = ' ' as u32;

    const EOL: ParserInput = ParserInput::Eol;

    struct CsvParser {
        state: ParserState,
        fields: Vec<PyObjectRef>,
        field: Wtf8Buf,
        field_len: usize,
        unquoted_field: bool,
        field_limit: isize,
    }

    impl CsvParser {
        fn new(field_limit: isize) -> Self {
            Self {
                state: ParserState::StartRecord,
                fields: Vec::new(),
                field: Wtf8Buf::new(),
                field_len: 0,
                unquoted_field: false,
                field_limit,
            }
        }

        fn into_result(self, vm: &VirtualMachine) -> PyIterReturn {
            PyIterReturn::Return(vm.ctx.new_list(self.fields).into())
        }

        fn add_byte(&mut self, byte: u32, vm: &VirtualMachine) -> PyResult<()> {
            if self.field_limit < 0 || self.field_len >= self.field_limit as usize {
                return Err(new_csv_error(
                    vm,
                    format!("field larger than field limit ({})", self.field_limit),
                ));
            }
            let c = CodePoint::from_u32(byte).expect("input is code points");
            self.field.push(c);
            self.field_len += 1;
            Ok(())
        }

        fn save_field(&mut self, quoting: QuoteStyle, vm: &VirtualMachine) -> PyResult<()> {
            let field = if self.unquoted_field
                && self.field.is_empty()
                && matches!(quoting, QuoteStyle::Notnull | QuoteStyle::Strings)
            {
                vm.ctx.none()
            } else {
                let field: PyObjectRef = vm.ctx.new_str(self.field.clone()).into();
                if self.unquoted_field
                    && !self.field.is_empty()
                    && matches!(quoting, QuoteStyle::Nonnumeric | QuoteStyle::Strings)
                {
                    PyType::call(vm.ctx.types.float_type, vec![field].into(), vm)?
                } else {
                    field
                }
            };
            self.fields.push(field);
            self.field.clear();
            self.field_len = 0;
            Ok(())
        }

        fn process_parser_input(
            &mut self,
            input: ParserInput,
            dialect: &PyDialect,
            vm: &VirtualMachine,
        ) -> PyResult<()> {
            match self.state {
                ParserState::StartRecord => match input {
                    ParserInput::Eol => {}
                    ParserInput::Byte(CR | LF) => self.state = ParserState::EatCrnl,
                    _ => {
                        self.state = ParserState::StartField;
                        return self.process_parser_input(input, dialect, vm);
                    }
                },
                ParserState::StartField => {
                    self.unquoted_field = true;
                    match input {
                        ParserInput::Eol | ParserInput::Byte(CR | LF) => {
                            self.save_field(dialect.quoting, vm)?;
                            self.state = state_after_record_end(input);
                        }
                        ParserInput::Byte(byte)
                            if dialect.quoting != QuoteStyle::None
                                && dialect.quotechar == Some(byte) =>
                        {
                            self.unquoted_field = false;
                            self.state = ParserState::InQuotedField;
                        }
                        ParserInput::Byte(byte) if dialect.escapechar == Some(byte) => {
                            self.state = ParserState::EscapedChar;
                        }
                        ParserInput::Byte(SPACE) if dialect.skipinitialspace => {}
                        ParserInput::Byte(byte) if byte == dialect.delimiter => {
                            self.save_field(dialect.quoting, vm)?;
                        }
                        ParserInput::Byte(byte) => {
                            self.add_byte(byte, vm)?;
                            self.state = ParserState::InField;
                        }
                    }
                }
                ParserState::EscapedChar => match input {
                    ParserInput::Byte(byte @ (CR | LF)) => {
                        self.add_byte(byte, vm)?;
                        self.state = ParserState::AfterEscapedCrnl;
                    }
                    ParserInput::Eol => {
                        self.add_byte(LF, vm)?;
                        self.state = ParserState::InField;
                    }
                    ParserInput::Byte(byte) => {
                        self.add_byte(byte, vm)?;
                        self.state = ParserState::InField;
                    }
                },
                ParserState::AfterEscapedCrnl => {
                    if input != ParserInput::Eol {
                        self.state = ParserState::InField;
                        return self.process_parser_input(input, dialect, vm);
                    }
                }
                ParserState::InField => match input {
                    ParserInput::Eol | ParserInput::Byte(CR | LF) => {
                        self.save_field(dialect.quoting, vm)?;
                        self.state = state_after_record_end(input);
                    }
                    ParserInput::Byte(byte) if dialect.escapechar == Some(byte) => {
                        self.state = ParserState::EscapedChar;
                    }
                    ParserInput::Byte(byte) if byte == dialect.delimiter => {
                        self.save_field(dialect.quoting, vm)?;
                        self.state = ParserState::StartField;
                    }
                    ParserInput::Byte(byte) => self.add_byte(byte, vm)?,
                },
                ParserState::InQuotedField => match input {
                    ParserInput::Eol => {}
                    ParserInput::Byte(byte) if dialect.escapechar == Some(byte) => {
                        self.state = ParserState::EscapeInQuotedField;
                    }
                    ParserInput::Byte(byte)
                        if dialect.quoting != QuoteStyle::None
                            && dialect.quotechar == Some(byte) =>
                    {
                        self.state = if dialect.doublequote {
                            ParserState::QuoteInQuotedField
                        } else {
                            ParserState::InField
                        };
                    }
                    ParserInput::Byte(byte) => self.add_byte(byte, vm)?,
                },
                ParserState::EscapeInQuotedField => {
                    let byte = match input {
                        ParserInput::Eol => LF,
                        ParserInput::Byte(byte) => byte,
                    };
                    self.add_byte(byte, vm)?;
                    self.state = ParserState::InQuotedField;
                }
                ParserState::QuoteInQuotedField => match input {
                    ParserInput::Byte(byte)
                        if dialect.quoting != QuoteStyle::None
                            && dialect.quotechar == Some(byte) =>
                    {
                        self.add_byte(byte, vm)?;
                        self.state = ParserState::InQuotedField;
                    }
                    ParserInput::Byte(byte) if byte == dialect.delimiter => {
                        self.save_field(dialect.quoting, vm)?;
                        self.state = ParserState::StartField;
                    }
                    ParserInput::Eol | ParserInput::Byte(CR | LF) => {
                        self.save_field(dialect.quoting, vm)?;
                        self.state = state_after_record_end(input);
                    }
                    ParserInput::Byte(byte) if !dialect.strict => {
                        self.add_byte(byte, vm)?;
                        self.state = ParserState::InField;
                    }
                    ParserInput::Byte(_) => {
                        return Err(new_csv_error(
                            vm,
                            format!(
                                "'{}' expected after '{}'",
                                code_point_char(dialect.delimiter),
                                code_point_char(dialect.quotechar.unwrap_or_default()),
                            ),
                        ));
                    }
                },
                ParserState::EatCrnl => match input {
                    ParserInput::Byte(CR | LF) => {}
                    ParserInput::Eol => self.state = ParserState::StartRecord,
                    ParserInput::Byte(_) => {
                        return Err(new_csv_error(
                            vm,
                            concat!(
                                "new-line character seen in unquoted field - ",
                                "do you need to open the file with newline=''?"
                            ),
                        ));
                    }
                },
            }
            Ok(())
        }
    }

    fn state_after_record_end(input: ParserInput) -> ParserState {
        if input == ParserInput::Eol {
            ParserState::StartRecord
        } else {
            ParserState::EatCrnl
        }
    }

    fn next_input_item(zelf: &Py<Reader>, vm: &VirtualMachine) -> PyResult<PyIterReturn> {
        let generation = zelf.state.lock().generation;
        // Advancing user code may re-enter this reader, so do not hold its lock here.
        let result = zelf.iter.next(vm)?;
        let mut state = zelf.state.lock();
        if state.generation != generation {
            return Err(new_csv_error(
                vm,
                "iterator has already advanced the reader",
            ));
        }
        if matches!(result, PyIterReturn::Return(_)) {
            state.generation += 1;
        }
        Ok(result)
    }

    fn finish_at_true_eof(
        mut parser: CsvParser,
        dialect: &PyDialect,
        vm: &VirtualMachine,
    ) -> PyResult<PyIterReturn> {
        let has_unfinished_record =
            !parser.field.is_empty() || parser.state == ParserState::InQuotedField;
        if !has_unfinished_record {
            return Ok(PyIterReturn::StopIteration(None));
        }
        if dialect.strict {
            return Err(new_csv_error(vm, "unexpected end of data"));
        }
        parser.save_field(dialect.quoting, vm)?;
        Ok(parser.into_result(vm))
    }

    impl IterNext for Reader {
        fn next(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyIterReturn> {
            let mut parser = CsvParser::new(*GLOBAL_FIELD_LIMIT.lock());

            loop {
                match next_input_item(zelf, vm)? {
                    PyIterReturn::Return(obj) => {
                        let string = obj.downcast::<PyStr>().map_err(|obj| {
                            new_csv_error(
                                vm,
                                format!(
                                    concat!(
                                        "iterator should return strings, not {} ",
                                        "(the file should be opened in text mode)"
                                    ),
                                    obj.class().name()
                                ),
                            )
                        })?;

                        zelf.state.lock().line_num += 1;
                        parser.field_limit = *GLOBAL_FIELD_LIMIT.lock();
                        for c in string.as_wtf8().code_points() {
                            parser.process_parser_input(
                                ParserInput::Byte(c.to_u32()),
                                &zelf.dialect,
                                vm,
                            )?;
                        }

                        // Virtual EOL marks an iterator-item boundary, not true EOF.
                        parser.process_parser_input(EOL, &zelf.dialect, vm)?;
                        if parser.state == ParserState::StartRecord {
                            return Ok(parser.into_result(vm));
                        }
                    }
                    PyIterReturn::StopIteration(_) => {
                        return finish_at_true_eof(parser, &zelf.dialect, vm);
                    }
                }
            }
        }
    }

    #[pyclass(no_attr, module = "_csv", name = "writer", traverse)]
    #[derive(PyPayload)]
    pub(super) struct Writer {
        write: PyObjectRef,
        #[pytraverse(skip)]
        state: PyMutex<()>,
        #[pytraverse(skip)]
        dialect: PyDialect,
    }

    impl fmt::Debug for Writer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "_csv.writer")
        }
    }

    // cpyext patch: a field is written as CPython writes it, code point by
    // code point: the delimiter, '\r', '\n' or a lineterminator character
    // quotes the field; the quotechar is doubled (and quotes it) or, without
    // doublequote, escaped; the escapechar is escaped; under QUOTE_NONE each
    // of them is escaped. An escaped quotechar wrongly quoted the field.
    fn write_field(
        output: &mut Wtf8Buf,
        data: &Wtf8,
        mut quoted: bool,
        dialect: &PyDialect,
        vm: &VirtualMachine,
    ) -> PyResult<()> {
        let mut body = Wtf8Buf::new();
        for cp in data.code_points() {
            let c = cp.to_u32();
            let is_quote = dialect.quotechar == Some(c);
            let is_escape = dialect.escapechar == Some(c);
            let special = c == dialect.delimiter
                || is_quote
                || is_escape
                || c == CR
                || c == LF
                || dialect.lineterminator.chars().any(|t| t as u32 == c);
            if special {
                let escape = if dialect.quoting == QuoteStyle::None {
                    true
                } else if is_quote {
                    if dialect.doublequote {
                        body.push(cp);
                    }
                    !dialect.doublequote
                } else {
                    is_escape
                };
                if escape {
                    let escapechar = dialect
                        .escapechar
                        .ok_or_else(|| new_csv_error(vm, "need to escape, but no escapechar set"))?;
                    body.push(CodePoint::from_u32(escapechar).unwrap());
                } else {
                    quoted = true;
                }
            }
            body.push(cp);
        }
        let quotechar = dialect.quotechar.and_then(CodePoint::from_u32);
        match (quoted, quotechar) {
            (true, Some(q)) => {
                output.push(q);
                output.push_wtf8(&body);
                output.push(q);
            }
            _ => output.push_wtf8(&body),
        }
        Ok(())
    }

    #[pyclass(flags(DISALLOW_INSTANTIATION))]
    impl Writer {
        #[pygetset(name = "dialect")]
        fn get_dialect(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyDialect {
            zelf.dialect.clone()
        }

        #[pymethod]
        fn writerow(zelf: &Py<Self>, row: PyObjectRef, vm: &VirtualMachine) -> PyResult {
            let _state = zelf.state.lock();
            // cpyext patch: CPython 3.11's message.
            let row: ArgIterable =
                ArgIterable::try_from_object(vm, row.to_owned()).map_err(|_e| {
                    new_csv_error(
                        vm,
                        format!("iterable expected, not {}", row.class().name()),
                    )
                })?;
            let fields = row.iter(vm)?.collect::<PyResult<Vec<_>>>()?;
            let single_field = fields.len() == 1;
            let mut output = Wtf8Buf::new();

            for (index, field) in fields.into_iter().enumerate() {
                if index > 0 {
                    output.push(CodePoint::from_u32(zelf.dialect.delimiter).unwrap());
                }

                let stringified;
                let (data, is_str, is_none): (&Wtf8, bool, bool) = match_class!(match field {
                    ref s @ PyStr => (s.as_wtf8(), true, false),
                    crate::builtins::PyNone => (Wtf8::new(""), false, true),
                    ref obj => {
                        stringified = obj.str(vm)?;
                        (stringified.as_wtf8(), false, false)
                    }
                });

                if single_field
                    && data.is_empty()
                    && (zelf.dialect.quoting == QuoteStyle::None
                        || (is_none
                            && matches!(
                                zelf.dialect.quoting,
                                QuoteStyle::Strings | QuoteStyle::Notnull
                            )))
                {
                    return Err(new_csv_error(
                        vm,
                        "single empty field record must be quoted",
                    ));
                }

                if data.is_empty()
                    && zelf.dialect.delimiter == SPACE
                    && zelf.dialect.skipinitialspace
                    && (zelf.dialect.quoting == QuoteStyle::None
                        || (is_none
                            && matches!(
                                zelf.dialect.quoting,
                                QuoteStyle::Strings | QuoteStyle::Notnull
                            )))
                {
                    return Err(new_csv_error(
                        vm,
                        "empty field must be quoted if delimiter is a space and skipinitialspace is true",
                    ));
                }

                let mut should_quote = match zelf.dialect.quoting {
                    QuoteStyle::All => true,
                    QuoteStyle::Nonnumeric => !PyNumber::check(&field),
                    QuoteStyle::Strings => is_str,
                    QuoteStyle::Notnull => !is_none,
                    QuoteStyle::Minimal | QuoteStyle::None => false,
                };

                if zelf.dialect.quoting != QuoteStyle::None
                    && ((data.is_empty()
                        && zelf.dialect.delimiter == SPACE
                        && zelf.dialect.skipinitialspace)
                        || (single_field && data.is_empty()))
                {
                    should_quote = true;
                }

                write_field(&mut output, data, should_quote, &zelf.dialect, vm)?;
            }

            output.push_str(&zelf.dialect.lineterminator);
            zelf.write.call((vm.ctx.new_str(output),), vm)
        }

        #[pymethod]
        fn writerows(zelf: &Py<Self>, rows: ArgIterable, vm: &VirtualMachine) -> PyResult<()> {
            for row in rows.iter(vm)? {
                Self::writerow(zelf, row?, vm)?;
            }
            Ok(())
        }
    }
}
