//! Stage 2: checks that the model can be generated, and (after lowering) that the Rust names
//! it produces are unique in every scope. Every problem is reported, each naming its shape.

use std::collections::BTreeMap;

use crate::ast::{self, Model, ShapeKind, SimpleType};
use crate::error::ModelError;
use crate::ir;
use crate::naming;

/// The unit shape of the prelude: "no input" or "no output".
pub const UNIT: &str = "smithy.api#Unit";

/// Checks the loaded model: one AWS JSON service, every reference resolves to a shape of the
/// right kind, and every trait sits on a shape it applies to. Returns the service's id.
pub fn model(model: &Model) -> Result<String, Vec<ModelError>> {
    let mut errors = Vec::new();
    let services: Vec<&ast::Shape> = model
        .shapes
        .values()
        .filter(|shape| matches!(shape.kind, ShapeKind::Service { .. }))
        .collect();
    let service = match services.as_slice() {
        [service] => Some(service.id.clone()),
        [] => {
            errors.push(ModelError::new(
                "(model)",
                "the model defines no service shape",
            ));
            None
        }
        many => {
            let ids: Vec<&str> = many.iter().map(|shape| shape.id.as_str()).collect();
            errors.push(ModelError::new(
                "(model)",
                format!(
                    "the model defines {} services ({}); generate one at a time",
                    many.len(),
                    ids.join(", ")
                ),
            ));
            None
        }
    };
    for shape in model.shapes.values() {
        check_shape(model, shape, &mut errors);
    }
    match (service, errors.is_empty()) {
        (Some(service), true) => Ok(service),
        _ => Err(errors),
    }
}

fn check_shape(model: &Model, shape: &ast::Shape, errors: &mut Vec<ModelError>) {
    let mut check = |id: String, target: &str, expected: Expected| {
        if let Some(problem) = reference_problem(model, target, expected) {
            errors.push(ModelError::new(id, problem));
        }
    };
    match &shape.kind {
        ShapeKind::List { member } => check(
            format!("{}$member", shape.id),
            &member.target,
            Expected::Data,
        ),
        ShapeKind::Map { key, value } => {
            check(
                format!("{}$key", shape.id),
                &key.target,
                Expected::StringKey,
            );
            check(format!("{}$value", shape.id), &value.target, Expected::Data);
        }
        ShapeKind::Structure { members } | ShapeKind::Union { members } => {
            for member in members {
                check(
                    format!("{}${}", shape.id, member.name),
                    &member.target,
                    Expected::Data,
                );
            }
        }
        ShapeKind::Operation {
            input,
            output,
            errors: declared,
        } => {
            for target in input.iter().chain(output) {
                check(shape.id.clone(), target, Expected::Structure);
            }
            for target in declared {
                check(shape.id.clone(), target, Expected::Error);
            }
        }
        ShapeKind::Service {
            operations,
            resources,
            ..
        }
        | ShapeKind::Resource {
            operations,
            resources,
        } => {
            for target in operations {
                check(shape.id.clone(), target, Expected::Operation);
            }
            for target in resources {
                check(shape.id.clone(), target, Expected::Resource);
            }
        }
        ShapeKind::Simple(_) | ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. } => {}
    }
    if let ShapeKind::Service {
        errors: declared, ..
    } = &shape.kind
    {
        for target in declared {
            check(shape.id.clone(), target, Expected::Error);
        }
    }
    check_traits(model, shape, errors);
}

/// What a reference must point at.
#[derive(Clone, Copy)]
enum Expected {
    Data,
    StringKey,
    Structure,
    Error,
    Operation,
    Resource,
}

