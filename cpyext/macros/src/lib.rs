//! `#[cpython_api]`: defines one exported C-API function.
//!
//! ```ignore
//! #[cpython_api]
//! fn PyLong_FromLong(vm: &VirtualMachine, v: c_long) -> PyResult<*mut PyObject> { .. }
//! ```
//! becomes an `extern "C"` symbol with the C parameters only. The body runs
//! inside `crate::boundary::enter_api`, which checks that the calling thread
//! holds the GIL, turns an `Err` into the pending exception plus the C error
//! value, and turns a panic into `SystemError` instead of unwinding into C.
//! The name and signature are submitted to `inventory` so the layer can list
//! what it implements.
//!
//! A leading `vm: &VirtualMachine` parameter is supplied by the wrapper. The
//! attribute `no_gil` skips the GIL check (for the functions that take the
//! GIL, or that CPython allows without it); any other attribute is an error.
//!
//! A plain `fn` body is safe code. A function that dereferences pointers its
//! C caller passes is an `unsafe fn` with a `# Safety` section.
use proc_macro::TokenStream;
use quote::quote;
use syn::{FnArg, ItemFn, Pat, ReturnType, Type, parse_macro_input};

#[proc_macro_attribute]
pub fn cpython_api(attr: TokenStream, item: TokenStream) -> TokenStream {
    // The only attribute is `no_gil`; anything else is a mistake to report,
    // not a spelling to guess at.
    let attr_text = attr.to_string();
    let needs_gil = match attr_text.trim() {
        "" => true,
        "no_gil" => false,
        other => {
            return syn::Error::new(
                proc_macro2::Span::call_site(),
                format!("#[cpython_api] takes no attribute but `no_gil`, not `{other}`"),
            )
            .to_compile_error()
            .into();
        }
    };
    let func = parse_macro_input!(item as ItemFn);
    // An `unsafe fn` states that its C caller must uphold the `# Safety`
    // contract; its body is an unsafe context as written. A plain `fn` body
    // is checked as safe code: every unsafe operation in it needs its own
    // `unsafe { }` block.
    let body_is_unsafe = func.sig.unsafety.is_some();
    let name = &func.sig.ident;
    let name_str = name.to_string();
    let body = &func.block;
    let attrs = &func.attrs;

    let mut inputs = func.sig.inputs.iter().collect::<Vec<_>>();
    let takes_vm = match inputs.first() {
        Some(FnArg::Typed(pat)) => matches!(&*pat.pat, Pat::Ident(id) if id.ident == "vm"),
        _ => false,
    };
    let vm_param = if takes_vm {
        Some(inputs.remove(0))
    } else {
        None
    };
    let c_params: Vec<_> = inputs.iter().map(|a| quote!(#a)).collect();

    // `PyResult<T>` bodies report errors; plain `T` bodies cannot fail.
    let (c_ret, fallible): (proc_macro2::TokenStream, bool) = match &func.sig.output {
        ReturnType::Default => (quote!(()), false),
        ReturnType::Type(_, ty) => match result_inner(ty) {
            Some(inner) => (quote!(#inner), true),
            None => (quote!(#ty), false),
        },
    };
    // The body's own return type, as written (so the user's imports are used).
    let body_ret = match &func.sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => quote!(#ty),
    };
    let vm_binding = match vm_param {
        Some(FnArg::Typed(pat)) => {
            let (p, ty) = (&pat.pat, &pat.ty);
            quote!(let #p: #ty = __vm;)
        }
        _ => quote!(let _ = __vm;),
    };
    let entry = if takes_vm {
        quote!(crate::boundary::enter_api)
    } else {
        quote!(crate::boundary::enter_api_without_vm)
    };
    let body = if body_is_unsafe {
        quote!(unsafe #body)
    } else {
        quote!(#body)
    };
    let run = if fallible {
        quote!(#entry::<#c_ret>(#name_str, #needs_gil, |__vm| { #vm_binding #[allow(unused_unsafe)] let __body = || -> #body_ret { #body }; __body() }))
    } else {
        quote!(#entry::<#c_ret>(#name_str, #needs_gil, |__vm| { #vm_binding #[allow(unused_unsafe)] let __body = || -> #body_ret { #body }; Ok(__body()) }))
    };
    let signature = format!(
        "{} {}({})",
        quote!(#c_ret).to_string().replace(' ', ""),
        name_str,
        c_params
            .iter()
            .map(|p| p.to_string().replace(" : ", ": "))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // One line per function in `--cpyext-implemented`, however long the types.
    let signature = signature.split_whitespace().collect::<Vec<_>>().join(" ");

    // C calls every wrapper (so it is an `unsafe extern "C" fn`), but a safe
    // body must stay safe code inside it.
    let body_lint = if body_is_unsafe {
        quote!()
    } else {
        quote!(#[deny(unsafe_op_in_unsafe_fn)])
    };
    quote! {
        #(#attrs)*
        #body_lint
        #[unsafe(no_mangle)]
        #[allow(non_snake_case, clippy::missing_safety_doc)]
        pub unsafe extern "C" fn #name(#(#c_params),*) -> #c_ret {
            #run
        }
        ::inventory::submit! {
            crate::boundary::ApiFunction { name: #name_str, signature: #signature }
        }
    }
    .into()
}

fn result_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "PyResult" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}
