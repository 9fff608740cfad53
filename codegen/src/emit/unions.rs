//! Unions: exactly one member set, `{"Member": value}` on the wire; read leniently through
//! `aws_json_runtime::union` (`__type` and `null` members ignored).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, is_eq, value_type};
use crate::ir;
use crate::naming::ident;

/// An enum with one variant per member.
pub(crate) fn union(
    service: &ir::Service,
    shape: &ir::Shape,
    members: &[ir::Member],
) -> TokenStream {
    let name = ident(&shape.name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` union.", shape.name),
    );
    let eq = is_eq(service, &shape.id, &mut Vec::new()).then(|| quote!(Eq,));
    let variants = members.iter().map(|member| {
        let docs = doc_attrs(
            member.docs.as_deref(),
            &format!("The `{}` member.", member.name),
        );
        let variant = ident(&member.variant);
        let wire = &member.name;
        let ty = value_type(service, member);
        let with = super::structures::serde_with(member).map(|with| quote!(, with = #with));
        let unions = member
            .holds_unions
            .then(|| quote!(, deserialize_with = "::aws_json_runtime::union::deserialize"));
        quote! {
            #docs
            #[serde(rename = #wire #with #unions)]
            #variant(#ty),
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, #eq ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        impl ::aws_json_runtime::union::Union for #name {}
    }
}
