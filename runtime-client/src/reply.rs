//! A response as the operation-independent part of a call reads it, and the two generic steps
//! that make it an operation's output or error.
//!
//! Everything else about a call (endpoint, signing, retries, timeouts) works on bytes and runs
//! in code that is not generic over the operation, so a program compiles only these small
//! functions for each operation it calls, not a copy of the whole call.

use std::convert::Infallible;

use aws_json_runtime::{json, OperationError, UnhandledError};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::error::{ErrorMetadata, RawResponse, ResponseError, SdkError};
use crate::protocol;
use crate::retry::{self, RetryKind};
use crate::ClientOperation;

/// A whole response of one attempt.
#[derive(Debug)]
pub(crate) struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    request_id: Option<String>,
}

/// What an attempt's response was: an output to parse, or an error response.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// A 2xx response.
    Output(Reply),
    /// Any other status, with its error envelope read.
    Error(ErrorReply),
}

/// An error response and what its envelope says: code and message.
#[derive(Debug)]
pub(crate) struct ErrorReply {
    reply: Reply,
    envelope: protocol::ErrorEnvelope,
}

/// How the operation-independent retry loop asks an operation whether one of its error
/// responses may be retried: [`classify_error::<O::Error>`](classify_error).
pub(crate) type ClassifyError = fn(&ErrorReply) -> Option<RetryKind>;

impl Reply {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let request_id = protocol::request_id(&headers);
        Self {
            status,
            headers,
            body,
            request_id,
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// A 2xx response is an output; any other is an error, its envelope read as the service's
    /// protocol says (`query_compatible`: the `x-amzn-query-error` header too).
    pub(crate) fn into_outcome(self, query_compatible: bool) -> Outcome {
        if self.status.is_success() {
            return Outcome::Output(self);
        }
        let envelope = protocol::read_error(&self.headers, &self.body, query_compatible);
        Outcome::Error(ErrorReply {
            reply: self,
            envelope,
        })
    }

    /// The output's JSON document: an empty body stands for `{}`.
    fn document(&self) -> &[u8] {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &self.body
        }
    }

    fn metadata(self, code: Option<String>, message: Option<String>) -> ErrorMetadata {
        ErrorMetadata::new(code, message, self.request_id, self.status.as_u16())
            .with_raw_response(RawResponse::new(self.status, self.headers, self.body))
    }
}

impl ErrorReply {
    /// The error code that selects the modeled error, when the response names one.
    pub(crate) fn code(&self) -> Option<&str> {
        self.envelope.code.as_deref()
    }

    /// The code for logs and retry decisions: the response's, or the protocol's unknown code.
    pub(crate) fn code_or_unknown(&self) -> &str {
        self.code().unwrap_or(protocol::UNKNOWN_ERROR_CODE)
    }

    pub(crate) fn http_status(&self) -> u16 {
        self.reply.status.as_u16()
    }

    fn body(&self) -> &[u8] {
        &self.reply.body
    }

    /// The error as an operation that does not declare it keeps it, with its status.
    fn unhandled(&self) -> UnhandledError {
        let error = match self.code() {
            Some(code) => UnhandledError::from_body(code, self.body()),
            None => {
                UnhandledError::new(protocol::UNKNOWN_ERROR_CODE, self.envelope.message.clone())
            }
        };
        error.with_http_status(self.http_status())
    }

    fn into_metadata(self) -> ErrorMetadata {
        let code = self.envelope.visible_code().map(str::to_owned);
        self.reply.metadata(code, self.envelope.message)
    }

    fn malformed(self, operation: &str, error: json::DeserializeError) -> SdkError<Infallible> {
        let code = self.code_or_unknown().to_owned();
        SdkError::Response(ResponseError::new(
            format!("cannot read the {code} error of {operation}"),
            self.into_metadata(),
            Some(error),
        ))
    }
}

/// The operation's output, or its error, of the last attempt's response.
pub(crate) fn parse<O: ClientOperation>(outcome: Outcome) -> Result<O::Output, SdkError<O::Error>> {
    match outcome {
        Outcome::Output(reply) => json::from_slice::<O::Output>(reply.document())
            .map_err(|error| malformed_output(reply, O::NAME, error).widen()),
        Outcome::Error(reply) => {
            let error = match reply
                .code()
                .map(|code| O::Error::from_code(code, reply.body()))
            {
                Some(Ok(error)) if !error.is_unhandled() => error,
                Some(Err(error)) => return Err(reply.malformed(O::NAME, error).widen()),
                // An undeclared error keeps the status it came with.
                Some(Ok(_)) | None => O::Error::unhandled(reply.unhandled()),
            };
            Err(SdkError::Service {
                error,
                meta: reply.into_metadata(),
            })
        }
    }
}

fn malformed_output(
    reply: Reply,
    operation: &str,
    error: json::DeserializeError,
) -> SdkError<Infallible> {
    SdkError::Response(ResponseError::new(
        format!("cannot read the output of {operation}"),
        reply.metadata(None, None),
        Some(error),
    ))
}

/// Whether an error response of an operation whose errors are `E` may be retried: by its code
/// and status, and by the `retryable` trait of the modeled error it names. The body is not
/// parsed here: [`parse`] reads it once, after the last attempt.
pub(crate) fn classify_error<E: OperationError>(reply: &ErrorReply) -> Option<RetryKind> {
    let traits = reply.code().and_then(E::retry_traits).unwrap_or_default();
    retry::classify_service_error(
        reply.code_or_unknown(),
        reply.http_status(),
        traits.retryable,
        traits.throttling,
    )
}

#[cfg(test)]
mod tests {
    use aws_json_runtime::{ErrorFault, ModeledError, UnhandledError};
    use serde::{Deserialize, Serialize};

    use super::*;

    /// A retryable error whose code no protocol list knows: only its trait says to retry.
    #[derive(Clone, Debug, Serialize, Deserialize)]
    struct FlakyException {
        message: Option<String>,
    }

    impl std::fmt::Display for FlakyException {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("FlakyException")
        }
    }

    impl std::error::Error for FlakyException {}

    impl ModeledError for FlakyException {
        const CODE: &'static str = "FlakyException";
        const HTTP_STATUS: u16 = 400;
        const FAULT: ErrorFault = ErrorFault::Client;
        const RETRYABLE: bool = true;
        const THROTTLING: bool = false;
        fn message(&self) -> Option<&str> {
            self.message.as_deref()
        }
    }

    #[derive(Debug)]
    enum FlakyError {
        FlakyException(FlakyException),
        Unhandled(UnhandledError),
    }

    aws_json_runtime::operation_error!(FlakyError {
        FlakyException(FlakyException) is_flaky_exception,
    });

    fn error_reply(body: &str) -> ErrorReply {
        let reply = Reply::new(
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            Bytes::copy_from_slice(body.as_bytes()),
        );
        match reply.into_outcome(false) {
            Outcome::Error(error) => error,
            Outcome::Output(_) => unreachable!("a 400 is an error"),
        }
    }

    #[test]
    fn the_retryable_trait_is_read_from_the_code_without_parsing_the_body() {
        let retry = |body| classify_error::<FlakyError>(&error_reply(body));
        assert_eq!(
            retry(r#"{"__type":"FlakyException","message":"try again"}"#),
            Some(RetryKind::Transient)
        );
        // A body that would not parse as the error changes nothing: its code says retryable.
        assert_eq!(
            retry(r#"{"__type":"FlakyException","message":42}"#),
            Some(RetryKind::Transient)
        );
        assert_eq!(retry(r#"{"__type":"OtherException"}"#), None);
        assert_eq!(retry("{}"), None);
    }
}
