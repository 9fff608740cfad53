//! AWS Signature Version 4 authentication of incoming requests.
//!
//! When a service is built with [`ServiceBuilder::sigv4`](crate::ServiceBuilder::sigv4), every
//! request must carry exactly one `Authorization: AWS4-HMAC-SHA256 Credential=…,
//! SignedHeaders=…, Signature=…` header and an `X-Amz-Date` header, or be presigned: the same
//! fields in the query string as `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
//! `X-Amz-SignedHeaders`, `X-Amz-Signature` and `X-Amz-Expires` (1 to 604,800 seconds; the
//! canonical request then hashes the body, or names `UNSIGNED-PAYLOAD` as presigned URLs
//! usually do). The credential scope must name the service's signing name and one of the
//! configured regions ([`SigV4Config::with_regions`]; `us-east-1` by default).
//!
//! An entry of the [`CredentialStore`] may carry a session token
//! ([`Credential::with_session_token`]): requests signed with that key must then send it in
//! `X-Amz-Security-Token` (header, or query parameter when presigned), and requests signed
//! with a key that has none must not send one. The server looks the access key id up in a
//! [`CredentialStore`], recomputes the signature over the request it received (method, path,
//! query, the signed headers and the SHA-256 of the body) and compares the two in constant time.
//! The handler then sees the access key id as [`RequestContext::caller`](crate::RequestContext).
//!
//! Failures are answered with HTTP 403 and the codes AWS uses:
//!
//! | failure | `__type` |
//! | --- | --- |
//! | no `Authorization` header and no presigned query | `MissingAuthenticationTokenException` |
//! | malformed or repeated header, a `SignedHeaders` list that is not sorted lower-case names each named once (or names more headers than the request has, plus `host`), both a header and a presigned query, missing or malformed `X-Amz-Date` | `IncompleteSignatureException` |
//! | unknown access key id, wrong, missing or unexpected session token | `UnrecognizedClientException` |
//! | signature mismatch, wrong service or region in the scope, date off by more than the allowed skew, presigned request expired | `InvalidSignatureException` |
//!
//! Not supported: `UNSIGNED-PAYLOAD` and streaming (chunked) payload signatures in the
//! `Authorization` header, SigV4a, and the `Date` header in place of `X-Amz-Date`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_json_runtime::sigv4::{
    self, format_amz_date, parse_amz_date, percent_decode, ALGORITHM, TERMINATOR, UNSIGNED_PAYLOAD,
};
use http::request::Parts;
use http::HeaderMap;

use crate::context::Caller;
use crate::error::{ErrorCode, Rejection};

const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
const SIGNATURE_MISMATCH: &str = "The request signature we calculated does not match the \
    signature you provided. Check your AWS Secret Access Key and signing method. Consult the \
    service documentation for details.";
const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

