//! Modeled error structures and the per-operation error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, type_path};
use crate::ir::{self, Fault, ShapeKind};
use crate::naming::ident;

/// `Display`, `std::error::Error` and `ModeledError` for an error structure.
pub(crate) fn modeled_error(
    shape: &ir::Shape,
    structure: &ir::Structure,
    info: ir::ErrorInfo,
) -> TokenStream {
    let name = ident(&shape.name);
    let code = shape
        .id
        .rsplit_once('#')
        .map_or(shape.id.as_str(), |(_, name)| name);
    let status = info.http_status;
    let fault = match info.fault {
        Fault::Client => quote!(::aws_json_runtime::ErrorFault::Client),
        Fault::Server => quote!(::aws_json_runtime::ErrorFault::Server),
    };
    let retryable = info.retryable;
    let throttling = info.throttling;
    let message = structure
        .members
        .iter()
        .find(|member| member.name.eq_ignore_ascii_case("message"));
    let message_body = match message {
        Some(member) if member.required => {
            let field = ident(&member.field);
            quote!(::std::option::Option::Some(self.#field.as_str()))
        }
        Some(member) => {
            let field = ident(&member.field);
            quote!(self.#field.as_deref())
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#code)?;
                if let ::std::option::Option::Some(message) = ::aws_json_runtime::ModeledError::message(self) {
                    write!(f, ": {message}")?;
                }
                ::std::result::Result::Ok(())
            }
        }

        impl ::std::error::Error for #name {}

        impl ::aws_json_runtime::ModeledError for #name {
            const CODE: &'static str = #code;
            const HTTP_STATUS: u16 = #status;
            const FAULT: ::aws_json_runtime::ErrorFault = #fault;
            const RETRYABLE: bool = #retryable;
            const THROTTLING: bool = #throttling;

            fn message(&self) -> ::std::option::Option<&str> {
                #message_body
            }
        }

        impl ::aws_json_runtime::ProvideErrorMetadata for #name {
            fn code(&self) -> ::std::option::Option<&str> {
                ::std::option::Option::Some(<Self as ::aws_json_runtime::ModeledError>::CODE)
            }

            fn message(&self) -> ::std::option::Option<&str> {
                ::aws_json_runtime::ModeledError::message(self)
            }
        }
    }
}

/// The error enum of one operation: a variant per declared error plus `Unhandled`; its impls
/// (`is_…` helpers, `Display`, `Error`, a `From` per declared error and `OperationError`) come
/// from the runtime's `operation_error!`, invoked with a line per declared error.
pub(crate) fn operation_error(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let name = ident(&operation.error);
    let docs = format!(
        " The errors that the `{}` operation can return.",
        operation.name
    );
    let cases: Vec<(&ir::ErrorCase, &ir::Shape)> = operation
        .errors
        .iter()
        .map(|case| (case, service.shape(&case.shape)))
        .filter(|(_, shape)| matches!(shape.kind, ShapeKind::Structure(_)))
        .collect();
    let variants: Vec<_> = cases.iter().map(|(case, _)| ident(&case.variant)).collect();
    let paths: Vec<_> = cases.iter().map(|(_, shape)| type_path(shape)).collect();
    let is_methods = cases.iter().map(|(case, _)| ident(&case.is_method));
    let variant_docs = cases
        .iter()
        .map(|(case, shape)| doc_attrs(shape.docs.as_deref(), &format!("`{}`", case.variant)));
    quote! {
        #[doc = #docs]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variants(#paths),
            )*
            /// An error the operation does not declare; its code and message are kept.
            Unhandled(::aws_json_runtime::UnhandledError),
        }

        ::aws_json_runtime::operation_error!(#name {
            #(#variants(#paths) #is_methods,)*
        });
    }
}
