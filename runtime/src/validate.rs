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

/// The broken constraints of one input: every one counted, the first
/// [`MAX_REPORTED`](Self::MAX_REPORTED) kept with their paths and values, so that an input of
/// many bad items (a list of 300,000 empty strings fits in a 1 MiB body) costs a counter, not
/// a 40 MB message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Violations {
    kept: Vec<Violation>,
    count: usize,
}

impl Violations {
    /// How many violations a message names; it counts all of them.
    pub const MAX_REPORTED: usize = 100;

    /// Records a broken constraint: `value` is the offending value as the message shows it
    /// (`None` when it is not printable, as for sensitive members). Nothing is formatted
    /// beyond the first [`MAX_REPORTED`](Self::MAX_REPORTED).
    pub fn push(
        &mut self,
        path: &Path<'_>,
        value: Option<&dyn fmt::Display>,
        constraint: impl fmt::Display,
    ) {
        self.count += 1;
        if self.kept.len() < Self::MAX_REPORTED {
            self.kept.push(Violation {
                path: path.to_string(),
                value: value.map(ToString::to_string),
                constraint: constraint.to_string(),
            });
        }
    }

    /// Whether nothing was broken.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// How many constraints were broken, named in the message or not.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The broken constraints the message names: the first
    /// [`MAX_REPORTED`](Self::MAX_REPORTED).
    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.kept.iter()
    }
}