fn reference_problem(model: &Model, target: &str, expected: Expected) -> Option<String> {
    if target == UNIT {
        return match expected {
            Expected::Structure => None,
            _ => Some(format!(
                "`{UNIT}` can only be an operation's input or output"
            )),
        };
    }
    let Some(shape) = model.shapes.get(target) else {
        return Some(format!("targets `{target}`, which is not defined"));
    };
    let fits = match (expected, &shape.kind) {
        (Expected::Data, ShapeKind::Simple(SimpleType::BigInteger | SimpleType::BigDecimal)) => {
            return Some(format!("targets `{target}`: bigInteger and bigDecimal are not supported by the AWS JSON protocols here"));
        }
        (Expected::Data, kind) => !matches!(
            kind,
            ShapeKind::Operation { .. } | ShapeKind::Service { .. } | ShapeKind::Resource { .. }
        ),
        (Expected::StringKey, kind) => matches!(
            kind,
            ShapeKind::Simple(SimpleType::String) | ShapeKind::Enum { .. }
        ),
        (Expected::Structure, kind) => matches!(kind, ShapeKind::Structure { .. }),
        (Expected::Error, kind) => {
            matches!(kind, ShapeKind::Structure { .. }) && shape.traits.error.is_some()
        }
        (Expected::Operation, kind) => matches!(kind, ShapeKind::Operation { .. }),
        (Expected::Resource, kind) => matches!(kind, ShapeKind::Resource { .. }),
    };
    if fits {
        return None;
    }
    let wanted = match expected {
        Expected::Data => "a data shape",
        Expected::StringKey => "a string or enum (map keys are strings)",
        Expected::Structure => "a structure",
        Expected::Error => "a structure with the `smithy.api#error` trait",
        Expected::Operation => "an operation",
        Expected::Resource => "a resource",
    };
    Some(format!("targets `{target}`, which is not {wanted}"))
}

/// Constraint and error traits must sit on shapes (or members targeting shapes) they apply to.
fn check_traits(model: &Model, shape: &ast::Shape, errors: &mut Vec<ModelError>) {
    check_applicability(&shape.id, &shape.traits, &shape.kind, errors);
    if let ShapeKind::Structure { members } | ShapeKind::Union { members } = &shape.kind {
        for member in members {
            if let Some(target) = model.shapes.get(&member.target) {
                check_applicability(
                    &format!("{}${}", shape.id, member.name),
                    &member.traits,
                    &target.kind,
                    errors,
                );
            }
        }
    }
    if shape.traits.error.is_some() && !matches!(shape.kind, ShapeKind::Structure { .. }) {
        errors.push(ModelError::new(
            &shape.id,
            "`smithy.api#error` applies only to structures",
        ));
    }
    if let (Some(paginated), ShapeKind::Operation { input, output, .. }) =
        (&shape.traits.paginated, &shape.kind)
    {
        check_pagination(
            model,
            &shape.id,
            paginated,
            input.as_deref(),
            output.as_deref(),
            errors,
        );
    }
    if let ShapeKind::Operation { output, .. } = &shape.kind {
        for (name, waiter) in &shape.traits.waitable {
            check_waiter(model, &shape.id, name, waiter, output.as_deref(), errors);
        }
    }
}

fn check_applicability(
    id: &str,
    traits: &ast::Traits,
    kind: &ShapeKind,
    errors: &mut Vec<ModelError>,
) {
    let is =
        |types: &[SimpleType]| matches!(kind, ShapeKind::Simple(simple) if types.contains(simple));
    let numeric = is(&[
        SimpleType::Byte,
        SimpleType::Short,
        SimpleType::Integer,
        SimpleType::Long,
        SimpleType::Float,
        SimpleType::Double,
    ]);
    let sized = is(&[SimpleType::String, SimpleType::Blob])
        || matches!(
            kind,
            ShapeKind::List { .. } | ShapeKind::Map { .. } | ShapeKind::Enum { .. }
        );
    let mut misplaced = |name: &str, applies: bool, to: &str| {
        if !applies {
            errors.push(ModelError::new(
                id,
                format!("malformed trait `{name}`: it applies only to {to}"),
            ));
        }
    };
    if traits.length.is_some() {
        misplaced("smithy.api#length", sized, "strings, blobs, lists and maps");
    }
    if traits.pattern.is_some() {
        misplaced(
            "smithy.api#pattern",
            is(&[SimpleType::String]) || matches!(kind, ShapeKind::Enum { .. }),
            "strings",
        );
    }
    if traits.range.is_some() {
        misplaced("smithy.api#range", numeric, "numbers");
    }
}

