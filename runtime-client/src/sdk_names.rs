//! The names that code written for the AWS SDK for Rust uses to configure a client, so that
//! it compiles against a generated crate unchanged: [`Region`], [`BehaviorVersion`],
//! `config::Builder::new()`, `.behavior_version(..)` and `Credentials::from_keys(..)`.

use std::borrow::Cow;
use std::fmt;

use crate::config::{ConfigBuilder, Credentials};

/// An AWS region, e.g. `us-east-1`. Converts into the `String` that
/// [`ConfigBuilder::region`] takes, so `.region(Region::new("us-east-1"))` and
/// `.region("us-east-1")` both work.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// The region named `region`.
    pub fn new(region: impl Into<Cow<'static, str>>) -> Self {
        Self(region.into())
    }

    /// A region from a string literal, usable in constants.
    pub const fn from_static(region: &'static str) -> Self {
        Self(Cow::Borrowed(region))
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Region> for String {
    fn from(region: Region) -> Self {
        region.0.into_owned()
    }
}

/// The AWS SDK for Rust's behavior version. This client has one behavior, so the version is
/// accepted and changes nothing; it exists so that SDK code setting it compiles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct BehaviorVersion;

impl BehaviorVersion {
    /// The latest behavior: the only one.
    pub const fn latest() -> Self {
        Self
    }
}

impl ConfigBuilder {
    /// A builder with nothing set, as [`Config::builder`](crate::Config::builder).
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts a behavior version; see [`BehaviorVersion`].
    pub fn behavior_version(self, _version: BehaviorVersion) -> Self {
        self
    }
}

impl Credentials {
    /// Static credentials from keys, as [`Credentials::new`].
    pub fn from_keys(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self::new(access_key_id, secret_access_key, session_token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    #[test]
    fn sdk_style_configuration_sets_the_same_values() {
        let config = ConfigBuilder::new()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
            .build();
        assert_eq!(config.region(), Some("eu-west-1"));
        assert!(config.credentials_provider().is_some());
        assert_eq!(
            Config::builder()
                .region(Region::from_static("us-east-1"))
                .build()
                .region(),
            Some("us-east-1")
        );
    }
}
