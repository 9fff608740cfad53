//! `src/properties.rs` of the generated crate (compiled for its unit tests only): a proptest strategy per generated type and a
//! property that every value survives serialize → deserialize unchanged.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{is_named_type, type_path_from};
use crate::ir::{self, ShapeKind, SimpleType};
use crate::naming::{self, ident};

/// Tuples of strategies are nested in groups of at most this many (proptest implements
/// `Strategy` for tuples of up to twelve).
const TUPLE_LIMIT: usize = 10;

pub(crate) fn properties(service: &ir::Service) -> TokenStream {
    let mut shapes: Vec<&ir::Shape> = service
        .shapes
        .values()
        .filter(|shape| is_named_type(shape))
        .collect();
    shapes.sort_by(|a, b| (&a.module, &a.name).cmp(&(&b.module, &b.name)));
    let root = quote!(crate);
    let strategies = shapes
        .iter()
        .map(|shape| strategy_fn(service, &root, shape));
    let tests = shapes.iter().map(|shape| {
        let test = ident(&naming::round_trip_test_name(
            &shape_key(shape),
            &shape.name,
        ));
        let strategy = strategy_name(shape);
        let depth = takes_depth(shape).then(|| quote!(MAX_DEPTH));
        quote! {
            #[test]
            fn #test(value in #strategy(#depth)) {
                assert_round_trip(&value)?;
            }
        }
    });
    let date_time = uses(service, SimpleType::Timestamp).then(|| {
        quote! {
            fn arb_date_time() -> impl Strategy<Value = ::aws_json_runtime::DateTime> {
                (::aws_json_runtime::DateTime::MIN.epoch_millis()..=::aws_json_runtime::DateTime::MAX.epoch_millis())
                    .prop_filter_map("in range", ::aws_json_runtime::DateTime::from_millis)
            }
        }
    });
    let document = uses(service, SimpleType::Document).then(|| {
        quote! {
            fn arb_document() -> impl Strategy<Value = ::aws_json_runtime::Document> {
                prop_oneof![
                    Just(::aws_json_runtime::Document::Null),
                    any::<bool>().prop_map(::aws_json_runtime::Document::from),
                    any::<i64>().prop_map(::aws_json_runtime::Document::from),
                    any::<String>().prop_map(::aws_json_runtime::Document::from),
                ]
            }
        }
    });
    quote! {
        //! Every generated type survives JSON serialize → deserialize unchanged, for arbitrary
        //! values: unknown enum values and fractional timestamps included.

        use proptest::prelude::*;

        /// How deep nested structures go: recursive shapes stop there.
        const MAX_DEPTH: u32 = 3;

        fn assert_round_trip<T>(value: &T) -> ::std::result::Result<(), TestCaseError>
        where
            T: ::serde::Serialize + ::serde::de::DeserializeOwned + PartialEq + ::std::fmt::Debug,
        {
            let json = ::aws_json_runtime::json::to_vec(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: T = ::aws_json_runtime::json::from_slice(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back, value, "JSON: {}", String::from_utf8_lossy(&json));
            Ok(())
        }

        #date_time
        #document

        #(#strategies)*

        proptest! {
            #(#tests)*
        }
    }
}

/// Whether any shape of the service is of the simple type `ty`.
fn uses(service: &ir::Service, ty: SimpleType) -> bool {
    service
        .shapes
        .values()
        .any(|shape| matches!(shape.kind, ShapeKind::Simple { ty: found, .. } if found == ty))
}

/// The module a shape lives in, as its strategy and test names start.
fn shape_key(shape: &ir::Shape) -> String {
    match &shape.module {
        ir::Module::Types => "types".to_owned(),
        ir::Module::Errors => "error".to_owned(),
        ir::Module::Operation(module) => module.trim_start_matches("r#").to_owned(),
    }
}

fn strategy_name(shape: &ir::Shape) -> Ident {
    ident(&naming::strategy_name(&shape_key(shape), &shape.name))
}

fn strategy_fn(service: &ir::Service, root: &TokenStream, shape: &ir::Shape) -> TokenStream {
    let name = strategy_name(shape);
    let ty = type_path_from(root, shape);
    let (body, uses_depth) = match &shape.kind {
        ShapeKind::Structure(structure) => (
            structure_strategy(service, &ty, &structure.members),
            structure
                .members
                .iter()
                .any(|member| nests(service, &member.target)),
        ),
        ShapeKind::Union(members) => {
            let arms = members.iter().map(|member| {
                let variant = ident(&member.variant);
                let value = value_strategy(service, &member.target);
                let boxed = member
                    .boxed
                    .then(|| quote!(let value = ::std::boxed::Box::new(value);));
                quote!(#value.prop_map(|value| { #boxed #ty::#variant(value) }))
            });
            (
                quote!(prop_oneof![#(#arms),*]),
                members.iter().any(|member| nests(service, &member.target)),
            )
        }
        ShapeKind::Enum(_) => {
            let body = quote! {
                prop_oneof![
                    proptest::sample::select(#ty::values()).prop_map(#ty::from),
                    any::<String>().prop_map(|value| #ty::from(value.as_str())),
                ]
            };
            return quote! {
                fn #name() -> impl Strategy<Value = #ty> {
                    #body
                }
            };
        }
        ShapeKind::IntEnum(_) => {
            return quote! {
                fn #name() -> impl Strategy<Value = #ty> {
                    any::<i32>().prop_map(#ty::from)
                }
            };
        }
        _ => return TokenStream::new(),
    };
    let (parameter, nested) = if uses_depth {
        (
            quote!(depth: u32),
            quote!(let nested = depth.saturating_sub(1);),
        )
    } else {
        (quote!(_depth: u32), TokenStream::new())
    };
    quote! {
        fn #name(#parameter) -> BoxedStrategy<#ty> {
            #nested
            #body.boxed()
        }
    }
}

/// Whether the strategy function of `shape` takes a depth (structures and unions do).
fn takes_depth(shape: &ir::Shape) -> bool {
    matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_))
}

/// Whether values of `target` contain structures or unions, which may recurse.
fn nests(service: &ir::Service, target: &str) -> bool {
    match &service.shape(target).kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => true,
        ShapeKind::List { member, .. } => nests(service, member),
        ShapeKind::Map { value, .. } => nests(service, value),
        _ => false,
    }
}

