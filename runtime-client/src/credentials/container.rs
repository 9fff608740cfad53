//! Credentials from the container endpoint of ECS and EKS Pod Identity.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use http::{Method, Uri};

use super::http::{request, Http};
use super::time::parse_rfc3339;
use super::{future, Credentials, CredentialsError, ProvideCredentials};
use crate::env::{non_empty, Env, ProcessEnv};

const ECS_HOST: &str = "http://169.254.170.2";
const LIMIT: Duration = Duration::from_secs(5);
const ATTEMPTS: u32 = 2;

/// Credentials from the container endpoint:
///
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: a path on `http://169.254.170.2` (ECS);
/// - else `AWS_CONTAINER_CREDENTIALS_FULL_URI`: any `https://` URL, or an `http://` URL whose
///   host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`) or the ECS and EKS Pod
///   Identity addresses (`169.254.170.2`, `169.254.170.23`, `fd00:ec2::23`), as the AWS SDKs
///   allow;
/// - the `Authorization` header: the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
///   (read at each call), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// Each request has a 5 s limit and is tried twice.
#[derive(Clone)]
pub struct ContainerCredentialsProvider {
    env: Arc<dyn Env>,
    http: Arc<Http>,
}

impl fmt::Debug for ContainerCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContainerCredentialsProvider")
    }
}

impl Default for ContainerCredentialsProvider {
    fn default() -> Self {
        Self::new(ProcessEnv)
    }
}

impl ContainerCredentialsProvider {
    /// A provider reading `env`.
    pub fn new(env: impl Env) -> Self {
        Self::from_shared(Arc::new(env), Arc::default())
    }

    pub(crate) fn from_shared(env: Arc<dyn Env>, http: Arc<Http>) -> Self {
        Self { env, http }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let env = self.env.as_ref();
        let url = endpoint(env)?;
        let token = authorization(env)?;
        let headers: Vec<(&str, &str)> = match &token {
            Some(token) => vec![
                ("authorization", token.as_str()),
                ("accept", "application/json"),
            ],
            None => vec![("accept", "application/json")],
        };
        let mut last = None;
        for attempt in 1..=ATTEMPTS {
            let request = request(Method::GET, &url, &headers, Vec::new())?;
            match self.http.send(request, LIMIT).await {
                Ok(response) if response.status.is_success() => {
                    return parse(&response.body).map_err(|reason| {
                        CredentialsError::provider_error(format!(
                            "the container endpoint {url} answered unreadable credentials: {reason}"
                        ))
                    })
                }
                Ok(response) => {
                    let error = CredentialsError::provider_error(format!(
                        "the container endpoint {url} answered status {}: {}",
                        response.status.as_u16(),
                        response.error_text()
                    ));
                    if !response.status.is_server_error() {
                        return Err(error);
                    }
                    last = Some(error);
                }
                Err(failure) => {
                    last = Some(
                        CredentialsError::provider_error(format!(
                            "the container endpoint {url} failed"
                        ))
                        .with_source(failure),
                    );
                }
            }
            tracing::debug!(attempt, "container credentials request failed");
        }
        Err(last.unwrap_or_else(|| CredentialsError::provider_error("no attempt was made")))
    }
}

/// The URL of the container endpoint, checked.
fn endpoint(env: &dyn Env) -> Result<String, CredentialsError> {
    if let Some(relative) = non_empty(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        let path = if relative.starts_with('/') {
            relative
        } else {
            format!("/{relative}")
        };
        return Ok(format!("{ECS_HOST}{path}"));
    }
    let Some(full) = non_empty(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
        return Err(CredentialsError::not_loaded(
            "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
        ));
    };
    let uri: Uri = full.parse().map_err(|error| {
        CredentialsError::invalid_configuration(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` is not a valid URL"
        ))
        .with_source(error)
    })?;
    match uri.scheme_str() {
        Some("https") => Ok(full),
        Some("http") => {
            let host = uri.host().unwrap_or("");
            if is_allowed_http_host(host) {
                Ok(full)
            } else {
                Err(CredentialsError::invalid_configuration(format!(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}`: plain http is only allowed to a loopback address or the ECS / EKS container hosts (169.254.170.2, 169.254.170.23, fd00:ec2::23), not `{host}`"
                )))
            }
        }
        _ => Err(CredentialsError::invalid_configuration(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` must start with http:// or https://"
        ))),
    }
}

/// The hosts the SDKs let the container endpoint use without TLS.
fn is_allowed_http_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            ip.is_loopback()
                || ip.octets() == [169, 254, 170, 2]
                || ip.octets() == [169, 254, 170, 23]
        }
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.segments() == [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23]
        }
        Err(_) => false,
    }
}

/// The `Authorization` header value, if one is configured.
fn authorization(env: &dyn Env) -> Result<Option<String>, CredentialsError> {
    let token = match non_empty(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        Some(path) => Some(std::fs::read_to_string(&path).map_err(|error| {
            CredentialsError::invalid_configuration(format!(
                "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}"
            ))
            .with_source(error)
        })?),
        None => non_empty(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    };
    let token = token.map(|token| token.trim().to_owned());
    if token
        .as_deref()
        .is_some_and(|token| token.contains(['\r', '\n']))
    {
        return Err(CredentialsError::invalid_configuration(
            "the container authorization token contains a line break",
        ));
    }
    Ok(token.filter(|token| !token.is_empty()))
}

/// The credentials of an answer of the container endpoint or IMDS:
/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`.
pub(crate) fn parse(body: &[u8]) -> Result<Credentials, String> {
    let document: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| format!("not JSON ({error})"))?;
    if let Some(code) = document.get("Code").and_then(serde_json::Value::as_str) {
        if code != "Success" {
            let message = document
                .get("Message")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            return Err(format!("Code {code}: {message}"));
        }
    }
    let field = |name: &str| {
        document
            .get(name)
            .and_then(serde_json::Value::as_str)
            .filter(|text| !text.is_empty())
            .ok_or_else(|| format!("no {name}"))
    };
    let expiration = field("Expiration")?;
    let expiry = parse_rfc3339(expiration)
        .ok_or_else(|| format!("Expiration `{expiration}` is not an RFC 3339 timestamp"))?;
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        Some(field("Token")?.to_owned()),
    )
    .with_expiry(expiry))
}

impl ProvideCredentials for ContainerCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_hosts_follow_the_sdks() {
        for host in [
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "localhost",
            "169.254.170.2",
            "169.254.170.23",
            "[fd00:ec2::23]",
        ] {
            assert!(is_allowed_http_host(host), "{host}");
        }
        for host in [
            "10.0.0.1",
            "169.254.169.254",
            "example.com",
            "[fd00:ec2::24]",
            "",
        ] {
            assert!(!is_allowed_http_host(host), "{host}");
        }
    }
}
