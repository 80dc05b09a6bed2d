//! token.h: the operator tokens of CPython 3.11's tokenizer.
//!
//! The numbers and spellings are those of 3.11's `token` module (the
//! tokenizer also reads `<>` as `!=`). Pure functions of their arguments:
//! no interpreter state, so no GIL check.
use crate::boundary::ApiData;
use cpyext_macros::cpython_api;
use std::ffi::{c_char, c_int};

const LPAR: c_int = 7;
const RPAR: c_int = 8;
const LSQB: c_int = 9;
const RSQB: c_int = 10;
const COLON: c_int = 11;
const COMMA: c_int = 12;
const SEMI: c_int = 13;
const PLUS: c_int = 14;
const MINUS: c_int = 15;
const STAR: c_int = 16;
const SLASH: c_int = 17;
const VBAR: c_int = 18;
const AMPER: c_int = 19;
const LESS: c_int = 20;
const GREATER: c_int = 21;
const EQUAL: c_int = 22;
const DOT: c_int = 23;
const PERCENT: c_int = 24;
const LBRACE: c_int = 25;
const RBRACE: c_int = 26;
const EQEQUAL: c_int = 27;
const NOTEQUAL: c_int = 28;
const LESSEQUAL: c_int = 29;
const GREATEREQUAL: c_int = 30;
const TILDE: c_int = 31;
const CIRCUMFLEX: c_int = 32;
const LEFTSHIFT: c_int = 33;
const RIGHTSHIFT: c_int = 34;
const DOUBLESTAR: c_int = 35;
const PLUSEQUAL: c_int = 36;
const MINEQUAL: c_int = 37;
const STAREQUAL: c_int = 38;
const SLASHEQUAL: c_int = 39;
const PERCENTEQUAL: c_int = 40;
const AMPEREQUAL: c_int = 41;
const VBAREQUAL: c_int = 42;
const CIRCUMFLEXEQUAL: c_int = 43;
const LEFTSHIFTEQUAL: c_int = 44;
const RIGHTSHIFTEQUAL: c_int = 45;
const DOUBLESTAREQUAL: c_int = 46;
const DOUBLESLASH: c_int = 47;
const DOUBLESLASHEQUAL: c_int = 48;
const AT: c_int = 49;
const ATEQUAL: c_int = 50;
const RARROW: c_int = 51;
const ELLIPSIS: c_int = 52;
const COLONEQUAL: c_int = 53;
const OP: c_int = 54;

/// Byte `c` of a C int argument, or None outside 0..=255 (no operator).
fn byte(c: c_int) -> Option<u8> {
    u8::try_from(c).ok()
}

/// The token of a one-character operator; OP for any other character.
#[cpython_api(no_gil)]
fn PyToken_OneChar(c1: c_int) -> c_int {
    match byte(c1).unwrap_or(0) {
        b'%' => PERCENT,
        b'&' => AMPER,
        b'(' => LPAR,
        b')' => RPAR,
        b'*' => STAR,
        b'+' => PLUS,
        b',' => COMMA,
        b'-' => MINUS,
        b'.' => DOT,
        b'/' => SLASH,
        b':' => COLON,
        b';' => SEMI,
        b'<' => LESS,
        b'=' => EQUAL,
        b'>' => GREATER,
        b'@' => AT,
        b'[' => LSQB,
        b']' => RSQB,
        b'^' => CIRCUMFLEX,
        b'{' => LBRACE,
        b'|' => VBAR,
        b'}' => RBRACE,
        b'~' => TILDE,
        _ => OP,
    }
}

/// The token of a two-character operator; OP for any other pair.
#[cpython_api(no_gil)]
fn PyToken_TwoChars(c1: c_int, c2: c_int) -> c_int {
    match (byte(c1).unwrap_or(0), byte(c2).unwrap_or(0)) {
        (b'!', b'=') => NOTEQUAL,
        (b'%', b'=') => PERCENTEQUAL,
        (b'&', b'=') => AMPEREQUAL,
        (b'*', b'*') => DOUBLESTAR,
        (b'*', b'=') => STAREQUAL,
        (b'+', b'=') => PLUSEQUAL,
        (b'-', b'=') => MINEQUAL,
        (b'-', b'>') => RARROW,
        (b'/', b'/') => DOUBLESLASH,
        (b'/', b'=') => SLASHEQUAL,
        (b':', b'=') => COLONEQUAL,
        (b'<', b'<') => LEFTSHIFT,
        (b'<', b'=') => LESSEQUAL,
        (b'<', b'>') => NOTEQUAL,
        (b'=', b'=') => EQEQUAL,
        (b'>', b'=') => GREATEREQUAL,
        (b'>', b'>') => RIGHTSHIFT,
        (b'@', b'=') => ATEQUAL,
        (b'^', b'=') => CIRCUMFLEXEQUAL,
        (b'|', b'=') => VBAREQUAL,
        _ => OP,
    }
}