/// The secret half of an access key, and the session token that goes with temporary keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credential {
    /// A long-term credential: requests need no session token.
    pub fn new(secret_access_key: impl Into<String>) -> Self {
        Self {
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// The same credential as a temporary one: requests must carry this session token in
    /// `X-Amz-Security-Token`.
    pub fn with_session_token(mut self, session_token: impl Into<String>) -> Self {
        self.session_token = Some(session_token.into());
        self
    }

    /// The session token requests must carry, if any.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// Where the server looks up the secret of the access key id a request was signed with.
///
/// Implemented for `HashMap<String, Credential>` and for `HashMap<String, String>` (access key
/// id → secret access key); implement it to consult any other source. Lookups run on the
/// request's task, so they should be quick (an in-memory cache, for instance).
pub trait CredentialStore: Send + Sync + 'static {
    /// The credential of `access_key_id`, or `None` when the key is unknown.
    fn credential(&self, access_key_id: &str) -> Option<Credential>;
}

impl CredentialStore for HashMap<String, Credential> {
    fn credential(&self, access_key_id: &str) -> Option<Credential> {
        self.get(access_key_id).cloned()
    }
}

impl CredentialStore for HashMap<String, String> {
    fn credential(&self, access_key_id: &str) -> Option<Credential> {
        self.get(access_key_id).map(Credential::new)
    }
}

/// The region a [`SigV4Config`] accepts unless told otherwise.
pub const DEFAULT_REGION: &str = "us-east-1";

/// How requests are authenticated: the credential store, the regions and the tolerances.
#[derive(Clone)]
pub struct SigV4Config {
    store: Arc<dyn CredentialStore>,
    max_clock_skew: Duration,
    /// The regions the scope may name; `None` accepts any.
    regions: Option<Vec<String>>,
}

impl SigV4Config {
    /// Authenticates against `store`, with scopes naming [`DEFAULT_REGION`] and a clock skew of
    /// 15 minutes (as AWS does).
    pub fn new(store: impl CredentialStore) -> Self {
        Self::from_arc(Arc::new(store))
    }

    /// Like [`SigV4Config::new`], with a shared store.
    pub fn from_arc(store: Arc<dyn CredentialStore>) -> Self {
        Self {
            store,
            max_clock_skew: Duration::from_secs(15 * 60),
            regions: Some(vec![DEFAULT_REGION.to_owned()]),
        }
    }

    /// How far `X-Amz-Date` may be from the server's clock, either way.
    pub fn with_max_clock_skew(mut self, max_clock_skew: Duration) -> Self {
        self.max_clock_skew = max_clock_skew;
        self
    }

    /// Requires the credential scope to name this region (and no other).
    pub fn with_region(self, region: impl Into<String>) -> Self {
        self.with_regions([region])
    }

    /// Requires the credential scope to name one of these regions. An empty list accepts no
    /// request at all.
    pub fn with_regions<R: Into<String>>(mut self, regions: impl IntoIterator<Item = R>) -> Self {
        self.regions = Some(regions.into_iter().map(Into::into).collect());
        self
    }

    /// Accepts a scope naming any region, as a server that does not know where it runs may.
    pub fn with_any_region(mut self) -> Self {
        self.regions = None;
        self
    }
}

impl fmt::Debug for SigV4Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigV4Config")
            .field("max_clock_skew", &self.max_clock_skew)
            .field("regions", &self.regions)
            .finish_non_exhaustive()
    }
}

/// A [`SigV4Config`] bound to the signing name of one service.
#[derive(Clone, Debug)]
pub(crate) struct Authenticator {
    config: SigV4Config,
    signing_name: &'static str,
}

/// The parts of a request's signature checked from its headers alone; [`PendingAuth::verify`]
/// finishes the job once the body is read.
pub(crate) struct PendingAuth {
    access_key_id: String,
    secret_access_key: String,
    amz_date: String,
    scope: String,
    date: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
    signature: String,
    /// The signature came in the query string.
    presigned: bool,
}

/// The parameters of a signature, from the `Authorization` header or a presigned query.
struct Presented {
    fields: AuthorizationFields,
    amz_date: Option<String>,
    session_token: Option<Vec<u8>>,
    /// `X-Amz-Expires` of a presigned request.
    expires: Option<i64>,
}

/// The only value of header `name`; an error if it is repeated.
fn single_header<'a>(
    headers: &'a HeaderMap,
    name: &str,
) -> Result<Option<&'a http::HeaderValue>, Rejection> {
    let mut values = headers.get_all(name).iter();
    let first = values.next();
    if values.next().is_some() {
        return Err(incomplete(format!(
            "Only one '{name}' header may be sent, got several"
        )));
    }
    Ok(first)
}

