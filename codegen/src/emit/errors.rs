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
    }
}

/// The error enum of one operation: a variant per declared error plus `Unhandled`.
pub(crate) fn operation_error(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let name = ident(&operation.error);
    let docs = format!(
        " The errors that the `{}` operation can return.",
        operation.name
    );
    let errors: Vec<&ir::Shape> = operation
        .errors
        .iter()
        .map(|id| service.shape(id))
        .filter(|shape| matches!(shape.kind, ShapeKind::Structure(_)))
        .collect();
    let variants: Vec<_> = errors.iter().map(|shape| ident(&shape.name)).collect();
    let paths: Vec<_> = errors.iter().map(|shape| type_path(shape)).collect();
    let codes: Vec<&str> = errors
        .iter()
        .map(|shape| shape.id.rsplit_once('#').map_or("", |(_, n)| n))
        .collect();
    let variant_docs = errors
        .iter()
        .map(|shape| doc_attrs(shape.docs.as_deref(), &format!("`{}`", shape.name)));
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

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(Self::#variants(error) => ::std::fmt::Display::fmt(error, f),)*
                    Self::Unhandled(error) => ::std::fmt::Display::fmt(error, f),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(Self::#variants(error) => ::std::option::Option::Some(error),)*
                    Self::Unhandled(error) => ::std::option::Option::Some(error),
                }
            }
        }

        #(
            impl ::std::convert::From<#paths> for #name {
                fn from(error: #paths) -> Self {
                    Self::#variants(error)
                }
            }
        )*

        impl ::aws_json_runtime::OperationError for #name {
            fn from_code(code: &str, body: &[u8]) -> ::std::result::Result<Self, ::aws_json_runtime::json::DeserializeError> {
                ::std::result::Result::Ok(match code {
                    #(#codes => Self::#variants(::aws_json_runtime::error::parse_modeled(body)?),)*
                    other => Self::Unhandled(::aws_json_runtime::UnhandledError::from_body(other, body)),
                })
            }

            fn unhandled(error: ::aws_json_runtime::UnhandledError) -> Self {
                Self::Unhandled(error)
            }

            fn is_unhandled(&self) -> bool {
                matches!(self, Self::Unhandled(_))
            }

            fn code(&self) -> &str {
                match self {
                    #(Self::#variants(_) => #codes,)*
                    Self::Unhandled(error) => error.code(),
                }
            }

            fn message(&self) -> ::std::option::Option<&str> {
                match self {
                    #(Self::#variants(error) => ::aws_json_runtime::ModeledError::message(error),)*
                    Self::Unhandled(error) => error.message(),
                }
            }

            fn http_status(&self) -> u16 {
                match self {
                    #(Self::#variants(_) => <#paths as ::aws_json_runtime::ModeledError>::HTTP_STATUS,)*
                    Self::Unhandled(error) => error.http_status(),
                }
            }

            fn is_retryable(&self) -> bool {
                match self {
                    #(Self::#variants(_) => <#paths as ::aws_json_runtime::ModeledError>::RETRYABLE,)*
                    Self::Unhandled(_) => false,
                }
            }

            fn is_throttling(&self) -> bool {
                match self {
                    #(Self::#variants(_) => <#paths as ::aws_json_runtime::ModeledError>::THROTTLING,)*
                    Self::Unhandled(_) => false,
                }
            }

            fn to_json(&self) -> ::aws_json_runtime::Document {
                match self {
                    #(Self::#variants(error) => ::aws_json_runtime::error::modeled_to_json(error),)*
                    Self::Unhandled(error) => error.to_json(),
                }
            }
        }
    }
}
