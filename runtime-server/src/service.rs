//! The service: one handler per operation behind the generic protocol steps.

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime};

use aws_json_runtime::OperationVisitor;
use aws_json_runtime::{
    json, validate, wire_error, ErrorFault, Operation, OperationError, ServiceMetadata,
    ServiceShape,
};
use bytes::Bytes;
use futures_util::FutureExt;
use http::header::{HeaderName, HeaderValue, ALLOW, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{Method, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::Full;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::body::{decode_content_encoding, read_limited, too_large};
use crate::context::RequestContext;
use crate::decode::decode_input;
use crate::error::{BuildError, ErrorCode, Rejection};
use crate::limits::ServerLimits;
use crate::request_id::new_request_id;
use crate::sigv4::{Authenticator, SigV4Config};

/// The body of every response: a JSON document, fully buffered.
pub type ResponseBody = Full<Bytes>;

/// The default limit on request bodies: 1 MiB.
pub const DEFAULT_MAX_BODY_SIZE: usize = 1024 * 1024;

/// The header that names the operation, `{target_prefix}.{Operation}`.
const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
/// The header that carries the request id on every response.
const X_AMZN_REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// The type-erased generic path of one operation: decode, validate, call, encode.
type Route = Arc<dyn Fn(Bytes, RequestContext) -> BoxFuture<Reply> + Send + Sync>;

/// What the protocol steps produce, before the common headers are added.
struct Reply {
    status: StatusCode,
    body: Bytes,
    /// The `__type` of an error reply, for the log.
    error_code: Option<String>,
    /// Set for 405 replies.
    allow: bool,
}

impl Reply {
    fn ok(body: Vec<u8>) -> Self {
        Self {
            status: StatusCode::OK,
            body: Bytes::from(body),
            error_code: None,
            allow: false,
        }
    }

    fn rejection(rejection: Rejection) -> Self {
        Self {
            status: rejection.status,
            body: Bytes::from(rejection.to_json_body()),
            error_code: Some(rejection.code.as_str().to_owned()),
            allow: rejection.status == StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The body is the error's JSON with `__type` and (when the error has one) `message` added.
    fn operation_error<E: OperationError>(error: &E) -> Self {
        let mut body = match error.to_json() {
            serde_json::Value::Object(members) => members,
            _ => serde_json::Map::new(),
        };
        body.insert("__type".to_owned(), error.code().into());
        if let Some(message) = error.message() {
            // The modeled member may already carry it, as `Message` (SSO Admin) or `message`.
            if !body.keys().any(|key| key.eq_ignore_ascii_case("message")) {
                body.insert("message".to_owned(), message.into());
            }
        }
        let status = StatusCode::from_u16(error.http_status())
            .ok()
            .filter(|status| status.is_client_error() || status.is_server_error())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self {
            status,
            body: Bytes::from(serde_json::Value::Object(body).to_string()),
            error_code: Some(error.code().to_owned()),
            allow: false,
        }
    }
}

/// Builds an [`AwsJsonService`]: one handler per operation, then the protocol options.
///
/// `S` is the implementation's state, shared by every handler.
pub struct ServiceBuilder<S> {
    metadata: &'static ServiceMetadata,
    state: Arc<S>,
    routes: HashMap<String, (&'static str, Route)>,
    max_body_size: usize,
    limits: ServerLimits,
    sigv4: Option<SigV4Config>,
    error: Option<BuildError>,
}

impl<S> fmt::Debug for ServiceBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut operations: Vec<&str> = self.routes.values().map(|(name, _)| *name).collect();
        operations.sort_unstable();
        f.debug_struct("ServiceBuilder")
            .field("service", &self.metadata.target_prefix)
            .field("operations", &operations)
            .field("max_body_size", &self.max_body_size)
            .field("limits", &self.limits)
            .field("sigv4", &self.sigv4)
            .finish_non_exhaustive()
    }
}

impl<S: Send + Sync + 'static> ServiceBuilder<S> {
    /// A builder for the service described by `metadata`, whose handlers share `state`.
    pub fn new(metadata: &'static ServiceMetadata, state: Arc<S>) -> Self {
        Self {
            metadata,
            state,
            routes: HashMap::new(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            limits: ServerLimits::default(),
            sigv4: None,
            error: None,
        }
    }

    /// Registers the handler of operation `O`.
    ///
    /// The handler receives the shared state, the decoded and validated input, and the
    /// [`RequestContext`]; its error is answered with the error's status, `__type` and body.
    /// Registering an operation twice, or one of another service, makes
    /// [`build`](Self::build) fail.
    pub fn operation<O, H, Fut>(mut self, handler: H) -> Self
    where
        O: Operation,
        O::Input: validate::Validate + DeserializeOwned,
        O::Output: Serialize,
        H: Fn(Arc<S>, O::Input, RequestContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<O::Output, O::Error>> + Send + 'static,
    {
        if self.error.is_some() {
            return self;
        }
        if O::SERVICE.target_prefix != self.metadata.target_prefix {
            self.error = Some(BuildError::ForeignOperation {
                operation: O::NAME,
                operation_prefix: O::SERVICE.target_prefix,
                service_prefix: self.metadata.target_prefix,
            });
            return self;
        }
        let target = format!("{}.{}", self.metadata.target_prefix, O::NAME);
        if self.routes.contains_key(&target) {
            self.error = Some(BuildError::DuplicateOperation { operation: O::NAME });
            return self;
        }
        let state = Arc::clone(&self.state);
        let handler = Arc::new(handler);
        let route: Route = Arc::new(move |body, context| {
            Box::pin(invoke::<O, S, H, Fut>(
                Arc::clone(&state),
                Arc::clone(&handler),
                body,
                context,
            ))
        });
        self.routes.insert(target, (O::NAME, route));
        self
    }

    /// Refuses request bodies larger than `bytes` (default [`DEFAULT_MAX_BODY_SIZE`]) with
    /// HTTP 413 `RequestEntityTooLargeException`, without buffering more than that. The limit
    /// applies both to the body as sent and, for `Content-Encoding: gzip`, to the decompressed
    /// body, which is not inflated past it.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Sets the timeouts and caps that protect the server from slow or greedy clients (default:
    /// [`ServerLimits::default`], meant for production). They are applied by
    /// [`serve`](crate::serve); a server that mounts the service otherwise applies its own.
    pub fn limits(mut self, limits: ServerLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Requires every request to be signed with SigV4 by a key of `config`'s store, scoped to
    /// the service's signing name. See [`crate::sigv4`].
    pub fn sigv4(mut self, config: SigV4Config) -> Self {
        self.sigv4 = Some(config);
        self
    }

    /// Builds the service; operations without a handler are answered as unknown operations.
    pub fn build(self) -> Result<AwsJsonService, BuildError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let authenticator = self
            .sigv4
            .map(|config| Authenticator::new(config, self.metadata.signing_name));
        Ok(AwsJsonService {
            inner: Arc::new(Inner {
                metadata: self.metadata,
                routes: self.routes,
                max_body_size: self.max_body_size,
                limits: self.limits,
                authenticator,
            }),
        })
    }

    /// Builds the service, failing when an operation of `Svc` has no handler.
    pub fn build_exhaustive<Svc: ServiceShape>(self) -> Result<AwsJsonService, BuildError> {
        struct Missing<'a> {
            prefix: &'a str,
            routes: &'a HashMap<String, (&'static str, Route)>,
            missing: Vec<&'static str>,
        }
        impl OperationVisitor for Missing<'_> {
            fn visit<O: Operation>(&mut self) {
                if !self
                    .routes
                    .contains_key(&format!("{}.{}", self.prefix, O::NAME))
                {
                    self.missing.push(O::NAME);
                }
            }
        }
        let mut visitor = Missing {
            prefix: self.metadata.target_prefix,
            routes: &self.routes,
            missing: Vec::new(),
        };
        Svc::visit_operations(&mut visitor);
        let mut missing = visitor.missing;
        if self.error.is_none() && !missing.is_empty() {
            missing.sort_unstable();
            return Err(BuildError::MissingOperations {
                operations: missing,
            });
        }
        self.build()
    }
}

/// The generic path of operation `O`: decode, validate, call the handler, encode.
async fn invoke<O, S, H, Fut>(
    state: Arc<S>,
    handler: Arc<H>,
    body: Bytes,
    context: RequestContext,
) -> Reply
where
    O: Operation,
    O::Input: validate::Validate + DeserializeOwned,
    O::Output: Serialize,
    H: Fn(Arc<S>, O::Input, RequestContext) -> Fut,
    Fut: Future<Output = Result<O::Output, O::Error>>,
{
    let input: O::Input = match decode_input(&body) {
        Ok(input) => input,
        Err(rejection) => return Reply::rejection(rejection),
    };
    drop(body);
    if let Err(violations) = validate::validate(&input) {
        return Reply::rejection(Rejection::bad_request(
            ErrorCode::Validation,
            violations.to_string(),
        ));
    }
    match handler(state, input, context).await {
        Ok(output) => match json::to_vec(&output) {
            Ok(body) => Reply::ok(body),
            Err(error) => {
                tracing::error!(%error, "could not serialize the operation's output");
                Reply::rejection(Rejection::internal("An internal error occurred"))
            }
        },
        Err(error) => Reply::operation_error(&error),
    }
}

/// Logs the outcome of a request (in its span): `warn` for server errors, else `info`.
fn log_outcome(reply: &Reply, started: Instant) {
    let status = reply.status.as_u16();
    let error_code = reply.error_code.as_deref().unwrap_or("");
    // Fields are evaluated only when the event is logged: no clock read otherwise.
    let elapsed_ms = || u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if reply.status.is_server_error() {
        tracing::warn!(
            status,
            error_code,
            elapsed_ms = elapsed_ms(),
            "request failed"
        );
    } else {
        tracing::info!(
            status,
            error_code,
            elapsed_ms = elapsed_ms(),
            "request completed"
        );
    }
}

/// Adds the headers every response carries.
fn respond(
    metadata: &'static ServiceMetadata,
    reply: Reply,
    request_id: Option<HeaderValue>,
) -> Response<ResponseBody> {
    let length = reply.body.len();
    let mut response = Response::new(Full::new(reply.body));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(metadata.protocol.content_type()),
    );
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    if let Some(request_id) = request_id {
        headers.insert(X_AMZN_REQUEST_ID, request_id);
    }
    if reply.allow {
        headers.insert(ALLOW, HeaderValue::from_static("POST"));
    }
    if reply.status == StatusCode::REQUEST_TIMEOUT {
        // The rest of the body may still come: the connection cannot be reused.
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    if let (true, Some(code)) = (metadata.query_compatible, reply.error_code.as_deref()) {
        let fault = if reply.status.is_server_error() {
            ErrorFault::Server
        } else {
            ErrorFault::Client
        };
        let value = wire_error::query_error_header(code, fault, metadata.query_error_codes);
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(wire_error::QUERY_ERROR_HEADER, value);
        }
    }
    response
}

