//! `src/client.rs` and `src/client/fluent_builders.rs` of the generated crate (feature
//! `client`): a `Client` in the call style of the AWS SDK for Rust, whose fluent builders all
//! send through the one generic `aws_json_client::Client::call`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::server::trait_name;
use super::{builder_path, doc_attrs, rust_type, type_path, value_type};
use crate::ir::{self, ShapeKind};
use crate::naming::ident;

/// The fluent builder of an operation: `CreatePermissionSetFluentBuilder`.
pub(crate) fn fluent_builder_name(operation: &ir::Operation) -> Ident {
    format_ident!("{}FluentBuilder", operation.marker)
}

pub(crate) fn client(service: &ir::Service) -> TokenStream {
    let docs = format!(
        " A client for the {} API.\n\n Every operation is a method returning a fluent builder: set the input's members, then\n `send().await`. Paginated operations add `into_paginator()`, and the asynchronous\n operations have `wait_until_…` waiters.\n\n ```no_run\n # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n let config = {lib}::Config::from_env().await;\n let client = {lib}::Client::new(&config);\n # let _ = client;\n # Ok(()) }}\n ```",
        service.sdk_id,
        lib = service.crate_name.replace('-', "_"),
    );
    let operations = service.operations.iter().map(|operation| {
        let method = ident(&operation.module);
        let builder = fluent_builder_name(operation);
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
            let name = format_ident!("{}", super::waiters::waiter_type(waiter));
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
    quote! {
        //! The client: configuration, the `Client`, its fluent builders, paginators and waiters.

        pub use ::aws_json_client::{
            Config, ConfigBuilder, ConfigError, Credentials, ErrorMetadata, PageStream, RetryConfig, SdkError,
            TimeoutConfig,
        };

        #[rustfmt::skip]
        pub mod fluent_builders;
        #paginators
        #waiter_module

        #[doc = #docs]
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
    }
}

/// With the `server` feature too, the client implements the service trait, so code written
/// against the trait runs over the network or against an in-process implementation alike.
fn service_trait_impl(service: &ir::Service) -> TokenStream {
    let trait_name = trait_name(service);
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
    quote! {
        //! A fluent builder per operation: the input's setters, then `send()`.

        #(#builders)*
    }
}

fn fluent_builder(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let name = fluent_builder_name(operation);
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
    let build = if has_required(input) {
        quote! {
            self.input.build().map_err(|error| {
                ::aws_json_client::SdkError::Construction(::aws_json_client::ConstructionError::with_source("the input is incomplete", error))
            })?
        }
    } else {
        quote!(self.input.build())
    };
    let paginator = operation.pagination.as_ref().map(|_| {
        let paginator = format_ident!("{}Paginator", operation.marker);
        quote! {
            /// Pages through every result: `.send()` streams pages, `.items().send()` items.
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
            pub(crate) fn new(client: ::aws_json_client::Client) -> Self {
                Self { client, input: ::std::default::Default::default() }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.input
            }

            /// Sends the request: the output, or the operation's error with the response's
            /// metadata, or why no answer came.
            pub async fn send(self) -> ::std::result::Result<#output, super::SdkError<crate::operation::#module::#error>> {
                let input: #input_type = #build;
                self.client.call::<crate::operation::#module::#marker>(input).await
            }

            #paginator

            #(#setters)*
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

/// The input builder's `x`, `set_x` and `get_x`, delegated.
pub(crate) fn delegating_setters(service: &ir::Service, member: &ir::Member) -> TokenStream {
    let field = ident(&member.field);
    let plain = member.field.trim_start_matches("r#");
    let set = format_ident!("set_{}", plain);
    let get = format_ident!("get_{}", plain);
    let value = value_type(service, member);
    let docs = doc_attrs(
        member.docs.as_deref(),
        &format!("The `{}` member.", member.name),
    );
    let label = &member.name;
    let set_docs = format!(" Sets `{label}`, or clears it with `None`.");
    let get_docs = format!(" The `{label}` set so far.");
    let main = match &service.shape(&member.target).kind {
        ShapeKind::List { member: item, .. } => {
            let item = rust_type(service, item);
            quote! {
                pub fn #field(mut self, item: impl ::std::convert::Into<#item>) -> Self {
                    self.input = self.input.#field(item);
                    self
                }
            }
        }
        ShapeKind::Map { value, .. } => {
            let value = rust_type(service, value);
            quote! {
                pub fn #field(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<#value>) -> Self {
                    self.input = self.input.#field(key, value);
                    self
                }
            }
        }
        _ => {
            let ty = rust_type(service, &member.target);
            quote! {
                pub fn #field(mut self, input: impl ::std::convert::Into<#ty>) -> Self {
                    self.input = self.input.#field(input);
                    self
                }
            }
        }
    };
    quote! {
        #docs
        #main

        #[doc = #set_docs]
        pub fn #set(mut self, input: ::std::option::Option<#value>) -> Self {
            self.input = self.input.#set(input);
            self
        }

        #[doc = #get_docs]
        pub fn #get(&self) -> &::std::option::Option<#value> {
            self.input.#get()
        }
    }
}
