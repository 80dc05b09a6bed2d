//! What PyO3 makes of the common cases: functions with every kind of
//! argument, the builtin containers read through PyO3's fast paths (a dict's
//! `ma_used`, a tuple's and a list's items), classes with methods,
//! properties, protocols and inheritance, exceptions both ways, callbacks,
//! and the GIL released around Rust work.
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PySet, PyString, PyTuple};

#[pyfunction]
#[pyo3(signature = (a, b=10, *args, key="k", **kwargs))]
fn signature(a: i64, b: i64, args: &Bound<'_, PyTuple>, key: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
    let extra = match kwargs {
        Some(k) => k.keys().iter().map(|x| x.to_string()).collect::<Vec<_>>().join(","),
        None => String::new(),
    };
    Ok(format!("a={a} b={b} args={} key={key} kwargs=[{extra}]", args.len()))
}

#[pyfunction]
fn dict_items(d: &Bound<'_, PyDict>) -> PyResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (k, v) in d.iter() {
        out.push((k.str()?.to_string(), v.repr()?.to_string()));
    }
    Ok(out)
}

#[pyfunction]
fn dict_len(d: &Bound<'_, PyDict>) -> usize {
    d.len()
}

/// Adds through the API, then reads the size PyO3 reads (the struct's).
#[pyfunction]
fn dict_grow(d: &Bound<'_, PyDict>, n: usize) -> PyResult<(usize, usize)> {
    let before = d.len();
    for i in 0..n {
        d.set_item(format!("grown{i}"), i)?;
    }
    Ok((before, d.len()))
}

#[pyfunction]
fn dict_iter_mutated(d: &Bound<'_, PyDict>) -> PyResult<usize> {
    let mut seen = 0;
    for (k, _) in d.iter() {
        seen += 1;
        if seen == 1 {
            // PyO3 checks the size as it iterates, as CPython's dict
            // iterator does: a panic, turned into PanicException.
            d.set_item(format!("{k}-again"), 0)?;
        }
    }
    Ok(seen)
}

#[pyfunction]
fn make_dict(py: Python<'_>, n: usize) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    for i in 0..n {
        d.set_item(i, i * i)?;
    }
    Ok(d)
}

#[pyfunction]
fn sums(l: &Bound<'_, PyList>, t: &Bound<'_, PyTuple>) -> PyResult<(i64, i64)> {
    let mut a = 0;
    for x in l.iter() {
        a += x.extract::<i64>()?;
    }
    let mut b = 0;
    for x in t.iter() {
        b += x.extract::<i64>()?;
    }
    Ok((a, b))
}

#[pyfunction]
fn list_ops(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let l = PyList::new(py, [3, 1, 2])?;
    l.append(10)?;
    l.insert(0, -1)?;
    l.sort()?;
    l.reverse()?;
    Ok(l)
}

#[pyfunction]
fn text(s: &str, b: &[u8]) -> (String, usize, String) {
    (s.to_uppercase(), b.len(), String::from_utf8_lossy(b).into_owned())
}