fn check_pagination(
    model: &Model,
    id: &str,
    paginated: &ast::Paginated,
    input: Option<&str>,
    output: Option<&str>,
    errors: &mut Vec<ModelError>,
) {
    let has_member = |structure: Option<&str>, name: &str| {
        let first = name.split('.').next().unwrap_or(name);
        structure
            .and_then(|id| model.shapes.get(id))
            .is_some_and(|shape| matches!(&shape.kind, ShapeKind::Structure { members } if members.iter().any(|m| m.name == first)))
    };
    let mut need = |field: &str,
                    value: &Option<String>,
                    structure: Option<&str>,
                    side: &str,
                    required: bool| {
        match value {
        Some(name) if !has_member(structure, name) => errors.push(ModelError::new(
            id,
            format!("malformed trait `smithy.api#paginated`: `{field}` names `{name}`, which is not a member of the {side}"),
        )),
        None if required => errors.push(ModelError::new(id, format!("malformed trait `smithy.api#paginated`: `{field}` is missing"))),
        _ => {}
    }
    };
    need("inputToken", &paginated.input_token, input, "input", true);
    need(
        "outputToken",
        &paginated.output_token,
        output,
        "output",
        true,
    );
    need("items", &paginated.items, output, "output", false);
    need("pageSize", &paginated.page_size, input, "input", false);
}

/// An output matcher's path must start at a member of the output.
fn check_waiter(
    model: &Model,
    id: &str,
    name: &str,
    waiter: &ast::Waiter,
    output: Option<&str>,
    errors: &mut Vec<ModelError>,
) {
    for acceptor in &waiter.acceptors {
        let ast::Matcher::Output { path, .. } = &acceptor.matcher else {
            continue;
        };
        let first = path.split('.').next().unwrap_or_default();
        let found = output
            .and_then(|id| model.shapes.get(id))
            .is_some_and(|shape| matches!(&shape.kind, ShapeKind::Structure { members } if members.iter().any(|m| m.name == first)));
        if !found {
            errors.push(ModelError::new(
                id,
                format!("malformed trait `smithy.waiters#waitable`: waiter `{name}` matches path `{path}`, but `{first}` is not a member of the output"),
            ));
        }
    }
}

/// A model `pattern` as the generated code enforces it: an ECMA-262 regular expression and its
/// flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcmaPattern {
    /// The expression, without the leading flag group it may have had, and with its capturing
    /// groups made non-capturing ([`non_capturing`]).
    pub regex: String,
    /// The flags (`i`, `m`, `s`, plus `u` when the expression is valid in Unicode mode).
    pub flags: String,
}

/// The rule for patterns (botocore models carry Java regular expressions, Smithy models
/// ECMA-262 ones):
/// - a pattern that compiles as ECMA-262 (Unicode mode, else the Annex B grammar) is enforced
///   as written;
/// - a leading Java inline flag group `(?i)`, `(?s)`, `(?m)` (or any mix), alone or right after
///   `^`, is translated to the same ECMA-262 flags, which mean the same thing;
/// - anything else (flag groups elsewhere, possessive quantifiers `{2}+`, lookbehind with
///   classes ECMA-262 reads differently, …) is kept as documentation but not enforced: the
///   loader notes it, and the member validates without it.
pub fn ecma_pattern(pattern: &str) -> Result<EcmaPattern, String> {
    let (regex, mut flags) = split_flag_group(pattern);
    let compiled = regress::Regex::with_flags(&regex, format!("{flags}u").as_str())
        .map(|_| true)
        .or_else(|_| regress::Regex::with_flags(&regex, flags.as_str()).map(|_| false))
        .map_err(|error| error.to_string())?;
    if compiled {
        flags.push('u');
    }
    let regex = non_capturing(&regex)
        .filter(|rewritten| regress::Regex::with_flags(rewritten, flags.as_str()).is_ok())
        .unwrap_or(regex);
    Ok(EcmaPattern { regex, flags })
}

