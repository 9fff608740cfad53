//! The errors the protocol layer answers with, before or around a handler, and builder errors.

use std::fmt;

use http::StatusCode;

/// The `__type` codes this crate answers with when it rejects a request itself.
///
/// Operation errors returned by handlers carry their own codes
/// ([`OperationError::code`](aws_json_runtime::OperationError::code)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Unknown or missing `X-Amz-Target`, wrong method or wrong `Content-Type` (HTTP 400, or
    /// 405 for a method other than `POST`).
    UnknownOperation,
    /// The body is not JSON, or a member has the wrong type (HTTP 400).
    Serialization,
    /// A required member is missing or a constraint is broken (HTTP 400).
    Validation,
    /// The body is larger than the configured limit (HTTP 413).
    RequestEntityTooLarge,
    /// The handler panicked, or the output could not be serialized (HTTP 500).
    InternalServer,
    /// SigV4: the request carries no `Authorization` header (HTTP 403).
    MissingAuthenticationToken,
    /// SigV4: the `Authorization` header or `X-Amz-Date` is malformed (HTTP 403).
    IncompleteSignature,
    /// SigV4: the access key id or session token is not known (HTTP 403).
    UnrecognizedClient,
    /// SigV4: the signature does not match, or the request is too old or too new (HTTP 403).
    InvalidSignature,
    /// The request is not valid HTTP/1.1: a malformed request line, header or
    /// `Content-Length` (HTTP 400), a URI too long (414), headers too large (431).
    BadRequest,
    /// The body did not arrive within the body-read timeout (HTTP 408).
    RequestTimeout,
}

impl ErrorCode {
    /// The code as sent in the `__type` member.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnknownOperation => "UnknownOperationException",
            ErrorCode::Serialization => "SerializationException",
            ErrorCode::Validation => "ValidationException",
            ErrorCode::RequestEntityTooLarge => "RequestEntityTooLargeException",
            ErrorCode::InternalServer => "InternalServerException",
            ErrorCode::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ErrorCode::IncompleteSignature => "IncompleteSignatureException",
            ErrorCode::UnrecognizedClient => "UnrecognizedClientException",
            ErrorCode::InvalidSignature => "InvalidSignatureException",
            ErrorCode::BadRequest => "BadRequestException",
            ErrorCode::RequestTimeout => "RequestTimeoutException",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request refused by the protocol layer: the status, code and message of the error response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rejection {
    pub(crate) status: StatusCode,
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
}

impl Rejection {
    pub(crate) fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub(crate) fn forbidden(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalServer,
            message,
        )
    }

    /// The AWS error envelope of the rejection: `{"__type": …, "message": …}`.
    pub(crate) fn to_json_body(&self) -> Vec<u8> {
        serde_json::json!({
            "__type": self.code.as_str(),
            "message": self.message,
        })
        .to_string()
        .into_bytes()
    }
}

/// A [`ServiceBuilder`](crate::ServiceBuilder) that cannot build a consistent service.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A handler was registered twice for the same operation.
    DuplicateOperation {
        /// The operation's name.
        operation: &'static str,
    },
    /// An operation of another service (another `X-Amz-Target` prefix) was registered.
    ForeignOperation {
        /// The operation's name.
        operation: &'static str,
        /// The target prefix of the operation's service.
        operation_prefix: &'static str,
        /// The target prefix of the service being built.
        service_prefix: &'static str,
    },
    /// [`ServiceBuilder::build_exhaustive`](crate::ServiceBuilder::build_exhaustive) found
    /// operations of the service without a handler.
    MissingOperations {
        /// The names of the operations without a handler, sorted.
        operations: Vec<&'static str>,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::DuplicateOperation { operation } => {
                write!(f, "operation `{operation}` has more than one handler")
            }
            BuildError::ForeignOperation {
                operation,
                operation_prefix,
                service_prefix,
            } => write!(
                f,
                "operation `{operation_prefix}.{operation}` does not belong to service `{service_prefix}`"
            ),
            BuildError::MissingOperations { operations } => {
                write!(f, "operations without a handler: {}", operations.join(", "))
            }
        }
    }
}

impl std::error::Error for BuildError {}
