//! Structures (inputs, outputs, errors and plain structures) and their builders, which live in
//! a `builders` module beside their types (`types::builders::ImageBuilder`), so that a builder
//! never collides with a type (see [`crate::naming`]).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, field_type, is_eq, rust_type, value_type};
use crate::ir::{self, ShapeKind};
use crate::naming::{builder_name, ident};

/// The serde derives of a structure: those of every build (what a client needs), and the
/// `cfg_attr` that adds the others with the `serde-all` feature (none when none are left).
fn serde_derives(client: ir::SerdeDirections) -> (Vec<TokenStream>, Option<TokenStream>) {
    let serialize = quote!(::serde::Serialize);
    let deserialize = quote!(::serde::Deserialize);
    let mut always = Vec::new();
    let mut with_feature = Vec::new();
    for (derived, tokens) in [
        (client.serialize, serialize),
        (client.deserialize, deserialize),
    ] {
        if derived {
            always.push(tokens);
        } else {
            with_feature.push(tokens);
        }
    }
    let with_feature = (!with_feature.is_empty())
        .then(|| quote!(#[cfg_attr(feature = "serde-all", derive(#(#with_feature),*))]));
    (always, with_feature)
}

/// The struct, its `Debug` (redacting sensitive members) and `builder()`; the builder itself
/// is emitted by [`builders_module`].
pub(crate) fn structure(
    service: &ir::Service,
    shape: &ir::Shape,
    structure: &ir::Structure,
) -> TokenStream {
    let name = ident(&shape.name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` structure.", shape.name),
    );
    let eq = is_eq(service, &shape.id, &mut Vec::new()).then(|| quote!(Eq,));
    let sensitive = structure.members.iter().any(|member| member.sensitive);
    let debug_derive = (!sensitive).then(|| quote!(Debug,));
    let debug_impl = sensitive.then(|| debug_impl(&name, &structure.members));
    let fields = structure
        .members
        .iter()
        .map(|member| field(service, member));
    let builder_name = format_ident!("{}", builder_name(&shape.name));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let builder_docs = format!(" Creates a builder for [`{}`].", shape.name);
    let getters = structure
        .members
        .iter()
        .map(|member| getter(service, member));
    let (serde_derives, serde_all_derives) = serde_derives(structure.client_serde);
    quote! {
        #docs
        #deprecated
        #[derive(Clone, #debug_derive PartialEq, #eq #(#serde_derives),*)]
        #serde_all_derives
        #[serde(rename_all = "PascalCase")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#getters)*

            #[doc = #builder_docs]
            pub fn builder() -> builders::#builder_name {
                builders::#builder_name::default()
            }
        }

        #debug_impl
    }
}

/// The borrowing getter of a member, shaped as in the AWS SDK for Rust: strings as `&str`,
/// lists as `&[T]` (empty when absent), other values by reference, copy types by value;
/// optional members in an `Option`, except lists.
fn getter(service: &ir::Service, member: &ir::Member) -> TokenStream {
    let docs = doc_attrs(
        member.docs.as_deref(),
        &format!("The `{}` member.", member.name),
    );
    let deprecated = deprecated_attr(member.deprecated.as_ref());
    let field = ident(&member.field);
    let target = service.shape(&member.target);
    let required = member.required;
    let (ty, body) = match &target.kind {
        ShapeKind::Simple {
            ty: ir::SimpleType::String | ir::SimpleType::BigInteger | ir::SimpleType::BigDecimal,
            ..
        } => {
            if required {
                (quote!(&str), quote!(self.#field.as_str()))
            } else {
                (
                    quote!(::std::option::Option<&str>),
                    quote!(self.#field.as_deref()),
                )
            }
        }
        ShapeKind::Simple {
            ty:
                ir::SimpleType::Boolean
                | ir::SimpleType::Byte
                | ir::SimpleType::Short
                | ir::SimpleType::Integer
                | ir::SimpleType::Long
                | ir::SimpleType::Float
                | ir::SimpleType::Double,
            ..
        } => {
            let ty = field_type(service, member);
            (ty, quote!(self.#field))
        }
        ShapeKind::List { member: item, .. } => {
            let item = rust_type(service, item);
            let body = if required {
                quote!(&self.#field)
            } else {
                quote!(self.#field.as_deref().unwrap_or_default())
            };
            (quote!(&[#item]), body)
        }
        _ => {
            let ty = rust_type(service, &member.target);
            match (required, member.boxed) {
                (true, false) => (quote!(&#ty), quote!(&self.#field)),
                (true, true) => (quote!(&#ty), quote!(&*self.#field)),
                (false, false) => (
                    quote!(::std::option::Option<&#ty>),
                    quote!(self.#field.as_ref()),
                ),
                (false, true) => (
                    quote!(::std::option::Option<&#ty>),
                    quote!(self.#field.as_deref()),
                ),
            }
        }
    };
    quote! {
        #docs
        #deprecated
        pub fn #field(&self) -> #ty {
            #body
        }
    }
}

/// `pub mod builders { … }`: the builders of the structures among `shapes` (one module's
/// types), or nothing when there are none.
pub(crate) fn builders_module(
    service: &ir::Service,
    shapes: &[&ir::Shape],
    extra: TokenStream,
) -> TokenStream {
    let builders: Vec<TokenStream> = shapes
        .iter()
        .filter_map(|shape| match &shape.kind {
            ShapeKind::Structure(structure) => Some(builder(service, shape, structure)),
            _ => None,
        })
        .collect();
    if builders.is_empty() && extra.is_empty() {
        return TokenStream::new();
    }
    let builders = super::prelude_paths(quote!(#(#builders)*));
    quote! {
        /// The builders of this module's structures: `X::builder()` returns an `XBuilder`.
        pub mod builders {
            #extra
            #builders
        }
    }
}

fn field(service: &ir::Service, member: &ir::Member) -> TokenStream {
    let docs = doc_attrs(
        member.docs.as_deref(),
        &format!("The `{}` member.", member.name),
    );
    let field = ident(&member.field);
    let ty = field_type(service, member);
    let serde = serde_attr(service, member);
    let deprecated = deprecated_attr(member.deprecated.as_ref());
    quote! {
        #docs
        #deprecated
        #serde
        pub #field: #ty,
    }
}

/// `#[serde(...)]` for a member: the wire name where it differs, optional members skipped when
/// absent, and `message`/`Message` accepted alike (AWS services send either).
fn serde_attr(service: &ir::Service, member: &ir::Member) -> TokenStream {
    let mut parts = Vec::new();
    // The structure says `rename_all = "PascalCase"`; a wire name that rule does not give is
    // renamed here.
    if member.name != serde_pascal_case(&member.field) {
        let name = &member.name;
        parts.push(quote!(rename = #name));
    }
    if member.name.eq_ignore_ascii_case("message") {
        let alias = if member.name == "message" {
            "Message"
        } else {
            "message"
        };
        parts.push(quote!(alias = #alias));
    }
    if let Some(with) = serde_with(member) {
        parts.push(quote!(with = #with));
    }
    if member.holds_unions {
        parts.push(quote!(
            deserialize_with = "::aws_json_runtime::union::deserialize"
        ));
    }
    if !member.required {
        parts.push(quote!(
            default,
            skip_serializing_if = "::std::option::Option::is_none"
        ));
        let target = &service.shape(&member.target).kind;
        if matches!(
            target,
            ShapeKind::Simple {
                ty: ir::SimpleType::Document,
                ..
            }
        ) {
            parts.push(quote!(
                deserialize_with = "::aws_json_runtime::document::deserialize_present"
            ));
        }
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

/// The name serde's `rename_all = "PascalCase"` gives a field: each `_`-separated word
/// capitalized, the underscores dropped (`instance_arn` → `InstanceArn`, `r#type` → `Type`).
fn serde_pascal_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for c in field.trim_start_matches("r#").chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(c);
        }
    }
    pascal
}

/// The serde helper module of a member holding floats (`aws_json_runtime::float`) or
/// timestamps in a format other than epoch seconds (`aws_json_runtime::timestamp`), if any.
pub(crate) fn serde_with(member: &ir::Member) -> Option<&'static str> {
    if member.holds_floats {
        return Some("::aws_json_runtime::float");
    }
    match member.timestamp_format? {
        ir::TimestampFormat::EpochSeconds => None,
        ir::TimestampFormat::DateTime => Some("::aws_json_runtime::timestamp::date_time"),
        ir::TimestampFormat::HttpDate => Some("::aws_json_runtime::timestamp::http_date"),
    }
}

pub(crate) fn deprecated_attr(deprecated: Option<&Option<String>>) -> TokenStream {
    match deprecated {
        Some(Some(note)) => quote!(#[deprecated(note = #note)]),
        Some(None) => quote!(#[deprecated]),
        None => TokenStream::new(),
    }
}

/// A `Debug` that prints sensitive members as redacted.
fn debug_impl(name: &proc_macro2::Ident, members: &[ir::Member]) -> TokenStream {
    let name_str = name.to_string();
    let fields = members.iter().map(|member| {
        let field = ident(&member.field);
        let label = member.field.trim_start_matches("r#");
        if member.sensitive {
            quote!(.field(#label, &::aws_json_runtime::sensitive::Redacted))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_str) #(#fields)* .finish()
            }
        }
    }
}

fn builder(service: &ir::Service, shape: &ir::Shape, structure: &ir::Structure) -> TokenStream {
    let builder = format_ident!("{}", builder_name(&shape.name));
    let docs = format!(" A builder for [`{0}`](super::{0}).", shape.name);
    let sensitive = structure.members.iter().any(|member| member.sensitive);
    let debug_derive = (!sensitive).then(|| quote!(Debug,));
    let debug_impl = sensitive.then(|| debug_impl(&builder, &structure.members));
    let fields = structure.members.iter().map(|member| {
        let field = ident(&member.field);
        let ty = value_type(service, member);
        quote!(#field: ::std::option::Option<#ty>,)
    });
    let methods = structure
        .members
        .iter()
        .map(|member| setters(service, member));
    let build = build_method(shape, structure);
    let allow_deprecated = structure
        .members
        .iter()
        .any(|m| m.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = #docs]
        #[derive(Clone, #debug_derive Default, PartialEq)]
        pub struct #builder {
            #(#fields)*
        }

        #debug_impl

        #allow_deprecated
        impl #builder {
            #(#methods)*
            #build
        }
    }
}

/// `x(value)` (appending to lists and inserting into maps, as the AWS SDKs do), `set_x(option)`
/// and `get_x()`.
fn setters(service: &ir::Service, member: &ir::Member) -> TokenStream {
    let field = ident(&member.field);
    let set = ident(&member.setter);
    let get = ident(&member.getter);
    let ty = value_type(service, member);
    let label = &member.name;
    let required = if member.required {
        " This member is required."
    } else {
        ""
    };
    let set_docs = format!(" Sets `{label}`, or clears it with `None`.{required}");
    let get_docs = format!(" The `{label}` set so far.");
    let main = main_setter(service, member, &field, required);
    quote! {
        #main

        #[doc = #set_docs]
        #[inline]
        pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self {
            self.#field = input;
            self
        }

        #[doc = #get_docs]
        pub fn #get(&self) -> &::std::option::Option<#ty> {
            &self.#field
        }
    }
}

fn main_setter(
    service: &ir::Service,
    member: &ir::Member,
    field: &proc_macro2::Ident,
    required: &str,
) -> TokenStream {
    let label = &member.name;
    let target = service.shape(&member.target);
    match &target.kind {
        ShapeKind::List { member: item, .. } => {
            let item = rust_type(service, item);
            let docs = format!(" Appends one item to `{label}`.{required}");
            quote! {
                #[doc = #docs]
                pub fn #field(mut self, item: impl ::std::convert::Into<#item>) -> Self {
                    self.#field.get_or_insert_with(::std::vec::Vec::new).push(item.into());
                    self
                }
            }
        }
        ShapeKind::Map { value, .. } => {
            let value = rust_type(service, value);
            let docs = format!(" Inserts one entry into `{label}`.{required}");
            quote! {
                #[doc = #docs]
                pub fn #field(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<#value>) -> Self {
                    self.#field.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value.into());
                    self
                }
            }
        }
        _ => {
            let ty = rust_type(service, &member.target);
            let docs = format!(" Sets `{label}`.{required}");
            let value = if member.boxed {
                quote!(::std::boxed::Box::new(input.into()))
            } else {
                quote!(input.into())
            };
            quote! {
                #[doc = #docs]
                pub fn #field(mut self, input: impl ::std::convert::Into<#ty>) -> Self {
                    self.#field = ::std::option::Option::Some(#value);
                    self
                }
            }
        }
    }
}

/// `build()`: infallible when nothing is required, otherwise it names the first missing member.
fn build_method(shape: &ir::Shape, structure: &ir::Structure) -> TokenStream {
    let type_name = ident(&shape.name);
    let name = quote!(super::#type_name);
    let shape_name = &shape.name;
    let assignments = structure.members.iter().map(|member| {
        let field = ident(&member.field);
        let label = &member.name;
        if member.required {
            quote!(#field: self.#field.ok_or(missing(#label))?,)
        } else {
            quote!(#field: self.#field,)
        }
    });
    if structure.members.iter().any(|member| member.required) {
        let docs = format!(
            " Builds the [`{shape_name}`](super::{shape_name}), or names the first required member that is not set."
        );
        quote! {
            #[doc = #docs]
            #[inline]
            pub fn build(self) -> ::std::result::Result<#name, ::aws_json_runtime::BuildError> {
                let missing = ::aws_json_runtime::BuildError::missing_in(#shape_name);
                ::std::result::Result::Ok(#name { #(#assignments)* })
            }
        }
    } else {
        let docs = format!(" Builds the [`{shape_name}`](super::{shape_name}).");
        quote! {
            #[doc = #docs]
            #[inline]
            pub fn build(self) -> #name {
                #name { #(#assignments)* }
            }
        }
    }
}

/// The input builder's `x`, `set_x` and `get_x`, delegated.
pub(crate) fn delegating_setters(service: &ir::Service, member: &ir::Member) -> TokenStream {
    let field = ident(&member.field);
    let set = ident(&member.setter);
    let get = ident(&member.getter);
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
        #[inline]
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

#[cfg(test)]
mod tests {
    use super::serde_pascal_case;

    #[test]
    fn serde_pascal_case_is_serdes_rule() {
        assert_eq!(serde_pascal_case("instance_arn"), "InstanceArn");
        assert_eq!(serde_pascal_case("r#type"), "Type");
        assert_eq!(serde_pascal_case("n3d_value"), "N3dValue");
        assert_eq!(serde_pascal_case("foo_bar_2"), "FooBar2");
        // What the SSO Admin model's wire names need renamed.
        assert_ne!(serde_pascal_case("message"), "message");
    }
}