/// The expression with every capturing group `(…)` written as a non-capturing one `(?:…)`, which
/// matches the same values: validation asks only whether a value matches, and regress
/// allocates and fills a slot per capturing group on every match. `None` when there is no
/// such group, or when the expression may refer back to one (`\1`, `\k<name>`).
pub fn non_capturing(regex: &str) -> Option<String> {
    let mut escapes = regex.split('\\').skip(1);
    if escapes.any(|after| after.starts_with(|c: char| c == 'k' || ('1'..='9').contains(&c))) {
        return None;
    }
    let mut groups = Vec::new();
    scan(regex, |_, index, c| {
        if c == '(' && !regex[index + 1..].starts_with('?') {
            groups.push(index);
        }
    });
    if groups.is_empty() {
        return None;
    }
    let mut rewritten = String::with_capacity(regex.len() + 2 * groups.len());
    let mut copied = 0;
    for index in groups {
        rewritten.push_str(&regex[copied..=index]);
        rewritten.push_str("?:");
        copied = index + 1;
    }
    rewritten.push_str(&regex[copied..]);
    Some(rewritten)
}

/// A pattern made to match the whole value, as AWS services apply their patterns (botocore
/// writes most of them bare, AWS's Smithy models anchored): `^` before and `$` after, unless
/// already there; a leading inline flag group stays in front (`(?i)a` → `^(?i)a$`); a pattern
/// with a top-level alternation is grouped first (`a|b` → `^(?:a|b)$`).
pub fn anchor_pattern(pattern: &str) -> String {
    let (caret, rest) = match pattern.strip_prefix('^') {
        Some(rest) => ("^", rest),
        None => ("", pattern),
    };
    let (flags, body) = leading_flag_group(rest);
    if has_top_level_alternation(body) {
        return format!("^{flags}(?:{caret}{body})$");
    }
    let end = if ends_with_anchor(body) { "" } else { "$" };
    format!("^{flags}{body}{end}")
}

/// The pattern as a `ValidationException` quotes it: without the anchors that make it match
/// the whole value (`^[\w+=,.@-]+$` → `[\w+=,.@-]+`, `^(?:a|b)$` → `a|b`), as AWS services
/// quote the patterns of their own models, which are written bare.
pub fn quoted_pattern(pattern: &str) -> String {
    let Some(inner) = pattern
        .strip_prefix('^')
        .filter(|_| ends_with_anchor(pattern))
        .and_then(|rest| rest.strip_suffix('$'))
    else {
        return pattern.to_owned();
    };
    let (flags, body) = leading_flag_group(inner);
    if has_top_level_alternation(body) {
        return pattern.to_owned();
    }
    match body
        .strip_prefix("(?:")
        .and_then(|group| group.strip_suffix(')'))
    {
        Some(grouped) if closes_at_end(body) => format!("{flags}{grouped}"),
        _ => inner.to_owned(),
    }
}

/// A leading inline flag group (`(?is)`) and the rest.
fn leading_flag_group(pattern: &str) -> (&str, &str) {
    if let Some(group) = pattern.strip_prefix("(?") {
        if let Some(end) = group.find(')') {
            let flags = &group[..end];
            if !flags.is_empty() && flags.chars().all(|c| matches!(c, 'i' | 'm' | 's')) {
                return pattern.split_at(end + 3);
            }
        }
    }
    ("", pattern)
}

/// Whether the pattern ends with an unescaped `$`.
fn ends_with_anchor(pattern: &str) -> bool {
    let Some(before) = pattern.strip_suffix('$') else {
        return false;
    };
    let backslashes = before.chars().rev().take_while(|c| *c == '\\').count();
    backslashes % 2 == 0
}

/// The depth of groups after each character, skipping escapes and character classes: calls
/// `visit(depth, byte index, char)` for every character outside a class and escape.
fn scan(pattern: &str, mut visit: impl FnMut(usize, usize, char)) {
    let mut depth = 0usize;
    let mut chars = pattern.char_indices();
    let mut in_class = false;
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            _ if in_class => {}
            '(' => {
                visit(depth, index, c);
                depth += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                visit(depth, index, c);
            }
            _ => visit(depth, index, c),
        }
    }
}

