//! `src/lib.rs`: crate documentation, the modules, and the service marker type.

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use crate::error::CodegenError;
use crate::ir::{self, Protocol};
use crate::naming::ident;
use crate::templates;

#[derive(Serialize)]
struct CrateDocs<'a> {
    title: &'a str,
    sdk_id: &'a str,
    service: &'a str,
    version: &'a str,
    docs: Option<&'a str>,
    library_name: &'a str,
    operation_count: usize,
    example_input: Option<ExampleInput<'a>>,
}

/// The input type that the crate docs build: its operation module (if it lives in one) and name.
#[derive(Serialize)]
struct ExampleInput<'a> {
    operation: Option<&'a str>,
    name: &'a str,
}

pub(crate) fn lib_rs(service: &ir::Service) -> Result<TokenStream, CodegenError> {
    let context = CrateDocs {
        title: service.title.as_deref().unwrap_or(&service.sdk_id),
        sdk_id: &service.sdk_id,
        service: &service.name,
        version: &service.version,
        docs: service.docs.as_deref(),
        library_name: &service.library_name,
        operation_count: service.operations.len(),
        example_input: service
            .operations
            .first()
            .map(|operation| example_input(service, operation)),
    };
    let crate_docs = templates::render("crate_docs.md.tera", &context)?;
    let crate_docs = super::docs::doc_lines(&crate_docs);
    let marker = ident(&service.marker);
    let config = ident(crate::naming::endpoint::CONFIG_MODULE);
    // prettyplease formats the generated modules; `rustfmt::skip` keeps `cargo fmt` from
    // reformatting them to its own (different) line widths.
    Ok(quote! {
        #(#![doc = #crate_docs])*
        #![warn(missing_docs)]
        // Deprecated operations and members stay usable inside the crate; users still see the
        // deprecation where they name them.
        #![allow(deprecated)]

        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod client;
        // The client's configuration and, where the model has a rule set, its endpoint module
        // (which the service metadata names, so it is there without the client too).
        #[rustfmt::skip]
        pub mod #config;
        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod operation;
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod server;
        #[rustfmt::skip]
        mod service;
        #[rustfmt::skip]
        pub mod types;
        // The model's constraints, which servers check (clients do not, as the SDKs).
        #[cfg(feature = "validate")]
        #[rustfmt::skip]
        mod validation;
        // Round trips need both serde directions.
        #[cfg(all(test, feature = "serde-all"))]
        #[rustfmt::skip]
        mod properties;

        // In rustfmt's order: `cargo fmt --check` covers this file.
        #[cfg(feature = "client")]
        pub use client::Client;
        #[cfg(feature = "client")]
        pub use config::Config;
        pub use service::#marker;
    })
}

/// `src/service.rs`: the service marker type, its metadata and its list of operations.
pub(crate) fn service_rs(service: &ir::Service) -> TokenStream {
    let marker = ident(&service.marker);
    let marker_docs = format!(
        " The {} service (`{}`, API version {}).",
        service.sdk_id, service.name, service.version
    );
    let metadata = metadata(service);
    let operations = service.operations.iter().map(|operation| {
        let module = ident(&operation.module);
        let operation_marker = ident(&operation.marker);
        quote!(visitor.visit::<crate::operation::#module::#operation_marker>();)
    });
    quote! {
        //! The service marker type.

        #[doc = #marker_docs]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #marker;

        impl ::aws_json_runtime::ServiceShape for #marker {
            const METADATA: ::aws_json_runtime::ServiceMetadata = #metadata;

            fn visit_operations<V: ::aws_json_runtime::OperationVisitor>(visitor: &mut V) {
                #(#operations)*
            }
        }
    }
}

/// The module and name of an operation's input type, for the crate docs' example.
fn example_input<'a>(service: &'a ir::Service, operation: &ir::Operation) -> ExampleInput<'a> {
    let input = service.shape(&operation.input);
    ExampleInput {
        operation: match &input.module {
            ir::Module::Operation(module) => Some(module.as_str()),
            ir::Module::Types | ir::Module::Errors => None,
        },
        name: &input.name,
    }
}

fn metadata(service: &ir::Service) -> TokenStream {
    let shape_id = &service.id;
    let version = &service.version;
    let sdk_id = &service.sdk_id;
    let protocol = match service.protocol {
        Protocol::AwsJson1_0 => quote!(::aws_json_runtime::Protocol::AwsJson1_0),
        Protocol::AwsJson1_1 => quote!(::aws_json_runtime::Protocol::AwsJson1_1),
    };
    let target_prefix = &service.name;
    let signing_name = &service.signing_name;
    let endpoint_prefix = &service.endpoint_prefix;
    let endpoint_rules = match &service.endpoint_rules {
        Some(_) => {
            let config = ident(crate::naming::endpoint::CONFIG_MODULE);
            let module = ident(crate::naming::endpoint::MODULE);
            let rule_set = ident(crate::naming::endpoint::RULE_SET);
            quote!(::std::option::Option::Some(&crate::#config::#module::#rule_set))
        }
        None => quote!(::std::option::Option::None),
    };
    let query_compatible = service.query_compatible.is_some();
    let query_error_codes = service
        .query_compatible
        .iter()
        .flatten()
        .map(|(code, query)| quote!((#code, #query)));
    quote! {
        ::aws_json_runtime::ServiceMetadata {
            shape_id: #shape_id,
            api_version: #version,
            sdk_id: #sdk_id,
            protocol: #protocol,
            target_prefix: #target_prefix,
            signing_name: #signing_name,
            endpoint_prefix: #endpoint_prefix,
            endpoint_rules: #endpoint_rules,
            query_compatible: #query_compatible,
            query_error_codes: &[#(#query_error_codes),*],
        }
    }
}
