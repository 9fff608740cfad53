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
//! | malformed or repeated header, both a header and a presigned query, missing or malformed `X-Amz-Date` | `IncompleteSignatureException` |
//! | unknown access key id, wrong, missing or unexpected session token | `UnrecognizedClientException` |
//! | signature mismatch, wrong service or region in the scope, date off by more than the allowed skew, presigned request expired | `InvalidSignatureException` |
//!
//! Not supported: `UNSIGNED-PAYLOAD` and streaming (chunked) payload signatures in the
//! `Authorization` header, SigV4a, and the `Date` header in place of `X-Amz-Date`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use http::request::Parts;
use http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::context::Caller;
use crate::error::{ErrorCode, Rejection};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
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
                    signed_headers: signed_headers
                        .split(';')
                        .map(|name| name.trim().to_ascii_lowercase())
                        .collect(),
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
        if access_key_id.is_empty() || terminator != "aws4_request" {
            return Err(incomplete(format!(
                "Credential should be scoped with a valid terminator: 'aws4_request', got '{}'",
                fields.credential
            )));
        }
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
            scope: format!("{date}/{region}/{service}/aws4_request"),
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
        let key = signing_key(
            &self.secret_access_key,
            &self.date,
            &self.region,
            &self.service,
        );
        let body_hash = hex(&Sha256::digest(body));
        let payloads: &[&str] = if self.presigned {
            &[&body_hash, UNSIGNED_PAYLOAD]
        } else {
            &[&body_hash]
        };
        let mut matched = false;
        for payload in payloads {
            let canonical_request =
                canonical_request(parts, &self.signed_headers, payload, self.presigned);
            let string_to_sign = format!(
                "{ALGORITHM}\n{}\n{}\n{}",
                self.amz_date,
                self.scope,
                hex(&Sha256::digest(canonical_request.as_bytes()))
            );
            let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
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
                signed_headers: signed_headers
                    .split(';')
                    .map(|name| name.trim().to_ascii_lowercase())
                    .collect(),
                signature,
            })
        }
        _ => Err(incomplete(missing.trim_end())),
    }
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
    let mut out = String::with_capacity(256);
    out.push_str(parts.method.as_str());
    out.push('\n');
    out.push_str(&canonical_uri(parts.uri.path()));
    out.push('\n');
    out.push_str(&canonical_query(parts.uri.query().unwrap_or(""), presigned));
    out.push('\n');
    for name in signed_headers {
        out.push_str(name);
        out.push(':');
        out.push_str(&canonical_header_value(&parts.headers, &parts.uri, name));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// The path with dot segments removed and every byte outside the unreserved set (and `/`)
/// percent-encoded again, as SigV4 does for every service but S3.
fn canonical_uri(path: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let normalized = if path.contains("/.") || path.contains("//") {
        let mut segments: Vec<&str> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                segment => segments.push(segment),
            }
        }
        let mut normalized = format!("/{}", segments.join("/"));
        let trailing = ["/", "/.", "/..", "/./", "/../"]
            .iter()
            .any(|end| path.ends_with(end));
        if trailing && !normalized.ends_with('/') {
            normalized.push('/');
        }
        normalized
    } else {
        path.to_owned()
    };
    percent_encode(normalized.as_bytes(), true)
}

/// The query parameters, decoded, encoded again strictly, and sorted; without
/// `X-Amz-Signature` when `presigned`.
fn canonical_query(query: &str, presigned: bool) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_encode(&percent_decode(name), false),
                percent_encode(&percent_decode(value), false),
            )
        })
        .filter(|(name, _)| !(presigned && name == "X-Amz-Signature"))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Every value of the header, trimmed, with runs of spaces collapsed, joined with commas. The
/// `host` header falls back on the URI's authority (HTTP/2 sends `:authority`).
fn canonical_header_value(headers: &HeaderMap, uri: &http::Uri, name: &str) -> String {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|value| collapse_spaces(&String::from_utf8_lossy(value.as_bytes())))
        .collect();
    if values.is_empty() && name == "host" {
        return uri
            .authority()
            .map(|authority| authority.as_str().to_owned())
            .unwrap_or_default();
    }
    values.join(",")
}

fn collapse_spaces(value: &str) -> String {
    value
        .split([' ', '\t'])
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn percent_encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(byte >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(byte & 0x0f)]));
        }
    }
    out
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = (bytes[index] == b'%')
            .then(|| {
                let high = hex_value(*bytes.get(index + 1)?)?;
                let low = hex_value(*bytes.get(index + 2)?)?;
                Some(high << 4 | low)
            })
            .flatten();
        match decoded {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

fn hex(bytes: &[u8]) -> String {
    const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(HEX_LOWER[usize::from(byte >> 4)]));
        out.push(char::from(HEX_LOWER[usize::from(byte & 0x0f)]));
    }
    out
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let key = hmac(&key, region.as_bytes());
    let key = hmac(&key, service.as_bytes());
    hmac(&key, b"aws4_request")
}

/// Compares two byte strings in time that depends only on their lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Seconds since the epoch of an ISO-8601 basic date-time, `YYYYMMDDTHHMMSSZ`.
fn parse_amz_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        bytes[range].iter().try_fold(0i64, |acc, &digit| {
            digit
                .is_ascii_digit()
                .then(|| acc * 10 + i64::from(digit - b'0'))
        })
    };
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// The ISO-8601 basic form of a time in seconds since the epoch.
fn format_amz_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_round_trip() {
        assert_eq!(parse_amz_date("19700101T000000Z"), Some(0));
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(format_amz_date(1_440_938_160), "20150830T123600Z");
        assert_eq!(
            parse_amz_date("20240229T235959Z")
                .map(format_amz_date)
                .as_deref(),
            Some("20240229T235959Z")
        );
        for bad in [
            "",
            "20150830T123600",
            "20151330T123600Z",
            "20150230T123600Z",
            "2015083OT123600Z",
            "20150830 123600Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

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
        let empty_hash = hex(&Sha256::digest(b""));
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
    fn canonical_uris_and_queries() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(canonical_uri("/a%20b"), "/a%2520b");
        assert_eq!(canonical_query("b=2&a=1&a=0&c", false), "a=0&a=1&b=2&c=");
        assert_eq!(canonical_query("k=a%20b%2x", false), "k=a%20b%252x");
        assert_eq!(
            canonical_query("X-Amz-Signature=00&b=1", true),
            "b=1",
            "a presigned request's signature is not signed"
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
