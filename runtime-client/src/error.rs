//! The errors of a call.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use aws_json_runtime::json::DeserializeError;
use aws_json_runtime::{OperationError, ProvideErrorMetadata, UnhandledError};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What the service said about an error response, whatever the operation.
///
/// Boxed inside, so that it adds one pointer to the size of an [`SdkError`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    inner: Box<MetadataInner>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct MetadataInner {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    http_status: u16,
    raw: Option<RawResponse>,
}

/// The HTTP response an error came with, as the service sent it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    /// A response with this status, headers and body.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status (`status().as_u16()` for the number).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value of header `name`, when it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The response body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl ErrorMetadata {
    /// Metadata of an error response.
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        request_id: Option<String>,
        http_status: u16,
    ) -> Self {
        Self {
            inner: Box::new(MetadataInner {
                code,
                message,
                request_id,
                http_status,
                raw: None,
            }),
        }
    }

    /// The same metadata with the response it came from.
    pub fn with_raw_response(mut self, raw: RawResponse) -> Self {
        self.inner.raw = Some(raw);
        self
    }

    /// The HTTP response, when the metadata came from one.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        self.inner.raw.as_ref()
    }

    /// The error code, without namespace (`ThrottlingException`), when the response had one.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The error message, when the response had one.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The request id from the `x-amzn-RequestId` (or `x-amz-request-id`) header.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The HTTP status code of the response.
    pub fn http_status(&self) -> u16 {
        self.inner.http_status
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.http_status())?;
        if let Some(code) = self.code() {
            write!(f, ", {code}")?;
        }
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = self.request_id() {
            write!(f, " (request id {request_id})")?;
        }
        Ok(())
    }
}

/// The request could not be built: missing or invalid configuration, or an input that does not
/// serialize.
#[derive(Debug)]
pub struct ConstructionError {
    message: String,
    source: Option<BoxError>,
}

impl ConstructionError {
    /// An error with a description and no underlying cause.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// An error with a description and an underlying cause.
    pub fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the request: {}", self.message)
    }
}

impl StdError for ConstructionError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// The request could not be signed.
#[derive(Debug)]
pub struct SigningError {
    source: BoxError,
}

impl SigningError {
    /// Wraps the signer's error.
    pub fn new(source: impl Into<BoxError>) -> Self {
        Self {
            source: source.into(),
        }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot sign the request: {}", self.source)
    }
}

impl StdError for SigningError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.source.as_ref())
    }
}

/// Which time limit ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing a connection.
    Connect,
    /// One attempt: sending the request and reading the response.
    Attempt,
    /// The whole call, retries included.
    Operation,
}

/// A time limit ran out.
#[derive(Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Option<Duration>,
    source: Option<BoxError>,
}

impl TimeoutError {
    /// A timeout of `kind` after `limit`.
    pub fn new(kind: TimeoutKind, limit: Option<Duration>) -> Self {
        Self {
            kind,
            limit,
            source: None,
        }
    }

    pub(crate) fn with_source(mut self, source: BoxError) -> Self {
        self.source = Some(source);
        self
    }

    /// Which limit ran out.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The limit, when known.
    pub fn limit(&self) -> Option<Duration> {
        self.limit
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connecting",
            TimeoutKind::Attempt => "the attempt",
            TimeoutKind::Operation => "the operation",
        };
        match self.limit {
            Some(limit) => write!(f, "{what} timed out after {limit:?}"),
            None => write!(f, "{what} timed out"),
        }
    }
}

impl StdError for TimeoutError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// The request could not be sent or the response could not be received: connection refused or
/// reset, DNS or TLS failure, a broken response stream.
#[derive(Debug)]
pub struct DispatchError {
    connect: bool,
    source: BoxError,
}

impl DispatchError {
    /// Wraps an I/O error; `connect` tells whether it happened while connecting.
    pub fn new(connect: bool, source: impl Into<BoxError>) -> Self {
        Self {
            connect,
            source: source.into(),
        }
    }

    /// Whether the error happened while connecting (the request was not sent).
    pub fn is_connect(&self) -> bool {
        self.connect
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.connect {
            write!(f, "cannot connect: {}", self.source)
        } else {
            write!(f, "the request failed in transit: {}", self.source)
        }
    }
}

impl StdError for DispatchError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A response arrived but does not fit the operation: its body is not the JSON the model
/// describes.
#[derive(Debug)]
pub struct ResponseError {
    description: String,
    meta: ErrorMetadata,
    source: Option<Box<DeserializeError>>,
}

