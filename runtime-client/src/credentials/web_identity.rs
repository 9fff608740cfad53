//! Credentials for a role, from a web identity (OIDC) token file: CI systems and EKS (IRSA).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use super::http::Http;
use super::sts::{default_session_name, AssumeRole, Sts};
use super::{future, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{ConfigError, ConfiguredEndpoints};
use crate::env::{non_empty, Env, ProcessEnv};
use crate::profile::{Profile, ProfileSet};

/// Credentials from STS `AssumeRoleWithWebIdentity` with the token in
/// `AWS_WEB_IDENTITY_TOKEN_FILE` (read again at each call: it rotates), the role
/// `AWS_ROLE_ARN` and the session name `AWS_ROLE_SESSION_NAME` (generated when unset).
///
/// STS is called in the region of `AWS_REGION` (else `AWS_DEFAULT_REGION`, else the configured
/// region, else `us-east-1`), at `AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL` when set (in the
/// default chain also at the STS endpoint of the profile's `[services]` section or its
/// `endpoint_url`).
#[derive(Clone)]
pub struct WebIdentityTokenCredentialsProvider {
    env: Arc<dyn Env>,
    http: Arc<Http>,
    region: Option<String>,
    endpoints: Result<ConfiguredEndpoints, Arc<ConfigError>>,
}

impl fmt::Debug for WebIdentityTokenCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityTokenCredentialsProvider")
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl Default for WebIdentityTokenCredentialsProvider {
    fn default() -> Self {
        Self::new(ProcessEnv)
    }
}

impl WebIdentityTokenCredentialsProvider {
    /// A provider reading `env`.
    pub fn new(env: impl Env) -> Self {
        let env: Arc<dyn Env> = Arc::new(env);
        let endpoints =
            ConfiguredEndpoints::load(&env, &ProfileSet::default(), &Profile::default());
        Self {
            env,
            http: Arc::default(),
            region: None,
            endpoints: endpoints.map_err(Arc::new),
        }
    }

    pub(crate) fn from_shared(
        env: Arc<dyn Env>,
        http: Arc<Http>,
        region: Option<String>,
        endpoints: ConfiguredEndpoints,
    ) -> Self {
        Self {
            env,
            http,
            region,
            endpoints: Ok(endpoints),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let env = self.env.as_ref();
        let Some(token_file) = non_empty(env, "AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Err(CredentialsError::not_loaded(
                "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            ));
        };
        let Some(role_arn) = non_empty(env, "AWS_ROLE_ARN") else {
            return Err(CredentialsError::invalid_configuration(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
            ));
        };
        let region = non_empty(env, "AWS_REGION")
            .or_else(|| non_empty(env, "AWS_DEFAULT_REGION"))
            .or_else(|| self.region.clone())
            .unwrap_or_else(|| "us-east-1".to_owned());
        let role = AssumeRole {
            role_arn,
            session_name: non_empty(env, "AWS_ROLE_SESSION_NAME")
                .unwrap_or_else(|| default_session_name("web-identity")),
            external_id: None,
            duration_seconds: None,
        };
        let endpoints = self.endpoints.as_ref().map_err(|error| {
            CredentialsError::invalid_configuration("the endpoint configuration is invalid")
                .with_source(Arc::clone(error))
        })?;
        let sts = Sts {
            http: &self.http,
            endpoints,
            region: &region,
        };
        assume_with_token_file(&sts, &role, Path::new(&token_file)).await
    }
}

/// `AssumeRoleWithWebIdentity` with the token read from `token_file`.
pub(crate) async fn assume_with_token_file(
    sts: &Sts<'_>,
    role: &AssumeRole,
    token_file: &Path,
) -> Result<Credentials, CredentialsError> {
    let token = std::fs::read_to_string(token_file).map_err(|error| {
        CredentialsError::invalid_configuration(format!(
            "cannot read the web identity token file {}",
            token_file.display()
        ))
        .with_source(error)
    })?;
    let token = token.trim();
    if token.is_empty() {
        return Err(CredentialsError::invalid_configuration(format!(
            "the web identity token file {} is empty",
            token_file.display()
        )));
    }
    sts.assume_role_with_web_identity(role, token).await
}

impl ProvideCredentials for WebIdentityTokenCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.load())
    }
}
