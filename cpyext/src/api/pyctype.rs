//! pyctype.h: the byte class table and case maps the Py_IS*/Py_TO* macros
//! index. ASCII only, whatever the C locale says.
use crate::boundary::ApiData;

const LOWER: u32 = 0x01;
const UPPER: u32 = 0x02;
const DIGIT: u32 = 0x04;
const SPACE: u32 = 0x08;
const XDIGIT: u32 = 0x10;

const fn class_of(c: u8) -> u32 {
    match c {
        b'a'..=b'f' => LOWER | XDIGIT,
        b'g'..=b'z' => LOWER,
        b'A'..=b'F' => UPPER | XDIGIT,
        b'G'..=b'Z' => UPPER,
        b'0'..=b'9' => DIGIT | XDIGIT,
        b'\t'..=b'\r' | b' ' => SPACE,
        _ => 0,
    }
}

#[unsafe(no_mangle)]
pub static _Py_ctype_table: [u32; 256] = {
    let mut table = [0; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = class_of(c as u8);
        c += 1;
    }
    table
};

#[unsafe(no_mangle)]
pub static _Py_ctype_tolower: [u8; 256] = {
    let mut table = [0; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = (c as u8).to_ascii_lowercase();
        c += 1;
    }
    table
};

#[unsafe(no_mangle)]
pub static _Py_ctype_toupper: [u8; 256] = {
    let mut table = [0; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = (c as u8).to_ascii_uppercase();
        c += 1;
    }
    table
};

inventory::submit! { ApiData { name: "_Py_ctype_table" } }
inventory::submit! { ApiData { name: "_Py_ctype_tolower" } }
inventory::submit! { ApiData { name: "_Py_ctype_toupper" } }
