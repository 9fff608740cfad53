//! `docs/reference.md`: the whole API as Markdown, rendered by tera from a context derived
//! from the IR (the template holds layout only).

use serde::Serialize;

use super::GeneratedFile;
use crate::error::CodegenError;
use crate::ir::{self, ShapeKind, SimpleType};
use crate::templates;

#[derive(Serialize)]
struct Reference<'a> {
    title: &'a str,
    sdk_id: &'a str,
    service: &'a str,
    version: &'a str,
    protocol: &'a str,
    signing_name: &'a str,
    endpoint_prefix: &'a str,
    docs: Option<&'a str>,
    operations: Vec<OperationDoc>,
    structures: Vec<StructureDoc>,
    enums: Vec<EnumDoc>,
    errors: Vec<StructureDoc>,
}

#[derive(Serialize)]
struct OperationDoc {
    name: String,
    docs: String,
    input: Vec<MemberDoc>,
    output: Vec<MemberDoc>,
    errors: Vec<String>,
    pagination: Option<String>,
    waiters: Vec<String>,
}

#[derive(Serialize)]
struct MemberDoc {
    name: String,
    ty: String,
    required: bool,
    constraints: String,
    docs: String,
}

#[derive(Serialize)]
struct StructureDoc {
    name: String,
    docs: String,
    status: Option<u16>,
    members: Vec<MemberDoc>,
}

#[derive(Serialize)]
struct EnumDoc {
    name: String,
    docs: String,
    values: Vec<String>,
}

pub(crate) fn markdown(service: &ir::Service) -> Result<GeneratedFile, CodegenError> {
    let context = Reference {
        title: service.title.as_deref().unwrap_or(&service.sdk_id),
        sdk_id: &service.sdk_id,
        service: &service.name,
        version: &service.version,
        protocol: match service.protocol {
            ir::Protocol::AwsJson1_0 => "awsJson1_0",
            ir::Protocol::AwsJson1_1 => "awsJson1_1",
        },
        signing_name: &service.signing_name,
        endpoint_prefix: &service.endpoint_prefix,
        docs: service.docs.as_deref(),
        operations: service
            .operations
            .iter()
            .map(|operation| operation_doc(service, operation))
            .collect(),
        structures: named(service, |shape| {
            matches!(&shape.kind, ShapeKind::Structure(s) if s.error.is_none())
                && service.operation_of(&shape.id).is_none()
        })
        .map(|shape| structure_doc(service, shape))
        .collect(),
        enums: named(service, |shape| {
            matches!(shape.kind, ShapeKind::Enum(_) | ShapeKind::IntEnum(_))
        })
        .map(enum_doc)
        .collect(),
        errors: named(
            service,
            |shape| matches!(&shape.kind, ShapeKind::Structure(s) if s.error.is_some()),
        )
        .map(|shape| structure_doc(service, shape))
        .collect(),
    };
    Ok(GeneratedFile {
        path: "docs/reference.md".to_owned(),
        contents: templates::render("reference.md.tera", &context)?,
    })
}

/// Named shapes that pass `keep`, sorted by name.
fn named(
    service: &ir::Service,
    keep: impl Fn(&ir::Shape) -> bool,
) -> impl Iterator<Item = &ir::Shape> {
    let mut shapes: Vec<&ir::Shape> = service
        .shapes
        .values()
        .filter(|shape| keep(shape))
        .collect();
    shapes.sort_by(|a, b| a.name.cmp(&b.name));
    shapes.into_iter()
}

fn operation_doc(service: &ir::Service, operation: &ir::Operation) -> OperationDoc {
    OperationDoc {
        name: operation.name.clone(),
        docs: operation.docs.clone().unwrap_or_default(),
        input: members(service, &operation.input),
        output: members(service, &operation.output),
        errors: operation
            .errors
            .iter()
            .map(|case| service.shape(&case.shape).name.clone())
            .collect(),
        pagination: operation.pagination.as_ref().map(|p| {
            let items = p
                .items
                .as_ref()
                .map(|(items, _)| format!(", items in `{}`", items.name))
                .unwrap_or_default();
            let size = p
                .page_size
                .as_ref()
                .map(|size| format!(", page size `{}`", size.name))
                .unwrap_or_default();
            format!(
                "token `{}` → `{}`{items}{size}",
                p.input_token.name, p.output_token.name
            )
        }),
        waiters: operation.waiters.iter().map(waiter_doc).collect(),
    }
}

