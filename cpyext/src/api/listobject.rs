//! listobject.h. Lists stay in the host list, so a change made on either side
//! is seen by the other; the item macros are calls for the same reason.
use super::bad_internal_call;
use crate::borrow::borrowed;
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{self, into_ref, take, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyList, PyListRef};
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::c_int;

fn as_list(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<PyListRef> {
    if p.is_null() {
        return Err(bad_internal_call(vm));
    }
    to_host(vm, p)?.downcast::<PyList>().map_err(|_| bad_internal_call(vm))
}

#[cpython_api]
fn PyList_New(vm: &VirtualMachine, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(bad_internal_call(vm));
    }
    // Slots C has not set yet hold None rather than NULL.
    let items = vec![vm.ctx.none(); size as usize];
    Ok(into_ref(vm, vm.ctx.new_list(items).into()))
}

#[cpython_api]
fn PyList_Size(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<Py_ssize_t> {
    Ok(as_list(vm, list)?.borrow_vec().len() as Py_ssize_t)
}

#[cpython_api]
fn PyList_GetItem(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t) -> PyResult<*mut PyObject> {
    let list = as_list(vm, list)?;
    let item = {
        let items = list.borrow_vec();
        if index < 0 || index as usize >= items.len() {
            return Err(vm.new_index_error("list index out of range".to_owned()));
        }
        items[index as usize].clone()
    };
    Ok(borrowed(vm, &item))
}

/// Puts `item` (stolen, also on failure; NULL stores None) at `index` and
/// returns the item it replaced.
fn replace_item(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t, item: *mut PyObject) -> PyResult<rustpython_vm::PyObjectRef> {
    let host_list = match as_list(vm, list) {
        Ok(l) => l,
        Err(e) => {
            proxy::xdecref(item);
            return Err(e);
        }
    };
    if !item.is_null() {
        proxy::pin_to_host(vm, item); // before the steal may free it
    }
    let value = if item.is_null() { vm.ctx.none() } else { take(vm, item)? };
    let mut items = host_list.borrow_vec_mut();
    if index < 0 || index as usize >= items.len() {
        drop(items);
        return Err(vm.new_index_error("list assignment index out of range".to_owned()));
    }
    Ok(std::mem::replace(&mut items[index as usize], value))
}

/// Steals `item`, also when it fails, and releases the item it replaces.
#[cpython_api]
fn PyList_SetItem(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t, item: *mut PyObject) -> PyResult<c_int> {
    drop(replace_item(vm, list, index, item)?);
    Ok(0)
}

#[cpython_api]
fn PyList_Insert(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t, item: *mut PyObject) -> PyResult<c_int> {
    let list = as_list(vm, list)?;
    if item.is_null() {
        return Err(bad_internal_call(vm));
    }
    let value = to_host(vm, item)?;
    let mut items = list.borrow_vec_mut();
    let n = items.len() as Py_ssize_t;
    let at = if index < 0 { (index + n).max(0) } else { index.min(n) };
    items.insert(at as usize, value);
    drop(items);
    proxy::pin_to_host(vm, item);
    Ok(0)
}

#[cpython_api]
fn PyList_Append(vm: &VirtualMachine, list: *mut PyObject, item: *mut PyObject) -> PyResult<c_int> {
    let list = as_list(vm, list)?;
    if item.is_null() {
        return Err(bad_internal_call(vm));
    }
    let value = to_host(vm, item)?;
    list.borrow_vec_mut().push(value);
    proxy::pin_to_host(vm, item);
    Ok(0)
}

#[cpython_api]
fn PyList_GetSlice(vm: &VirtualMachine, list: *mut PyObject, low: Py_ssize_t, high: Py_ssize_t) -> PyResult<*mut PyObject> {
    let list = as_list(vm, list)?;
    let items = list.borrow_vec();
    let n = items.len() as Py_ssize_t;
    let low = low.clamp(0, n);
    let high = high.clamp(low, n);
    let slice = items[low as usize..high as usize].to_vec();
    drop(items);
    Ok(into_ref(vm, vm.ctx.new_list(slice).into()))
}

#[cpython_api]
fn PyList_Sort(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<c_int> {
    let list = as_list(vm, list)?;
    vm.call_method(list.as_ref(), "sort", ())?;
    Ok(0)
}

#[cpython_api]
fn PyList_Reverse(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<c_int> {
    let list = as_list(vm, list)?;
    list.borrow_vec_mut().reverse();
    Ok(0)
}

#[cpython_api]
fn PyList_AsTuple(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<*mut PyObject> {
    let list = as_list(vm, list)?;
    let items = list.borrow_vec().to_vec();
    Ok(into_ref(vm, vm.ctx.new_tuple(items).into()))
}

/// Replaces `list[low:high]` with `itemlist`'s items (deletes when NULL).
/// Indexes are clamped, never counted from the end.
#[cpython_api]
fn PyList_SetSlice(vm: &VirtualMachine, list: *mut PyObject, low: Py_ssize_t, high: Py_ssize_t, itemlist: *mut PyObject) -> PyResult<c_int> {
    let list = as_list(vm, list)?;
    let replacement: Vec<rustpython_vm::PyObjectRef> = match crate::proxy::opt_to_host(vm, itemlist)? {
        None => Vec::new(),
        Some(items) => items.get_iter(vm)?.iter(vm)?.collect::<PyResult<_>>()?,
    };
    let mut items = list.borrow_vec_mut();
    let n = items.len() as Py_ssize_t;
    let low = low.clamp(0, n);
    let high = high.clamp(low, n);
    let removed: Vec<_> = items.splice(low as usize..high as usize, replacement).collect();
    drop(items);
    drop(removed);
    Ok(0)
}

/// The `PyList_SET_ITEM` macro: steals `item`, and hands the list's
/// reference to the replaced item to the caller (who, in correct C, releases
/// it) instead of releasing it.
#[cpython_api]
fn _PyList_SET_ITEM(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t, item: *mut PyObject) -> PyResult<()> {
    let old = replace_item(vm, list, index, item)?;
    if let Some(p) = proxy::IDENTITY.get(&proxy::host_addr(&old)).map(|p| *p) {
        proxy::incref(p as *mut PyObject);
    }
    Ok(())
}

/// `list.extend(iterable)`: None (a new reference), or NULL on error.
#[cpython_api]
fn _PyList_Extend(vm: &VirtualMachine, list: *mut PyObject, iterable: *mut PyObject) -> PyResult<*mut PyObject> {
    let list = as_list(vm, list)?;
    let items: Vec<rustpython_vm::PyObjectRef> = to_host(vm, iterable)?.get_iter(vm)?.iter(vm)?.collect::<PyResult<_>>()?;
    list.borrow_vec_mut().extend(items);
    Ok(into_ref(vm, vm.ctx.none()))
}
