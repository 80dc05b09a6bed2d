//! compile.h: the stack effect of CPython 3.11's opcodes.
//!
//! The host compiles to its own bytecode, so these numbers describe
//! CPython 3.11's instruction set (include/opcode.h), which is what tools
//! that assemble or check bytecode (for `PyCode_New`) ask about.
use cpyext_macros::cpython_api;
use std::ffi::c_int;

/// `PY_INVALID_STACK_EFFECT`: not an opcode the 3.11 compiler emits.
const INVALID: c_int = c_int::MAX;

/// The net change in stack depth of one instruction. `jump` is positive
/// when the instruction jumps, 0 when it does not, and negative for the
/// larger of the two.
fn stack_effect(opcode: c_int, oparg: c_int, jump: c_int) -> c_int {
    match opcode {
        // CACHE, NOP, the unary operators, CHECK_EXC_MATCH, CHECK_EG_MATCH
        0 | 9 | 10 | 11 | 12 | 15 | 36 | 37 => 0,
        // GET_AITER, GET_ITER, GET_YIELD_FROM_ITER, RETURN_GENERATOR,
        // LIST_TO_TUPLE, SETUP_ANNOTATIONS, YIELD_VALUE, ASYNC_GEN_WRAP
        50 | 68 | 69 | 75 | 82 | 85 | 86 | 87 => 0,
        // DELETE_NAME, DELETE_GLOBAL, SWAP, LOAD_ATTR, JUMP_FORWARD,
        // GET_AWAITABLE, JUMP_BACKWARD_NO_INTERRUPT, MAKE_CELL, DELETE_DEREF,
        // JUMP_BACKWARD, EXTENDED_ARG, COPY_FREE_VARS, RESUME, KW_NAMES,
        // DELETE_FAST
        91 | 98 | 99 | 106 | 110 | 131 | 134 | 135 | 139 | 140 | 144 | 149 | 151 | 172 | 126 => 0,
        // PUSH_NULL, GET_LEN, MATCH_MAPPING, MATCH_SEQUENCE, MATCH_KEYS,
        // PUSH_EXC_INFO, WITH_EXCEPT_START, GET_ANEXT, BEFORE_ASYNC_WITH,
        // BEFORE_WITH, LOAD_BUILD_CLASS, LOAD_ASSERTION_ERROR
        2 | 30 | 31 | 32 | 33 | 35 | 49 | 51 | 52 | 53 | 71 | 74 => 1,
        // LOAD_CONST, LOAD_NAME, IMPORT_FROM, COPY, LOAD_FAST, LOAD_CLOSURE,
        // LOAD_DEREF, LOAD_CLASSDEREF, LOAD_METHOD
        100 | 101 | 109 | 120 | 124 | 136 | 137 | 148 | 160 => 1,
        // POP_TOP, BINARY_SUBSCR, PRINT_EXPR, RETURN_VALUE, IMPORT_STAR,
        // PREP_RERAISE_STAR, POP_EXCEPT, STORE_NAME
        1 | 25 | 70 | 83 | 84 | 88 | 89 | 90 => -1,
        // DELETE_ATTR, STORE_GLOBAL, COMPARE_OP, IMPORT_NAME, the forward
        // and backward conditional jumps, IS_OP, CONTAINS_OP, RERAISE,
        // BINARY_OP, STORE_FAST, STORE_DEREF, LIST_APPEND, SET_ADD,
        // LIST_EXTEND, SET_UPDATE, DICT_MERGE, DICT_UPDATE, CALL
        96 | 97 | 107 | 108 | 114 | 115 | 117 | 118 | 119 | 122 | 125 | 128 | 129 => -1,
        138 | 145 | 146 | 162 | 163 | 164 | 165 | 171 | 173 | 174 | 175 | 176 => -1,
        // END_ASYNC_FOR, DELETE_SUBSCR, STORE_ATTR, MAP_ADD, MATCH_CLASS
        54 | 61 | 95 | 147 | 152 => -2,
        60 => -3, // STORE_SUBSCR
        92 => oparg - 1, // UNPACK_SEQUENCE
        94 => (oparg & 0xFF) + (oparg >> 8), // UNPACK_EX: before and after the star
        // BUILD_TUPLE, BUILD_LIST, BUILD_SET, BUILD_STRING
        102 | 103 | 104 | 157 => 1 - oparg,
        105 => 1 - 2 * oparg, // BUILD_MAP: a key and a value per item
        // RAISE_VARARGS, BUILD_CONST_KEY_MAP, PRECALL
        130 | 156 | 166 => -oparg,
        116 => (oparg & 1) + 1, // LOAD_GLOBAL: the low bit pushes a NULL too
        // MAKE_FUNCTION: defaults, kwdefaults, annotations, closure
        132 => -((oparg & 0x0F).count_ones() as c_int),
        133 => if oparg == 3 { -2 } else { -1 }, // BUILD_SLICE
        142 => -2 - (oparg & 1), // CALL_FUNCTION_EX: the low bit has **kwargs
        155 => if oparg & 0x04 != 0 { -1 } else { 0 }, // FORMAT_VALUE with a spec
        // FOR_ITER pops the exhausted iterator when it jumps
        93 => if jump > 0 { -1 } else { 1 },
        // JUMP_IF_FALSE_OR_POP, JUMP_IF_TRUE_OR_POP keep the value when they jump
        111 | 112 => if jump != 0 { 0 } else { -1 },
        123 => if jump > 0 { -1 } else { 0 }, // SEND
        // The compiler's pseudo-instructions, numbered below zero: a block
        // set-up pushes what its handler finds (the exception, and for
        // SETUP_CLEANUP the last instruction too) only on the jump.
        -1 | -3 => if jump != 0 { 1 } else { 0 }, // SETUP_FINALLY, SETUP_WITH
        -2 => if jump != 0 { 2 } else { 0 },     // SETUP_CLEANUP
        -4 | -5 | -6 => 0,                        // POP_BLOCK, JUMP, JUMP_NO_INTERRUPT
        -10..=-7 => -1,                           // POP_JUMP_IF_FALSE, _TRUE, _NONE, _NOT_NONE
        _ => INVALID,
    }
}

#[cpython_api(no_gil)]
fn PyCompile_OpcodeStackEffectWithJump(opcode: c_int, oparg: c_int, jump: c_int) -> c_int {
    stack_effect(opcode, oparg, jump)
}

#[cpython_api(no_gil)]
fn PyCompile_OpcodeStackEffect(opcode: c_int, oparg: c_int) -> c_int {
    stack_effect(opcode, oparg, -1)
}
