//! IAM Identity Center (SSO): the token `aws sso login` caches, refreshed through SSO OIDC
//! `CreateToken`, exchanged for role credentials with SSO `GetRoleCredentials`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::Method;
use serde_json::{json, Map, Value};

use super::http::{join, query_encode, request, service_endpoint, Http};
use super::time::{format_rfc3339, parse_rfc3339};
use super::{Credentials, CredentialsError};
use crate::config::ConfiguredEndpoints;

const LIMIT: Duration = Duration::from_secs(10);
/// Tokens that expire within this window are refreshed first, as the AWS CLI does.
const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// An SSO profile: `sso_session` (with its `[sso-session]` section) or the legacy form with
/// `sso_start_url` and `sso_region` on the profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SsoProfile {
    pub(crate) account_id: String,
    pub(crate) role_name: String,
    /// `sso_region`: where SSO and SSO OIDC are called.
    pub(crate) region: String,
    pub(crate) start_url: String,
    /// The `sso_session` name; `None` for the legacy form.
    pub(crate) session_name: Option<String>,
}

impl SsoProfile {
    /// The key of the token cache file: the session name, or the start URL of the legacy form.
    fn cache_key(&self) -> &str {
        self.session_name.as_deref().unwrap_or(&self.start_url)
    }

    fn login_hint(&self) -> String {
        match &self.session_name {
            Some(name) => format!("aws sso login --sso-session {name}"),
            None => "aws sso login".to_owned(),
        }
    }
}

/// The token cache file of `key`, as the AWS CLI names it:
/// `~/.aws/sso/cache/<SHA-1 of key, in hex>.json`.
pub(crate) fn cache_file(home: &Path, key: &str) -> PathBuf {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
    let hex: String = digest
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    home.join(".aws")
        .join("sso")
        .join("cache")
        .join(format!("{hex}.json"))
}

/// Calls to SSO and SSO OIDC.
pub(crate) struct Sso<'a> {
    pub(crate) http: &'a Http,
    pub(crate) endpoints: &'a ConfiguredEndpoints,
    pub(crate) home: Option<PathBuf>,
}

