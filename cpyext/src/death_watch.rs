//! Death watches: how the layer learns that a host object died.
//!
//! A watch is a host weak reference whose callback runs at the object's
//! death. Every kind of watch (pinned proxies, C structs of builtin-based
//! instances, kept buffer views, code extras, functions made from a C
//! method definition) has one `DeathWatches` table and one callback, made
//! once: a callback made per watch leaked its closure in the host
//! (`new_function` keeps every definition it makes), about 60 bytes each.
//! The callback finds its watch by the weak reference's own address; the
//! table holds that reference, so the address stays its own until the
//! watch fires or is cancelled.

use std::sync::{LazyLock, OnceLock};

use rustpython_vm::{PyObject, PyObjectRef, PyResult, VirtualMachine};

use crate::proxy::{host_addr, AddressMap};

/// Names one watch: the address of its weak reference.
pub type WatchKey = usize;

/// The watches of one kind, each carrying a `T` for its callback.
pub struct DeathWatches<T: Send + Sync + 'static> {
    /// The callback's name, as the host shows it.
    name: &'static str,
    /// Runs when a watched object dies, with the watch's key and payload.
    on_death: fn(WatchKey, T, &VirtualMachine),
    by_reference: LazyLock<AddressMap<(T, PyObjectRef)>>,
    callback: OnceLock<PyObjectRef>,
}

impl<T: Send + Sync + 'static> DeathWatches<T> {
    pub const fn new(name: &'static str, on_death: fn(WatchKey, T, &VirtualMachine)) -> Self {
        DeathWatches { name, on_death, by_reference: LazyLock::new(AddressMap::default), callback: OnceLock::new() }
    }

    /// Watches `object`: when it dies, `on_death` runs with `payload`.
    /// Fails as `weakref.ref` does for an object without weak references.
    pub fn watch(&'static self, vm: &VirtualMachine, object: &PyObject, payload: T) -> PyResult<WatchKey> {
        let callback = self
            .callback
            .get_or_init(|| {
                vm.new_function(self.name, move |reference: PyObjectRef, vm: &VirtualMachine| self.fired(&reference, vm))
                    .into()
            })
            .clone();
        let reference: PyObjectRef = object.downgrade(Some(callback), vm)?.into();
        let key = host_addr(&reference);
        self.by_reference.insert(key, (payload, reference));
        Ok(key)
    }

    /// Ends a watch before its object dies, so that `on_death` never runs
    /// for it. The payload, or None if the watch had already fired.
    pub fn cancel(&self, key: WatchKey) -> Option<T> {
        // The weak reference is dropped here; a dropped reference never
        // calls back.
        self.by_reference.remove(&key).map(|(_, (payload, _reference))| payload)
    }

    fn fired(&self, reference: &PyObjectRef, vm: &VirtualMachine) {
        let key = host_addr(reference);
        // The table's own reference may be the last; it outlives this call
        // through `reference`, the one the host passes the callback.
        if let Some((_, (payload, _table_reference))) = self.by_reference.remove(&key) {
            (self.on_death)(key, payload, vm);
        }
    }
}
