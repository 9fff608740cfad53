//! `src/client/waiters.rs` of the generated crate: a waiter per `smithy.waiters#waitable`
//! entry, polling its operation through the model-independent `aws_json_client::Waiter` until
//! an acceptor decides.

use proc_macro2::TokenStream;
use quote::quote;

use super::structures::delegating_setters;
use super::{doc_attrs, rust_type};
use crate::ir::{self, AcceptorState, Comparator, Matcher, ShapeKind};
use crate::naming::ident;

pub(crate) fn waiters(service: &ir::Service) -> TokenStream {
    let waiters = service.operations.iter().flat_map(|operation| {
        operation
            .waiters
            .iter()
            .map(move |waiter| self::waiter(service, operation, waiter))
    });
    quote! {
        //! Waiters: poll an operation until its result says the wait is over.

        pub use ::aws_json_client::{FinalPoll, WaiterError};
        use ::aws_json_client::{AcceptorState, SdkError, Waiter};

        #(#waiters)*
    }
}

fn waiter(service: &ir::Service, operation: &ir::Operation, waiter: &ir::Waiter) -> TokenStream {
    let name = ident(&waiter.type_name);
    let builder = ident(&operation.fluent_builder);
    let output = rust_type(service, &operation.output);
    let module = ident(&operation.module);
    let error = ident(&operation.error);
    let result =
        quote!(::std::result::Result<#output, SdkError<crate::operation::#module::#error>>);
    let docs = doc_attrs(
        waiter.docs.as_deref(),
        &format!("Waits by polling `{}`.", operation.name),
    );
    let min_delay = waiter.min_delay;
    let max_delay = waiter.max_delay;
    let setters = match &service.shape(&operation.input).kind {
        ShapeKind::Structure(structure) => structure
            .members
            .iter()
            .map(|member| delegating_setters(service, member))
            .collect(),
        _ => Vec::new(),
    };
    let acceptors = waiter.acceptors.iter().map(acceptor);
    let wait_docs = format!(
        " Polls `{}` (every {min_delay} s at first, backing off to every {max_delay} s) until an\n acceptor matches or `max_wait` has passed.",
        operation.name
    );
    quote! {
        #docs
        #[derive(Clone, Debug)]
        pub struct #name {
            input: super::fluent_builders::#builder,
        }

        impl #name {
            #[inline]
            pub(crate) fn new(client: ::aws_json_client::Client) -> Self {
                Self { input: super::fluent_builders::#builder::new(client) }
            }

            #(#setters)*

            #[doc = #wait_docs]
            #[inline]
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<FinalPoll<#output, SdkError<crate::operation::#module::#error>>, WaiterError<#output, SdkError<crate::operation::#module::#error>>> {
                let input = self.input;
                Waiter::new(max_wait)
                    .delays(::std::time::Duration::from_secs(#min_delay), ::std::time::Duration::from_secs(#max_delay))
                    .wait(
                        move || input.clone().send(),
                        |result: &#result| {
                            #(#acceptors)*
                            ::std::option::Option::None
                        },
                    )
                    .await
            }
        }
    }
}

/// One acceptor: returns its state from the closure when it matches.
fn acceptor(acceptor: &ir::Acceptor) -> TokenStream {
    let state = match acceptor.state {
        AcceptorState::Success => quote!(AcceptorState::Success),
        AcceptorState::Failure => quote!(AcceptorState::Failure),
        AcceptorState::Retry => quote!(AcceptorState::Retry),
    };
    let matches = match &acceptor.matcher {
        Matcher::Output {
            path,
            expected,
            comparator,
        } => {
            let comparator = match comparator {
                Comparator::StringEquals => quote!(StringEquals),
                Comparator::BooleanEquals => quote!(BooleanEquals),
                Comparator::AllStringEquals => quote!(AllStringEquals),
                Comparator::AnyStringEquals => quote!(AnyStringEquals),
            };
            quote! {
                result.as_ref().is_ok_and(|output| {
                    ::aws_json_runtime::json::path_matches(output, #path, ::aws_json_runtime::json::PathComparator::#comparator, #expected)
                })
            }
        }
        Matcher::Success(true) => quote!(result.is_ok()),
        Matcher::Success(false) => quote!(result.is_err()),
        Matcher::ErrorType(code) => {
            quote!(result.as_ref().err().and_then(SdkError::code) == ::std::option::Option::Some(#code))
        }
    };
    quote! {
        if #matches {
            return ::std::option::Option::Some(#state);
        }
    }
}
