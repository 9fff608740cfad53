//! `src/client/paginators.rs` of the generated crate: a paginator per paginated operation,
//! streaming pages or items through the model-independent `aws_json_client::Paginator`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::fluent_builder_name;
use super::rust_type;
use crate::ir::{self, ShapeKind};
use crate::naming::{ident, snake_name};

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

fn field(member: &str) -> proc_macro2::Ident {
    ident(&snake_name(member))
}

fn paginator(
    service: &ir::Service,
    operation: &ir::Operation,
    pagination: &ir::Pagination,
) -> TokenStream {
    let name = format_ident!("{}Paginator", operation.marker);
    let items_name = format_ident!("{}PaginatorItems", operation.marker);
    let builder = fluent_builder_name(operation);
    let output = rust_type(service, &operation.output);
    let module = ident(&operation.module);
    let error = ident(&operation.error);
    let error = quote!(SdkError<crate::operation::#module::#error>);
    let set_token = format_ident!(
        "set_{}",
        snake_name(&pagination.input_token).trim_start_matches("r#")
    );
    let output_token = field(&pagination.output_token);
    // A required member is a plain value, an optional one an `Option`.
    let next_token = if is_required(service, &operation.output, &pagination.output_token) {
        quote!(::std::option::Option::Some(output.#output_token.clone()))
    } else {
        quote!(output.#output_token.clone())
    };
    let docs = format!(
        " Pages through `{}`: [`send`](Self::send) streams pages, [`items`](Self::items) items.",
        operation.name
    );
    let page_size = pagination.page_size.as_ref().map(|member| {
        let setter = field(member);
        let ty = member_type(service, &operation.input, member);
        quote! {
            /// The most results each page may hold.
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
    let items = pagination.items.as_ref().and_then(|items| {
        let item = item_type(service, &operation.output, items)?;
        let items_field = field(items);
        let items_value = if is_required(service, &operation.output, items) {
            quote!(output.#items_field)
        } else {
            quote!(output.#items_field.unwrap_or_default())
        };
        let items_docs = format!(" Every item of `{items}` across all pages.");
        Some(quote! {
            #[doc = #items_docs]
            #[derive(Debug)]
            pub struct #items_name(#name);

            impl #items_name {
                /// Streams the items; stops at the first error.
                pub fn send(self) -> PageStream<impl Stream<Item = ::std::result::Result<#item, #error>>> {
                    let builder = self.0.builder;
                    #fetch.items(|output: #output| #items_value)
                }
            }
        })
    });
    let items_method = items.as_ref().map(|_| {
        quote! {
            /// The items of every page instead of the pages.
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
            pub(crate) fn new(builder: super::fluent_builders::#builder) -> Self {
                Self { builder }
            }

            #page_size

            #items_method

            /// Streams the pages; stops after the last page or at the first error.
            pub fn send(self) -> PageStream<impl Stream<Item = ::std::result::Result<#output, #error>>> {
                let builder = self.builder;
                #fetch.pages()
            }
        }

        #items
    }
}

/// Whether the member `name` of `structure` is required.
fn is_required(service: &ir::Service, structure: &str, name: &str) -> bool {
    matches!(&service.shape(structure).kind, ShapeKind::Structure(structure)
        if structure.members.iter().any(|member| member.name == name && member.required))
}

/// The Rust type of the input member `name` (for the page size).
fn member_type(service: &ir::Service, structure: &str, name: &str) -> TokenStream {
    match &service.shape(structure).kind {
        ShapeKind::Structure(structure) => structure
            .members
            .iter()
            .find(|member| member.name == name)
            .map(|member| rust_type(service, &member.target))
            .unwrap_or_else(|| quote!(i32)),
        _ => quote!(i32),
    }
}

/// The element type of the output list member `name`.
fn item_type(service: &ir::Service, structure: &str, name: &str) -> Option<TokenStream> {
    let ShapeKind::Structure(structure) = &service.shape(structure).kind else {
        return None;
    };
    let member = structure
        .members
        .iter()
        .find(|member| member.name == name)?;
    match &service.shape(&member.target).kind {
        ShapeKind::List { member, .. } => Some(rust_type(service, member)),
        _ => None,
    }
}
