//! The client: one generic code path that sends any [`Operation`] over the AWS JSON protocols.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use aws_json_runtime::endpoints::ContextParam;
use aws_json_runtime::{json, Operation, ServiceMetadata};
use bytes::Bytes;
use http::header::{
    HeaderName, HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HOST, USER_AGENT,
};
use http::{HeaderMap, Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::config::{Config, Credentials, TimeoutConfig};
use crate::credentials::ProvideCredentials;
use crate::customize::{Customizations, HttpRequest};
use crate::error::{ConstructionError, DispatchError, SdkError, TimeoutError, TimeoutKind};
use crate::reply::{self, ClassifyError, Outcome, Reply};
use crate::resolve::Resolver;
use crate::retry::{self, RetryKind, RetryQuota};
use crate::{compression, protocol, signing};

pub(crate) type HttpClient =
    hyper_util::client::legacy::Client<HttpsConnector<HttpConnector<Resolver>>, Full<Bytes>>;
type BoxError = Box<dyn StdError + Send + Sync + 'static>;

const X_AMZ_TARGET: &str = "x-amz-target";
const INVOCATION_ID: &str = "amz-sdk-invocation-id";
const SDK_REQUEST: &str = "amz-sdk-request";
const CLIENT_USER_AGENT: &str = concat!("aws-json-client/", env!("CARGO_PKG_VERSION"));

/// A client for services speaking awsJson1_0 or awsJson1_1.
///
/// Cheap to clone: clones share the connection pool and the retry quota. Calls must run inside
/// a Tokio runtime with I/O and time enabled.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    /// The HTTP client, or why it could not be built (reported on every call).
    http: Result<HttpClient, String>,
    /// Shared by the clients a per-call configuration override makes.
    quota: Arc<RetryQuota>,
}

/// Everything about a request that stays the same across attempts.
struct Prepared {
    uri: Uri,
    host: HeaderValue,
    body: Bytes,
    /// The `Content-Encoding` of a compressed body.
    content_encoding: Option<HeaderValue>,
    /// The region to sign with: the endpoint's `signingRegion`, else the configured one.
    region: String,
    /// The name to sign with: the endpoint's `signingName`, else the service's.
    signing_name: String,
    /// Headers the resolved endpoint asks for.
    endpoint_headers: HeaderMap,
    credentials: Credentials,
}

