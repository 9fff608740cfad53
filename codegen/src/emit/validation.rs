//! `src/validation.rs` of the generated crate: `Validate` for every structure
//! and union an operation input reaches, checking the model's `length`, `pattern`, `range` and
//! enum constraints with the messages AWS services send.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::type_path;
use crate::ir::{self, Bounds, Constraints, ShapeKind, SimpleType};
use crate::naming::ident;
use crate::validate::{ecma_pattern, quoted_pattern, EcmaPattern};

pub(crate) fn validation(service: &ir::Service) -> TokenStream {
    let shapes = input_shapes(service);
    let mut patterns = Patterns::default();
    let impls: Vec<TokenStream> = shapes
        .iter()
        .map(|id| service.shape(id))
        .filter_map(|shape| validate_impl(service, shape, &mut patterns))
        .collect();
    let statics = patterns.statics();
    let shape = validated_shape(service);
    quote! {
        //! Input validation: the model's constraints, checked before a server calls its handler.

        use ::aws_json_runtime::validate::{Path, Validate, Violations};

        #shape

        #(#statics)*

        #(#impls)*
    }
}

/// `ValidatedShape` for the service marker: its operations, each with a validated input.
fn validated_shape(service: &ir::Service) -> TokenStream {
    let marker = ident(&service.marker);
    let operations = service.operations.iter().map(|operation| {
        let module = ident(&operation.module);
        let operation_marker = ident(&operation.marker);
        quote!(visitor.visit::<crate::operation::#module::#operation_marker>();)
    });
    quote! {
        impl ::aws_json_runtime::validate::ValidatedShape for crate::#marker {
            fn visit_validated_operations<
                V: ::aws_json_runtime::validate::ValidatedOperationVisitor,
            >(visitor: &mut V) {
                #(#operations)*
            }
        }
    }
}

/// Structures and unions reachable from operation inputs, sorted by id.
fn input_shapes(service: &ir::Service) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = service
        .operations
        .iter()
        .map(|operation| operation.input.clone())
        .collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        match &service.shape(&id).kind {
            ShapeKind::Structure(structure) => {
                stack.extend(structure.members.iter().map(|m| m.target.clone()))
            }
            ShapeKind::Union(members) => stack.extend(members.iter().map(|m| m.target.clone())),
            ShapeKind::List { member, .. } => stack.push(member.clone()),
            ShapeKind::Map { value, .. } => stack.push(value.clone()),
            _ => {}
        }
    }
    seen.retain(|id| {
        matches!(
            service.shape(id).kind,
            ShapeKind::Structure(_) | ShapeKind::Union(_)
        )
    });
    seen
}

/// Every enforced pattern of the model becomes one lazily compiled static, shared by all its
/// uses. Patterns that are not ECMA-262 are not enforced ([`crate::validate::ecma_pattern`]).
#[derive(Default)]
struct Patterns(Vec<(String, EcmaPattern)>);

impl Patterns {
    fn name(&mut self, pattern: &str) -> Option<Ident> {
        let index = match self.0.iter().position(|(known, _)| known == pattern) {
            Some(index) => index,
            None => {
                let ecma = ecma_pattern(pattern).ok()?;
                self.0.push((pattern.to_owned(), ecma));
                self.0.len() - 1
            }
        };
        Some(format_ident!("PATTERN_{}", index))
    }