#[pyfunction]
fn new_bytes(py: Python<'_>, n: usize) -> Bound<'_, PyBytes> {
    PyBytes::new_with(py, n, |buf| {
        for (i, x) in buf.iter_mut().enumerate() {
            *x = b'a' + (i % 26) as u8;
        }
        Ok(())
    })
    .expect("bytes")
}

#[pyfunction]
fn numbers(big: u128, f: f64, c: num_complex_free::Pair) -> (u128, f64, f64) {
    (big * 3, f * 2.0, c.0 + c.1)
}

mod num_complex_free {
    use pyo3::prelude::*;
    /// A (float, float) pair, extracted from a tuple.
    #[derive(FromPyObject)]
    pub struct Pair(pub f64, pub f64);
}

#[pyfunction]
fn set_and_strings(py: Python<'_>, words: Vec<String>) -> PyResult<(usize, Bound<'_, PyString>)> {
    let s = PySet::new(py, &words)?;
    Ok((s.len(), PyString::new(py, &words.join("+"))))
}

#[pyfunction]
fn call_back(f: &Bound<'_, PyAny>, x: i64) -> PyResult<Py<PyAny>> {
    let kwargs = PyDict::new(f.py());
    kwargs.set_item("scale", 3)?;
    Ok(f.call((x,), Some(&kwargs))?.unbind())
}

#[pyfunction]
fn call_method_on(o: &Bound<'_, PyAny>) -> PyResult<String> {
    let r: String = o.call_method1("replace", ("a", "o"))?.extract()?;
    Ok(r)
}

#[pyfunction]
fn raise_value(msg: &str) -> PyResult<()> {
    Err(PyValueError::new_err(msg.to_owned()))
}

#[pyfunction]
fn catch(f: &Bound<'_, PyAny>) -> String {
    match f.call0() {
        Ok(v) => format!("returned {v}"),
        Err(e) if e.is_instance_of::<PyKeyError>(f.py()) => format!("caught KeyError {}", e.value(f.py())),
        Err(e) => format!("caught {}", e.get_type(f.py()).name().map(|n| n.to_string()).unwrap_or_default()),
    }
}

#[pyfunction]
fn panics() {
    panic!("a Rust panic");
}

#[pyfunction]
fn without_gil(py: Python<'_>, n: u64) -> u64 {
    py.detach(|| (0..n).map(|x| x % 7).sum())
}

#[pyclass(subclass)]
struct Counter {
    #[pyo3(get, set)]
    step: i64,
    value: i64,
    log: Vec<String>,
}

#[pymethods]
impl Counter {
    #[new]
    #[pyo3(signature = (start=0, step=1))]
    fn new(start: i64, step: i64) -> Self {
        Counter { step, value: start, log: Vec::new() }
    }
    fn bump(&mut self) -> i64 {
        self.value += self.step;
        self.log.push(format!("bump to {}", self.value));
        self.value
    }
    #[getter]
    fn value(&self) -> i64 {
        self.value
    }
    #[setter]
    fn set_value(&mut self, v: i64) -> PyResult<()> {
        if v < 0 {
            return Err(PyValueError::new_err("negative"));
        }
        self.value = v;
        Ok(())
    }
    fn history(&self) -> Vec<String> {
        self.log.clone()
    }
    #[staticmethod]
    fn unit() -> &'static str {
        "count"
    }
    #[classmethod]
    fn named(cls: &Bound<'_, pyo3::types::PyType>) -> PyResult<String> {
        Ok(cls.name()?.to_string())
    }
    fn __repr__(&self) -> String {
        format!("Counter({}, step={})", self.value, self.step)
    }
    fn __len__(&self) -> usize {
        self.log.len()
    }
    fn __getitem__(&self, i: usize) -> PyResult<String> {
        self.log.get(i).cloned().ok_or_else(|| pyo3::exceptions::PyIndexError::new_err("no such entry"))
    }
    fn __eq__(&self, other: &Self) -> bool {
        self.value == other.value
    }
    fn __hash__(&self) -> u64 {
        self.value as u64
    }
    fn __iter__(slf: PyRef<'_, Self>) -> PyResult<Py<pyo3::types::PyIterator>> {
        let py = slf.py();
        Ok(PyList::new(py, slf.log.iter())?.try_iter()?.unbind())
    }
    fn __add__(&self, other: i64) -> Counter {
        Counter { step: self.step, value: self.value + other, log: Vec::new() }
    }
}

#[pyclass(extends = Counter)]
struct Doubler;

#[pymethods]
impl Doubler {
    #[new]
    fn new() -> (Self, Counter) {
        (Doubler, Counter::new(0, 2))
    }
    fn twice(mut slf: PyRefMut<'_, Self>) -> i64 {
        let base = slf.as_super();
        base.bump();
        base.bump()
    }
}

#[pymodule]
fn pyo3_family(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(signature, m)?)?;
    m.add_function(wrap_pyfunction!(dict_items, m)?)?;
    m.add_function(wrap_pyfunction!(dict_len, m)?)?;
    m.add_function(wrap_pyfunction!(dict_grow, m)?)?;
    m.add_function(wrap_pyfunction!(dict_iter_mutated, m)?)?;
    m.add_function(wrap_pyfunction!(make_dict, m)?)?;
    m.add_function(wrap_pyfunction!(sums, m)?)?;
    m.add_function(wrap_pyfunction!(list_ops, m)?)?;
    m.add_function(wrap_pyfunction!(text, m)?)?;
    m.add_function(wrap_pyfunction!(new_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(numbers, m)?)?;
    m.add_function(wrap_pyfunction!(set_and_strings, m)?)?;
    m.add_function(wrap_pyfunction!(call_back, m)?)?;
    m.add_function(wrap_pyfunction!(call_method_on, m)?)?;
    m.add_function(wrap_pyfunction!(raise_value, m)?)?;
    m.add_function(wrap_pyfunction!(catch, m)?)?;
    m.add_function(wrap_pyfunction!(panics, m)?)?;
    m.add_function(wrap_pyfunction!(without_gil, m)?)?;
    m.add_class::<Counter>()?;
    m.add_class::<Doubler>()?;
    m.add("VERSION", "1.0")?;
    Ok(())
}
