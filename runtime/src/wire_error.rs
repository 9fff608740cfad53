//! The one place that reads an error response's code and message, and writes the
//! `x-amzn-query-error` header, for clients and servers alike.
//!
//! The AWS JSON protocols name an error's code in several ways, and services differ:
//!
//! - the `X-Amzn-ErrorType` header, which wins when present;
//! - the body's `__type`, else `code`, else `Code`;
//! - each plain (`FooError`), with a namespace (`aws.protocoltests#FooError`), with a `:`
//!   suffix (`FooError:http://internal.amazon.com/coral/…`), or both: the code is what follows
//!   the last `#`, up to the first `:`.
//!
//! The message is the body's `message`, `Message` or `errorMessage`.
//!
//! Services migrated from the Query protocol (`awsQueryCompatible`, such as SQS) also send
//! `x-amzn-query-error: Code;Fault`, the code and fault (`Sender` or `Receiver`) of the Query
//! error: its code is the one callers see, while the body's code still picks the modeled error.

use serde_json::Value;

use crate::error::ErrorFault;

/// The header that carries the error code, when the service sends one.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// The header of query-compatible services that carries the Query error code and fault.
pub const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";

/// The header a client of a query-compatible service sends (`true`) so that the service
/// answers with `x-amzn-query-error`.
pub const QUERY_MODE_HEADER: &str = "x-amzn-query-mode";

/// The code given to an error response that names no code at all.
pub const UNKNOWN_ERROR_CODE: &str = "UnknownError";

/// The body members that may carry the code, in order of precedence.
const CODE_MEMBERS: [&str; 3] = ["__type", "code", "Code"];

/// The body members that may carry the message, in order of precedence.
const MESSAGE_MEMBERS: [&str; 3] = ["message", "Message", "errorMessage"];

/// An error code without its namespace and URI decorations: everything after the last `#`, up
/// to the first `:`.
///
/// `aws.protocoltests#FooError:http://internal.amazon.com/` becomes `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let without_suffix = raw.split(':').next().unwrap_or(raw);
    let code = without_suffix.rsplit('#').next().unwrap_or(without_suffix);
    code.trim()
}

/// What an error response says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// The error's code in the JSON protocol (sanitized): it selects the modeled error.
    pub code: Option<String>,
    /// The Query error code of `x-amzn-query-error`, when a query-compatible service sent one.
    pub query_code: Option<String>,
    /// The message, if any.
    pub message: Option<String>,
}

impl ErrorEnvelope {
    /// Reads an error response: the value of its `X-Amzn-ErrorType` header, of its
    /// `x-amzn-query-error` header (pass `None` unless the service is query-compatible), and
    /// its body (which need not be JSON).
    pub fn read(error_type: Option<&str>, query_error: Option<&str>, body: &[u8]) -> Self {
        let document = serde_json::from_slice::<Value>(body).ok();
        let document = document.as_ref();
        let from_header = error_type
            .map(sanitize_error_code)
            .filter(|code| !code.is_empty());
        let from_body = || {
            CODE_MEMBERS.iter().find_map(|key| {
                document?
                    .get(key)
                    .and_then(Value::as_str)
                    .map(sanitize_error_code)
                    .filter(|code| !code.is_empty())
            })
        };
        Self {
            code: from_header.or_else(from_body).map(str::to_owned),
            query_code: query_error
                .and_then(parse_query_error)
                .map(|(code, _)| code.to_owned()),
            message: document.and_then(message).map(str::to_owned),
        }
    }

    /// The code callers see: the Query code when there is one, else the JSON protocol's.
    pub fn visible_code(&self) -> Option<&str> {
        self.query_code.as_deref().or(self.code.as_deref())
    }
}

/// The message of a JSON error body: `message`, `Message` or `errorMessage`.
pub fn message(body: &Value) -> Option<&str> {
    MESSAGE_MEMBERS
        .iter()
        .find_map(|key| body.get(key).and_then(Value::as_str))
}

/// `Code;Sender` → (`Code`, `Sender`); `None` without a code.
pub fn parse_query_error(value: &str) -> Option<(&str, &str)> {
    let (code, fault) = value.split_once(';').unwrap_or((value, ""));
    let code = code.trim();
    (!code.is_empty()).then_some((code, fault.trim()))
}

/// The `x-amzn-query-error` value a query-compatible service sends: the error's Query code
/// (from `query_codes`, pairs of the error's code and its Query code, else the code itself)
/// and its fault, `Sender` for the caller's, `Receiver` for the service's.
pub fn query_error_header(code: &str, fault: ErrorFault, query_codes: &[(&str, &str)]) -> String {
    let query_code = query_codes
        .iter()
        .find(|(error, _)| *error == code)
        .map_or(code, |(_, query)| *query);
    let fault = match fault {
        ErrorFault::Client => "Sender",
        ErrorFault::Server => "Receiver",
    };
    format!("{query_code};{fault}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_every_form() {
        for raw in [
            "FooError",
            "aws.protocoltests#FooError",
            "FooError:http://internal.amazon.com/coral/com.amazon/",
            "aws.protocoltests.restjson#FooError:http://internal.amazon.com/",
        ] {
            assert_eq!(sanitize_error_code(raw), "FooError", "{raw}");
        }
        assert_eq!(sanitize_error_code(""), "");
    }

    #[test]
    fn the_header_wins_over_the_body_and_the_body_has_three_names() {
        let body = br#"{"__type": "ns#BodyError", "Message": "m"}"#;
        let read = ErrorEnvelope::read(None, None, body);
        assert_eq!(read.code.as_deref(), Some("BodyError"));
        assert_eq!(read.message.as_deref(), Some("m"));
        let read = ErrorEnvelope::read(Some("HeaderError:http://x"), None, body);
        assert_eq!(read.code.as_deref(), Some("HeaderError"));
        for body in [&br#"{"code": "Lower"}"#[..], br#"{"Code": "Lower"}"#] {
            assert_eq!(
                ErrorEnvelope::read(None, None, body).code.as_deref(),
                Some("Lower")
            );
        }
        assert_eq!(
            ErrorEnvelope::read(Some(" "), None, b"not json"),
            ErrorEnvelope::default()
        );
    }

    #[test]
    fn the_message_has_three_names() {
        for (body, expected) in [
            (r#"{"message": "a", "Message": "b"}"#, "a"),
            (r#"{"Message": "b"}"#, "b"),
            (r#"{"errorMessage": "c"}"#, "c"),
        ] {
            let read = ErrorEnvelope::read(None, None, body.as_bytes());
            assert_eq!(read.message.as_deref(), Some(expected), "{body}");
        }
    }

    #[test]
    fn query_errors_are_read_and_written() {
        let read = ErrorEnvelope::read(
            None,
            Some("AWS.SimpleQueueService.NonExistentQueue;Sender"),
            br#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist"}"#,
        );
        assert_eq!(read.code.as_deref(), Some("QueueDoesNotExist"));
        assert_eq!(
            read.visible_code(),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        assert_eq!(parse_query_error(";Sender"), None);
        let codes = [(
            "QueueDoesNotExist",
            "AWS.SimpleQueueService.NonExistentQueue",
        )];
        assert_eq!(
            query_error_header("QueueDoesNotExist", ErrorFault::Client, &codes),
            "AWS.SimpleQueueService.NonExistentQueue;Sender"
        );
        assert_eq!(
            query_error_header("InternalError", ErrorFault::Server, &codes),
            "InternalError;Receiver"
        );
    }
}
