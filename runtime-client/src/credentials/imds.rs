//! Credentials of the instance profile from the EC2 instance metadata service, IMDSv2.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::{Method, StatusCode};

use super::http::{join, request, Http, Response};
use super::{future, Credentials, CredentialsError, ProvideCredentials};
use crate::env::{non_empty, Env, ProcessEnv};

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const TOKEN_TTL: Duration = Duration::from_secs(21_600);
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// Short, so that a laptop with no IMDS is not held up.
const LIMIT: Duration = Duration::from_secs(1);
const ATTEMPTS: u32 = 2;

/// Credentials of the instance's IAM role from IMDSv2: a session token (`PUT /latest/api/token`,
/// 6 hours, kept until shortly before it expires), the role name
/// (`GET /latest/meta-data/iam/security-credentials/`), then its credentials.
///
/// - `AWS_EC2_METADATA_DISABLED=true` turns it off;
/// - `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the profile's `ec2_metadata_service_endpoint`) sets
///   the endpoint, else `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (or
///   `ec2_metadata_service_endpoint_mode`) `IPv4` (`http://169.254.169.254`, the default) or
///   `IPv6` (`http://[fd00:ec2::254]`).
///
/// Each request has a 1 s limit and is tried twice.
pub struct ImdsCredentialsProvider {
    env: Arc<dyn Env>,
    http: Arc<Http>,
    profile_endpoint: Option<String>,
    profile_mode: Option<String>,
    token: Mutex<Option<(String, Instant)>>,
}

impl fmt::Debug for ImdsCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ImdsCredentialsProvider")
    }
}

impl Default for ImdsCredentialsProvider {
    fn default() -> Self {
        Self::new(ProcessEnv)
    }
}

impl ImdsCredentialsProvider {
    /// A provider reading `env`.
    pub fn new(env: impl Env) -> Self {
        Self::from_shared(Arc::new(env), Arc::default(), None, None)
    }

    pub(crate) fn from_shared(
        env: Arc<dyn Env>,
        http: Arc<Http>,
        profile_endpoint: Option<String>,
        profile_mode: Option<String>,
    ) -> Self {
        Self {
            env,
            http,
            profile_endpoint,
            profile_mode,
            token: Mutex::new(None),
        }
    }

    fn endpoint(&self) -> Result<String, CredentialsError> {
        let env = self.env.as_ref();
        if let Some(endpoint) = non_empty(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .or_else(|| self.profile_endpoint.clone())
        {
            return Ok(endpoint);
        }
        let mode = non_empty(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
            .or_else(|| self.profile_mode.clone());
        match mode.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("ipv4") => Ok(IPV4_ENDPOINT.to_owned()),
            Some("ipv6") => Ok(IPV6_ENDPOINT.to_owned()),
            Some(_) => Err(CredentialsError::invalid_configuration(format!(
                "the IMDS endpoint mode `{}` is not `IPv4` or `IPv6`",
                mode.unwrap_or_default()
            ))),
        }
    }

    /// One request, tried twice when nothing answers or the answer is a server error.
    async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Response, CredentialsError> {
        let mut last = None;
        for attempt in 1..=ATTEMPTS {
            let request = request(method.clone(), url, headers, Vec::new())?;
            match self.http.send(request, LIMIT).await {
                Ok(response) if !response.status.is_server_error() => return Ok(response),
                Ok(response) => {
                    last = Some(CredentialsError::provider_error(format!(
                        "IMDS answered {} to {method} {url}",
                        response.status.as_u16()
                    )))
                }
                // Nothing answers (no IMDS here) or the exchange broke: not an EC2 instance,
                // as far as the chain can tell.
                Err(failure) => {
                    last = Some(
                        CredentialsError::not_loaded(format!(
                            "no instance metadata service answered at {url}"
                        ))
                        .with_source(failure),
                    );
                }
            }
            tracing::debug!(attempt, "IMDS request failed");
        }
        Err(last.unwrap_or_else(|| CredentialsError::provider_error("no attempt was made")))
    }

    async fn token(&self, endpoint: &str) -> Result<String, CredentialsError> {
        if let Ok(guard) = self.token.lock() {
            if let Some((token, valid_until)) = guard.as_ref() {
                if Instant::now() < *valid_until {
                    return Ok(token.clone());
                }
            }
        }
        let url = join(endpoint, TOKEN_PATH);
        let ttl = TOKEN_TTL.as_secs().to_string();
        let response = self
            .send(Method::PUT, &url, &[(TOKEN_TTL_HEADER, &ttl)])
            .await?;
        if !response.status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "IMDS refused a session token (status {}): {}",
                response.status.as_u16(),
                response.error_text()
            )));
        }
        let token = String::from_utf8(response.body.to_vec())
            .ok()
            .map(|token| token.trim().to_owned())
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                CredentialsError::provider_error("IMDS answered an empty session token")
            })?;
        if let Ok(mut guard) = self.token.lock() {
            // Renewed a minute before IMDS would expire it.
            *guard = Some((
                token.clone(),
                Instant::now() + TOKEN_TTL - Duration::from_secs(60),
            ));
        }
        Ok(token)
    }

    async fn get(&self, endpoint: &str, path: &str) -> Result<Response, CredentialsError> {
        let url = join(endpoint, path);
        for _ in 0..2 {
            let token = self.token(endpoint).await?;
            let response = self
                .send(Method::GET, &url, &[(TOKEN_HEADER, &token)])
                .await?;
            if response.status == StatusCode::UNAUTHORIZED {
                // The token expired early: get another one.
                if let Ok(mut guard) = self.token.lock() {
                    *guard = None;
                }
                continue;
            }
            return Ok(response);
        }
        Err(CredentialsError::provider_error(format!(
            "IMDS rejected its own session token for {url}"
        )))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let disabled = non_empty(self.env.as_ref(), "AWS_EC2_METADATA_DISABLED")
            .is_some_and(|value| value.eq_ignore_ascii_case("true"));
        if disabled {
            return Err(CredentialsError::not_loaded(
                "AWS_EC2_METADATA_DISABLED is true",
            ));
        }
        let endpoint = self.endpoint()?;
        let response = self.get(&endpoint, ROLE_PATH).await?;
        if response.status == StatusCode::NOT_FOUND {
            return Err(CredentialsError::not_loaded(
                "the instance has no IAM role (instance profile)",
            ));
        }
        if !response.status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "IMDS answered status {} for the role name",
                response.status.as_u16()
            )));
        }
        let names = String::from_utf8_lossy(&response.body);
        let Some(role) = names.lines().map(str::trim).find(|line| !line.is_empty()) else {
            return Err(CredentialsError::not_loaded("IMDS names no IAM role"));
        };
        let role = role.to_owned();
        let response = self.get(&endpoint, &format!("{ROLE_PATH}{role}")).await?;
        if !response.status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "IMDS answered status {} for the credentials of role `{role}`",
                response.status.as_u16()
            )));
        }
        super::container::parse(&response.body).map_err(|reason| {
            CredentialsError::provider_error(format!(
                "IMDS answered unreadable credentials for role `{role}`: {reason}"
            ))
        })
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.load())
    }
}