/// The signature parameters of `parts`, wherever they are.
fn presented(parts: &Parts) -> Result<Presented, Rejection> {
    let authorization = single_header(&parts.headers, http::header::AUTHORIZATION.as_str())?;
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                String::from_utf8_lossy(&percent_decode(name)).into_owned(),
                String::from_utf8_lossy(&percent_decode(value)).into_owned(),
            )
        })
        .collect();
    let parameter = |name: &str| -> Result<Option<&str>, Rejection> {
        let mut values = query.iter().filter(|(key, _)| key == name);
        let first = values.next().map(|(_, value)| value.as_str());
        if values.next().is_some() {
            return Err(incomplete(format!(
                "Only one '{name}' query parameter may be sent, got several"
            )));
        }
        Ok(first)
    };
    let presigned = parameter("X-Amz-Algorithm")?;
    match (authorization, presigned) {
        (Some(_), Some(_)) => Err(incomplete(
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter,              Signature query string parameter or the Authorization header should be specified",
        )),
        (None, None) => Err(Rejection::forbidden(
            ErrorCode::MissingAuthenticationToken,
            "Missing Authentication Token",
        )),
        (Some(authorization), None) => {
            let authorization = authorization
                .to_str()
                .map_err(|_| incomplete("The Authorization header is not valid ASCII"))?;
            Ok(Presented {
                fields: parse_authorization(authorization)?,
                amz_date: single_header(&parts.headers, X_AMZ_DATE)?
                    .map(|value| value.to_str().unwrap_or_default().to_owned()),
                session_token: single_header(&parts.headers, X_AMZ_SECURITY_TOKEN)?
                    .map(|value| value.as_bytes().to_vec()),
                expires: None,
            })
        }
        (None, Some(algorithm)) => {
            if algorithm != ALGORITHM {
                return Err(incomplete(format!(
                    "Unsupported AWS 'algorithm': '{algorithm}'; expected '{ALGORITHM}'"
                )));
            }
            let mut missing = String::new();
            let mut required = |name: &str| -> Result<String, Rejection> {
                let value = parameter(name)?.unwrap_or_default();
                if value.is_empty() {
                    missing.push_str(&format!("AWS query-string parameters must include '{name}'. "));
                }
                Ok(value.to_owned())
            };
            let credential = required("X-Amz-Credential")?;
            let signed_headers = required("X-Amz-SignedHeaders")?;
            let signature = required("X-Amz-Signature")?;
            let amz_date = required("X-Amz-Date")?;
            let expires = required("X-Amz-Expires")?;
            if !missing.is_empty() {
                return Err(incomplete(format!(
                    "{}Re-examine the query-string parameters.",
                    missing
                )));
            }
            let expires = expires
                .parse::<i64>()
                .ok()
                .filter(|seconds| (1..=604_800).contains(seconds))
                .ok_or_else(|| {
                    incomplete(format!(
                        "X-Amz-Expires must be a number of seconds from 1 to 604800, got                          '{expires}'"
                    ))
                })?;
            Ok(Presented {
                fields: AuthorizationFields {
                    credential,
                    signed_headers: split_signed_headers(&signed_headers),
                    signature,
                },
                amz_date: Some(amz_date),
                session_token: parameter("X-Amz-Security-Token")?.map(|t| t.as_bytes().to_vec()),
                expires: Some(expires),
            })
        }
    }
}

impl Authenticator {
    pub(crate) fn new(config: SigV4Config, signing_name: &'static str) -> Self {
        Self {
            config,
            signing_name,
        }
    }

