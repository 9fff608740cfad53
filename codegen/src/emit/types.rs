//! `src/types/mod.rs` (the shared structures and enums) and `src/types/error.rs` (the modeled
//! errors).

use proc_macro2::TokenStream;
use quote::quote;

use super::structures::builders_module;
use super::{shape_items, shapes_in};
use crate::ir::{self, Module};

/// `crate::types`: every structure, union and enum that is not an operation's input or output
/// or an error.
pub(crate) fn types_module(service: &ir::Service) -> TokenStream {
    let docs = format!(
        " The structures and enums of the {} API, shared by its operations.",
        service.sdk_id
    );
    let shapes = shapes_in(service, &Module::Types);
    let items = shapes.iter().map(|shape| shape_items(service, shape));
    let builders = builders_module(service, &shapes, TokenStream::new());
    quote! {
        #![doc = #docs]

        pub mod error;

        #(#items)*

        #builders
    }
}

/// `crate::types::error`: the errors the model declares.
pub(crate) fn error_module(service: &ir::Service) -> TokenStream {
    let docs = format!(
        " The errors the {} API declares; each operation's error enum wraps those it can return.",
        service.sdk_id
    );
    let shapes = shapes_in(service, &Module::Errors);
    let items = shapes.iter().map(|shape| shape_items(service, shape));
    let builders = builders_module(service, &shapes, TokenStream::new());
    quote! {
        #![doc = #docs]

        #(#items)*

        #builders
    }
}
