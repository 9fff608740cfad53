//! The one place Rust names are made from model names.
//!
//! The rule, applied everywhere:
//! - types and enum variants are `UpperCamelCase`, members, modules and methods `snake_case`
//!   (heck's word splitting: `SWBExternalService` → `SwbExternalService`, `UUId` → `UuId`;
//!   acronyms are words, so `ARN` → `Arn`, `DBInstance` → `DbInstance`);
//! - a name that starts with a digit gets a prefix (`V` for variants and types, `n` for the
//!   rest), since Rust identifiers cannot;
//! - keywords become raw identifiers (`r#type`), except the four that cannot be raw
//!   (`self`, `Self`, `super`, `crate`), which get a trailing underscore (`self_`, `Self_`);
//! - the enum variant `Unknown` is reserved for values the crate does not know, so a model value
//!   that converts to `Unknown` becomes `UnknownValue`;
//! - a member whose field would be a method every builder has ([`RESERVED_MEMBER_NAMES`]:
//!   `build`, `send`, `customize`, `config`, `new`, `as_input`, `into_paginator`, …) gets the
//!   suffix `_value` (`Build` → `build_value`), so setters never shadow builder methods;
//! - an operation whose method would be a method every client has ([`RESERVED_OPERATION_NAMES`]:
//!   `new`, `from_conf`, `config`, …) gets the suffix `_operation` (`Config` →
//!   `config_operation`, for its module and its client method alike);
//! - builders live in a `builders` module beside their types (`types::builders::ImageBuilder`,
//!   `operation::create_image::builders::CreateImageInputBuilder`), so a builder never meets a
//!   type: the shapes `Image` and `ImageBuilder` both keep their names;
//! - model names that still meet in one Rust scope after all that (shapes that differ only by
//!   case, members `fooBar` and `FooBar`, enum values `foo-bar` and `FOO_BAR`) are
//!   disambiguated by [`disambiguate`]: the colliding model names are sorted (a model name that
//!   already is the Rust name first — `Foo` before `FOO` for types, `name` before `Name` for
//!   fields — then byte order), the first keeps the name and the k-th (k = 2, 3, …)
//!   gets the suffix `k` (`_k` for `snake_case`), skipping suffixed names already taken. The
//!   result depends only on the set of model names in the scope, never on model or hash order,
//!   and a name without a twin never changes. Operations are ordered by their (disambiguated)
//!   marker, so `GetFoo2` gets the module `get_foo_2`;
//! - crate names are the SDK id lower-cased, words joined by `-` ([`crate_name`]).
//!
//! [`crate::validate::names`] still checks every scope after lowering; a collision left there
//! would be a bug of this rule, reported as a model error naming both shapes.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Every keyword of Rust 2021, reserved ones included, and `gen` (reserved in 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Member names that would shadow a method of every structure builder or fluent builder: their
/// fields get the suffix `_value`.
pub const RESERVED_MEMBER_NAMES: &[&str] = &[
    "as_input",
    "build",
    "builder",
    "config",
    "customize",
    "default",
    "into_paginator",
    "new",
    "send",
];

/// Operation names that would shadow a method of every client: their modules and client
/// methods get the suffix `_operation`.
pub const RESERVED_OPERATION_NAMES: &[&str] = &[
    "as_input",
    "build",
    "builder",
    "clone",
    "config",
    "customize",
    "default",
    "from_conf",
    "into_paginator",
    "new",
    "send",
];

/// The names every generated crate defines at its root besides the service marker: its
/// modules and the re-exported `Client` and `Config`.
pub const CRATE_ROOT_NAMES: &[&str] = &[
    "Client",
    "Config",
    "client",
    "config",
    "error",
    "operation",
    "properties",
    "server",
    "service",
    "types",
    "validation",
];