    /// Checks everything but the signature itself: the header's form, the scope, the date, the
    /// access key and the session token.
    pub(crate) fn check_headers(
        &self,
        parts: &Parts,
        now: SystemTime,
    ) -> Result<PendingAuth, Rejection> {
        let Presented {
            fields,
            amz_date,
            session_token,
            expires,
        } = presented(parts)?;
        let Some(amz_date) = amz_date else {
            return Err(incomplete(
                "Authorization header requires existence of either a 'X-Amz-Date' or a \
                 'Date' header.",
            ));
        };
        let Some(signed_at) = parse_amz_date(&amz_date) else {
            return Err(incomplete(format!(
                "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See \
                 http://en.wikipedia.org/wiki/ISO_8601"
            )));
        };

        let scope: Vec<&str> = fields.credential.split('/').collect();
        let [access_key_id, date, region, service, terminator] = scope[..] else {
            return Err(incomplete(format!(
                "Credential must have exactly 5 slash-delimited elements, e.g. \
                 keyid/date/region/service/term, got '{}'",
                fields.credential
            )));
        };
        if access_key_id.is_empty() || terminator != TERMINATOR {
            return Err(incomplete(format!(
                "Credential should be scoped with a valid terminator: 'aws4_request', got '{}'",
                fields.credential
            )));
        }
        check_signed_headers(&fields.signed_headers, &parts.headers)?;
        if !fields.signed_headers.iter().any(|name| name == "host") {
            return Err(incomplete(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        if date != &amz_date[..8] {
            return Err(invalid(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date \
                 from HTTP: '{date}' != '{}', from '{amz_date}'.",
                &amz_date[..8]
            )));
        }
        if service != self.signing_name {
            return Err(invalid(format!(
                "Credential should be scoped to correct service: '{}'. ",
                self.signing_name
            )));
        }
        if region.is_empty()
            || self
                .config
                .regions
                .as_ref()
                .is_some_and(|allowed| !allowed.iter().any(|allowed| allowed == region))
        {
            return Err(invalid(format!(
                "Credential should be scoped to a valid region, not '{region}'. "
            )));
        }
        match expires {
            None => check_skew(&amz_date, signed_at, now, self.config.max_clock_skew)?,
            Some(expires) => check_expiry(
                &amz_date,
                signed_at,
                expires,
                now,
                self.config.max_clock_skew,
            )?,
        }

        let credential =
            self.config.store.credential(access_key_id).ok_or_else(|| {
                Rejection::forbidden(ErrorCode::UnrecognizedClient, INVALID_TOKEN)
            })?;
        let token_matches = match (credential.session_token(), session_token.as_deref()) {
            (None, None) => true,
            (Some(expected), Some(sent)) => constant_time_eq(sent, expected.as_bytes()),
            // A token for a long-term key, or none for a temporary one.
            _ => false,
        };
        if !token_matches {
            return Err(Rejection::forbidden(
                ErrorCode::UnrecognizedClient,
                INVALID_TOKEN,
            ));
        }

        Ok(PendingAuth {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: credential.secret_access_key,
            scope: sigv4::scope(date, region, service),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            amz_date,
            signed_headers: fields.signed_headers,
            signature: fields.signature,
            presigned: expires.is_some(),
        })
    }
}

impl PendingAuth {
    /// Recomputes the signature over the request as received and compares it with the one sent.
    ///
    /// A presigned request may have been signed over the body's hash or over
    /// `UNSIGNED-PAYLOAD`; both are tried.
    pub(crate) fn verify(self, parts: &Parts, body: &[u8]) -> Result<Caller, Rejection> {
        let key = sigv4::signing_key(
            &self.secret_access_key,
            &self.date,
            &self.region,
            &self.service,
        );
        let body_hash = sigv4::sha256_hex(body);
        let payloads: &[&str] = if self.presigned {
            &[&body_hash, UNSIGNED_PAYLOAD]
        } else {
            &[&body_hash]
        };
        let mut matched = false;
        for payload in payloads {
            let canonical_request =
                canonical_request(parts, &self.signed_headers, payload, self.presigned);
            let string_to_sign =
                sigv4::string_to_sign(&self.amz_date, &self.scope, &canonical_request);
            let expected = sigv4::signature(&key, &string_to_sign);
            matched |= constant_time_eq(expected.as_bytes(), self.signature.as_bytes());
        }
        if matched {
            Ok(Caller::new(self.access_key_id))
        } else {
            Err(invalid(SIGNATURE_MISMATCH))
        }
    }
}

/// The three parameters of an `Authorization` header.
struct AuthorizationFields {
    credential: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn incomplete(message: impl Into<String>) -> Rejection {
    Rejection::forbidden(ErrorCode::IncompleteSignature, message)
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection::forbidden(ErrorCode::InvalidSignature, message)
}

fn parse_authorization(header: &str) -> Result<AuthorizationFields, Rejection> {
    let header = header.trim();
    let (algorithm, parameters) = header
        .split_once(|c: char| c.is_ascii_whitespace())
        .unwrap_or((header, ""));
    if algorithm != ALGORITHM {
        return Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'; expected '{ALGORITHM}'"
        )));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for parameter in parameters.split(',') {
        let parameter = parameter.trim();
        if parameter.is_empty() {
            continue;
        }
        let Some((name, value)) = parameter.split_once('=') else {
            return Err(incomplete(format!(
                "Authorization header parameter is not a name=value pair: '{parameter}'"
            )));
        };
        match name.trim() {
            "Credential" => credential = Some(value.trim().to_owned()),
            "SignedHeaders" => signed_headers = Some(value.trim().to_owned()),
            "Signature" => signature = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let mut missing = String::new();
    for (name, value) in [
        ("Credential", &credential),
        ("Signature", &signature),
        ("SignedHeaders", &signed_headers),
    ] {
        if value.as_deref().is_none_or(str::is_empty) {
            missing.push_str(&format!(
                "Authorization header requires '{name}' parameter. "
            ));
        }
    }
    match (credential, signed_headers, signature) {
        (Some(credential), Some(signed_headers), Some(signature)) if missing.is_empty() => {
            Ok(AuthorizationFields {
                credential,
                signed_headers: split_signed_headers(&signed_headers),
                signature,
            })
        }
        _ => Err(incomplete(missing.trim_end())),
    }
}

/// The names of a `SignedHeaders` list, as sent (trimmed, case kept for
/// [`check_signed_headers`]).
fn split_signed_headers(list: &str) -> Vec<String> {
    list.split(';').map(|name| name.trim().to_owned()).collect()
}

/// Refuses a `SignedHeaders` list that is not what SigV4 signers send: lower-case names,
/// sorted, each once. Each signed name copies that header's value into the canonical request,
/// so a list naming one long header thousands of times would make the server hash hundreds of
/// megabytes before comparing the signature; strictly ascending names (hence unique), and no
/// more of them than the request has distinct headers plus one (`host`, which HTTP/2 sends as
/// `:authority`), bound that work by the size of the request head.
fn check_signed_headers(names: &[String], headers: &HeaderMap) -> Result<(), Rejection> {
    let most = headers.keys_len().saturating_add(1);
    if names.len() > most {
        return Err(incomplete(format!(
            "SignedHeaders names {} headers, more than the {most} the request can have signed",
            names.len()
        )));
    }
    if let Some(name) = names
        .iter()
        .find(|name| name.is_empty() || name.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Err(incomplete(format!(
            "SignedHeaders must be non-empty lower-case header names, got '{name}'"
        )));
    }
    if let Some(pair) = names.windows(2).find(|pair| pair[0] >= pair[1]) {
        return Err(incomplete(format!(
            "SignedHeaders must be sorted, each name once: '{}' comes before '{}'",
            pair[0], pair[1]
        )));
    }
    Ok(())
}

fn check_skew(
    amz_date: &str,
    signed_at: i64,
    now: SystemTime,
    max_skew: Duration,
) -> Result<(), Rejection> {
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(_) => 0,
    };
    let skew = i64::try_from(max_skew.as_secs()).unwrap_or(i64::MAX);
    let minutes = skew / 60;
    if signed_at < now.saturating_sub(skew) {
        return Err(invalid(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - {minutes} min.)",
            format_amz_date(now.saturating_sub(skew)),
            format_amz_date(now)
        )));
    }
    if signed_at > now.saturating_add(skew) {
        return Err(invalid(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + {minutes} min.)",
            format_amz_date(now.saturating_add(skew)),
            format_amz_date(now)
        )));
    }
    Ok(())
}

