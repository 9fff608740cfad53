//! `src/client/paginators.rs` of the generated crate: a paginator per paginated operation,
//! streaming pages or items through the model-independent `aws_json_client::Paginator`.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type;
use crate::ir;
use crate::naming::ident;

pub(crate) fn paginators(service: &ir::Service) -> TokenStream {
    let paginators = service.operations.iter().filter_map(|operation| {
        let pagination = operation.pagination.as_ref()?;
        Some(paginator(service, operation, pagination))
    });
    quote! {
        //! Paginators: every page, or every item, of a paginated operation as a stream.

        use ::aws_json_client::{PageStream, Paginator, SdkError, Stream};

        #(#paginators)*
    }
}

fn paginator(
    service: &ir::Service,
    operation: &ir::Operation,
    pagination: &ir::Pagination,
) -> TokenStream {
    let name = ident(&pagination.paginator);
    let items_name = ident(&pagination.items_paginator);
    let builder = ident(&operation.fluent_builder);
    let output = rust_type(service, &operation.output);
    let module = ident(&operation.module);
    let error = ident(&operation.error);
    let error = quote!(SdkError<crate::operation::#module::#error>);
    let set_token = ident(&pagination.input_token.setter);
    let output_token = ident(&pagination.output_token.field);
    // A required member is a plain value, an optional one an `Option`.
    let next_token = if pagination.output_token.required {
        quote!(::std::option::Option::Some(output.#output_token.clone()))
    } else {
        quote!(output.#output_token.clone())
    };
    let docs = format!(
        " Pages through `{}`: [`send`](Self::send) streams pages, [`items`](Self::items) items.",
        operation.name
    );
    let page_size = pagination.page_size.as_ref().map(|member| {
        let setter = ident(&member.field);
        let ty = rust_type(service, &member.target);
        quote! {
            /// The most results each page may hold.
            #[inline]
            pub fn page_size(mut self, size: #ty) -> Self {
                self.builder = self.builder.#setter(size);
                self
            }
        }
    });
    let fetch = quote! {
        Paginator::new(move |token: ::std::option::Option<::std::string::String>| {
            let request = builder.clone().#set_token(token);
            async move {
                let output = request.send().await?;
                let next = #next_token;
                ::std::result::Result::Ok((output, next))
            }
        })
    };
    let items = pagination.items.as_ref().map(|(member, item)| {
        let item = rust_type(service, item);
        let items_field = ident(&member.field);
        let items_value = if member.required {
            quote!(output.#items_field)
        } else {
            quote!(output.#items_field.unwrap_or_default())
        };
        let items_docs = format!(" Every item of `{}` across all pages.", member.name);
        quote! {
            #[doc = #items_docs]
            #[derive(Debug)]
            pub struct #items_name(#name);

            impl #items_name {
                /// Streams the items; stops at the first error.
                #[inline]
                pub fn send(self) -> PageStream<impl Stream<Item = ::std::result::Result<#item, #error>>> {
                    let builder = self.0.builder;
                    #fetch.items(|output: #output| #items_value)
                }
            }
        }
    });
    let items_method = items.as_ref().map(|_| {
        quote! {
            /// The items of every page instead of the pages.
            #[inline]
            pub fn items(self) -> #items_name {
                #items_name(self)
            }
        }
    });
    quote! {
        #[doc = #docs]
        #[derive(Debug)]
        pub struct #name {
            builder: super::fluent_builders::#builder,
        }

        impl #name {
            #[inline]
            pub(crate) fn new(builder: super::fluent_builders::#builder) -> Self {
                Self { builder }
            }

            #page_size

            #items_method

            /// Streams the pages; stops after the last page or at the first error.
            #[inline]
            pub fn send(self) -> PageStream<impl Stream<Item = ::std::result::Result<#output, #error>>> {
                let builder = self.builder;
                #fetch.pages()
            }
        }

        #items
    }
}
