//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.

use std::fmt;
use std::sync::Arc;

use super::{future, Credentials, CredentialsError, ProvideCredentials};
use crate::env::{non_empty, Env, ProcessEnv};

/// Credentials from the environment: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, with
/// `AWS_SESSION_TOKEN` for temporary credentials and `AWS_CREDENTIAL_EXPIRATION` (RFC 3339) for
/// their expiry. Read at each call.
#[derive(Clone)]
pub struct EnvironmentVariableCredentialsProvider {
    env: Arc<dyn Env>,
}

impl fmt::Debug for EnvironmentVariableCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvironmentVariableCredentialsProvider")
    }
}

impl Default for EnvironmentVariableCredentialsProvider {
    fn default() -> Self {
        Self::new(ProcessEnv)
    }
}

impl EnvironmentVariableCredentialsProvider {
    /// A provider reading `env`.
    pub fn new(env: impl Env) -> Self {
        Self::from_shared(Arc::new(env))
    }

    pub(crate) fn from_shared(env: Arc<dyn Env>) -> Self {
        Self { env }
    }

    pub(crate) fn load(&self) -> Result<Credentials, CredentialsError> {
        load(self.env.as_ref())
    }
}

/// The credentials of `env`'s variables.
pub(crate) fn load(env: &dyn Env) -> Result<Credentials, CredentialsError> {
    let id = non_empty(env, "AWS_ACCESS_KEY_ID");
    let secret = non_empty(env, "AWS_SECRET_ACCESS_KEY");
    let (id, secret) = match (id, secret) {
        (Some(id), Some(secret)) => (id, secret),
        (None, None) => {
            return Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            ))
        }
        (Some(_), None) => {
            return Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ))
        }
        (None, Some(_)) => {
            return Err(CredentialsError::not_loaded(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            ))
        }
    };
    let credentials = Credentials::new(id, secret, non_empty(env, "AWS_SESSION_TOKEN"));
    match non_empty(env, "AWS_CREDENTIAL_EXPIRATION") {
        None => Ok(credentials),
        Some(text) => match super::time::parse_rfc3339(&text) {
            Some(expiry) => Ok(credentials.with_expiry(expiry)),
            None => Err(CredentialsError::invalid_configuration(format!(
                "AWS_CREDENTIAL_EXPIRATION `{text}` is not an RFC 3339 timestamp"
            ))),
        },
    }
}

impl ProvideCredentials for EnvironmentVariableCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.load())
    }
}