/// A presigned request is valid from its date (less the allowed skew) until its date plus
/// `X-Amz-Expires`.
fn check_expiry(
    amz_date: &str,
    signed_at: i64,
    expires: i64,
    now: SystemTime,
    max_skew: Duration,
) -> Result<(), Rejection> {
    let now_secs = match now.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(_) => 0,
    };
    if signed_at.saturating_add(expires) < now_secs {
        return Err(invalid(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - {expires} sec.)",
            format_amz_date(now_secs.saturating_sub(expires)),
            format_amz_date(now_secs)
        )));
    }
    let skew = i64::try_from(max_skew.as_secs()).unwrap_or(i64::MAX);
    if signed_at > now_secs.saturating_add(skew) {
        return check_skew(amz_date, signed_at, now, max_skew);
    }
    Ok(())
}

/// The canonical request of SigV4, from the request as received and the payload's hash (or
/// `UNSIGNED-PAYLOAD`). A presigned request's own `X-Amz-Signature` is not part of it.
fn canonical_request(
    parts: &Parts,
    signed_headers: &[String],
    payload_hash: &str,
    presigned: bool,
) -> String {
    let headers: Vec<(&str, String)> = signed_headers
        .iter()
        .map(|name| {
            let value = canonical_header_value(&parts.headers, &parts.uri, name);
            (name.as_str(), value)
        })
        .collect();
    let query = sigv4::canonical_query(
        parts.uri.query().unwrap_or(""),
        presigned.then_some("X-Amz-Signature"),
    );
    sigv4::canonical_request(
        parts.method.as_str(),
        parts.uri.path(),
        &query,
        &headers,
        payload_hash,
    )
}