impl Client {
    /// A client with this configuration.
    ///
    /// Never fails: a configuration that cannot work (no region, no credentials, a bad
    /// endpoint) makes each call fail with [`SdkError::Construction`], as in the AWS SDKs.
    pub fn new(config: Config) -> Self {
        let http = build_http_client_with(
            config.timeout_config(),
            Resolver::new(config.resolve_overrides().clone()),
        )
        .map_err(|error| error.to_string());
        Self {
            inner: Arc::new(Inner {
                config,
                http,
                quota: Arc::new(RetryQuota::new()),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls the operation `O` with `input`: serializes it, signs and sends the request,
    /// retries per the retry configuration, and deserializes the output or the error.
    pub async fn call<O: ClientOperation>(
        &self,
        input: O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.call_customized::<O>(input, &Customizations::default())
            .await
    }

    /// [`call`](Self::call) with per-call customizations: request mutators run before each
    /// attempt is signed, and a configuration override applies to this call alone (its retry
    /// quota and connection pool stay the client's, unless the override changes the connect
    /// timeout or the fixed addresses, which need a connection pool of their own).
    pub async fn call_customized<O: ClientOperation>(
        &self,
        input: O::Input,
        customizations: &Customizations,
    ) -> Result<O::Output, SdkError<O::Error>> {
        // Only serializing the input and parsing the reply depend on the operation's types:
        // the rest is compiled once, in this crate, not again for each operation a program
        // calls.
        let body = json::to_vec(&input).map_err(|error| {
            SdkError::Construction(ConstructionError::with_source(
                format!("cannot serialize the input of {}", O::NAME),
                error,
            ))
        })?;
        let call = Call::of::<O>(customizations);
        let outcome = self.send(&call, body).await.map_err(SdkError::widen)?;
        reply::parse::<O>(outcome)
    }

    /// Sends the serialized input with the configuration, or the call's override of it.
    async fn send(&self, call: &Call<'_>, body: Vec<u8>) -> Result<Outcome, SdkError<Infallible>> {
        let Some(changes) = call.customizations.config_override() else {
            return self.run(call, body).await;
        };
        let config = changes.override_of(&self.inner.config);
        let base = &self.inner.config;
        let http = if config.timeout_config().connect_timeout()
            == base.timeout_config().connect_timeout()
            && config.resolve_overrides() == base.resolve_overrides()
        {
            self.inner.http.clone()
        } else {
            build_http_client_with(
                config.timeout_config(),
                Resolver::new(config.resolve_overrides().clone()),
            )
            .map_err(|error| error.to_string())
        };
        let client = Client {
            inner: Arc::new(Inner {
                config,
                http,
                quota: self.inner.quota.clone(),
            }),
        };
        client.run(call, body).await
    }

    /// The call, with this client's configuration, within the operation timeout.
    async fn run(&self, call: &Call<'_>, body: Vec<u8>) -> Result<Outcome, SdkError<Infallible>> {
        let span = tracing::debug_span!(
            "aws_json_call",
            service = call.service.sdk_id,
            operation = call.name,
        );
        async move {
            // Loading credentials counts against the operation timeout.
            let attempts = async {
                let prepared = self
                    .prepare(call, body)
                    .await
                    .map_err(SdkError::Construction)?;
                self.attempts(call, &prepared).await
            };
            match self.inner.config.timeout_config().operation_timeout() {
                Some(limit) => tokio::time::timeout(limit, attempts)
                    .await
                    .unwrap_or_else(|_| {
                        tracing::debug!(?limit, "operation timed out");
                        Err(SdkError::Timeout(TimeoutError::new(
                            TimeoutKind::Operation,
                            Some(limit),
                        )))
                    }),
                None => attempts.await,
            }
        }
        .instrument(span)
        .await
    }

    /// Resolves the endpoint, region and credentials, and compresses the body if asked.
    async fn prepare(
        &self,
        call: &Call<'_>,
        mut body: Vec<u8>,
    ) -> Result<Prepared, ConstructionError> {
        let config = &self.inner.config;
        if let Some(error) = config.load_error() {
            return Err(ConstructionError::new(format!(
                "the AWS configuration could not be loaded: {error}"
            )));
        }
        let region = config
            .region()
            .map(str::trim)
            .filter(|region| !region.is_empty())
            .ok_or_else(|| {
                ConstructionError::new(
                    "no region is configured (set one on the config builder, AWS_REGION, or `region` in the profile)",
                )
            })?
            .to_owned();
        let credentials = match (config.credentials(), config.credentials_provider()) {
            (Some(credentials), _) => credentials.clone(),
            (None, Some(provider)) => provider.provide_credentials().await.map_err(|error| {
                ConstructionError::with_source(
                    format!("cannot load credentials: {}", error.full_message()),
                    error,
                )
            })?,
            (None, None) => return Err(ConstructionError::new(
                "no credentials are configured (set them on the config builder, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or in the shared credentials file)",
            )),
        };
        let resolved = crate::endpoint::resolve_call(
            config,
            call.service,
            &region,
            call.endpoint_context,
            &body,
        )?;
        let (uri, signing_name, region, endpoint_headers) = match resolved {
            Some(resolved) => (
                parse_endpoint(&resolved.url)?,
                resolved.signing_name,
                resolved.signing_region.unwrap_or(region),
                resolved.headers,
            ),
            None => (
                resolve_endpoint(config, call.service, &region)?,
                None,
                region,
                HeaderMap::new(),
            ),
        };
        // The endpoint trait's host prefix goes on the resolved endpoint's host.
        let uri = with_request_path(with_host_prefix(uri, call.host_prefix, &body)?)?;
        let signing_name = signing_name.unwrap_or_else(|| call.service.signing_name.to_owned());
        let host = uri
            .authority()
            .and_then(|authority| HeaderValue::from_str(authority.as_str()).ok())
            .ok_or_else(|| ConstructionError::new(format!("endpoint `{uri}` has no host")))?;
        let mut content_encoding = None;
        if let Some(encoding) = config
            .compression_config()
            .encoding_for(call.request_compression, body.len())
        {
            body = compression::gzip(&body).map_err(|error| {
                ConstructionError::with_source(
                    format!("cannot compress the input of {}", call.name),
                    error,
                )
            })?;
            // The AWS JSON protocols bind no member to headers: no encoding is set before.
            let value = compression::content_encoding(None, encoding);
            content_encoding = Some(HeaderValue::from_str(&value).map_err(|error| {
                ConstructionError::with_source(format!("invalid header value `{value}`"), error)
            })?);
        }
        Ok(Prepared {
            uri,
            host,
            body: Bytes::from(body),
            content_encoding,
            region,
            signing_name,
            endpoint_headers,
            credentials,
        })
    }

    /// Runs attempts until one succeeds, a failure is not retryable, or attempts run out.
    async fn attempts(
        &self,
        call: &Call<'_>,
        prepared: &Prepared,
    ) -> Result<Outcome, SdkError<Infallible>> {
        let retry_config = self.inner.config.retry_config();
        let max_attempts = retry_config.max_attempts().max(1);
        let invocation_id = invocation_id();
        let mut spent = 0;
        let mut attempt = 1;
        loop {
            let span = tracing::debug_span!("attempt", attempt, max_attempts);
            let attempt_number = AttemptNumber {
                attempt,
                max_attempts,
            };
            let result = self
                .attempt(call, prepared, &invocation_id, attempt_number)
                .instrument(span)
                .await;
            let (kind, failure) = match retry_decision(call, &result) {
                Decision::Done => {
                    self.inner.quota.release(spent);
                    return result;
                }
                Decision::NotRetryable(failure) => {
                    tracing::debug!(attempt, error = failure, "attempt failed; not retryable");
                    return result;
                }
                Decision::Retry(kind, failure) => (kind, failure),
            };
            if attempt >= max_attempts {
                tracing::debug!(attempt, error = failure, "attempt failed; no attempts left");
                return result;
            }
            let Some(cost) = self.inner.quota.acquire(kind) else {
                tracing::debug!(
                    attempt,
                    error = failure,
                    "attempt failed; retry quota exhausted"
                );
                return result;
            };
            spent += cost;
            let delay = retry::backoff(retry_config, attempt);
            tracing::debug!(
                attempt,
                ?kind,
                ?delay,
                error = failure,
                "attempt failed; retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: build, sign, send, read.
    async fn attempt(
        &self,
        call: &Call<'_>,
        prepared: &Prepared,
        invocation_id: &str,
        number: AttemptNumber,
    ) -> Result<Outcome, SdkError<Infallible>> {
        let http = self.inner.http.as_ref().map_err(|reason| {
            SdkError::Construction(ConstructionError::new(format!(
                "cannot build the HTTP client: {reason}"
            )))
        })?;
        let mut request =
            build_request(call, prepared, invocation_id, number).map_err(SdkError::Construction)?;
        call.customizations.mutate(&mut request);
        let body = request.body().clone();
        signing::sign(
            &mut request,
            &body,
            &prepared.credentials,
            &prepared.region,
            &prepared.signing_name,
        )
        .map_err(SdkError::Signing)?;
        let request = request.map(Full::new);

        let timeouts = self.inner.config.timeout_config();
        let exchange = exchange(http, request, timeouts);
        let reply = match timeouts.attempt_timeout() {
            Some(limit) => tokio::time::timeout(limit, exchange)
                .await
                .unwrap_or_else(|_| {
                    Err(SdkError::Timeout(TimeoutError::new(
                        TimeoutKind::Attempt,
                        Some(limit),
                    )))
                })?,
            None => exchange.await?,
        };
        tracing::debug!(
            status = reply.status().as_u16(),
            request_id = reply.request_id().unwrap_or(""),
            "response received"
        );
        let outcome = reply.into_outcome(call.service.query_compatible);
        if let Outcome::Error(error) = &outcome {
            tracing::debug!(
                status = error.http_status(),
                code = error.code().unwrap_or(""),
                "error response"
            );
        }
        Ok(outcome)
    }
}

/// An [`Operation`] a client can call: its input serializes and its output deserializes, as
/// every generated operation's do.
pub trait ClientOperation: Operation<Input: Serialize, Output: DeserializeOwned> {}

impl<O> ClientOperation for O
where
    O: Operation,
    O::Input: Serialize,
    O::Output: DeserializeOwned,
{
}

/// What the operation-independent part of a call knows of the operation: the constants of its
/// [`Operation`] impl, how to tell whether one of its error responses may be retried, and the
/// call's customizations.
struct Call<'a> {
    name: &'static str,
    service: &'static ServiceMetadata,
    endpoint_context: &'static [ContextParam],
    request_compression: &'static [&'static str],
    host_prefix: Option<&'static str>,
    classify_error: ClassifyError,
    customizations: &'a Customizations,
}

impl<'a> Call<'a> {
    fn of<O: Operation>(customizations: &'a Customizations) -> Self {
        Self {
            name: O::NAME,
            service: O::SERVICE,
            endpoint_context: O::ENDPOINT_CONTEXT,
            request_compression: O::REQUEST_COMPRESSION,
            host_prefix: O::HOST_PREFIX,
            classify_error: reply::classify_error::<O::Error>,
            customizations,
        }
    }
}

/// Which attempt this is, of how many at most (sent in `amz-sdk-request`).
#[derive(Clone, Copy)]
struct AttemptNumber {
    attempt: u32,
    max_attempts: u32,
}

/// What to do after an attempt.
enum Decision<'r> {
    /// It succeeded: return its result.
    Done,
    /// It failed, and is not worth retrying; the failure for logs.
    NotRetryable(&'r str),
    /// It failed, and another attempt may succeed.
    Retry(RetryKind, &'r str),
}

/// Whether an attempt's result is final, by the retry strategy ([`retry`]).
fn retry_decision<'r>(
    call: &Call<'_>,
    result: &'r Result<Outcome, SdkError<Infallible>>,
) -> Decision<'r> {
    let (kind, failure) = match result {
        Ok(Outcome::Output(_)) => return Decision::Done,
        Ok(Outcome::Error(error)) => ((call.classify_error)(error), error.code_or_unknown()),
        Err(error) => (retry::classify_failure(error), failure_kind(error)),
    };
    match kind {
        Some(kind) => Decision::Retry(kind, failure),
        None => Decision::NotRetryable(failure),
    }
}

/// A short description of a failure for logs: the error code for error responses, else the
/// kind of failure. Never the full message, which may quote parts of a (sensitive) body.
fn failure_kind(error: &SdkError<Infallible>) -> &'static str {
    match error {
        SdkError::Service { error, .. } => match *error {},
        SdkError::Timeout(_) => "timeout",
        SdkError::Dispatch(_) => "dispatch failure",
        SdkError::Construction(_) => "construction failure",
        SdkError::Response(_) => "malformed response",
        SdkError::Signing(_) => "signing failure",
    }
}

/// Sends the request and reads the whole response.
async fn exchange(
    http: &HttpClient,
    request: Request<Full<Bytes>>,
    timeouts: &TimeoutConfig,
) -> Result<Reply, SdkError<Infallible>> {
    let response = http.request(request).await.map_err(|error| {
        let connect = error.is_connect();
        let error: BoxError = Box::new(error);
        if is_timed_out(error.as_ref()) {
            SdkError::Timeout(
                TimeoutError::new(TimeoutKind::Connect, timeouts.connect_timeout())
                    .with_source(error),
            )
        } else {
            SdkError::Dispatch(DispatchError::new(connect, error))
        }
    })?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|error| SdkError::Dispatch(DispatchError::new(false, error)))?
        .to_bytes();
    Ok(Reply::new(parts.status, parts.headers, body))
}

/// Whether an I/O timeout is somewhere in the error's chain of causes.
fn is_timed_out(error: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        current = error.source();
    }
    false
}

/// The request URI of the operations, `/`, appended to the endpoint's path as botocore does:
/// `https://example.com/custom` is called at `/custom/`.
fn with_request_path(endpoint: Uri) -> Result<Uri, ConstructionError> {
    if endpoint.path().ends_with('/') {
        return Ok(endpoint);
    }
    let mut parts = endpoint.into_parts();
    let path = parts
        .path_and_query
        .as_ref()
        .map_or("", |path| path.path())
        .to_owned();
    parts.path_and_query = Some(format!("{path}/").parse().map_err(|error| {
        ConstructionError::with_source(format!("endpoint path `{path}` is not valid"), error)
    })?);
    Uri::from_parts(parts)
        .map_err(|error| ConstructionError::with_source("the endpoint does not form a URI", error))
}

/// The resolved endpoint with the operation's host prefix (`endpoint` trait) before its host:
/// each `{Label}` of the prefix is the input member of that name, which must be a valid host
/// label (letters, digits and `-`, 1 to 63 characters, not starting with `-`).
fn with_host_prefix(
    endpoint: Uri,
    prefix: Option<&str>,
    input: &[u8],
) -> Result<Uri, ConstructionError> {
    let Some(prefix) = prefix else {
        return Ok(endpoint);
    };
    let members: serde_json::Map<String, serde_json::Value> = if prefix.contains('{') {
        serde_json::from_slice(input).map_err(|error| {
            ConstructionError::with_source("the input is not a JSON object", error)
        })?
    } else {
        serde_json::Map::new()
    };
    let mut host = String::new();
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        host.push_str(&rest[..open]);
        let close = rest[open..].find('}').ok_or_else(|| {
            ConstructionError::new(format!("host prefix `{prefix}` has an unclosed `{{`"))
        })?;
        let label = &rest[open + 1..open + close];
        let value = members
            .get(label)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| {
                ConstructionError::new(format!(
                    "`{label}` is required: it is part of the endpoint's host"
                ))
            })?;
        let valid = !value.is_empty()
            && value.len() <= 63
            && !value.starts_with('-')
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            return Err(ConstructionError::new(format!(
                "`{label}` must be a valid host label (letters, digits and `-`, 1 to 63 characters, not starting with `-`) since it is part of the endpoint's host: `{value}` is not"
            )));
        }
        host.push_str(value);
        rest = &rest[open + close + 1..];
    }
    host.push_str(rest);
    let mut parts = endpoint.into_parts();
    let authority = parts
        .authority
        .as_ref()
        .map(|authority| authority.as_str())
        .unwrap_or_default();
    let prefixed = match authority.rsplit_once('@') {
        Some((user, rest)) => format!("{user}@{host}{rest}"),
        None => format!("{host}{authority}"),
    };
    parts.authority = Some(prefixed.parse().map_err(|error| {
        ConstructionError::with_source(format!("host `{prefixed}` is not valid"), error)
    })?);
    Uri::from_parts(parts)
        .map_err(|error| ConstructionError::with_source("the endpoint does not form a URI", error))
}