impl Sso<'_> {
    /// The role credentials of `profile`.
    pub(crate) async fn credentials(
        &self,
        profile: &SsoProfile,
    ) -> Result<Credentials, CredentialsError> {
        let token = self.token(profile).await?;
        self.get_role_credentials(profile, &token).await
    }

    /// A valid access token from the cache, refreshed (and written back) when it is about to
    /// expire and the cache holds a refresh token.
    async fn token(&self, profile: &SsoProfile) -> Result<String, CredentialsError> {
        let home = self.home.as_deref().ok_or_else(|| {
            CredentialsError::invalid_configuration(
                "cannot find the SSO token cache: no home directory (HOME) is set",
            )
        })?;
        let path = cache_file(home, profile.cache_key());
        let text = std::fs::read_to_string(&path).map_err(|error| {
            CredentialsError::invalid_configuration(format!(
                "no SSO token for `{}` in {}; run `{}`",
                profile.cache_key(),
                path.display(),
                profile.login_hint()
            ))
            .with_source(error)
        })?;
        let mut cached: Map<String, Value> = serde_json::from_str(&text).map_err(|error| {
            CredentialsError::invalid_configuration(format!(
                "the SSO token cache file {} is not a JSON object",
                path.display()
            ))
            .with_source(error)
        })?;
        let text_field = |map: &Map<String, Value>, name: &str| {
            map.get(name)
                .and_then(Value::as_str)
                .filter(|text| !text.is_empty())
                .map(str::to_owned)
        };
        let access_token = text_field(&cached, "accessToken");
        let expires_at = text_field(&cached, "expiresAt").and_then(|text| parse_rfc3339(&text));
        let (Some(access_token), Some(expires_at)) = (access_token, expires_at) else {
            return Err(CredentialsError::invalid_configuration(format!(
                "the SSO token cache file {} has no accessToken or no valid expiresAt; run `{}`",
                path.display(),
                profile.login_hint()
            )));
        };
        let now = SystemTime::now();
        if now + REFRESH_WINDOW < expires_at {
            return Ok(access_token);
        }
        let refreshable = (
            text_field(&cached, "refreshToken"),
            text_field(&cached, "clientId"),
            text_field(&cached, "clientSecret"),
        );
        let registration_valid = text_field(&cached, "registrationExpiresAt")
            .and_then(|text| parse_rfc3339(&text))
            .is_none_or(|expiry| now < expiry);
        let expired = || {
            CredentialsError::invalid_configuration(format!(
                "the SSO token for `{}` expired at {}; run `{}`",
                profile.cache_key(),
                format_rfc3339(expires_at),
                profile.login_hint()
            ))
        };
        let (Some(refresh_token), Some(client_id), Some(client_secret)) = refreshable else {
            return if now < expires_at {
                Ok(access_token)
            } else {
                Err(expired())
            };
        };
        if !registration_valid {
            return if now < expires_at {
                Ok(access_token)
            } else {
                Err(expired())
            };
        }
        let refreshed = self
            .create_token(profile, &client_id, &client_secret, &refresh_token)
            .await;
        let refreshed = match refreshed {
            Ok(refreshed) => refreshed,
            Err(error) if now < expires_at => {
                tracing::warn!(error = %error, "refreshing the SSO token failed; the current one is still valid");
                return Ok(access_token);
            }
            Err(error) => return Err(error.context(expired())),
        };
        cached.insert(
            "accessToken".to_owned(),
            Value::String(refreshed.access_token.clone()),
        );
        cached.insert(
            "expiresAt".to_owned(),
            Value::String(format_rfc3339(refreshed.expires_at)),
        );
        if let Some(refresh_token) = refreshed.refresh_token {
            cached.insert("refreshToken".to_owned(), Value::String(refresh_token));
        }
        if let Err(error) = write_cache(&path, &Value::Object(cached)) {
            tracing::warn!(path = %path.display(), %error, "cannot write the refreshed SSO token back to the cache");
        }
        Ok(refreshed.access_token)
    }

    /// SSO OIDC `CreateToken` with the refresh token.
    async fn create_token(
        &self,
        profile: &SsoProfile,
        client_id: &str,
        client_secret: &str,
        refresh_token: &str,
    ) -> Result<RefreshedToken, CredentialsError> {
        let endpoint = service_endpoint(self.endpoints, "SSO OIDC", "oidc", &profile.region);
        let body = json!({
            "clientId": client_id,
            "clientSecret": client_secret,
            "grantType": "refresh_token",
            "refreshToken": refresh_token,
        })
        .to_string();
        let request = request(
            Method::POST,
            &join(&endpoint, "/token"),
            &[("content-type", "application/json")],
            body,
        )?;
        let response = self.http.send(request, LIMIT).await.map_err(|error| {
            CredentialsError::provider_error("SSO OIDC CreateToken failed").with_source(error)
        })?;
        let document: Option<Value> = serde_json::from_slice(&response.body).ok();
        if !response.status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "SSO OIDC CreateToken failed with status {}: {}",
                response.status.as_u16(),
                error_detail(
                    document.as_ref(),
                    &["error", "__type"],
                    &["error_description", "message"]
                )
            )));
        }
        let document = document.ok_or_else(|| {
            CredentialsError::provider_error(
                "SSO OIDC CreateToken answered something that is not JSON",
            )
        })?;
        let access_token = document
            .get("accessToken")
            .and_then(Value::as_str)
            .filter(|text| !text.is_empty())
            .ok_or_else(|| {
                CredentialsError::provider_error("SSO OIDC CreateToken answered no accessToken")
            })?;
        let expires_at = document
            .get("expiresIn")
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                CredentialsError::provider_error("SSO OIDC CreateToken answered no expiresIn")
            })?;
        let expires_at = SystemTime::now()
            .checked_add(Duration::from_secs(expires_at))
            .ok_or_else(|| {
                CredentialsError::provider_error(format!(
                    "SSO OIDC CreateToken answered an expiresIn out of range ({expires_at})"
                ))
            })?;
        Ok(RefreshedToken {
            access_token: access_token.to_owned(),
            expires_at,
            refresh_token: document
                .get("refreshToken")
                .and_then(Value::as_str)
                .filter(|text| !text.is_empty())
                .map(str::to_owned),
        })
    }

    /// SSO `GetRoleCredentials`.
    async fn get_role_credentials(
        &self,
        profile: &SsoProfile,
        token: &str,
    ) -> Result<Credentials, CredentialsError> {
        let endpoint = service_endpoint(self.endpoints, "SSO", "portal.sso", &profile.region);
        let url = format!(
            "{}?account_id={}&role_name={}",
            join(&endpoint, "/federation/credentials"),
            query_encode(&profile.account_id),
            query_encode(&profile.role_name)
        );
        let request = request(
            Method::GET,
            &url,
            &[
                ("x-amz-sso_bearer_token", token),
                ("accept", "application/json"),
            ],
            Vec::new(),
        )?;
        let context = format!(
            "SSO GetRoleCredentials for role `{}` in account {}",
            profile.role_name, profile.account_id
        );
        let response = self.http.send(request, LIMIT).await.map_err(|error| {
            CredentialsError::provider_error(format!("{context} failed")).with_source(error)
        })?;
        let document: Option<Value> = serde_json::from_slice(&response.body).ok();
        if !response.status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "{context} failed with status {}: {}",
                response.status.as_u16(),
                error_detail(
                    document.as_ref(),
                    &["__type", "code"],
                    &["message", "Message"]
                )
            )));
        }
        let role = document
            .as_ref()
            .and_then(|document| document.get("roleCredentials"))
            .ok_or_else(|| {
                CredentialsError::provider_error(format!(
                    "{context}: no roleCredentials in the answer"
                ))
            })?;
        let field = |name: &str| {
            role.get(name)
                .and_then(Value::as_str)
                .filter(|text| !text.is_empty())
                .ok_or_else(|| {
                    CredentialsError::provider_error(format!("{context}: no {name} in the answer"))
                })
        };
        let expiration = role
            .get("expiration")
            .and_then(Value::as_u64)
            .and_then(|millis| UNIX_EPOCH.checked_add(Duration::from_millis(millis)))
            .ok_or_else(|| {
                CredentialsError::provider_error(format!(
                    "{context}: no expiration (milliseconds since the epoch) in the answer"
                ))
            })?;
        Ok(Credentials::new(
            field("accessKeyId")?,
            field("secretAccessKey")?,
            Some(field("sessionToken")?.to_owned()),
        )
        .with_expiry(expiration))
    }
}

