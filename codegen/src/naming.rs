//! The one place Rust names are made from model names.
//!
//! The rule, applied everywhere:
//! - types and enum variants are `UpperCamelCase`, members, modules and methods `snake_case`
//!   (heck's word splitting: `SWBExternalService` → `SwbExternalService`, `UUId` → `UuId`);
//! - a name that starts with a digit gets a prefix (`V` for variants and types, `n` for the
//!   rest), since Rust identifiers cannot;
//! - keywords become raw identifiers (`r#type`), except the four that cannot be raw
//!   (`self`, `Self`, `super`, `crate`), which get a trailing underscore (`self_`, `Self_`);
//! - the enum variant `Unknown` is reserved for values the crate does not know, so a model value
//!   that converts to `Unknown` becomes `UnknownValue`.
//!
//! Two model names that convert to the same Rust name in one scope are a model error, found by
//! [`crate::validate::names`], never silently renamed.

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

/// The builder type of a type.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The Rust crate (package) name of a service, from its SDK id: `SSO Admin` → `sso-admin`.
pub fn crate_name(sdk_id: &str) -> String {
    sdk_id.to_snake_case().replace('_', "-")
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
    fn derives_crate_names_from_the_sdk_id() {
        assert_eq!(crate_name("SSO Admin"), "sso-admin");
        assert_eq!(crate_name("DynamoDB"), "dynamo-db");
    }
}