/// The endpoint of a call: the configured URL, or `https://{endpoint_prefix}.{region}.amazonaws.com`.
fn resolve_endpoint(
    config: &Config,
    service: &ServiceMetadata,
    region: &str,
) -> Result<Uri, ConstructionError> {
    let text = match config.configured_endpoint_url(service) {
        Some(url) => url,
        None => {
            let valid_label = |label: &str| {
                !label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            };
            if !valid_label(region) {
                return Err(ConstructionError::new(format!(
                    "region `{region}` is not a valid host name label"
                )));
            }
            if !valid_label(service.endpoint_prefix) {
                return Err(ConstructionError::new(format!(
                    "endpoint prefix `{}` is not a valid host name label",
                    service.endpoint_prefix
                )));
            }
            format!("https://{}.{region}.amazonaws.com", service.endpoint_prefix)
        }
    };
    parse_endpoint(&text)
}

/// An endpoint URL checked for what the client can send to: `http` or `https`, a host, no
/// query.
fn parse_endpoint(text: &str) -> Result<Uri, ConstructionError> {
    let uri: Uri = text.trim().parse().map_err(|error| {
        ConstructionError::with_source(format!("endpoint `{text}` is not a valid URL"), error)
    })?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => {
            return Err(ConstructionError::new(format!(
                "endpoint `{text}` must start with http:// or https://"
            )))
        }
    }
    if uri.authority().is_none_or(|a| a.host().is_empty()) {
        return Err(ConstructionError::new(format!(
            "endpoint `{text}` has no host"
        )));
    }
    if uri.query().is_some() {
        return Err(ConstructionError::new(format!(
            "endpoint `{text}` must not have a query"
        )));
    }
    Ok(uri)
}

