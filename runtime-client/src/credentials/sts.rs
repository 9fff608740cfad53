//! STS `AssumeRole` and `AssumeRoleWithWebIdentity`: the Query protocol (a form `POST` answered in
//! XML), hand-written.

use std::time::SystemTime;

use http::Method;

use super::http::{form, request, service_endpoint, Http};
use super::time::parse_rfc3339;
use super::{Credentials, CredentialsError};
use crate::config::ConfiguredEndpoints;

const VERSION: &str = "2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
const LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The role to assume and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AssumeRole {
    pub(crate) role_arn: String,
    pub(crate) session_name: String,
    pub(crate) external_id: Option<String>,
    pub(crate) duration_seconds: Option<u32>,
}

/// A session name when none is configured: `aws-json-client-<milliseconds since the epoch>`.
pub(crate) fn default_session_name(prefix: &str) -> String {
    let millis = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis())
        .unwrap_or(0);
    format!("{prefix}-{millis}")
}

/// Where and how STS is called.
pub(crate) struct Sts<'a> {
    pub(crate) http: &'a Http,
    pub(crate) endpoints: &'a ConfiguredEndpoints,
    pub(crate) region: &'a str,
}

impl Sts<'_> {
    /// The configured endpoint, else the regional one.
    fn endpoint(&self) -> String {
        service_endpoint(self.endpoints, "STS", "sts", self.region)
    }

    /// `AssumeRole`, signed with `source`.
    pub(crate) async fn assume_role(
        &self,
        source: &Credentials,
        role: &AssumeRole,
    ) -> Result<Credentials, CredentialsError> {
        let duration = role.duration_seconds.map(|seconds| seconds.to_string());
        let mut pairs = vec![
            ("Action", "AssumeRole"),
            ("Version", VERSION),
            ("RoleArn", role.role_arn.as_str()),
            ("RoleSessionName", role.session_name.as_str()),
        ];
        if let Some(external_id) = &role.external_id {
            pairs.push(("ExternalId", external_id));
        }
        if let Some(duration) = &duration {
            pairs.push(("DurationSeconds", duration));
        }
        let body = form(&pairs);
        let endpoint = self.endpoint();
        let mut request = request(
            Method::POST,
            &endpoint,
            &[("content-type", CONTENT_TYPE)],
            body.clone(),
        )?;
        crate::signing::sign(&mut request, body.as_bytes(), source, self.region, "sts").map_err(
            |error| {
                CredentialsError::provider_error("cannot sign the STS AssumeRole request")
                    .with_source(error)
            },
        )?;
        self.exchange(request, "AssumeRole", &role.role_arn).await
    }

    /// `AssumeRoleWithWebIdentity`, unsigned: the token is the proof.
    pub(crate) async fn assume_role_with_web_identity(
        &self,
        role: &AssumeRole,
        token: &str,
    ) -> Result<Credentials, CredentialsError> {
        let body = form(&[
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", VERSION),
            ("RoleArn", &role.role_arn),
            ("RoleSessionName", &role.session_name),
            ("WebIdentityToken", token),
        ]);
        let request = request(
            Method::POST,
            &self.endpoint(),
            &[("content-type", CONTENT_TYPE)],
            body,
        )?;
        self.exchange(request, "AssumeRoleWithWebIdentity", &role.role_arn)
            .await
    }

    async fn exchange(
        &self,
        request: http::Request<http_body_util::Full<bytes::Bytes>>,
        action: &str,
        role_arn: &str,
    ) -> Result<Credentials, CredentialsError> {
        let context = format!("STS {action} of `{role_arn}`");
        let response = self.http.send(request, LIMIT).await.map_err(|error| {
            CredentialsError::provider_error(format!("{context} failed")).with_source(error)
        })?;
        let text = std::str::from_utf8(&response.body).map_err(|_| {
            CredentialsError::provider_error(format!("{context}: the answer is not UTF-8"))
        })?;
        if !response.status.is_success() {
            let detail = error_detail(text).unwrap_or_else(|| response.error_text());
            return Err(CredentialsError::provider_error(format!(
                "{context} failed with status {}: {detail}",
                response.status.as_u16()
            )));
        }
        parse_credentials(text).map_err(|reason| {
            CredentialsError::provider_error(format!("{context}: unreadable answer: {reason}"))
        })
    }
}

/// `Code: Message` of an STS `ErrorResponse`.
fn error_detail(xml: &str) -> Option<String> {
    let document = roxmltree::Document::parse(xml).ok()?;
    let error = document
        .descendants()
        .find(|node| node.has_tag_name("Error"))?;
    let field = |name: &str| {
        error
            .children()
            .find(|node| node.has_tag_name(name))
            .and_then(|node| node.text())
            .map(str::trim)
            .unwrap_or("")
            .to_owned()
    };
    Some(format!("{}: {}", field("Code"), field("Message")))
}

/// The `Credentials` element of an `AssumeRole…Response`.
fn parse_credentials(xml: &str) -> Result<Credentials, String> {
    let document = roxmltree::Document::parse(xml).map_err(|error| error.to_string())?;
    let credentials = document
        .descendants()
        .find(|node| node.has_tag_name("Credentials"))
        .ok_or("no Credentials element")?;
    let field = |name: &str| {
        credentials
            .children()
            .find(|node| node.has_tag_name(name))
            .and_then(|node| node.text())
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .ok_or_else(|| format!("no {name}"))
    };
    let expiration = field("Expiration")?;
    let expiry = parse_rfc3339(expiration)
        .ok_or_else(|| format!("Expiration `{expiration}` is not an RFC 3339 timestamp"))?;
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        Some(field("SessionToken")?.to_owned()),
    )
    .with_expiry(expiry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_answers_and_errors() {
        let answer = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn><AssumedRoleId>X:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>secret</SecretAccessKey>
      <SessionToken>token</SessionToken>
      <Expiration>2030-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;
        let credentials = parse_credentials(answer).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIAEXAMPLE");
        assert_eq!(credentials.session_token(), Some("token"));
        assert!(credentials.expiry().is_some());
        assert!(parse_credentials("<a/>").is_err());
        assert!(parse_credentials("not xml").is_err());
        let error = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>1</RequestId></ErrorResponse>"#;
        assert_eq!(
            error_detail(error).as_deref(),
            Some("AccessDenied: not allowed")
        );
    }
}