/// Whether `|` appears outside every group.
fn has_top_level_alternation(pattern: &str) -> bool {
    let mut found = false;
    scan(pattern, |depth, _, c| found |= depth == 0 && c == '|');
    found
}

/// Whether the group opened by the pattern's first character closes at its last.
fn closes_at_end(pattern: &str) -> bool {
    let mut closings = 0;
    scan(pattern, |depth, _, c| {
        if depth == 0 && c == ')' {
            closings += 1;
        }
    });
    closings == 1 && pattern.ends_with(')')
}

/// `(?is)abc` → (`abc`, `is`); `^(?i)abc` → (`^abc`, `i`); anything else unchanged.
fn split_flag_group(pattern: &str) -> (String, String) {
    let (anchor, rest) = match pattern.strip_prefix('^') {
        Some(rest) => ("^", rest),
        None => ("", pattern),
    };
    if let Some(group) = rest.strip_prefix("(?") {
        if let Some((flags, tail)) = group.split_once(')') {
            if !flags.is_empty() && flags.chars().all(|c| matches!(c, 'i' | 'm' | 's')) {
                let mut sorted: Vec<char> = flags.chars().collect();
                sorted.sort_unstable();
                sorted.dedup();
                return (format!("{anchor}{tail}"), sorted.into_iter().collect());
            }
        }
    }
    (pattern.to_owned(), String::new())
}