/// The unsigned request of one attempt.
fn build_request(
    call: &Call<'_>,
    prepared: &Prepared,
    invocation_id: &str,
    number: AttemptNumber,
) -> Result<HttpRequest, ConstructionError> {
    let header = |value: String| {
        HeaderValue::from_str(&value).map_err(|error| {
            ConstructionError::with_source(format!("invalid header value `{value}`"), error)
        })
    };
    let mut request = Request::new(prepared.body.clone());
    *request.method_mut() = Method::POST;
    *request.uri_mut() = prepared.uri.clone();
    let headers = request.headers_mut();
    headers.insert(HOST, prepared.host.clone());
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(call.service.protocol.content_type()),
    );
    headers.insert(CONTENT_LENGTH, HeaderValue::from(prepared.body.len()));
    if let Some(encoding) = &prepared.content_encoding {
        headers.insert(CONTENT_ENCODING, encoding.clone());
    }
    if call.service.query_compatible {
        headers.insert(
            protocol::QUERY_MODE_HEADER,
            HeaderValue::from_static("true"),
        );
    }
    headers.insert(
        HeaderName::from_static(X_AMZ_TARGET),
        header(format!("{}.{}", call.service.target_prefix, call.name))?,
    );
    headers.insert(USER_AGENT, HeaderValue::from_static(CLIENT_USER_AGENT));
    headers.insert(
        HeaderName::from_static(INVOCATION_ID),
        header(invocation_id.to_owned())?,
    );
    headers.insert(
        HeaderName::from_static(SDK_REQUEST),
        header(format!(
            "attempt={}; max={}",
            number.attempt, number.max_attempts
        ))?,
    );
    for (name, value) in &prepared.endpoint_headers {
        headers.append(name, value.clone());
    }
    Ok(request)
}