/// `Name` (`method`): success when …, failure when …; polls every min–max s.
fn waiter_doc(waiter: &ir::Waiter) -> String {
    let acceptors: Vec<String> = waiter
        .acceptors
        .iter()
        .map(|acceptor| {
            let state = match acceptor.state {
                ir::AcceptorState::Success => "success",
                ir::AcceptorState::Failure => "failure",
                ir::AcceptorState::Retry => "retry",
            };
            let when = match &acceptor.matcher {
                ir::Matcher::Output { path, expected, .. } => format!("`{path}` is `{expected}`"),
                ir::Matcher::Success(true) => "the call succeeds".to_owned(),
                ir::Matcher::Success(false) => "the call fails".to_owned(),
                ir::Matcher::ErrorType(code) => format!("the call fails with `{code}`"),
            };
            format!("{state} when {when}")
        })
        .collect();
    format!(
        "`{}` (`{}`): {}; polls every {}–{} s",
        waiter.name,
        waiter.method,
        acceptors.join(", "),
        waiter.min_delay,
        waiter.max_delay
    )
}

fn structure_doc(service: &ir::Service, shape: &ir::Shape) -> StructureDoc {
    let status = match &shape.kind {
        ShapeKind::Structure(structure) => structure.error.map(|info| info.http_status),
        _ => None,
    };
    StructureDoc {
        name: shape.name.clone(),
        docs: shape.docs.clone().unwrap_or_default(),
        status,
        members: members(service, &shape.id),
    }
}

fn enum_doc(shape: &ir::Shape) -> EnumDoc {
    let values = match &shape.kind {
        ShapeKind::Enum(variants) => variants.iter().map(|v| v.value.clone()).collect(),
        ShapeKind::IntEnum(variants) => variants
            .iter()
            .map(|v| format!("{} = {}", v.name, v.value))
            .collect(),
        _ => Vec::new(),
    };
    EnumDoc {
        name: shape.name.clone(),
        docs: shape.docs.clone().unwrap_or_default(),
        values,
    }
}

fn members(service: &ir::Service, id: &str) -> Vec<MemberDoc> {
    let ShapeKind::Structure(structure) = &service.shape(id).kind else {
        return Vec::new();
    };
    structure
        .members
        .iter()
        .map(|member| MemberDoc {
            name: member.name.clone(),
            ty: type_doc(service, &member.target),
            required: member.required,
            constraints: constraints_doc(service, member),
            docs: table_cell(member.docs.as_deref().unwrap_or_default()),
        })
        .collect()
}

/// The member's type as Markdown, linking named types to their section.
fn type_doc(service: &ir::Service, target: &str) -> String {
    let shape = service.shape(target);
    match &shape.kind {
        ShapeKind::Simple { ty, .. } => simple_name(*ty).to_owned(),
        ShapeKind::List { member, .. } => format!("List of {}", type_doc(service, member)),
        ShapeKind::Map { value, .. } => format!("Map of String to {}", type_doc(service, value)),
        _ => format!("[{}](#{})", shape.name, shape.name.to_lowercase()),
    }
}

fn simple_name(ty: SimpleType) -> &'static str {
    match ty {
        SimpleType::Blob => "Blob (base64)",
        SimpleType::Boolean => "Boolean",
        SimpleType::String => "String",
        SimpleType::Byte => "Byte",
        SimpleType::Short => "Short",
        SimpleType::Integer => "Integer",
        SimpleType::Long => "Long",
        SimpleType::Float => "Float",
        SimpleType::Double => "Double",
        SimpleType::BigInteger => "BigInteger",
        SimpleType::BigDecimal => "BigDecimal",
        SimpleType::Timestamp => "Timestamp (epoch seconds)",
        SimpleType::Document => "Document",
    }
}

/// The constraints in force on a member: its own, else its target's.
fn constraints_doc(service: &ir::Service, member: &ir::Member) -> String {
    let target = service.shape(&member.target);
    let (target_constraints, list_length) = match &target.kind {
        ShapeKind::Simple { constraints, .. } => (Some(constraints), None),
        ShapeKind::List { length, .. } | ShapeKind::Map { length, .. } => (None, *length),
        _ => (None, None),
    };
    let length = member
        .constraints
        .length
        .or(target_constraints.and_then(|c| c.length))
        .or(list_length);
    let range = member
        .constraints
        .range
        .or(target_constraints.and_then(|c| c.range));
    let pattern = member
        .constraints
        .pattern
        .as_ref()
        .or(target_constraints.and_then(|c| c.pattern.as_ref()));
    let mut parts = Vec::new();
    if let Some(length) = length {
        parts.push(bounds(
            "length",
            length.min.map(|v| v.to_string()),
            length.max.map(|v| v.to_string()),
        ));
    }
    if let Some(range) = range {
        parts.push(bounds(
            "range",
            range.min.map(|v| v.to_string()),
            range.max.map(|v| v.to_string()),
        ));
    }
    if let Some(pattern) = pattern {
        parts.push(format!(
            "pattern `{}`",
            table_cell(pattern).replace('`', "\\`")
        ));
    }
    parts.join("; ")
}

fn bounds(name: &str, min: Option<String>, max: Option<String>) -> String {
    format!(
        "{name} {}..{}",
        min.unwrap_or_default(),
        max.unwrap_or_default()
    )
}

/// Text that fits in one Markdown table cell.
fn table_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
