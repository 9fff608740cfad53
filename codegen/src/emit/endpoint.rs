//! `src/config.rs` (the client's configuration), and where the model has an endpoint rule set,
//! `src/config/endpoint.rs` and `src/config/endpoint_rule_set.json`: the rule set as data, the
//! typed `Params` of one resolution with their builder, and the `DefaultResolver` that
//! evaluates the rule set with the runtime's engine.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_attrs;
use crate::error::CodegenError;
use crate::ir::{
    self, EndpointContextParam, EndpointDefault, EndpointParameter, EndpointParameterType,
    EndpointRules,
};
use crate::naming::{endpoint as names, ident};

/// `src/config.rs`: the client's configuration under the AWS SDK for Rust's names and, where
/// the model has a rule set, the endpoint module.
pub(crate) fn config_module(service: &ir::Service) -> TokenStream {
    let endpoint = service.endpoint_rules.as_ref().map(|_| {
        let endpoint = ident(names::MODULE);
        quote! {
            #[rustfmt::skip]
            pub mod #endpoint;
        }
    });
    quote! {
        //! The client's configuration: [`Config`], built with a [`Builder`], and the types its
        //! setters take.

        #[cfg(feature = "client")]
        pub use ::aws_json_client::{
            BehaviorVersion, Config, ConfigBuilder as Builder, ConfigError, Credentials, Region, RetryConfig,
            RetryMode, TimeoutConfig,
        };
        #endpoint
    }
}

/// The rule set's JSON, pretty-printed, for the file beside the endpoint module.
pub(crate) fn rule_set_json(rules: &EndpointRules) -> String {
    serde_json::from_str::<serde_json::Value>(&rules.json)
        .and_then(|value| serde_json::to_string_pretty(&value))
        .map(|text| text + "\n")
        .unwrap_or_else(|_| rules.json.clone())
}

/// The context of `endpoint_docs.md.tera`.
#[derive(serde::Serialize)]
struct EndpointDocs<'a> {
    library_name: &'a str,
}

/// `src/config/endpoint.rs`.
pub(crate) fn endpoint_module(
    service: &ir::Service,
    rules: &EndpointRules,
) -> Result<TokenStream, CodegenError> {
    let params = ident(names::PARAMS);
    let builder = ident(names::PARAMS_BUILDER);
    let resolver = ident(names::DEFAULT_RESOLVER);
    let rule_set = ident(names::RULE_SET);
    let file = names::RULE_SET_FILE;
    let module_docs = crate::templates::render(
        "endpoint_docs.md.tera",
        &EndpointDocs {
            library_name: &service.library_name,
        },
    )?;
    let module_docs = super::docs::doc_lines(&module_docs);
    let resolver_docs = format!(
        " The resolver of the {} endpoint rule set: evaluates it for [`{}`] (or any \
         [`EndpointParams`]) with the runtime's rules engine.",
        service.sdk_id,
        names::PARAMS
    );
    let fields = rules.parameters.iter().map(field);
    let getters = rules.parameters.iter().map(getter);
    let builder_fields = rules.parameters.iter().map(builder_field);
    let setters = rules.parameters.iter().map(setters);
    let builds = rules.parameters.iter().map(build_value);
    let names_ = rules.parameters.iter().map(|p| ident(&p.field));
    let erase = rules.parameters.iter().map(|parameter| {
        let name = &parameter.name;
        let field = ident(&parameter.field);
        match parameter.ty {
            EndpointParameterType::Boolean => quote!(erased.set_opt(#name, #field);),
            _ => quote!(erased.set_opt(#name, #field.clone());),
        }
    });
    Ok(quote! {
        #(#![doc = #module_docs])*

        pub use ::aws_json_runtime::endpoints::{
            Endpoint, EndpointParams, ResolveEndpoint, ResolveEndpointError,
        };

        /// The service's endpoint rule set, parsed on first use.
        pub(crate) static #rule_set: ::aws_json_runtime::endpoints::StaticRuleSet =
            ::aws_json_runtime::endpoints::StaticRuleSet::new(include_str!(#file));

        /// The parameters of one endpoint resolution. Dereferences to the [`EndpointParams`]
        /// that resolvers take.
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #params {
            #(#fields)*
            erased: EndpointParams,
        }

        impl #params {
            /// A builder for the parameters.
            pub fn builder() -> #builder {
                #builder::default()
            }

            #(#getters)*
        }

        impl ::std::ops::Deref for #params {
            type Target = EndpointParams;

            fn deref(&self) -> &EndpointParams {
                &self.erased
            }
        }

        /// Builds [`Params`]: parameters left unset take the rule set's defaults.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct #builder {
            #(#builder_fields)*
        }

        impl #builder {
            #(#setters)*

            /// The parameters, or which required one is missing.
            pub fn build(self) -> ::std::result::Result<#params, ResolveEndpointError> {
                #(#builds)*
                let mut erased = EndpointParams::new();
                #(#erase)*
                Ok(#params { #(#names_,)* erased })
            }
        }

        #[doc = #resolver_docs]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct #resolver;

        impl #resolver {
            /// The resolver.
            pub fn new() -> Self {
                Self
            }
        }

        impl ResolveEndpoint for #resolver {
            fn resolve_endpoint(
                &self,
                params: &EndpointParams,
            ) -> ::std::result::Result<Endpoint, ResolveEndpointError> {
                #rule_set.resolve_endpoint(params)
            }
        }
    })
}

