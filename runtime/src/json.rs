//! JSON (de)serialization whose errors name the member that was wrong.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

mod writer;

/// A JSON document that does not fit the expected shape, with the path of the offending member.
#[derive(Debug)]
pub struct DeserializeError {
    path: String,
    inner: serde_json::Error,
}

impl DeserializeError {
    /// The path of the member at fault, e.g. `Tags[0].Key`, or `.` for the document itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the document is not JSON at all (as opposed to JSON of the wrong shape).
    pub fn is_syntax(&self) -> bool {
        matches!(
            self.inner.classify(),
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof
        )
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path == "." {
            write!(f, "{}", self.inner)
        } else {
            write!(f, "at `{}`: {}", self.path, self.inner)
        }
    }
}

impl std::error::Error for DeserializeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}

/// Deserializes `T` from JSON bytes; an error names the path of the member at fault.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DeserializeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| DeserializeError {
            path: error.path().to_string(),
            inner: error.into_inner(),
        })?;
    deserializer.end().map_err(|inner| DeserializeError {
        path: ".".to_owned(),
        inner,
    })?;
    Ok(value)
}

/// The first capacity of [`to_vec`]'s buffer: most documents fit, so it is not regrown.
const TO_VEC_CAPACITY: usize = 1024;

/// Serializes a value to JSON bytes: the bytes serde_json writes, with a faster string escape
/// (see the `writer` module).
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(TO_VEC_CAPACITY);
    value.serialize(&mut writer::Writer::new(&mut out))?;
    Ok(out)
}

/// How a waiter compares the value found at a path of an output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathComparator {
    /// The value is the expected string.
    StringEquals,
    /// The value is the expected boolean (`"true"` or `"false"`).
    BooleanEquals,
    /// There are values, and every one is the expected string.
    AllStringEquals,
    /// Some value is the expected string.
    AnyStringEquals,
}

/// Whether the value at `path` in the JSON form of `value` compares as `expected`.
///
/// `path` is the JMESPath subset that waiters use: member names separated by `.`, where a name
/// followed by `[]` projects over the elements of a list (`Items[].State`).
pub fn path_matches<T: Serialize>(
    value: &T,
    path: &str,
    comparator: PathComparator,
    expected: &str,
) -> bool {
    let Ok(root) = serde_json::to_value(value) else {
        return false;
    };
    let mut found = vec![root];
    for segment in path.split('.') {
        let (name, project) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        found = found
            .into_iter()
            .filter_map(|value| value.get(name).cloned())
            .flat_map(|value| match (project, value) {
                (true, serde_json::Value::Array(items)) => items,
                (true, _) => Vec::new(),
                (false, value) => vec![value],
            })
            .collect();
    }
    let is = |value: &serde_json::Value| value.as_str() == Some(expected);
    match comparator {
        PathComparator::StringEquals => matches!(found.as_slice(), [value] if is(value)),
        PathComparator::BooleanEquals => {
            matches!(found.as_slice(), [value] if value.as_bool().map(|b| b.to_string()).as_deref() == Some(expected))
        }
        PathComparator::AllStringEquals => !found.is_empty() && found.iter().all(is),
        PathComparator::AnyStringEquals => found.iter().any(is),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_select_members_and_project_lists() {
        let value = json!({"Status": {"State": "DONE", "Ok": true}, "Items": [{"State": "A"}, {"State": "A"}]});
        assert!(path_matches(
            &value,
            "Status.State",
            PathComparator::StringEquals,
            "DONE"
        ));
        assert!(!path_matches(
            &value,
            "Status.State",
            PathComparator::StringEquals,
            "FAILED"
        ));
        assert!(!path_matches(
            &value,
            "Status.Missing",
            PathComparator::StringEquals,
            "DONE"
        ));
        assert!(path_matches(
            &value,
            "Status.Ok",
            PathComparator::BooleanEquals,
            "true"
        ));
        assert!(path_matches(
            &value,
            "Items[].State",
            PathComparator::AllStringEquals,
            "A"
        ));
        assert!(path_matches(
            &value,
            "Items[].State",
            PathComparator::AnyStringEquals,
            "A"
        ));
        assert!(!path_matches(
            &json!({"Items": []}),
            "Items[].State",
            PathComparator::AllStringEquals,
            "A"
        ));
    }
}