struct RefreshedToken {
    access_token: String,
    expires_at: SystemTime,
    refresh_token: Option<String>,
}

/// `code: message` of a JSON error answer, from the first of `codes` and `messages` present.
fn error_detail(document: Option<&Value>, codes: &[&str], messages: &[&str]) -> String {
    let pick = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| document?.get(*name)?.as_str())
            .unwrap_or("")
            .to_owned()
    };
    let (code, message) = (pick(codes), pick(messages));
    if code.is_empty() && message.is_empty() {
        "no error details".to_owned()
    } else {
        format!("{code}: {message}")
    }
}

/// Writes the cache file whole: to a temporary file beside it, then renamed over it. It holds
/// secrets (the tokens, the client secret): on Unix only its owner may read it (mode 0600), as
/// the AWS CLI writes it.
fn write_cache(path: &Path, document: &Value) -> std::io::Result<()> {
    use std::io::Write;
    let temporary = path.with_extension("json.tmp");
    // A temporary file left behind would keep its mode: start afresh.
    let _ = std::fs::remove_file(&temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary)?;
    file.write_all(document.to_string().as_bytes())?;
    drop(file);
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_files_are_named_by_sha1() {
        // The FIPS 180 test vector: SHA-1 of "abc".
        let path = cache_file(Path::new("/home/u"), "abc");
        assert_eq!(
            path,
            Path::new("/home/u/.aws/sso/cache/a9993e364706816aba3e25717850c26c9cd0d89d.json")
        );
    }
}
