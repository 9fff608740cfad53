//! The small HTTP exchanges of the credential providers, over the client's HTTP stack.

use std::error::Error as StdError;
use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use aws_json_runtime::sigv4;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, HOST, USER_AGENT};
use http::{Method, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Full};

use super::{BoxError, CredentialsError};
use crate::client::{build_http_client, HttpClient};
use crate::config::{ConfiguredEndpoints, TimeoutConfig};

const PROVIDER_USER_AGENT: &str = concat!("aws-json-client/", env!("CARGO_PKG_VERSION"));

/// A lazily built HTTP client shared by the providers of one chain.
#[derive(Default)]
pub(crate) struct Http {
    client: OnceLock<Result<HttpClient, String>>,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Http")
    }
}

/// A response, read whole.
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
}

impl Response {
    /// The body as text, for error messages (never for successful answers, which hold secrets).
    pub(crate) fn error_text(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        let mut short: String = text.chars().take(300).collect();
        if short.len() < text.len() {
            short.push('…');
        }
        short
    }
}

/// Why an exchange failed.
#[derive(Debug)]
pub(crate) struct HttpFailure {
    /// Nothing answered: the connection was refused or timed out.
    pub(crate) unreachable: bool,
    error: BoxError,
}

impl fmt::Display for HttpFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unreachable {
            write!(f, "no answer: {}", self.error)
        } else {
            write!(f, "the request failed: {}", self.error)
        }
    }
}

impl StdError for HttpFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.error.as_ref())
    }
}

impl Http {
    fn client(&self) -> Result<&HttpClient, HttpFailure> {
        self.client
            .get_or_init(|| {
                build_http_client(&TimeoutConfig::new()).map_err(|error| error.to_string())
            })
            .as_ref()
            .map_err(|reason| HttpFailure {
                unreachable: false,
                error: format!("cannot build the HTTP client: {reason}").into(),
            })
    }

    /// Sends `request` and reads the response, within `limit`.
    pub(crate) async fn send(
        &self,
        request: Request<Full<Bytes>>,
        limit: Duration,
    ) -> Result<Response, HttpFailure> {
        let client = self.client()?;
        let exchange = async {
            let response = client.request(request).await.map_err(|error| HttpFailure {
                unreachable: error.is_connect(),
                error: Box::new(error),
            })?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|error| HttpFailure {
                    unreachable: false,
                    error: Box::new(error),
                })?
                .to_bytes();
            Ok(Response {
                status: parts.status,
                body,
            })
        };
        tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or_else(|_| {
                Err(HttpFailure {
                    unreachable: true,
                    error: format!("timed out after {limit:?}").into(),
                })
            })
    }
}

/// A request to `url` with a `Host` and a `User-Agent` header and `headers`.
pub(crate) fn request(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Result<Request<Full<Bytes>>, CredentialsError> {
    let uri: Uri = url.parse().map_err(|error| {
        CredentialsError::invalid_configuration(format!("`{url}` is not a valid URL"))
            .with_source(error)
    })?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return Err(CredentialsError::invalid_configuration(format!(
            "`{url}` must start with http:// or https://"
        )));
    }
    let host = uri
        .authority()
        .and_then(|authority| HeaderValue::from_str(authority.as_str()).ok())
        .ok_or_else(|| CredentialsError::invalid_configuration(format!("`{url}` has no host")))?;
    let mut request = Request::new(Full::new(body.into()));
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let map = request.headers_mut();
    map.insert(HOST, host);
    map.insert(USER_AGENT, HeaderValue::from_static(PROVIDER_USER_AGENT));
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|error| {
            CredentialsError::invalid_configuration(format!("invalid header name `{name}`"))
                .with_source(error)
        })?;
        // The value may be a secret: it is not quoted in the error.
        let mut value = HeaderValue::from_str(value).map_err(|error| {
            CredentialsError::invalid_configuration(format!("invalid value for header `{name}`"))
                .with_source(error)
        })?;
        value.set_sensitive(true);
        map.insert(name, value);
    }
    Ok(request)
}

