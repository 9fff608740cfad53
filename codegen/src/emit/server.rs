//! `src/server.rs` of the generated crate (feature `server`): the service trait an implementer
//! writes, one async method per operation, and its registration on the protocol layer of
//! `aws-json-server`, through the one generic code path of the operation trait.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, rust_type};
use crate::ir;
use crate::naming::ident;

pub(crate) fn server(service: &ir::Service) -> TokenStream {
    let trait_name = ident(&service.service_trait);
    let marker = ident(&service.marker);
    let trait_docs = format!(
        " The {} API as a server implements it: one method per operation.\n\n Turn an implementation into an HTTP service with [`service_builder`], which checks,\n decodes and validates every request before a method is called, and answers with the\n operation's output or error exactly as the real service does.",
        service.sdk_id
    );
    let methods = service
        .operations
        .iter()
        .map(|operation| trait_method(service, operation));
    let registrations = service.operations.iter().map(|operation| {
        let method = ident(&operation.module);
        let module = ident(&operation.module);
        let operation_marker = ident(&operation.marker);
        quote! {
            .operation::<crate::operation::#module::#operation_marker, _, _>(|implementation: ::std::sync::Arc<S>, input, context| async move {
                implementation.#method(input, context).await
            })
        }
    });
    quote! {
        //! The server stub: implement the service trait, then serve it with the protocol layer.

        pub use ::aws_json_server::{serve, AwsJsonService, Caller, RequestContext, ServiceBuilder};

        #[doc = #trait_docs]
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*
        }

        /// The protocol layer for `implementation`, with every operation registered: configure it
        /// (body limit, SigV4 credentials) and `build()` a `tower` service.
        pub fn service_builder<S: #trait_name>(implementation: ::std::sync::Arc<S>) -> ServiceBuilder<S> {
            ServiceBuilder::new(&<crate::#marker as ::aws_json_runtime::ServiceShape>::METADATA, implementation)
                #(#registrations)*
        }
    }
}

fn trait_method(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let method = ident(&operation.module);
    let docs = doc_attrs(
        operation.docs.as_deref(),
        &format!("The `{}` operation.", operation.name),
    );
    let input = rust_type(service, &operation.input);
    let output = rust_type(service, &operation.output);
    let module = ident(&operation.module);
    let error = ident(&operation.error);
    quote! {
        #docs
        fn #method(
            &self,
            input: #input,
            context: RequestContext,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<#output, crate::operation::#module::#error>,
        > + Send;
    }
}