/// A strategy for each member (optional ones sometimes absent), mapped through the builder.
fn structure_strategy(
    service: &ir::Service,
    ty: &TokenStream,
    members: &[ir::Member],
) -> TokenStream {
    if members.is_empty() {
        return quote!(Just(#ty::builder().build()));
    }
    let strategies: Vec<TokenStream> = members
        .iter()
        .map(|member| member_strategy(service, member))
        .collect();
    // The closure's bindings are the members' fields: nothing else is named inside it.
    let bindings: Vec<Ident> = members.iter().map(|member| ident(&member.field)).collect();
    let setters = members.iter().zip(&bindings).map(|(member, binding)| {
        let set = ident(&member.setter);
        let setter = if member.required {
            ident(&member.field)
        } else {
            set.clone()
        };
        let target = service.shape(&member.target);
        let is_collection = matches!(target.kind, ShapeKind::List { .. } | ShapeKind::Map { .. });
        match (member.required, is_collection, member.boxed) {
            (true, true, _) => quote!(.#set(Some(#binding))),
            (false, _, true) => quote!(.#set(#binding.map(::std::boxed::Box::new))),
            _ => quote!(.#setter(#binding)),
        }
    });
    let build = if members.iter().any(|member| member.required) {
        quote!(.build().expect("every required member is set"))
    } else {
        quote!(.build())
    };
    let strategy_tuple = nest(&strategies);
    let pattern = nest(
        &bindings
            .iter()
            .map(|binding| quote!(#binding))
            .collect::<Vec<_>>(),
    );
    quote! {
        #strategy_tuple.prop_map(|#pattern| #ty::builder() #(#setters)* #build)
    }
}

/// A member's strategy. Members that nest structures stop at depth 0 (absent or empty), so
/// recursive shapes stay finite; the check runs before the nested strategy is even built.
fn member_strategy(service: &ir::Service, member: &ir::Member) -> TokenStream {
    let value = value_strategy(service, &member.target);
    let target = service.shape(&member.target);
    let is_collection = matches!(target.kind, ShapeKind::List { .. } | ShapeKind::Map { .. });
    match (nests(service, &member.target), member.required) {
        (false, true) => value,
        (false, false) => quote!(proptest::option::of(#value)),
        (true, true) if is_collection => {
            quote!(if depth == 0 { Just(::std::default::Default::default()).boxed() } else { #value.boxed() })
        }
        (true, true) => value,
        (true, false) => {
            quote!(if depth == 0 { Just(None).boxed() } else { proptest::option::of(#value).boxed() })
        }
    }
}

/// Groups items into nested tuples of at most [`TUPLE_LIMIT`].
fn nest(items: &[TokenStream]) -> TokenStream {
    if items.len() <= TUPLE_LIMIT {
        return quote!((#(#items,)*));
    }
    let groups = items.chunks(TUPLE_LIMIT).map(nest).collect::<Vec<_>>();
    nest(&groups)
}

/// A strategy for values of the shape `target`.
fn value_strategy(service: &ir::Service, target: &str) -> TokenStream {
    let shape = service.shape(target);
    match &shape.kind {
        ShapeKind::Simple { ty, .. } => simple_strategy(*ty),
        ShapeKind::List { member, .. } => {
            let member = value_strategy(service, member);
            quote!(proptest::collection::vec(#member, 0..3))
        }
        ShapeKind::Map { value, .. } => {
            let value = value_strategy(service, value);
            quote!(proptest::collection::hash_map(any::<String>(), #value, 0..3))
        }
        _ => {
            let name = strategy_name(shape);
            let depth = takes_depth(shape).then(|| quote!(nested));
            quote!(#name(#depth))
        }
    }
}

fn simple_strategy(ty: SimpleType) -> TokenStream {
    match ty {
        SimpleType::Blob => {
            quote!(proptest::collection::vec(any::<u8>(), 0..16)
                .prop_map(::aws_json_runtime::Blob::new))
        }
        SimpleType::Boolean => quote!(any::<bool>()),
        SimpleType::String | SimpleType::BigInteger | SimpleType::BigDecimal => {
            quote!(any::<String>())
        }
        SimpleType::Byte => quote!(any::<i8>()),
        SimpleType::Short => quote!(any::<i16>()),
        SimpleType::Integer => quote!(any::<i32>()),
        SimpleType::Long => quote!(any::<i64>()),
        SimpleType::Float => {
            quote!(any::<f32>().prop_filter("JSON numbers are finite", |v| v.is_finite()))
        }
        SimpleType::Double => {
            quote!(any::<f64>().prop_filter("JSON numbers are finite", |v| v.is_finite()))
        }
        SimpleType::Timestamp => quote!(arb_date_time()),
        SimpleType::Document => quote!(arb_document()),
    }
}