/// The Rust type of a parameter's value.
fn value_type(ty: EndpointParameterType) -> TokenStream {
    match ty {
        EndpointParameterType::String => quote!(::std::string::String),
        EndpointParameterType::Boolean => quote!(bool),
        EndpointParameterType::StringArray => quote!(::std::vec::Vec<::std::string::String>),
    }
}

fn docs(parameter: &EndpointParameter) -> TokenStream {
    let fallback = match &parameter.built_in {
        Some(built_in) => format!(
            "The `{}` parameter (built-in `{built_in}`).",
            parameter.name
        ),
        None => format!("The `{}` parameter.", parameter.name),
    };
    doc_attrs(parameter.docs.as_deref(), &fallback)
}

fn field(parameter: &EndpointParameter) -> TokenStream {
    let name = ident(&parameter.field);
    let ty = value_type(parameter.ty);
    quote!(#name: ::std::option::Option<#ty>,)
}

fn builder_field(parameter: &EndpointParameter) -> TokenStream {
    field(parameter)
}

fn getter(parameter: &EndpointParameter) -> TokenStream {
    let name = ident(&parameter.field);
    let docs = docs(parameter);
    match parameter.ty {
        EndpointParameterType::String => quote! {
            #docs
            pub fn #name(&self) -> ::std::option::Option<&str> {
                self.#name.as_deref()
            }
        },
        EndpointParameterType::Boolean => quote! {
            #docs
            pub fn #name(&self) -> ::std::option::Option<bool> {
                self.#name
            }
        },
        EndpointParameterType::StringArray => quote! {
            #docs
            pub fn #name(&self) -> ::std::option::Option<&[::std::string::String]> {
                self.#name.as_deref()
            }
        },
    }
}

fn setters(parameter: &EndpointParameter) -> TokenStream {
    let name = ident(&parameter.field);
    let setter = ident(&parameter.setter);
    let ty = value_type(parameter.ty);
    let docs = docs(parameter);
    let value = match parameter.ty {
        EndpointParameterType::Boolean => quote!(value: bool),
        EndpointParameterType::String => {
            quote!(value: impl ::std::convert::Into<::std::string::String>)
        }
        EndpointParameterType::StringArray => quote!(value: ::std::vec::Vec<::std::string::String>),
    };
    let set = match parameter.ty {
        EndpointParameterType::String => quote!(value.into()),
        _ => quote!(value),
    };
    quote! {
        #docs
        pub fn #name(mut self, #value) -> Self {
            self.#name = ::std::option::Option::Some(#set);
            self
        }

        #docs
        pub fn #setter(mut self, value: ::std::option::Option<#ty>) -> Self {
            self.#name = value;
            self
        }
    }
}

/// `let field = …;` in `build`: the value set, else the default; an error when required.
fn build_value(parameter: &EndpointParameter) -> TokenStream {
    let name = ident(&parameter.field);
    let wire = &parameter.name;
    let with_default = match &parameter.default {
        None => quote!(self.#name),
        Some(EndpointDefault::Boolean(value)) => quote!(self.#name.or(Some(#value))),
        Some(EndpointDefault::String(value)) => {
            quote!(self.#name.or_else(|| Some(#value.to_owned())))
        }
        Some(EndpointDefault::StringArray(values)) => {
            quote!(self.#name.or_else(|| Some(vec![#(#values.to_owned()),*])))
        }
    };
    if parameter.required && parameter.default.is_none() {
        quote! {
            let #name = #with_default;
            if #name.is_none() {
                return Err(ResolveEndpointError::missing_parameter(#wire));
            }
        }
    } else {
        quote!(let #name = #with_default;)
    }
}

/// `const ENDPOINT_CONTEXT` in an operation's `Operation` impl, when it binds parameters.
pub(crate) fn operation_context(operation: &ir::Operation) -> Option<TokenStream> {
    if operation.endpoint_context.is_empty() {
        return None;
    }
    let bindings = operation.endpoint_context.iter().map(|binding| match binding {
        EndpointContextParam::Static { param, value } => {
            let value = match value {
                EndpointDefault::Boolean(value) => {
                    quote!(::aws_json_runtime::endpoints::StaticValue::Bool(#value))
                }
                EndpointDefault::String(value) => {
                    quote!(::aws_json_runtime::endpoints::StaticValue::String(#value))
                }
                EndpointDefault::StringArray(values) => {
                    quote!(::aws_json_runtime::endpoints::StaticValue::StringArray(&[#(#values),*]))
                }
            };
            quote!(::aws_json_runtime::endpoints::ContextParam::Static { param: #param, value: #value })
        }
        EndpointContextParam::Member { param, member } => {
            quote!(::aws_json_runtime::endpoints::ContextParam::Member { param: #param, member: #member })
        }
    });
    Some(quote! {
        const ENDPOINT_CONTEXT: &'static [::aws_json_runtime::endpoints::ContextParam] =
            &[#(#bindings),*];
    })
}
