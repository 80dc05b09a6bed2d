//! Slot bridges between the host and C, one file per direction:
//! - `python_calls_c`: the host slots of a C-defined type (`a + b`, `len(o)`,
//!   `o[i]` in Python) that call the C type's protocol tables
//!   (`tp_as_number`, `tp_as_sequence`, `tp_as_mapping`);
//! - `c_calls_python`: the `tp_*` slots of the `PyTypeObject` C sees for a
//!   class defined in Python (`Py_TYPE(o)->tp_repr(o)` in C) that run the
//!   class's own methods through the host;
//! - `builtin_methods`: the `tp_methods` tables of the builtin types' type
//!   objects, whose functions run the host builtin's methods.
pub mod builtin_methods;
mod builtin_methods_table;
pub mod c_calls_python;
pub mod python_calls_c;
