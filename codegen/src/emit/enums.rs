//! String and integer enums that keep values they do not know, so they round-trip unchanged.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_attrs;
use super::structures::deprecated_attr;
use crate::ir;
use crate::naming::{ident, UNKNOWN_VARIANT};

/// A string enum: one variant per value plus `Unknown`, with `as_str`, `values`, `From<&str>`,
/// `FromStr`, `Display`, `AsRef<str>` and serde as a plain string.
pub(crate) fn string_enum(shape: &ir::Shape, variants: &[ir::EnumVariant]) -> TokenStream {
    let name = ident(&shape.name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` enum.", shape.name),
    );
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let unknown = ident(UNKNOWN_VARIANT);
    let variant_idents: Vec<_> = variants
        .iter()
        .map(|variant| ident(&variant.name))
        .collect();
    let values: Vec<&str> = variants
        .iter()
        .map(|variant| variant.value.as_str())
        .collect();
    let variant_docs = variants
        .iter()
        .map(|variant| doc_attrs(variant.docs.as_deref(), &format!("`{}`", variant.value)));
    let unknown_docs = format!(
        " A value this version of the crate does not know. Match on [`{}::as_str`] to read it.",
        shape.name
    );
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variant_idents,
            )*
            #[doc = #unknown_docs]
            #unknown(::aws_json_runtime::UnknownVariantValue),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variant_idents => #values,)*
                    Self::#unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the crate knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl ::std::convert::From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variant_idents,)*
                    other => Self::#unknown(::aws_json_runtime::UnknownVariantValue::from_unknown(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_ref()))
            }
        }
    }
}

/// An integer enum: one variant per value plus `Unknown(i32)`, serialized as a number.
pub(crate) fn int_enum(shape: &ir::Shape, variants: &[ir::IntEnumVariant]) -> TokenStream {
    let name = ident(&shape.name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` enum.", shape.name),
    );
    let unknown = ident(UNKNOWN_VARIANT);
    let variant_idents: Vec<_> = variants
        .iter()
        .map(|variant| ident(&variant.name))
        .collect();
    let values: Vec<i32> = variants
        .iter()
        .map(|variant| variant.value as i32)
        .collect();
    let variant_docs = variants
        .iter()
        .map(|variant| doc_attrs(variant.docs.as_deref(), &format!("`{}`", variant.value)));
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variant_idents,
            )*
            /// A value this version of the crate does not know.
            #unknown(i32),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub const fn value(self) -> i32 {
                match self {
                    #(Self::#variant_idents => #values,)*
                    Self::#unknown(value) => value,
                }
            }

            /// Every value this version of the crate knows, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#values => Self::#variant_idents,)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i32 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
