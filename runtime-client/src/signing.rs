//! SigV4 signing of requests, with the canonicalization the server's verifier uses
//! ([`aws_json_runtime::sigv4`]) and the choices of the AWS SDKs for services other than S3:
//! every header is signed but those a proxy may change, the body's hash is not sent as a
//! header, and temporary credentials add `X-Amz-Security-Token`.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_json_runtime::sigv4;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, HOST};
use http::Request;

use crate::config::Credentials;
use crate::error::SigningError;

const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");

/// Headers the signature leaves out, as the AWS SDKs do: the signature itself, and headers
/// that proxies add, change or drop.
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// Signs the request with SigV4, adding `Authorization`, `X-Amz-Date` and, for temporary
/// credentials, `X-Amz-Security-Token` (and `Host` when the request has none).
pub(crate) fn sign<B>(
    request: &mut Request<B>,
    body: &[u8],
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
) -> Result<(), SigningError> {
    sign_at(
        request,
        body,
        credentials,
        region,
        signing_name,
        SystemTime::now(),
    )
}

/// [`sign`] at time `now`.
fn sign_at<B>(
    request: &mut Request<B>,
    body: &[u8],
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    now: SystemTime,
) -> Result<(), SigningError> {
    let seconds = now
        .duration_since(UNIX_EPOCH)
        .map_err(SigningError::new)?
        .as_secs();
    let amz_date = sigv4::format_amz_date(i64::try_from(seconds).map_err(SigningError::new)?);
    let date = &amz_date[..8];
    let host = match request.uri().authority() {
        Some(authority) if !request.headers().contains_key(HOST) => {
            Some(HeaderValue::from_str(authority.as_str()).map_err(SigningError::new)?)
        }
        _ => None,
    };
    let headers = request.headers_mut();
    if let Some(host) = host {
        headers.insert(HOST, host);
    }
    headers.insert(
        X_AMZ_DATE,
        HeaderValue::from_str(&amz_date).map_err(SigningError::new)?,
    );
    if let Some(token) = credentials.session_token() {
        headers.insert(X_AMZ_SECURITY_TOKEN, sensitive(token)?);
    }

    let headers = request.headers();
    let mut names: Vec<&str> = headers
        .keys()
        .map(HeaderName::as_str)
        .filter(|name| !UNSIGNED_HEADERS.contains(name))
        .collect();
    names.sort_unstable();
    let signed: Vec<(&str, String)> = names
        .into_iter()
        .map(|name| {
            let values = headers.get_all(name).iter().map(HeaderValue::as_bytes);
            (name, sigv4::canonical_header_value(values))
        })
        .collect();
    let uri = request.uri();
    let canonical_request = sigv4::canonical_request(
        request.method().as_str(),
        uri.path(),
        &sigv4::canonical_query(uri.query().unwrap_or(""), None),
        &signed,
        &sigv4::sha256_hex(body),
    );
    let scope = sigv4::scope(date, region, signing_name);
    let key = sigv4::signing_key(credentials.secret_access_key(), date, region, signing_name);
    let signature = sigv4::signature(
        &key,
        &sigv4::string_to_sign(&amz_date, &scope, &canonical_request),
    );
    let authorization = format!(
        "{} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        sigv4::ALGORITHM,
        credentials.access_key_id(),
        sigv4::signed_headers(&signed),
    );
    request
        .headers_mut()
        .insert(AUTHORIZATION, sensitive(&authorization)?);
    Ok(())
}

