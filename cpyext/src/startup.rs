//! The layer's start-up: runs once, before the first extension is loaded.
//!
//! It connects the layers (registering with the object model what it needs
//! from above, see `hooks.rs`), then fills the static type objects,
//! singletons and exception pointers, and installs the collector callbacks.
use crate::hooks::{LayoutHooks, ObjectModelHooks};
use crate::proxy::Layout;
use rustpython_vm::VirtualMachine;
use std::sync::Once;
use std::sync::atomic::Ordering;

static START: Once = Once::new();

pub fn init(vm: &VirtualMachine) {
    START.call_once(|| {
        let mut layouts = [LayoutHooks::default(); Layout::COUNT];
        layouts[Layout::Str as usize].materialize =
            Some(crate::api::unicodeobject::materialize_str);
        layouts[Layout::Instance as usize].before_free = Some(crate::ctype::forget_death_watch);
        crate::hooks::register(ObjectModelHooks {
            type_proxy: crate::types::type_proxy,
            layouts,
        });
        // A VM of the interpreter, for threads made in C (PyGILState_Ensure).
        let _ = crate::gil::MAIN_VM.compare_exchange(
            std::ptr::null_mut(),
            vm as *const VirtualMachine as *mut VirtualMachine,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
        crate::types::init(vm);
        if let Err(e) = crate::ctype::gc::install(vm) {
            vm.print_exception(&e);
        }
        if let Err(e) = crate::api::pycapsule::init(vm) {
            vm.print_exception(&e);
        }
    });
}