    fn statics(&self) -> Vec<TokenStream> {
        self.0
            .iter()
            .enumerate()
            .map(|(index, (pattern, ecma))| {
                let name = format_ident!("PATTERN_{}", index);
                let docs = format!(" `{pattern}`");
                // Messages quote the pattern as AWS does, without its whole-value anchors.
                let quoted = quoted_pattern(pattern);
                let compile =
                    if ecma.regex == quoted && ecma.flags.trim_end_matches('u').is_empty() {
                        quote!(::aws_json_runtime::validate::Pattern::new(#quoted))
                    } else {
                        let regex = &ecma.regex;
                        let flags = ecma.flags.trim_end_matches('u');
                        quote!(::aws_json_runtime::validate::Pattern::with_flags(#quoted, #regex, #flags))
                    };
                quote! {
                    #[doc = #docs]
                    static #name: ::std::sync::LazyLock<::aws_json_runtime::validate::Pattern> = ::std::sync::LazyLock::new(|| {
                        #compile.expect("the generator compiled every pattern of the model")
                    });
                }
            })
            .collect()
    }
}

fn validate_impl(
    service: &ir::Service,
    shape: &ir::Shape,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    let ty = type_path(shape);
    let body = match &shape.kind {
        ShapeKind::Structure(structure) => {
            let checks: Vec<TokenStream> = structure
                .members
                .iter()
                .filter_map(|member| member_checks(service, member, patterns))
                .collect();
            if checks.is_empty() {
                quote!(let _ = (path, violations);)
            } else {
                quote!(#(#checks)*)
            }
        }
        ShapeKind::Union(members) => {
            let arms: Vec<TokenStream> = members
                .iter()
                .filter_map(|member| {
                    let checks = checks_of(service, member, patterns)?;
                    let variant = ident(&member.variant);
                    let name = &member.name;
                    Some(quote!(#ty::#variant(value) => {
                        let path = path.member(#name);
                        #checks
                    }))
                })
                .collect();
            let rest = (arms.len() < members.len()).then(|| quote!(_ => {}));
            if arms.is_empty() {
                quote!(let _ = (path, violations);)
            } else {
                quote! {
                    match self {
                        #(#arms)*
                        #rest
                    }
                }
            }
        }
        _ => return None,
    };
    Some(quote! {
        impl Validate for #ty {
            fn validate(&self, path: &Path<'_>, violations: &mut Violations) {
                #body
            }
        }
    })
}

/// The checks of a member's value, or `None` when nothing about it can be wrong.
fn checks_of(
    service: &ir::Service,
    member: &ir::Member,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    let checks = value_checks(
        service,
        &member.target,
        &member.constraints,
        member.sensitive,
        patterns,
    );
    (!checks.is_empty()).then_some(checks)
}

fn member_checks(
    service: &ir::Service,
    member: &ir::Member,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    let checks = checks_of(service, member, patterns)?;
    let field = ident(&member.field);
    let name = &member.name;
    let path = quote!(let path = path.member(#name););
    Some(if member.required {
        quote! {
            {
                #path
                let value = &self.#field;
                #checks
            }
        }
    } else {
        quote! {
            if let ::std::option::Option::Some(value) = &self.#field {
                #path
                #checks
            }
        }
    })
}

/// Checks of `value: &T` (a value of `target`) at `path`; empty when nothing can be wrong.
fn value_checks(
    service: &ir::Service,
    target: &str,
    member: &Constraints,
    sensitive: bool,
    patterns: &mut Patterns,
) -> TokenStream {
    let shape = service.shape(target);
    let sensitive = sensitive || shape.sensitive;
    match &shape.kind {
        ShapeKind::Simple {
            ty, constraints, ..
        } => {
            let length = member.length.or(constraints.length);
            let range = member.range.or(constraints.range);
            let pattern = member.pattern.as_ref().or(constraints.pattern.as_ref());
            simple_checks(*ty, length, range, pattern, sensitive, patterns)
        }
        ShapeKind::Enum(_) => {
            let ty = type_path(shape);
            quote! {
                if let #ty::Unknown(unknown) = value {
                    ::aws_json_runtime::validate::check_enum(&path, unknown.as_str(), #ty::values(), violations);
                }
            }
        }
        ShapeKind::IntEnum(_) => {
            let ty = type_path(shape);
            quote! {
                if let #ty::Unknown(unknown) = value {
                    let known: ::std::vec::Vec<::std::string::String> = #ty::values().iter().map(|v| v.to_string()).collect();
                    let known: ::std::vec::Vec<&str> = known.iter().map(::std::string::String::as_str).collect();
                    ::aws_json_runtime::validate::check_enum(&path, &unknown.to_string(), &known, violations);
                }
            }
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            if needs_validation(service, target, &mut BTreeSet::new()) {
                quote!(value.validate(&path, violations);)
            } else {
                TokenStream::new()
            }
        }
        ShapeKind::List {
            member: item,
            length,
        } => {
            let length = member
                .length
                .or(*length)
                .map(|bounds| length_check(bounds, None));
            let items = value_checks(service, item, &Constraints::default(), false, patterns);
            let items = (!items.is_empty()).then(|| {
                quote! {
                    for (index, value) in value.iter().enumerate() {
                        let path = path.item(index);
                        #items
                    }
                }
            });
            quote!(#length #items)
        }
        ShapeKind::Map {
            value: item,
            length,
            ..
        } => {
            let length = member
                .length
                .or(*length)
                .map(|bounds| length_check(bounds, None));
            let items = value_checks(service, item, &Constraints::default(), false, patterns);
            let items = (!items.is_empty()).then(|| {
                quote! {
                    for (key, value) in value {
                        let path = path.key(key);
                        #items
                    }
                }
            });
            quote!(#length #items)
        }
    }
}

fn simple_checks(
    ty: SimpleType,
    length: Option<Bounds<u64>>,
    range: Option<Bounds<f64>>,
    pattern: Option<&String>,
    sensitive: bool,
    patterns: &mut Patterns,
) -> TokenStream {
    let is_string = ty == SimpleType::String;
    let shown =
        (is_string && !sensitive).then(|| quote!(::std::option::Option::Some(value.as_str())));
    let length = length
        .filter(|_| matches!(ty, SimpleType::String | SimpleType::Blob))
        .map(|bounds| length_check(bounds, shown));
    let range = range.filter(|_| is_numeric(ty)).map(|bounds| {
        let min = optional_f64(bounds.min);
        let max = optional_f64(bounds.max);
        quote!(::aws_json_runtime::validate::check_range(&path, *value as f64, #min, #max, violations);)
    });
    let pattern = pattern
        .filter(|_| is_string)
        .and_then(|pattern| patterns.name(pattern))
        .map(|name| {
            quote!(::aws_json_runtime::validate::check_pattern(&path, value, &#name, #sensitive, violations);)
        });
    quote!(#length #range #pattern)
}

fn length_check(bounds: Bounds<u64>, shown: Option<TokenStream>) -> TokenStream {
    let shown = shown.unwrap_or_else(|| quote!(::std::option::Option::None));
    let min = optional_u64(bounds.min);
    let max = optional_u64(bounds.max);
    quote!(::aws_json_runtime::validate::check_length(&path, value, #shown, #min, #max, violations);)
}

fn optional_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(value) => quote!(::std::option::Option::Some(#value)),
        None => quote!(::std::option::Option::None),
    }
}

fn optional_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(value) => quote!(::std::option::Option::Some(#value)),
        None => quote!(::std::option::Option::None),
    }
}

fn is_numeric(ty: SimpleType) -> bool {
    matches!(
        ty,
        SimpleType::Byte
            | SimpleType::Short
            | SimpleType::Integer
            | SimpleType::Long
            | SimpleType::Float
            | SimpleType::Double
    )
}

/// Whether a value of `target` can break any constraint (cycles count as no).
fn needs_validation(service: &ir::Service, target: &str, seen: &mut BTreeSet<String>) -> bool {
    if !seen.insert(target.to_owned()) {
        return false;
    }
    let shape = service.shape(target);
    match &shape.kind {
        ShapeKind::Simple { constraints, .. } => constraints != &Constraints::default(),
        ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => true,
        ShapeKind::List { member, length } => {
            length.is_some() || needs_validation(service, member, seen)
        }
        ShapeKind::Map { value, length, .. } => {
            length.is_some() || needs_validation(service, value, seen)
        }
        ShapeKind::Structure(structure) => structure.members.iter().any(|m| {
            m.constraints != Constraints::default() || needs_validation(service, &m.target, seen)
        }),
        ShapeKind::Union(members) => members.iter().any(|m| {
            m.constraints != Constraints::default() || needs_validation(service, &m.target, seen)
        }),
    }
}
