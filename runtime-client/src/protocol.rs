//! The AWS JSON protocol details that do not depend on the operation: reading the error code,
//! message and request id of a response.

use http::HeaderMap;
use serde_json::Value;

/// The header that carries the error code, when the service sends one.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// The code given to an error response that names no code at all.
pub const UNKNOWN_ERROR_CODE: &str = "UnknownError";

/// An error code without its namespace and URI decorations, as the AWS JSON protocols define:
/// everything after the last `#`, up to the first `:`.
///
/// `aws.protocoltests#FooError:http://internal.amazon.com/` becomes `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let without_suffix = raw.split(':').next().unwrap_or(raw);
    let code = without_suffix.rsplit('#').next().unwrap_or(without_suffix);
    code.trim()
}

/// The error code of an error response: the `X-Amzn-ErrorType` header, else `__type`, `code`
/// or `Code` in the JSON body; sanitized, and `None` when absent or empty.
pub fn error_code(headers: &HeaderMap, body: Option<&Value>) -> Option<String> {
    let from_header = headers
        .get(ERROR_TYPE_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(sanitize_error_code)
        .filter(|code| !code.is_empty());
    let from_body = || {
        let body = body?;
        ["__type", "code", "Code"].iter().find_map(|key| {
            body.get(key)
                .and_then(Value::as_str)
                .map(sanitize_error_code)
                .filter(|code| !code.is_empty())
        })
    };
    from_header.or_else(from_body).map(str::to_owned)
}

/// The error message of a JSON error body: `message`, `Message` or `errorMessage`.
pub fn error_message(body: Option<&Value>) -> Option<String> {
    let body = body?;
    ["message", "Message", "errorMessage"]
        .iter()
        .find_map(|key| body.get(key).and_then(Value::as_str).map(str::to_owned))
}

/// The request id of a response: `x-amzn-RequestId`, else `x-amz-request-id`.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| headers.get(*name).and_then(|value| value.to_str().ok()))
        .map(str::to_owned)
}

/// Error codes that mean the caller is being throttled, whatever the model says.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures that are worth retrying, whatever the model says.
pub const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// HTTP statuses of transient failures that are worth retrying.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_every_form() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code("aws.protocoltests#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("FooError:http://internal.amazon.com/coral/com.amazon/"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"),
            "FooError"
        );
        assert_eq!(sanitize_error_code(""), "");
    }

    #[test]
    fn header_wins_over_body() {
        let mut headers = HeaderMap::new();
        let body = serde_json::json!({"__type": "ns#BodyError", "Message": "m"});
        assert_eq!(
            error_code(&headers, Some(&body)).as_deref(),
            Some("BodyError")
        );
        headers.insert(ERROR_TYPE_HEADER, "HeaderError:http://x".parse().unwrap());
        assert_eq!(
            error_code(&headers, Some(&body)).as_deref(),
            Some("HeaderError")
        );
        assert_eq!(error_message(Some(&body)).as_deref(), Some("m"));
        let code_only = serde_json::json!({"code": "LowerCode"});
        assert_eq!(
            error_code(&HeaderMap::new(), Some(&code_only)).as_deref(),
            Some("LowerCode")
        );
        assert_eq!(error_code(&HeaderMap::new(), None), None);
    }
}