/// The names of the generated `server` module besides the service trait: the re-exports of
/// `aws-json-server` and `service_builder`.
pub const SERVER_MODULE_NAMES: &[&str] = &[
    "AwsJsonService",
    "Caller",
    "RequestContext",
    "ServiceBuilder",
    "serve",
    "service_builder",
];

/// Library names a generated crate cannot take: the crates its code names by absolute path
/// (`::serde::…`, `::aws_json_runtime::…`), its tests' `proptest`, and the standard crates.
pub const RESERVED_LIBRARY_NAMES: &[&str] = &[
    "alloc",
    "aws_json_client",
    "aws_json_runtime",
    "aws_json_server",
    "core",
    "proptest",
    "serde",
    "std",
    "test",
];

/// Whether `name` is a Rust identifier as this module writes them: ASCII letters, digits and
/// `_`, not starting with a digit, not `_` alone, and a keyword only as a raw identifier
/// (`r#type`) of a keyword that can be raw.
pub fn is_identifier(name: &str) -> bool {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(bare) => (true, bare),
        None => (false, name),
    };
    let well_formed = bare
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && bare != "_";
    let keyword = KEYWORDS.contains(&bare);
    well_formed
        && if raw {
            keyword && !NOT_RAW.contains(&bare)
        } else {
            !keyword
        }
}

/// The name of the variant that holds unknown enum values.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// A type name: `UpperCamelCase`.
pub fn type_name(model_name: &str) -> String {
    escape(prefix_digit(model_name.to_upper_camel_case(), "V"))
}

/// A field, method or module name: `snake_case`.
pub fn snake_name(model_name: &str) -> String {
    escape(prefix_digit(model_name.to_snake_case(), "n"))
}

/// An enum variant for a model value (`IN_PROGRESS` → `InProgress`).
pub fn variant_name(value: &str) -> String {
    let name = type_name(value);
    let name = if name.is_empty() {
        "Empty".to_owned()
    } else {
        name
    };
    if name == UNKNOWN_VARIANT {
        format!("{UNKNOWN_VARIANT}Value")
    } else {
        name
    }
}

/// A member's field (and setter) name: [`snake_name`], with `_value` appended to names in
/// [`RESERVED_MEMBER_NAMES`].
pub fn member_name(model_name: &str) -> String {
    reserve(snake_name(model_name), RESERVED_MEMBER_NAMES, "_value")
}

/// An operation's module and client method name: [`snake_name`], with `_operation` appended
/// to names in [`RESERVED_OPERATION_NAMES`].
pub fn operation_module(model_name: &str) -> String {
    reserve(
        snake_name(model_name),
        RESERVED_OPERATION_NAMES,
        "_operation",
    )
}

fn reserve(name: String, reserved: &[&str], suffix: &str) -> String {
    if reserved.contains(&name.as_str()) {
        format!("{name}{suffix}")
    } else {
        name
    }
}

/// How a disambiguating suffix is joined to a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `Name2`
    UpperCamel,
    /// `name_2`
    Snake,
}

/// Makes the Rust names of one scope unique. `entries` are `(model name, Rust name)` pairs;
/// where several model names share a Rust name, they are sorted (a model name equal to the Rust
/// name first, then byte order), the first keeps the name, and
/// the others get the suffixes 2, 3, … (skipping names already taken in the scope). Returns the
/// new Rust names in the order of `entries`. Deterministic: the result depends only on the set
/// of entries, not on their order.
pub fn disambiguate(entries: &[(&str, &str)], case: Case) -> Vec<String> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, (_, rust)) in entries.iter().enumerate() {
        by_name.entry(rust).or_default().push(index);
    }
    let mut taken: BTreeSet<String> = by_name.keys().map(|name| (*name).to_owned()).collect();
    let mut result: Vec<String> = entries.iter().map(|(_, rust)| (*rust).to_owned()).collect();
    for (rust, mut indices) in by_name {
        if indices.len() < 2 {
            continue;
        }
        // A model name that already is the Rust name comes first, then byte order.
        indices.sort_by_key(|index| (entries[*index].0 != rust, entries[*index].0, *index));
        // `r#type` → `type_2`, `self_` → `self_2`: a suffixed name is never a keyword.
        let base = rust
            .strip_prefix("r#")
            .unwrap_or_else(|| rust.trim_end_matches('_'));
        let mut k = 2;
        for index in indices.into_iter().skip(1) {
            let name = loop {
                let candidate = match case {
                    Case::UpperCamel => format!("{base}{k}"),
                    Case::Snake => format!("{base}_{k}"),
                };
                k += 1;
                if !taken.contains(&candidate) {
                    break candidate;
                }
            };
            taken.insert(name.clone());
            result[index] = name;
        }
    }
    result
}