/// The token of a three-character operator; OP for any other triple.
#[cpython_api(no_gil)]
fn PyToken_ThreeChars(c1: c_int, c2: c_int, c3: c_int) -> c_int {
    match (byte(c1).unwrap_or(0), byte(c2).unwrap_or(0), byte(c3).unwrap_or(0)) {
        (b'*', b'*', b'=') => DOUBLESTAREQUAL,
        (b'.', b'.', b'.') => ELLIPSIS,
        (b'/', b'/', b'=') => DOUBLESLASHEQUAL,
        (b'<', b'<', b'=') => LEFTSHIFTEQUAL,
        (b'>', b'>', b'=') => RIGHTSHIFTEQUAL,
        _ => OP,
    }
}

/// The names of the token numbers, indexed by number up to N_TOKENS; the
/// tokens C code never sees are in angle brackets.
#[repr(transparent)]
pub struct TokenNames([*const c_char; 65]);
// SAFETY: the pointers are to static, immutable C strings.
unsafe impl Sync for TokenNames {}

#[unsafe(no_mangle)]
pub static _PyParser_TokenNames: TokenNames = TokenNames([
    c"ENDMARKER".as_ptr(),
    c"NAME".as_ptr(),
    c"NUMBER".as_ptr(),
    c"STRING".as_ptr(),
    c"NEWLINE".as_ptr(),
    c"INDENT".as_ptr(),
    c"DEDENT".as_ptr(),
    c"LPAR".as_ptr(),
    c"RPAR".as_ptr(),
    c"LSQB".as_ptr(),
    c"RSQB".as_ptr(),
    c"COLON".as_ptr(),
    c"COMMA".as_ptr(),
    c"SEMI".as_ptr(),
    c"PLUS".as_ptr(),
    c"MINUS".as_ptr(),
    c"STAR".as_ptr(),
    c"SLASH".as_ptr(),
    c"VBAR".as_ptr(),
    c"AMPER".as_ptr(),
    c"LESS".as_ptr(),
    c"GREATER".as_ptr(),
    c"EQUAL".as_ptr(),
    c"DOT".as_ptr(),
    c"PERCENT".as_ptr(),
    c"LBRACE".as_ptr(),
    c"RBRACE".as_ptr(),
    c"EQEQUAL".as_ptr(),
    c"NOTEQUAL".as_ptr(),
    c"LESSEQUAL".as_ptr(),
    c"GREATEREQUAL".as_ptr(),
    c"TILDE".as_ptr(),
    c"CIRCUMFLEX".as_ptr(),
    c"LEFTSHIFT".as_ptr(),
    c"RIGHTSHIFT".as_ptr(),
    c"DOUBLESTAR".as_ptr(),
    c"PLUSEQUAL".as_ptr(),
    c"MINEQUAL".as_ptr(),
    c"STAREQUAL".as_ptr(),
    c"SLASHEQUAL".as_ptr(),
    c"PERCENTEQUAL".as_ptr(),
    c"AMPEREQUAL".as_ptr(),
    c"VBAREQUAL".as_ptr(),
    c"CIRCUMFLEXEQUAL".as_ptr(),
    c"LEFTSHIFTEQUAL".as_ptr(),
    c"RIGHTSHIFTEQUAL".as_ptr(),
    c"DOUBLESTAREQUAL".as_ptr(),
    c"DOUBLESLASH".as_ptr(),
    c"DOUBLESLASHEQUAL".as_ptr(),
    c"AT".as_ptr(),
    c"ATEQUAL".as_ptr(),
    c"RARROW".as_ptr(),
    c"ELLIPSIS".as_ptr(),
    c"COLONEQUAL".as_ptr(),
    c"OP".as_ptr(),
    c"AWAIT".as_ptr(),
    c"ASYNC".as_ptr(),
    c"TYPE_IGNORE".as_ptr(),
    c"TYPE_COMMENT".as_ptr(),
    c"SOFT_KEYWORD".as_ptr(),
    c"<ERRORTOKEN>".as_ptr(),
    c"<COMMENT>".as_ptr(),
    c"<NL>".as_ptr(),
    c"<ENCODING>".as_ptr(),
    c"<N_TOKENS>".as_ptr(),
]);
inventory::submit! { ApiData { name: "_PyParser_TokenNames" } }
