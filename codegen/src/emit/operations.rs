//! `src/operation/`: a module per operation with its marker type, input, output and errors.

use proc_macro2::TokenStream;
use quote::quote;

use super::errors::operation_error;
use super::{doc_attrs, rust_type, shape_items, shapes_in};
use crate::ir::{self, Module};
use crate::naming::ident;

/// `crate::operation`: one public module per operation.
pub(crate) fn operation_module(service: &ir::Service) -> TokenStream {
    let docs = format!(" The operations of the {} API: a module each, with its marker type, input, output and error.", service.sdk_id);
    let modules = service.operations.iter().map(|operation| {
        let module = ident(&operation.module);
        let docs = format!(" The `{}` operation.", operation.name);
        quote! {
            #[doc = #docs]
            pub mod #module;
        }
    });
    quote! {
        #![doc = #docs]

        #(#modules)*
    }
}

/// `crate::operation::<name>`: the marker implementing `Operation`, the input and output types
/// that belong to this operation alone, and the error enum.
pub(crate) fn operation_file(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let marker = ident(&operation.marker);
    let name = &operation.name;
    let docs = doc_attrs(
        operation.docs.as_deref(),
        &format!("The `{name}` operation."),
    );
    let module_docs =
        format!(" The `{name}` operation: its marker type, input, output and errors.");
    let service_marker = ident(&service.marker);
    let input = rust_type(service, &operation.input);
    let output = rust_type(service, &operation.output);
    let error = ident(&operation.error);
    let deprecated = super::structures::deprecated_attr(operation.deprecated.as_ref());
    let shapes = shapes_in(service, &Module::Operation(operation.module.clone()));
    let items = shapes.iter().map(|shape| shape_items(service, shape));
    let fluent_builder = ident(&operation.fluent_builder);
    // Where the AWS SDK for Rust keeps the fluent builder.
    let builders = super::structures::builders_module(
        service,
        &shapes,
        quote! {
            #[cfg(feature = "client")]
            pub use crate::client::fluent_builders::#fluent_builder;
        },
    );
    let errors = operation_error(service, operation);
    let compression = (!operation.request_compression.is_empty()).then(|| {
        let encodings = &operation.request_compression;
        quote! { const REQUEST_COMPRESSION: &'static [&'static str] = &[#(#encodings),*]; }
    });
    let host_prefix = operation.host_prefix.as_ref().map(|prefix| {
        quote! { const HOST_PREFIX: ::core::option::Option<&'static str> = ::core::option::Option::Some(#prefix); }
    });
    let endpoint_context = super::endpoint::operation_context(operation);
    quote! {
        #![doc = #module_docs]

        #docs
        #deprecated
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #marker;

        impl ::aws_json_runtime::Operation for #marker {
            const NAME: &'static str = #name;
            #endpoint_context
            const SERVICE: &'static ::aws_json_runtime::ServiceMetadata =
                &<crate::#service_marker as ::aws_json_runtime::ServiceShape>::METADATA;
            type Input = #input;
            type Output = #output;
            type Error = #error;
            #compression
            #host_prefix
        }

        #(#items)*

        #errors

        #builders
    }
}