/// The builder type of a type.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The builder method that sets or clears a member: `set_` and the field without `r#`.
pub fn setter_name(field: &str) -> String {
    format!("set_{}", field.trim_start_matches("r#"))
}

/// The builder method that reads a member back: `get_` and the field without `r#`.
pub fn getter_name(field: &str) -> String {
    format!("get_{}", field.trim_start_matches("r#"))
}

/// The method of an operation error that tests for one case: `is_` and the case's type name in
/// `snake_case` (`ConflictException` → `is_conflict_exception`).
pub fn is_method_name(type_name: &str) -> String {
    format!("is_{}", type_name.to_snake_case())
}

/// The client's fluent builder of an operation (`CreatePermissionSetFluentBuilder`).
pub fn fluent_builder_name(marker: &str) -> String {
    format!("{marker}FluentBuilder")
}

/// The paginator of an operation (`ListInstancesPaginator`).
pub fn paginator_name(marker: &str) -> String {
    format!("{marker}Paginator")
}

/// The item stream of an operation's paginator (`ListInstancesPaginatorItems`).
pub fn items_paginator_name(marker: &str) -> String {
    format!("{marker}PaginatorItems")
}

/// The type of a waiter (`AccountAssignmentCreated` → `WaitUntilAccountAssignmentCreated`).
pub fn waiter_type_name(waiter: &str) -> String {
    format!("WaitUntil{}", waiter.to_upper_camel_case())
}

/// The client method that runs a waiter (`wait_until_account_assignment_created`).
pub fn waiter_method_name(waiter: &str) -> String {
    format!("wait_until_{}", snake_name(waiter).trim_start_matches("r#"))
}

/// The proptest strategy of a shape in the generated `properties` module
/// (`arb_types_account_assignment`): `module` is the shape's module (`types`, `error`, or the
/// operation's module), `shape` its Rust name.
pub fn strategy_name(module: &str, shape: &str) -> String {
    format!("arb_{module}_{}", shape.to_snake_case())
}

/// The round-trip property of a shape in the generated `properties` module
/// (`types_account_assignment_round_trips`); see [`strategy_name`].
pub fn round_trip_test_name(module: &str, shape: &str) -> String {
    format!("{module}_{}_round_trips", shape.to_snake_case())
}

/// The server trait of a service (`SsoAdmin` → `SsoAdminService`).
pub fn service_trait_name(marker: &str) -> String {
    format!("{marker}Service")
}

/// The library name of a crate: its package name with `-` as `_` (`sso-admin` → `sso_admin`).
pub fn library_name(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// The Rust crate (package) name of a service, from its SDK id as the AWS SDK for Rust makes
/// it: lower-cased, words separated by `-` (`SSO Admin` → `sso-admin`, `SageMaker` →
/// `sagemaker`, `DynamoDB` → `dynamodb`).
pub fn crate_name(sdk_id: &str) -> String {
    let words: Vec<String> = sdk_id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// An identifier token for a name made by this module (keywords become raw identifiers).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn prefix_digit(name: String, prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else {
        name
    }
}

fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_the_way_heck_splits_words() {
        assert_eq!(type_name("SWBExternalService"), "SwbExternalService");
        assert_eq!(type_name("UUId"), "UuId");
        assert_eq!(snake_name("PermissionSetArn"), "permission_set_arn");
        assert_eq!(
            snake_name("AccountAssignmentsCreationStatus"),
            "account_assignments_creation_status"
        );
        assert_eq!(variant_name("IN_PROGRESS"), "InProgress");
        assert_eq!(
            variant_name("LATEST_PERMISSION_SET_PROVISIONED"),
            "LatestPermissionSetProvisioned"
        );
    }

    #[test]
    fn escapes_keywords_digits_and_the_unknown_variant() {
        assert_eq!(snake_name("Type"), "r#type");
        assert_eq!(snake_name("Gen"), "r#gen");
        assert_eq!(snake_name("Self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(snake_name("Crate"), "crate_");
        assert_eq!(variant_name("2xlarge"), "V2xlarge");
        assert_eq!(snake_name("3d"), "n3d");
        assert_eq!(variant_name("unknown"), "UnknownValue");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(ident("r#type").to_string(), "r#type");
    }

    #[test]
    fn reserved_member_and_operation_names_get_suffixes() {
        assert_eq!(member_name("Build"), "build_value");
        assert_eq!(member_name("Send"), "send_value");
        assert_eq!(member_name("Name"), "name");
        assert_eq!(operation_module("Config"), "config_operation");
        assert_eq!(operation_module("CreateImage"), "create_image");
    }

    #[test]
    fn disambiguation_depends_on_the_set_not_the_order() {
        let a = disambiguate(&[("fooBar", "foo_bar"), ("FooBar", "foo_bar")], Case::Snake);
        assert_eq!(a, ["foo_bar_2", "foo_bar"]);
        let b = disambiguate(&[("FooBar", "foo_bar"), ("fooBar", "foo_bar")], Case::Snake);
        assert_eq!(b, ["foo_bar", "foo_bar_2"]);
        let taken = disambiguate(
            &[("FOO", "Foo"), ("Foo", "Foo"), ("Foo2", "Foo2")],
            Case::UpperCamel,
        );
        assert_eq!(taken, ["Foo3", "Foo", "Foo2"]);
        let raw = disambiguate(&[("Type", "r#type"), ("type", "r#type")], Case::Snake);
        assert_eq!(raw, ["r#type", "type_2"]);
    }

    #[test]
    fn derives_crate_names_from_the_sdk_id() {
        assert_eq!(crate_name("SSO Admin"), "sso-admin");
        assert_eq!(crate_name("DynamoDB"), "dynamodb");
        assert_eq!(crate_name("SageMaker"), "sagemaker");
        assert_eq!(crate_name("Timestream InfluxDB"), "timestream-influxdb");
    }
}

/// The names of the generated endpoint module (`config::endpoint`), shaped like the AWS SDK
/// for Rust's.
pub mod endpoint {
    /// The module below the crate root holding the configuration's parts.
    pub const CONFIG_MODULE: &str = "config";
    /// The endpoint module inside it.
    pub const MODULE: &str = "endpoint";
    /// The parameters of one resolution.
    pub const PARAMS: &str = "Params";
    /// Their builder.
    pub const PARAMS_BUILDER: &str = "ParamsBuilder";
    /// The resolver evaluating the service's rule set.
    pub const DEFAULT_RESOLVER: &str = "DefaultResolver";
    /// The `static` holding the rule set.
    pub const RULE_SET: &str = "RULE_SET";
    /// The file beside the module holding the rule set's JSON.
    pub const RULE_SET_FILE: &str = "endpoint_rule_set.json";
    /// The field of a parameter in `Params`, its getter and its builder setter.
    pub fn field(parameter: &str) -> String {
        super::member_name(parameter)
    }
    /// The builder's `Option` setter of a parameter.
    pub fn setter(parameter: &str) -> String {
        format!(
            "set_{}",
            super::member_name(parameter).trim_start_matches("r#")
        )
    }
}
