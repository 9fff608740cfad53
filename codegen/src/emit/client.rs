//! `src/client.rs` and `src/client/fluent_builders.rs` of the generated crate (feature
//! `client`): a `Client` in the call style of the AWS SDK for Rust, whose fluent builders all
//! send through the one generic `aws_json_client::Client::call`.

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::structures::delegating_setters;
use super::{builder_path, doc_attrs, rust_type, type_path};
use crate::error::CodegenError;
use crate::ir::{self, ShapeKind};
use crate::naming::ident;
use crate::templates;

#[derive(Serialize)]
struct ClientDocs<'a> {
    sdk_id: &'a str,
    library_name: &'a str,
}

pub(crate) fn client(service: &ir::Service) -> Result<TokenStream, CodegenError> {
    let docs = templates::render(
        "client_docs.md.tera",
        &ClientDocs {
            sdk_id: &service.sdk_id,
            library_name: &service.library_name,
        },
    )?;
    let docs = super::docs::doc_lines(&docs);
    let operations = service.operations.iter().map(|operation| {
        let method = ident(&operation.module);
        let builder = ident(&operation.fluent_builder);
        let docs = doc_attrs(
            operation.docs.as_deref(),
            &format!("The `{}` operation.", operation.name),
        );
        let deprecated = super::structures::deprecated_attr(operation.deprecated.as_ref());
        quote! {
            #docs
            #deprecated
            pub fn #method(&self) -> fluent_builders::#builder {
                fluent_builders::#builder::new(self.inner.clone())
            }
        }
    });
    let waiters = service.operations.iter().flat_map(|operation| {
        operation.waiters.iter().map(move |waiter| {
            let method = ident(&waiter.method);
            let name = ident(&waiter.type_name);
            let docs = doc_attrs(
                waiter.docs.as_deref(),
                &format!("Waits for `{}`.", operation.name),
            );
            quote! {
                #docs
                pub fn #method(&self) -> waiters::#name {
                    waiters::#name::new(self.inner.clone())
                }
            }
        })
    });
    let has_paginators = service
        .operations
        .iter()
        .any(|operation| operation.pagination.is_some());
    let paginators = has_paginators.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod paginators;
        }
    });
    let has_waiters = service
        .operations
        .iter()
        .any(|operation| !operation.waiters.is_empty());
    let waiter_module = has_waiters.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod waiters;
        }
    });
    let service_impl = service_trait_impl(service);
    Ok(quote! {
        //! The client: configuration, the `Client`, its fluent builders, paginators and waiters.

        pub use ::aws_json_client::{
            Config, ConfigBuilder, ConfigError, Credentials, ErrorMetadata, PageStream, RetryConfig, SdkError,
            TimeoutConfig,
        };

        #[rustfmt::skip]
        pub mod fluent_builders;
        #paginators
        #waiter_module

        #(#[doc = #docs])*
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: ::aws_json_client::Client,
        }

        impl Client {
            /// A client with `config`.
            pub fn new(config: &Config) -> Self {
                Self::from_conf(config.clone())
            }

            /// A client that takes ownership of `config`.
            pub fn from_conf(config: Config) -> Self {
                Self { inner: ::aws_json_client::Client::new(config) }
            }

            /// The configuration.
            pub fn config(&self) -> &Config {
                self.inner.config()
            }

            #(#operations)*

            #(#waiters)*
        }

        #service_impl
    })
}

/// `src/error.rs`: the error types every operation shares, under the AWS SDK for Rust's names.
pub(crate) fn error_module() -> TokenStream {
    quote! {
        //! Errors shared by every operation: [`ProvideErrorMetadata`] (the code and message of
        //! any error), builder failures and, with the `client` feature, [`SdkError`].

        pub use ::aws_json_runtime::{BuildError, ErrorMeta, ProvideErrorMetadata};
        #[cfg(feature = "client")]
        pub use ::aws_json_client::{ErrorMetadata, RawResponse, SdkError};
    }
}