/// Checks that the Rust names of the lowered service are unique in every scope they share.
/// Lowering disambiguates every collision the naming rule knows ([`crate::naming`]), so an error
/// here means a collision no rule resolves.
pub fn names(service: &ir::Service) -> Result<(), Vec<ModelError>> {
    let mut errors = Vec::new();
    let mut modules: BTreeMap<ir::Module, Scope> = BTreeMap::new();
    let mut builders: BTreeMap<ir::Module, Scope> = BTreeMap::new();
    for shape in service.shapes.values() {
        if !matches!(
            shape.kind,
            ir::ShapeKind::Structure(_)
                | ir::ShapeKind::Union(_)
                | ir::ShapeKind::Enum(_)
                | ir::ShapeKind::IntEnum(_)
        ) {
            continue;
        }
        let scope = modules.entry(shape.module.clone()).or_default();
        scope.claim(&shape.name, &shape.id, &mut errors);
        if matches!(shape.kind, ir::ShapeKind::Structure(_)) {
            // Builders live in the module's `builders` submodule, a scope of their own.
            builders.entry(shape.module.clone()).or_default().claim(
                &naming::builder_name(&shape.name),
                &shape.id,
                &mut errors,
            );
        }
        check_inner_names(shape, &mut errors);
    }
    let mut operation_modules = Scope::default();
    // The client's methods, and the types of `client::fluent_builders`, `client::paginators`
    // and `client::waiters`.
    let mut client_methods = Scope::default();
    for reserved in naming::RESERVED_OPERATION_NAMES {
        client_methods.claim(reserved, "(every client)", &mut errors);
    }
    let mut fluent_builders = Scope::default();
    let mut paginators = Scope::default();
    let mut waiters = Scope::default();
    for operation in &service.operations {
        operation_modules.claim(&operation.module, &operation.id, &mut errors);
        let module = ir::Module::Operation(operation.module.clone());
        let scope = modules.entry(module).or_default();
        scope.claim(&operation.marker, &operation.id, &mut errors);
        scope.claim(&operation.error, &operation.id, &mut errors);
        client_methods.claim(&operation.module, &operation.id, &mut errors);
        fluent_builders.claim(&operation.fluent_builder, &operation.id, &mut errors);
        let mut variants = Scope::default();
        variants.claim("Unhandled", "(every operation error)", &mut errors);
        let mut methods = Scope::default();
        for case in &operation.errors {
            let owner = format!("{} (an error of {})", case.shape, operation.id);
            variants.claim(&case.variant, &owner, &mut errors);
            methods.claim(&case.is_method, &owner, &mut errors);
        }
        if let Some(pagination) = &operation.pagination {
            paginators.claim(&pagination.paginator, &operation.id, &mut errors);
            paginators.claim(&pagination.items_paginator, &operation.id, &mut errors);
        }
        for waiter in &operation.waiters {
            let owner = format!("{} (waiter {})", operation.id, waiter.name);
            client_methods.claim(&waiter.method, &owner, &mut errors);
            waiters.claim(&waiter.type_name, &owner, &mut errors);
        }
    }
    check_crate_names(service, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The library name, the service marker (at the crate root) and the service trait (in
/// `server`): identifiers that meet no other name of their scope.
fn check_crate_names(service: &ir::Service, errors: &mut Vec<ModelError>) {
    let owner = &service.id;
    let library = &service.library_name;
    if !naming::is_identifier(library) {
        errors.push(ModelError::new(
            owner,
            format!(
                "its library name `{library}` (from the crate name `{}`) is not a Rust identifier",
                service.crate_name
            ),
        ));
    } else if naming::RESERVED_LIBRARY_NAMES.contains(&library.as_str()) {
        errors.push(ModelError::new(
            owner,
            format!("name collision: its library name `{library}` is the name of a crate the generated code uses"),
        ));
    }
    let mut root = Scope::default();
    for name in naming::CRATE_ROOT_NAMES {
        root.claim(name, "(every crate root)", errors);
    }
    let mut server = Scope::default();
    for name in naming::SERVER_MODULE_NAMES {
        server.claim(name, "(every server module)", errors);
    }
    for (name, scope) in [
        (&service.marker, &mut root),
        (&service.service_trait, &mut server),
    ] {
        if naming::is_identifier(name) {
            scope.claim(name, owner, errors);
        } else {
            errors.push(ModelError::new(
                owner,
                format!("its Rust name `{name}` is not a Rust identifier"),
            ));
        }
    }
}

/// Rust names taken in one scope, with the shape that took each.
#[derive(Default)]
struct Scope(BTreeMap<String, String>);

impl Scope {
    fn claim(&mut self, name: &str, owner: &str, errors: &mut Vec<ModelError>) {
        if let Some(previous) = self.0.get(name) {
            errors.push(ModelError::new(
                owner,
                format!("name collision: its Rust name `{name}` is already taken by `{previous}`"),
            ));
        } else {
            self.0.insert(name.to_owned(), owner.to_owned());
        }
    }
}

fn check_inner_names(shape: &ir::Shape, errors: &mut Vec<ModelError>) {
    let mut scope = Scope::default();
    if let ir::ShapeKind::Structure(structure) = &shape.kind {
        // The structure's getters (its field names) beside `builder()`, and the builder's
        // setters and getters beside `build()`.
        let mut getters = Scope::default();
        getters.claim("builder", "(every structure)", errors);
        let mut builder = Scope::default();
        for reserved in naming::RESERVED_MEMBER_NAMES {
            builder.claim(reserved, "(every builder)", errors);
        }
        for member in &structure.members {
            let owner = format!("{}${}", shape.id, member.name);
            getters.claim(&member.field, &owner, errors);
            for name in [&member.field, &member.setter, &member.getter] {
                builder.claim(name, &owner, errors);
            }
        }
    }
    let mut claim = |name: &str, model_name: &str| {
        scope.claim(name, &format!("{}${model_name}", shape.id), errors)
    };
    match &shape.kind {
        ir::ShapeKind::Structure(structure) => structure
            .members
            .iter()
            .for_each(|m| claim(&m.field, &m.name)),
        ir::ShapeKind::Union(members) => members.iter().for_each(|m| claim(&m.variant, &m.name)),
        ir::ShapeKind::Enum(variants) => variants.iter().for_each(|v| claim(&v.name, &v.value)),
        ir::ShapeKind::IntEnum(variants) => variants.iter().for_each(|v| claim(&v.name, &v.name)),
        _ => {}
    }
}
