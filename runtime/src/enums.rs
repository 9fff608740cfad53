use std::fmt;

/// A value of a string enum that this version of the crate does not know, kept as received so
/// that it round-trips unchanged.
///
/// Only generated code creates it, and only for values that are not known variants, so that
/// every known value has exactly one representation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// For generated code: wraps a value that is not one of the enum's known values.
    #[doc(hidden)]
    pub fn from_unknown(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
