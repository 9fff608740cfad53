//! Constraint checks for server-side input validation, with the messages AWS services use
//! (`1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: ...`).
//!
//! Generated code implements [`Validate`] for every input, calling the `check_*` helpers.

use std::fmt;

use crate::{Operation, ServiceShape};

/// One broken constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The member path, e.g. `tags.1.member.key`.
    pub path: String,
    /// The offending value, when it is printable (never for sensitive members).
    pub value: Option<String>,
    /// The rule, e.g. `Member must have length less than or equal to 32`.
    pub constraint: String,
}

/// Every broken constraint of one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// Records a broken constraint.
    pub fn push(&mut self, path: &str, value: Option<String>, constraint: impl Into<String>) {
        self.0.push(Violation {
            path: path.to_owned(),
            value,
            constraint: constraint.into(),
        });
    }

    /// Whether nothing was broken.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The broken constraints.
    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.0.iter()
    }
}

impl fmt::Display for Violations {
    /// The message of the `ValidationException` AWS would send.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "{count} validation error{} detected: ",
            if count == 1 { "" } else { "s" }
        )?;
        for (index, violation) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            match &violation.value {
                Some(value) => write!(
                    f,
                    "Value '{value}' at '{}' failed to satisfy constraint: {}",
                    violation.path, violation.constraint
                )?,
                None => write!(
                    f,
                    "Value at '{}' failed to satisfy constraint: {}",
                    violation.path, violation.constraint
                )?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// A value whose model constraints can be checked.
pub trait Validate {
    /// Records every constraint the value breaks, with member paths below `path`.
    fn validate(&self, path: &str, violations: &mut Violations);
}

/// Checks `value` and everything inside it.
pub fn validate<T: Validate>(value: &T) -> Result<(), Violations> {
    let mut violations = Violations::default();
    value.validate("", &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

/// A service whose every operation's input can be read and checked and whose output can be
/// written: what a server that registers operations generically needs, beside
/// [`ServiceShape`] (which clients use, without validation). Generated crates implement it
/// with their `validate` feature (which brings `serde-all`).
pub trait ValidatedShape: ServiceShape {
    /// Calls `visitor.visit::<O>()` once for every operation of the service, sorted by name.
    fn visit_validated_operations<V: ValidatedOperationVisitor>(visitor: &mut V);
}

/// An operation whose input validates, and whose input and output serialize and deserialize:
/// what generic server code, and tests that drive a client and a server, need. Every generated
/// operation is one with its crate's `validate` feature (which brings `serde-all`).
pub trait ValidatedOperation:
    Operation<
    Input: Validate + serde::Serialize + serde::de::DeserializeOwned,
    Output: serde::Serialize + serde::de::DeserializeOwned,
>
{
}

impl<O> ValidatedOperation for O
where
    O: Operation,
    O::Input: Validate + serde::Serialize + serde::de::DeserializeOwned,
    O::Output: serde::Serialize + serde::de::DeserializeOwned,
{
}

/// Generic code run once per operation by [`ValidatedShape::visit_validated_operations`].
pub trait ValidatedOperationVisitor {
    /// Called with each operation's marker type.
    fn visit<O: ValidatedOperation>(&mut self);
}

/// The path of a member below `parent`, in AWS's style (`parent.member`, first letter lower case).
pub fn member_path(parent: &str, member: &str) -> String {
    // Built in one allocation: generated validation computes a path for every member present.
    let mut path = String::with_capacity(parent.len() + 1 + member.len());
    if !parent.is_empty() {
        path.push_str(parent);
        path.push('.');
    }
    let mut chars = member.chars();
    if let Some(first) = chars.next() {
        path.push(first.to_ascii_lowercase());
        path.push_str(chars.as_str());
    }
    path
}

/// The path of a list element (AWS numbers them from 1).
pub fn item_path(parent: &str, index: usize) -> String {
    format!("{parent}.{}.member", index + 1)
}

/// Implemented by values whose length a `length` constraint measures.
pub trait Length {
    /// Characters for strings (Unicode scalar values), items for lists and maps, bytes for blobs.
    fn length(&self) -> usize;

    /// Bounds `(at least, at most)` of [`length`](Self::length) known without computing it;
    /// the exact length unless a type knows cheaper bounds.
    fn length_bounds(&self) -> (usize, usize) {
        let length = self.length();
        (length, length)
    }
}

impl Length for String {
    fn length(&self) -> usize {
        self.chars().count()
    }

    /// A character takes one to four bytes of UTF-8.
    fn length_bounds(&self) -> (usize, usize) {
        (self.len().div_ceil(4), self.len())
    }
}

impl<T> Length for Vec<T> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<K, V, S> Length for std::collections::HashMap<K, V, S> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl Length for crate::Blob {
    fn length(&self) -> usize {
        self.as_bytes().len()
    }
}

/// `length`: `min ≤ length ≤ max`.
pub fn check_length(
    path: &str,
    value: &impl Length,
    shown: Option<&str>,
    min: Option<u64>,
    max: Option<u64>,
    v: &mut Violations,
) {
    let (at_least, at_most) = value.length_bounds();
    if min.is_none_or(|min| at_least as u64 >= min) && max.is_none_or(|max| at_most as u64 <= max) {
        // Within the bounds whatever the exact length: no need to count characters.
        return;
    }
    let length = value.length() as u64;
    if let Some(min) = min.filter(|min| length < *min) {
        v.push(
            path,
            shown.map(str::to_owned),
            format!("Member must have length greater than or equal to {min}"),
        );
    }
    if let Some(max) = max.filter(|max| length > *max) {
        v.push(
            path,
            shown.map(str::to_owned),
            format!("Member must have length less than or equal to {max}"),
        );
    }
}

/// `range`: `min ≤ value ≤ max`.
pub fn check_range(path: &str, value: f64, min: Option<f64>, max: Option<f64>, v: &mut Violations) {
    if let Some(min) = min.filter(|min| value < *min) {
        v.push(
            path,
            Some(value.to_string()),
            format!("Member must have value greater than or equal to {min}"),
        );
    }
    if let Some(max) = max.filter(|max| value > *max) {
        v.push(
            path,
            Some(value.to_string()),
            format!("Member must have value less than or equal to {max}"),
        );
    }
}

/// `pattern`: an ECMA-262 regular expression that matches anywhere in the value unless anchored.
pub fn check_pattern(
    path: &str,
    value: &str,
    pattern: &Pattern,
    sensitive: bool,
    v: &mut Violations,
) {
    if !pattern.is_match(value) {
        let shown = (!sensitive).then(|| value.to_owned());
        v.push(
            path,
            shown,
            format!(
                "Member must satisfy regular expression pattern: {}",
                pattern.source()
            ),
        );
    }
}

/// An enum value the model does not list.
pub fn check_enum(path: &str, value: &str, known: &[&str], v: &mut Violations) {
    if !known.contains(&value) {
        v.push(
            path,
            Some(value.to_owned()),
            format!("Member must satisfy enum value set: [{}]", known.join(", ")),
        );
    }
}

/// A compiled Smithy `pattern`.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    regex: regress::Regex,
}

impl Pattern {
    /// Compiles a pattern with ECMA-262 semantics: Unicode mode (for `\p{..}`) when the pattern
    /// is valid there, else the Annex B grammar that allows identity escapes such as `\ `.
    /// Generated code only passes patterns the generator has already compiled.
    pub fn new(source: &'static str) -> Result<Self, regress::Error> {
        let regex =
            regress::Regex::with_flags(source, "u").or_else(|_| regress::Regex::new(source))?;
        Ok(Self { source, regex })
    }

    /// Compiles `regex` with the ECMA-262 `flags` (`i`, `m`, `s`), in Unicode mode when valid
    /// there; `source` is the pattern as messages quote it (as the model wrote it, with a Java
    /// inline flag group such as `(?s)` that the generator translated to `flags`, and without
    /// the anchors that make it match the whole value, as AWS quotes it).
    pub fn with_flags(
        source: &'static str,
        regex: &'static str,
        flags: &'static str,
    ) -> Result<Self, regress::Error> {
        let regex = regress::Regex::with_flags(regex, format!("{flags}u").as_str())
            .or_else(|_| regress::Regex::with_flags(regex, flags))?;
        Ok(Self { source, regex })
    }

    /// Whether the pattern matches anywhere in `value`.
    pub fn is_match(&self, value: &str) -> bool {
        self.regex.find(value).is_some()
    }

    /// The pattern as messages quote it.
    pub fn source(&self) -> &'static str {
        self.source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_like_aws() {
        let mut v = Violations::default();
        check_length(
            &member_path("", "Name"),
            &"x".repeat(40),
            Some(&"x".repeat(40)),
            Some(1),
            Some(32),
            &mut v,
        );
        assert_eq!(
            v.to_string(),
            format!("1 validation error detected: Value '{}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32", "x".repeat(40))
        );
        check_enum("principalType", "ROBOT", &["USER", "GROUP"], &mut v);
        assert!(v.to_string().starts_with("2 validation errors detected: "));
        assert!(v
            .to_string()
            .ends_with("Member must satisfy enum value set: [USER, GROUP]"));
    }

    #[test]
    fn patterns_match_anywhere_unless_anchored_and_support_unicode_classes() {
        let unanchored = Pattern::new("\\d{12}").unwrap();
        assert!(unanchored.is_match("account 123456789012 here"));
        let anchored = Pattern::new("^[a-zA-Z0-9-]*$").unwrap();
        assert!(!anchored.is_match("ab cd"));
        let unicode = Pattern::new("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$").unwrap();
        assert!(unicode.is_match("Größe 42"));
        assert!(!unicode.is_match("tab\there"));
        let lookahead = Pattern::new("^(-?)P(?=\\d|T\\d)(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)([DW]))?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?$").unwrap();
        assert!(lookahead.is_match("PT4H"));
        assert!(!lookahead.is_match("PT"));
        let annex_b =
            Pattern::new("[a-zA-Z0-9&$@#\\\\\\/%?=~\\-_'\"|!:,.;*+\\[\\]\\ \\(\\)\\{\\}]+")
                .unwrap();
        assert!(annex_b.is_match("https://example.com/a b"));
        let dot_all = Pattern::with_flags("(?s).{1,3}", ".{1,3}", "s").unwrap();
        assert!(dot_all.is_match("\n"));
        assert_eq!(dot_all.source(), "(?s).{1,3}");
        let case = Pattern::with_flags("^(?i)(true|false)$", "^(true|false)$", "i").unwrap();
        assert!(case.is_match("TRUE"));
        assert!(!case.is_match("yes"));
    }

    #[test]
    fn member_paths_lower_the_first_letter_below_their_parent() {
        assert_eq!(member_path("", "InstanceArn"), "instanceArn");
        assert_eq!(member_path("tags.1.member", "Key"), "tags.1.member.key");
        assert_eq!(member_path("a", "Éclair"), "a.Éclair");
        assert_eq!(member_path("a", ""), "a.");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut v = Violations::default();
        check_length("x", &"ééé".to_owned(), None, None, Some(3), &mut v);
        assert!(v.is_empty());
        // Four bytes, but two characters: below a minimum of 3, which the bytes are not.
        check_length("x", &"éé".to_owned(), None, Some(3), None, &mut v);
        assert_eq!(v.iter().count(), 1);
        // Four characters in 13 bytes, over a maximum of 3.
        check_length("x", &"a𝄞𝄞𝄞".to_owned(), None, None, Some(3), &mut v);
        assert_eq!(v.iter().count(), 2);
        check_length("x", &"a𝄞𝄞".to_owned(), None, Some(3), Some(3), &mut v);
        assert_eq!(v.iter().count(), 2);
    }
}
