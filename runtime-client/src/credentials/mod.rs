//! Where credentials come from: the [`ProvideCredentials`] trait, the providers of the standard
//! chain, and a cache that refreshes temporary credentials ahead of their expiry.
//!
//! [`Config::from_env`](crate::Config::from_env) uses [`DefaultCredentialsChain`] behind a
//! [`LazyCredentialsCache`], in the order of the AWS SDKs:
//!
//! 1. environment variables ([`EnvironmentVariableCredentialsProvider`]);
//! 2. a web identity token with a role ([`WebIdentityTokenCredentialsProvider`], STS
//!    `AssumeRoleWithWebIdentity`);
//! 3. the selected profile of the shared files ([`ProfileFileCredentialsProvider`]: static keys,
//!    role chains through STS `AssumeRole`, `credential_process`, IAM Identity Center (SSO));
//! 4. the container endpoint of ECS and EKS Pod Identity ([`ContainerCredentialsProvider`]);
//! 5. the EC2 instance metadata service, IMDSv2 ([`ImdsCredentialsProvider`]).
//!
//! Users can plug in their own source by implementing [`ProvideCredentials`] and passing it to
//! [`ConfigBuilder::credentials_provider`](crate::ConfigBuilder::credentials_provider).
//!
//! Secrets (secret keys, session tokens, SSO and web identity tokens) never appear in `Debug`,
//! `Display`, errors or `tracing` events.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

pub use crate::config::Credentials;

mod cache;
mod chain;
mod container;
mod environment;
mod http;
mod imds;
mod process;
mod profile;
mod sso;
mod sts;
mod time;
mod web_identity;

pub use cache::{LazyCredentialsCache, LazyCredentialsCacheBuilder, TimeSource};
pub use chain::DefaultCredentialsChain;
pub use container::ContainerCredentialsProvider;
pub use environment::EnvironmentVariableCredentialsProvider;
pub use imds::ImdsCredentialsProvider;
pub(crate) use profile::profile_static_keys;
pub use profile::ProfileFileCredentialsProvider;
pub use web_identity::WebIdentityTokenCredentialsProvider;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The futures that credential providers return.
pub mod future {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use super::{Credentials, CredentialsError};

    type BoxFuture<'a> =
        Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

    /// The future returned by [`ProvideCredentials::provide_credentials`](super::ProvideCredentials::provide_credentials).
    pub struct ProvideCredentials<'a>(BoxFuture<'a>);

    impl<'a> ProvideCredentials<'a> {
        /// A future that runs `future`.
        pub fn new(
            future: impl Future<Output = Result<Credentials, CredentialsError>> + Send + 'a,
        ) -> Self {
            Self(Box::pin(future))
        }

        /// A future that is ready with `result`.
        pub fn ready(result: Result<Credentials, CredentialsError>) -> Self {
            Self::new(std::future::ready(result))
        }
    }

    impl Future for ProvideCredentials<'_> {
        type Output = Result<Credentials, CredentialsError>;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            self.0.as_mut().poll(cx)
        }
    }

    impl std::fmt::Debug for ProvideCredentials<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("ProvideCredentials")
        }
    }
}

/// A source of AWS credentials, asynchronous and object-safe, like `ProvideCredentials` of the
/// AWS SDK for Rust.
///
/// ```
/// use aws_json_client::credentials::{future, Credentials, CredentialsError, ProvideCredentials};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
///     where
///         Self: 'a,
///     {
///         future::ProvideCredentials::new(async {
///             // ... fetch them from somewhere ...
///             Ok(Credentials::new("AKID", "SECRET", None))
///         })
///     }
/// }
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Loads credentials. A provider that has nothing to offer (its source is not configured)
    /// answers [`CredentialsError::not_loaded`], which makes a chain try its next provider.
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Ok(self.clone()))
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.as_ref().provide_credentials()
    }
}

/// A credentials provider behind an `Arc`, cheap to clone.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self(Arc::new(provider))
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.provide_credentials()
    }
}

/// What kind of failure a [`CredentialsError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The provider's source is not configured here; a chain tries the next provider.
    NotLoaded,
    /// The source is configured, but in a way that cannot work (a missing key, a loop of
    /// profiles, MFA).
    InvalidConfiguration,
    /// The source was asked and failed (an error response, an unreadable answer, a failing
    /// command).
    ProviderError,
}

/// Why credentials could not be loaded. The message never holds a secret.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    source: Option<BoxError>,
}

impl CredentialsError {
    /// The provider's source is not configured (`message` says what is missing).
    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotLoaded, message)
    }

    /// The source is configured in a way that cannot work.
    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, message)
    }

    /// The source failed.
    pub fn provider_error(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderError, message)
    }

    fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// The same error, caused by `source`.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// Whether the provider's source is not configured, so that a chain goes on.
    pub fn is_not_loaded(&self) -> bool {
        self.kind == CredentialsErrorKind::NotLoaded
    }

    /// The message and the messages of its causes, joined by `: `.
    pub(crate) fn full_message(&self) -> String {
        let mut text = self.message.clone();
        let mut cause = self
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static));
        while let Some(error) = cause {
            text.push_str(": ");
            text.push_str(&error.to_string());
            cause = error.source();
        }
        text
    }

    /// The same error with `context` in front of its message.
    pub(crate) fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for CredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|error| error as &(dyn StdError + 'static))
    }
}