impl fmt::Display for Violations {
    /// The message of the `ValidationException` AWS would send.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.count;
        write!(
            f,
            "{count} validation error{} detected: ",
            if count == 1 { "" } else { "s" }
        )?;
        for (index, violation) in self.kept.iter().enumerate() {
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
    fn validate(&self, path: &Path<'_>, violations: &mut Violations);
}

/// Checks `value` and everything inside it.
pub fn validate<T: Validate>(value: &T) -> Result<(), Violations> {
    let mut violations = Violations::default();
    value.validate(&Path::Root, &mut violations);
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

/// Where a value sits in an input, as AWS's messages name it (`tags.1.member.key`): a chain of
/// borrowed steps on the stack, written out only when a violation names it, so that a valid
/// input costs no allocation for its paths.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The input itself.
    Root,
    /// A member of a structure or union (written with its first letter in lower case).
    Member(&'a Path<'a>, &'a str),
    /// An element of a list (AWS numbers them from 1: `.1.member`).
    Item(&'a Path<'a>, usize),
    /// The value of a map entry, under its key as it is.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The member `name` below this path.
    #[inline]
    pub fn member(&'a self, name: &'a str) -> Self {
        Path::Member(self, name)
    }

    /// The list element at `index` (from 0) below this path.
    #[inline]
    pub fn item(&'a self, index: usize) -> Self {
        Path::Item(self, index)
    }

    /// The map value under `key` below this path.
    #[inline]
    pub fn key(&'a self, key: &'a str) -> Self {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Member(parent, name) => {
                if !matches!(parent, Path::Root) {
                    write!(f, "{parent}.")?;
                }
                let mut chars = name.chars();
                match chars.next() {
                    Some(first) => write!(f, "{}{}", first.to_ascii_lowercase(), chars.as_str()),
                    None => Ok(()),
                }
            }
            Path::Item(parent, index) => write!(f, "{parent}.{}.member", index + 1),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
        }
    }
}

/// The path of a member below `parent`, in AWS's style (`parent.member`, first letter lower
/// case), for paths built from names known only at run time.
pub fn member_path(parent: &str, member: &str) -> String {
    let member = Path::Root.member(member);
    if parent.is_empty() {
        member.to_string()
    } else {
        format!("{parent}.{member}")
    }
}

/// The path of a list element (AWS numbers them from 1), written as [`Path::Item`] is.
pub fn item_path(parent: &str, index: usize) -> String {
    format!("{parent}{}", Path::Root.item(index))
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
    path: &Path<'_>,
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
    let shown = shown.as_ref().map(|shown| shown as &dyn fmt::Display);
    if let Some(min) = min.filter(|min| length < *min) {
        v.push(
            path,
            shown,
            format_args!("Member must have length greater than or equal to {min}"),
        );
    }
    if let Some(max) = max.filter(|max| length > *max) {
        v.push(
            path,
            shown,
            format_args!("Member must have length less than or equal to {max}"),
        );
    }
}

/// `range`: `min ≤ value ≤ max`.
pub fn check_range(
    path: &Path<'_>,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
    v: &mut Violations,
) {
    if let Some(min) = min.filter(|min| value < *min) {
        v.push(
            path,
            Some(&value),
            format_args!("Member must have value greater than or equal to {min}"),
        );
    }
    if let Some(max) = max.filter(|max| value > *max) {
        v.push(
            path,
            Some(&value),
            format_args!("Member must have value less than or equal to {max}"),
        );
    }
}

/// `pattern`: an ECMA-262 regular expression that matches anywhere in the value unless anchored.
pub fn check_pattern(
    path: &Path<'_>,
    value: &str,
    pattern: &Pattern,
    sensitive: bool,
    v: &mut Violations,
) {
    if !pattern.is_match(value) {
        let shown = (!sensitive).then_some(&value as &dyn fmt::Display);
        v.push(
            path,
            shown,
            format_args!(
                "Member must satisfy regular expression pattern: {}",
                pattern.source()
            ),
        );
    }
}

/// An enum value the model does not list.
pub fn check_enum(path: &Path<'_>, value: &str, known: &[&str], v: &mut Violations) {
    if !known.contains(&value) {
        v.push(
            path,
            Some(&value),
            format_args!("Member must satisfy enum value set: [{}]", Joined(known)),
        );
    }
}

/// A list written as its items joined by `, `.
struct Joined<'a>(&'a [&'a str]);

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, item) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            f.write_str(item)?;
        }
        Ok(())
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
            &Path::Root.member("Name"),
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
        check_enum(
            &Path::Root.member("PrincipalType"),
            "ROBOT",
            &["USER", "GROUP"],
            &mut v,
        );
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
    fn a_message_names_the_first_violations_and_counts_them_all() {
        let mut v = Violations::default();
        let root = Path::Root;
        let keys = root.member("TagKeys");
        for index in 0..100_000 {
            check_length(
                &keys.item(index),
                &String::new(),
                Some(""),
                Some(1),
                None,
                &mut v,
            );
        }
        assert_eq!(v.count(), 100_000);
        assert_eq!(v.iter().count(), Violations::MAX_REPORTED);
        let message = v.to_string();
        assert!(
            message.starts_with(
                "100000 validation errors detected: Value '' at 'tagKeys.1.member' failed"
            ),
            "{message}"
        );
        assert!(message.ends_with("Value '' at 'tagKeys.100.member' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{message}");
        assert!(message.len() < 100 * 120, "{} bytes", message.len());
    }

    #[test]
    fn lazy_paths_read_as_the_string_paths_do() {
        let root = Path::Root;
        let tags = root.member("Tags");
        let tag = tags.item(0);
        assert_eq!(tag.member("Key").to_string(), "tags.1.member.key");
        assert_eq!(
            tag.member("Key").to_string(),
            member_path(&item_path(&member_path("", "Tags"), 0), "Key")
        );
        let map = root.member("Attributes");
        assert_eq!(
            map.key("Owner").member("Éclair").to_string(),
            "attributes.Owner.Éclair"
        );
        assert_eq!(root.to_string(), "");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut v = Violations::default();
        check_length(
            &Path::Root.member("x"),
            &"ééé".to_owned(),
            None,
            None,
            Some(3),
            &mut v,
        );
        assert!(v.is_empty());
        // Four bytes, but two characters: below a minimum of 3, which the bytes are not.
        check_length(
            &Path::Root.member("x"),
            &"éé".to_owned(),
            None,
            Some(3),
            None,
            &mut v,
        );
        assert_eq!(v.iter().count(), 1);
        // Four characters in 13 bytes, over a maximum of 3.
        check_length(
            &Path::Root.member("x"),
            &"a𝄞𝄞𝄞".to_owned(),
            None,
            None,
            Some(3),
            &mut v,
        );
        assert_eq!(v.iter().count(), 2);
        check_length(
            &Path::Root.member("x"),
            &"a𝄞𝄞".to_owned(),
            None,
            Some(3),
            Some(3),
            &mut v,
        );
        assert_eq!(v.iter().count(), 2);
    }
}
