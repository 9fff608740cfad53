//! JSON (de)serialization whose errors name the member that was wrong.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

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

/// Serializes a value to JSON bytes.
pub fn to_vec<T: Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(value)
}