/// A random UUID (version 4) identifying one call across its attempts.
fn invocation_id() -> String {
    aws_json_runtime::ids::uuid_v4()
}

/// The HTTP client: HTTP/1.1 over TCP, with TLS (rustls, ring, Mozilla's roots) for `https://`.
pub(crate) fn build_http_client(timeouts: &TimeoutConfig) -> Result<HttpClient, rustls::Error> {
    build_http_client_with(timeouts, Resolver::new(BTreeMap::new()))
}

/// [`build_http_client`] with this name resolver.
fn build_http_client_with(
    timeouts: &TimeoutConfig,
    resolver: Resolver,
) -> Result<HttpClient, rustls::Error> {
    let mut connector = HttpConnector::new_with_resolver(resolver);
    connector.enforce_http(false);
    connector.set_nodelay(true);
    connector.set_connect_timeout(timeouts.connect_timeout());
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())?
        .https_or_http()
        .enable_http1()
        .wrap_connector(connector);
    Ok(
        hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(https),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_prefixes_go_before_the_host() {
        let endpoint: Uri = "https://example.com:8443/path".parse().unwrap();
        let prefixed = |prefix, input: &str| {
            with_host_prefix(endpoint.clone(), prefix, input.as_bytes()).map(|uri| uri.to_string())
        };
        assert_eq!(
            prefixed(None, "{}").unwrap(),
            "https://example.com:8443/path"
        );
        assert_eq!(
            prefixed(Some("foo."), "{}").unwrap(),
            "https://foo.example.com:8443/path"
        );
        assert_eq!(
            prefixed(Some("foo.{label}."), r#"{"label": "bar-1"}"#).unwrap(),
            "https://foo.bar-1.example.com:8443/path"
        );
        for bad in [
            r#"{"label": "a.b"}"#,
            r#"{"label": ""}"#,
            r#"{"label": "-a"}"#,
            r#"{"label": "a/b"}"#,
            r#"{"label": "é"}"#,
            "{}",
        ] {
            assert!(prefixed(Some("foo.{label}."), bad).is_err(), "{bad}");
        }
        let long = format!(r#"{{"label": "{}"}}"#, "a".repeat(64));
        assert!(prefixed(Some("{label}."), &long).is_err());
    }

    #[test]
    fn invocation_ids_look_like_uuids() {
        let id = invocation_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn timeouts_are_found_in_the_chain() {
        let io = std::io::Error::new(std::io::ErrorKind::TimedOut, "slow");
        let outer = DispatchError::new(true, io);
        assert!(is_timed_out(&outer));
        let refused = DispatchError::new(
            true,
            std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "no"),
        );
        assert!(!is_timed_out(&refused));
    }
}