/// A service speaking an AWS JSON protocol, built by [`ServiceBuilder`].
///
/// Cheap to clone (the routes are shared). It is a [`tower_service::Service`] for any
/// [`http::Request`] body, always ready, that never fails: every outcome is an HTTP response.
/// Serve it with [`serve`](crate::serve), or with any server that takes tower services.
#[derive(Clone)]
pub struct AwsJsonService {
    inner: Arc<Inner>,
}

struct Inner {
    metadata: &'static ServiceMetadata,
    routes: HashMap<String, (&'static str, Route)>,
    max_body_size: usize,
    limits: ServerLimits,
    authenticator: Option<Authenticator>,
}

impl fmt::Debug for AwsJsonService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsJsonService")
            .field("service", &self.inner.metadata.target_prefix)
            .field("operations", &self.operations())
            .field("max_body_size", &self.inner.max_body_size)
            .field("sigv4", &self.inner.authenticator.is_some())
            .finish()
    }
}

#[cfg(feature = "axum")]
impl AwsJsonService {
    /// An axum `Router` that answers every request with this service (feature `axum`): merge
    /// it into an application's router, or nest it under a path.
    pub fn into_router(self) -> axum::Router {
        axum::Router::new().fallback_service(self)
    }
}

impl AwsJsonService {
    /// The metadata of the service.
    pub fn metadata(&self) -> &'static ServiceMetadata {
        self.inner.metadata
    }

    /// The limits the service was built with.
    pub fn limits(&self) -> &ServerLimits {
        &self.inner.limits
    }

    /// The names of the operations that have a handler, sorted.
    pub fn operations(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> =
            self.inner.routes.values().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names
    }

    /// Answers one request. Never fails: every rejection is an error response.
    ///
    /// The future owns what it needs (it does not borrow the service).
    //
    // Not an `async fn`: its future would hold the request beside `process`'s future, which
    // the request is moved into, and hyper moves the whole future for every request.
    pub fn handle<B>(&self, request: Request<B>) -> impl Future<Output = Response<ResponseBody>>
    where
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let request_id = new_request_id();
        let span = tracing::info_span!(
            "aws_json_request",
            service = self.inner.metadata.target_prefix,
            request_id = %request_id,
            operation = tracing::field::Empty,
        );
        let started = Instant::now();
        // The header is made now, so that the id itself can move into the handler's context.
        let request_id_header = HeaderValue::from_str(&request_id).ok();
        let metadata = self.inner.metadata;
        Self::process(self.clone(), request, request_id, span.clone())
            .instrument(span.clone())
            .map(move |reply| {
                let _entered = span.enter();
                log_outcome(&reply, started);
                respond(metadata, reply, request_id_header)
            })
    }

    /// The protocol steps, in order: authentication headers, body, signature, method, target,
    /// content type, then the operation's own path.
    async fn process<B>(
        service: AwsJsonService,
        request: Request<B>,
        request_id: String,
        span: tracing::Span,
    ) -> Reply
    where
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let inner = &*service.inner;
        let (parts, body) = request.into_parts();

        let pending = match &inner.authenticator {
            Some(authenticator) => match authenticator.check_headers(&parts, SystemTime::now()) {
                Ok(pending) => Some(pending),
                Err(rejection) => return Reply::rejection(rejection),
            },
            None => None,
        };

        let declared_length = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared_length
            .is_some_and(|length| length > u64::try_from(inner.max_body_size).unwrap_or(u64::MAX))
        {
            return Reply::rejection(too_large(inner.max_body_size));
        }
        let body = match read_limited(body, inner.max_body_size).await {
            Ok(body) => body,
            Err(rejection) => return Reply::rejection(rejection),
        };

        let caller = match pending {
            Some(pending) => match pending.verify(&parts, &body) {
                Ok(caller) => Some(caller),
                Err(rejection) => return Reply::rejection(rejection),
            },
            None => None,
        };
        let body = match decode_content_encoding(&parts.headers, body, inner.max_body_size) {
            Ok(body) => body,
            Err(rejection) => return Reply::rejection(rejection),
        };

        if parts.method != Method::POST {
            return Reply::rejection(Rejection::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::UnknownOperation,
                format!(
                    "Method {} is not allowed: AWS JSON operations are called with POST",
                    parts.method
                ),
            ));
        }

        let Some(target) = parts.headers.get(&X_AMZ_TARGET) else {
            return Reply::rejection(Rejection::bad_request(
                ErrorCode::UnknownOperation,
                "Missing X-Amz-Target header",
            ));
        };
        let Some((operation, route)) = target
            .to_str()
            .ok()
            .and_then(|target| inner.routes.get(target.trim()))
        else {
            return Reply::rejection(Rejection::bad_request(
                ErrorCode::UnknownOperation,
                format!(
                    "Unknown operation: the X-Amz-Target header does not name an operation of \
                     {}",
                    inner.metadata.target_prefix
                ),
            ));
        };
        span.record("operation", *operation);

        let expected = inner.metadata.protocol.content_type();
        let content_type_matches = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case(expected));
        if !content_type_matches {
            return Reply::rejection(Rejection::bad_request(
                ErrorCode::UnknownOperation,
                format!("Unsupported Content-Type: requests must be sent as {expected}"),
            ));
        }

        let mut context = RequestContext::new(request_id);
        context.caller = caller;
        match AssertUnwindSafe(route(body, context)).catch_unwind().await {
            Ok(reply) => reply,
            Err(_) => {
                tracing::error!("the operation's handler panicked");
                Reply::rejection(Rejection::internal(
                    "An internal error occurred while processing the request",
                ))
            }
        }
    }
}

impl<B> tower_service::Service<Request<B>> for AwsJsonService
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<ResponseBody>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response<ResponseBody>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        Box::pin(self.handle(request).map(Ok))
    }
}