/// A header value kept out of `Debug` output and HPACK tables.
fn sensitive(value: &str) -> Result<HeaderValue, SigningError> {
    let mut value = HeaderValue::from_str(value).map_err(SigningError::new)?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
    use proptest::prelude::*;

    use super::*;

    /// The official SDK's signer (aws-sigv4) over the same request, at the same time.
    fn sign_with_aws_sigv4(
        request: &Request<()>,
        body: &[u8],
        credentials: &Credentials,
        region: &str,
        service: &str,
        now: SystemTime,
    ) -> Vec<(String, String)> {
        let identity: aws_smithy_runtime_api::client::identity::Identity =
            aws_credential_types::Credentials::new(
                credentials.access_key_id(),
                credentials.secret_access_key(),
                credentials.session_token().map(str::to_owned),
                None,
                "test",
            )
            .into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(service)
            .time(now)
            .settings(SigningSettings::default())
            .build()
            .expect("signing params")
            .into();
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.to_str().expect("ASCII header")));
        let signable = SignableRequest::new(
            request.method().as_str(),
            request.uri().to_string(),
            headers,
            SignableBody::Bytes(body),
        )
        .expect("signable");
        let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
            .expect("signed")
            .into_parts();
        let (headers, _) = instructions.into_parts();
        let mut headers: Vec<(String, String)> = headers
            .iter()
            .map(|header| (header.name().to_owned(), header.value().to_owned()))
            .collect();
        headers.sort();
        headers
    }

    /// The headers [`sign_at`] adds, sorted by name.
    fn sign_with_ours(
        request: &Request<()>,
        body: &[u8],
        credentials: &Credentials,
        region: &str,
        service: &str,
        now: SystemTime,
    ) -> Vec<(String, String)> {
        let mut signed = request.clone();
        sign_at(&mut signed, body, credentials, region, service, now).expect("signed");
        let mut added: Vec<(String, String)> = signed
            .headers()
            .iter()
            .filter(|(name, _)| !request.headers().contains_key(*name))
            .filter(|(name, _)| *name != HOST)
            .map(|(name, value)| {
                let value = value.to_str().expect("ASCII header").to_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        added.sort();
        added
    }

    fn header_value() -> impl Strategy<Value = String> {
        // Printable ASCII with runs of spaces, which both signers trim and collapse.
        "[ -~]{0,24}".prop_map(|value| value.trim().to_owned())
    }

    fn request_strategy() -> impl Strategy<Value = Request<()>> {
        let names = prop::sample::select(vec![
            "content-type",
            "x-amz-target",
            "x-amz-user-agent",
            "amz-sdk-invocation-id",
            "amz-sdk-request",
            "user-agent",
            "x-custom",
            "content-encoding",
        ]);
        (
            prop::collection::vec((names, header_value()), 0..6),
            "[a-zA-Z0-9/._~%-]{0,20}",
            // Without `%`: the client's URIs carry no query (endpoints may not have one), and
            // aws-sigv4 reads a percent-escape that is not UTF-8 as U+FFFD where SigV4 keeps
            // the byte, as the server verifying it does.
            prop::option::of("[a-zA-Z0-9=&._~-]{0,20}"),
        )
            .prop_map(|(headers, path, query)| {
                let mut uri = format!("https://sso.us-east-1.amazonaws.com/{path}");
                if let Some(query) = query {
                    uri.push('?');
                    uri.push_str(&query);
                }
                let mut builder = Request::builder()
                    .method("POST")
                    .uri(uri)
                    .header(HOST, "sso.us-east-1.amazonaws.com");
                for (name, value) in headers {
                    builder = builder.header(name, value);
                }
                builder.body(()).expect("valid request")
            })
    }

    proptest! {
        /// Request for request, the same `Authorization`, `X-Amz-Date` and token as the
        /// official SDK's signer.
        #[test]
        fn signs_as_the_official_sdk_does(
            request in request_strategy(),
            body in prop::collection::vec(any::<u8>(), 0..64),
            token in prop::option::of("[A-Za-z0-9+/=]{1,40}"),
            seconds in 0u64..4_000_000_000,
            region in prop::sample::select(vec!["us-east-1", "eu-west-3", "cn-north-1"]),
        ) {
            let credentials =
                Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token);
            let now = UNIX_EPOCH + Duration::from_secs(seconds);
            prop_assert_eq!(
                sign_with_ours(&request, &body, &credentials, region, "sso", now),
                sign_with_aws_sigv4(&request, &body, &credentials, region, "sso", now)
            );
        }
    }

    #[test]
    fn adds_host_from_the_uri_when_missing() {
        let mut request = Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:4566/")
            .body(())
            .expect("valid request");
        let credentials = Credentials::new("AKID", "secret", None);
        sign(&mut request, b"{}", &credentials, "us-east-1", "sso").expect("signed");
        assert_eq!(request.headers()[HOST], "127.0.0.1:4566");
        let authorization = request.headers()[AUTHORIZATION].to_str().expect("ASCII");
        assert!(
            authorization.contains("SignedHeaders=host;x-amz-date,"),
            "{authorization}"
        );
        assert!(request.headers()[AUTHORIZATION].is_sensitive());
    }
}