/// The endpoint of a service the providers call (STS, SSO, SSO OIDC), by its SDK id: the
/// configured one, by the rules of the generated client's own endpoint
/// ([`ConfiguredEndpoints::url`]), else `https://{prefix}.{region}.{DNS suffix of the region's
/// partition}`.
pub(crate) fn service_endpoint(
    endpoints: &ConfiguredEndpoints,
    sdk_id: &str,
    prefix: &str,
    region: &str,
) -> String {
    endpoints
        .url(sdk_id)
        .unwrap_or_else(|| format!("https://{prefix}.{region}.{}", dns_suffix(region)))
}

/// The DNS suffix of the partition `region` belongs to, by the region name patterns of the
/// AWS partitions data (`aws`, `aws-cn`, `aws-us-gov`, the ISO partitions, `aws-eusc`).
fn dns_suffix(region: &str) -> &'static str {
    let starts = |prefix: &str| region.starts_with(prefix);
    if starts("cn-") {
        "amazonaws.com.cn"
    } else if starts("us-isob-") {
        "sc2s.sgov.gov"
    } else if starts("us-isof-") {
        "csp.hci.ic.gov"
    } else if starts("us-iso-") {
        "c2s.ic.gov"
    } else if starts("eu-isoe-") {
        "cloud.adc-e.uk"
    } else if starts("eusc-") {
        "amazonaws.eu"
    } else {
        "amazonaws.com"
    }
}

/// `base` (a URL without a query) followed by `path`, without a doubled `/`.
pub(crate) fn join(base: &str, path: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    let path = path.trim_start_matches('/');
    format!("{base}/{path}")
}

/// `text` percent-encoded for a query string or a form body (everything but RFC 3986's
/// unreserved characters), with the encoder SigV4 uses.
pub(crate) fn query_encode(text: &str) -> String {
    sigv4::percent_encode(text.as_bytes(), false)
}

/// `key=value&…`, percent-encoded.
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", query_encode(key), query_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_forms_and_joins_paths() {
        assert_eq!(
            form(&[("RoleArn", "arn:aws:iam::1:role/a b"), ("X", "~ok-._")]),
            "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b&X=~ok-._"
        );
        assert_eq!(join("http://h:1/", "/token"), "http://h:1/token");
        assert_eq!(join("http://h:1/base", "x"), "http://h:1/base/x");
    }

    #[test]
    fn default_endpoints_follow_the_partition() {
        let none = ConfiguredEndpoints::default();
        for (prefix, region, expected) in [
            ("sts", "eu-west-1", "https://sts.eu-west-1.amazonaws.com"),
            (
                "sts",
                "cn-north-1",
                "https://sts.cn-north-1.amazonaws.com.cn",
            ),
            (
                "sts",
                "us-gov-west-1",
                "https://sts.us-gov-west-1.amazonaws.com",
            ),
            (
                "sts",
                "us-iso-east-1",
                "https://sts.us-iso-east-1.c2s.ic.gov",
            ),
            (
                "sts",
                "us-isob-east-1",
                "https://sts.us-isob-east-1.sc2s.sgov.gov",
            ),
            (
                "sts",
                "us-isof-south-1",
                "https://sts.us-isof-south-1.csp.hci.ic.gov",
            ),
            (
                "sts",
                "eu-isoe-west-1",
                "https://sts.eu-isoe-west-1.cloud.adc-e.uk",
            ),
            (
                "oidc",
                "cn-northwest-1",
                "https://oidc.cn-northwest-1.amazonaws.com.cn",
            ),
            (
                "portal.sso",
                "cn-north-1",
                "https://portal.sso.cn-north-1.amazonaws.com.cn",
            ),
        ] {
            assert_eq!(service_endpoint(&none, "STS", prefix, region), expected);
        }
    }
}