/// The canonical value of a signed header. The `host` header falls back on the URI's
/// authority (HTTP/2 sends `:authority`).
fn canonical_header_value(headers: &HeaderMap, uri: &http::Uri, name: &str) -> String {
    let mut values = headers.get_all(name).iter().peekable();
    if values.peek().is_none() && name == "host" {
        return uri
            .authority()
            .map(|authority| authority.as_str().to_owned())
            .unwrap_or_default();
    }
    sigv4::canonical_header_value(values.map(http::HeaderValue::as_bytes))
}

/// Compares two byte strings in time that depends only on their lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `get-vanilla-query-order-key-case` example of the AWS SigV4 test suite.
    #[test]
    fn matches_the_aws_test_suite() {
        let request = http::Request::builder()
            .method("GET")
            .uri("/?Param2=value2&Param1=value1")
            .header("host", "example.amazonaws.com")
            .header("x-amz-date", "20150830T123600Z")
            .body(())
            .expect("valid request");
        let (parts, ()) = request.into_parts();
        let signed = vec!["host".to_owned(), "x-amz-date".to_owned()];
        let empty_hash = sigv4::sha256_hex(b"");
        let canonical = canonical_request(&parts, &signed, &empty_hash, false);
        assert_eq!(
            canonical,
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let pending = PendingAuth {
            access_key_id: "AKIDEXAMPLE".to_owned(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
            amz_date: "20150830T123600Z".to_owned(),
            scope: "20150830/us-east-1/service/aws4_request".to_owned(),
            date: "20150830".to_owned(),
            region: "us-east-1".to_owned(),
            service: "service".to_owned(),
            signed_headers: signed,
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
                .to_owned(),
            presigned: false,
        };
        assert_eq!(
            pending
                .verify(&parts, b"")
                .map(|caller| caller.access_key_id),
            Ok("AKIDEXAMPLE".to_owned())
        );
    }

    #[test]
    fn authorization_headers_parse_strictly() {
        assert!(parse_authorization("AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host;x-amz-date, Signature=00").is_ok());
        for bad in [
            "",
            "AWS4-HMAC-SHA256",
            "Basic abc",
            "AWS4-HMAC-SHA256 Credential=a",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, Signature=00",
            "AWS4-HMAC-SHA256 garbage",
        ] {
            let rejection = parse_authorization(bad).err().expect(bad);
            assert_eq!(rejection.code, ErrorCode::IncompleteSignature, "{bad}");
        }
    }
}