impl ResponseError {
    /// A malformed response; `description` says what was being read.
    pub fn new(
        description: impl Into<String>,
        meta: ErrorMetadata,
        source: Option<DeserializeError>,
    ) -> Self {
        Self {
            description: description.into(),
            meta,
            source: source.map(Box::new),
        }
    }

    /// The status, request id and, for error responses, code of the response.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The path of the member that did not parse, e.g. `PermissionSet.CreatedDate`, or `.`
    /// when the body is not JSON at all.
    pub fn member_path(&self) -> Option<&str> {
        self.source.as_deref().map(DeserializeError::path)
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed response ({}): {}",
            self.meta, self.description
        )?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The service answered with an error: one the operation declares, or
    /// [`OperationError::unhandled`] for any other.
    Service {
        /// The operation's error.
        error: E,
        /// The code, message, request id and status of the response.
        meta: ErrorMetadata,
    },
    /// A time limit ran out.
    Timeout(TimeoutError),
    /// The request could not be sent or the response not received.
    Dispatch(DispatchError),
    /// The request could not be built (configuration, endpoint, input).
    Construction(ConstructionError),
    /// The response is malformed.
    Response(ResponseError),
    /// The request could not be signed.
    Signing(SigningError),
}

impl<E> SdkError<E> {
    /// The operation's error, when the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The metadata of the error response, when the service answered with an error.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        match self {
            Self::Service { meta, .. } => Some(meta),
            Self::Response(error) => Some(error.meta()),
            _ => None,
        }
    }

    /// The request id of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::request_id)
    }

    /// The HTTP response, when the service answered (with an error, or with a malformed body).
    pub fn raw_response(&self) -> Option<&RawResponse> {
        self.meta().and_then(ErrorMetadata::raw_response)
    }

    /// Whether this is a timeout of any kind.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }
}

impl SdkError<std::convert::Infallible> {
    /// A failure of the operation-independent part of a call, which never holds a service
    /// error, as the failure of a call of an operation with errors `E`.
    pub(crate) fn widen<E>(self) -> SdkError<E> {
        match self {
            Self::Service { error, .. } => match error {},
            Self::Timeout(error) => SdkError::Timeout(error),
            Self::Dispatch(error) => SdkError::Dispatch(error),
            Self::Construction(error) => SdkError::Construction(error),
            Self::Response(error) => SdkError::Response(error),
            Self::Signing(error) => SdkError::Signing(error),
        }
    }
}

impl<E: OperationError> SdkError<E> {
    /// The operation's error: the service's answer, or, for every other failure, the unhandled
    /// case with a code naming the failure (`TimeoutError`, `DispatchFailure`,
    /// `ConstructionFailure`, `ResponseError`, `SigningError`) and its description as message.
    pub fn into_service_error(self) -> E {
        let code = match &self {
            Self::Service { .. } => "",
            Self::Timeout(_) => "TimeoutError",
            Self::Dispatch(_) => "DispatchFailure",
            Self::Construction(_) => "ConstructionFailure",
            Self::Response(_) => "ResponseError",
            Self::Signing(_) => "SigningError",
        };
        match self {
            Self::Service { error, .. } => error,
            other => E::unhandled(UnhandledError::new(code, Some(other.to_string()))),
        }
    }

    /// The error code: the service's (for a query-compatible service, the Query code of its
    /// `x-amzn-query-error` header), or none for failures without a response.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Service { error, meta } => meta.code().or(Some(error.code())),
            _ => None,
        }
    }

    /// The service's error message, if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Service { error, meta } => error.message().or(meta.message()),
            _ => None,
        }
    }
}

/// The service's code and message, as [`SdkError::code`] and [`SdkError::message`].
impl<E: OperationError> ProvideErrorMetadata for SdkError<E> {
    fn code(&self) -> Option<&str> {
        SdkError::code(self)
    }
    fn message(&self) -> Option<&str> {
        SdkError::message(self)
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service { error, meta } => {
                write!(f, "service error: {error} (HTTP {}", meta.http_status())?;
                if let Some(request_id) = meta.request_id() {
                    write!(f, ", request id {request_id}")?;
                }
                f.write_str(")")
            }
            Self::Timeout(error) => fmt::Display::fmt(error, f),
            Self::Dispatch(error) => fmt::Display::fmt(error, f),
            Self::Construction(error) => fmt::Display::fmt(error, f),
            Self::Response(error) => fmt::Display::fmt(error, f),
            Self::Signing(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Service { error, .. } => Some(error),
            Self::Timeout(error) => Some(error),
            Self::Dispatch(error) => Some(error),
            Self::Construction(error) => Some(error),
            Self::Response(error) => Some(error),
            Self::Signing(error) => Some(error),
        }
    }
}