/// With the `server` feature too, the client implements the service trait, so code written
/// against the trait runs over the network or against an in-process implementation alike.
fn service_trait_impl(service: &ir::Service) -> TokenStream {
    let trait_name = ident(&service.service_trait);
    let methods = service.operations.iter().map(|operation| {
        let method = ident(&operation.module);
        let module = ident(&operation.module);
        let marker = ident(&operation.marker);
        let input = rust_type(service, &operation.input);
        let output = rust_type(service, &operation.output);
        let error = ident(&operation.error);
        quote! {
            async fn #method(
                &self,
                input: #input,
                _context: crate::server::RequestContext,
            ) -> ::std::result::Result<#output, crate::operation::#module::#error> {
                self.inner
                    .call::<crate::operation::#module::#marker>(input)
                    .await
                    .map_err(SdkError::into_service_error)
            }
        }
    });
    quote! {
        /// Calls the service over the network; failures without a service answer (timeouts,
        /// connection errors) become the operation error's unhandled case.
        #[cfg(feature = "server")]
        impl crate::server::#trait_name for Client {
            #(#methods)*
        }
    }
}

/// `src/client/fluent_builders.rs`: one builder per operation.
pub(crate) fn fluent_builders(service: &ir::Service) -> TokenStream {
    let builders = service
        .operations
        .iter()
        .map(|operation| fluent_builder(service, operation));
    // The module holds nothing but `…FluentBuilder` types: the prelude's names are safe there.
    let builders = super::prelude_paths(quote!(#(#builders)*));
    quote! {
        //! A fluent builder per operation: the input's setters, then `send()`.

        #builders
    }
}

fn fluent_builder(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let name = ident(&operation.fluent_builder);
    let input = service.shape(&operation.input);
    let input_builder = builder_path(input);
    let input_type = type_path(input);
    let output = rust_type(service, &operation.output);
    let module = ident(&operation.module);
    let marker = ident(&operation.marker);
    let error = ident(&operation.error);
    let docs = format!(
        " Sends a `{}` request: set the input's members, then [`send`](Self::send).",
        operation.name
    );
    let setters = input_members(input)
        .iter()
        .map(|member| delegating_setters(service, member))
        .collect::<Vec<_>>();
    // Builders of inputs without required members cannot fail.
    let build = if has_required(input) {
        quote!(self.input.build())
    } else {
        quote!(::std::result::Result::Ok(self.input.build()))
    };
    let marker_path = quote!(crate::operation::#module::#marker);
    let error_path = quote!(crate::operation::#module::#error);
    let paginator = operation.pagination.as_ref().map(|pagination| {
        let paginator = ident(&pagination.paginator);
        quote! {
            /// Pages through every result: `.send()` streams pages, `.items().send()` items.
            #[inline]
            pub fn into_paginator(self) -> super::paginators::#paginator {
                super::paginators::#paginator::new(self)
            }
        }
    });
    quote! {
        #[doc = #docs]
        #[derive(Clone, Debug)]
        pub struct #name {
            client: ::aws_json_client::Client,
            input: #input_builder,
        }

        impl #name {
            #[inline]
            pub(crate) fn new(client: ::aws_json_client::Client) -> Self {
                Self { client, input: ::std::default::Default::default() }
            }

            /// The input built so far.
            #[inline]
            pub fn as_input(&self) -> &#input_builder {
                &self.input
            }

            /// Sends the request: the output, or the operation's error with the response's
            /// metadata, or why no answer came.
            #[inline]
            pub async fn send(self) -> ::std::result::Result<#output, super::SdkError<#error_path>> {
                let (client, input) = ::aws_json_client::IntoCall::into_call(self)?;
                client.call::<#marker_path>(input).await
            }

            /// Customizes this call: `.mutate_request(..)` changes the request before it is
            /// signed, `.config_override(..)` the configuration; then `.send()`.
            #[inline]
            pub fn customize(self) -> ::aws_json_client::CustomizableOperation<Self> {
                ::aws_json_client::CustomizableOperation::new(self)
            }

            #paginator

            #(#setters)*
        }

        impl ::aws_json_client::IntoCall for #name {
            type Operation = #marker_path;

            #[inline]
            fn into_parts(self) -> (::aws_json_client::Client, ::std::result::Result<#input_type, ::aws_json_runtime::BuildError>) {
                (self.client, #build)
            }
        }
    }
}

/// The members of an input structure.
fn input_members(input: &ir::Shape) -> &[ir::Member] {
    match &input.kind {
        ShapeKind::Structure(structure) => &structure.members,
        _ => &[],
    }
}

fn has_required(input: &ir::Shape) -> bool {
    matches!(&input.kind, ShapeKind::Structure(structure) if structure.members.iter().any(|m| m.required))
}
