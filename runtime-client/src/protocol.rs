//! The AWS JSON protocol details that do not depend on the operation: reading the error code
//! and message of a response (shared with servers, in [`aws_json_runtime::wire_error`]), its
//! request id, and the codes worth retrying.

use http::HeaderMap;

pub use aws_json_runtime::wire_error::{
    sanitize_error_code, ErrorEnvelope, ERROR_TYPE_HEADER, QUERY_ERROR_HEADER, QUERY_MODE_HEADER,
    UNKNOWN_ERROR_CODE,
};

/// Reads an error response's code and message ([`aws_json_runtime::wire_error`]), with
/// `x-amzn-query-error` when the service is query-compatible.
pub fn read_error(headers: &HeaderMap, body: &[u8], query_compatible: bool) -> ErrorEnvelope {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let query_error = if query_compatible {
        header(QUERY_ERROR_HEADER)
    } else {
        None
    };
    ErrorEnvelope::read(header(ERROR_TYPE_HEADER), query_error, body)
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
    fn reads_headers_and_body() {
        let mut headers = HeaderMap::new();
        let body = br#"{"__type": "ns#BodyError", "Message": "m"}"#;
        assert_eq!(
            read_error(&headers, body, false).code.as_deref(),
            Some("BodyError")
        );
        headers.insert(ERROR_TYPE_HEADER, "HeaderError:http://x".parse().unwrap());
        headers.insert(QUERY_ERROR_HEADER, "Query.Code;Sender".parse().unwrap());
        let plain = read_error(&headers, body, false);
        assert_eq!(plain.code.as_deref(), Some("HeaderError"));
        assert_eq!(plain.visible_code(), Some("HeaderError"));
        assert_eq!(plain.message.as_deref(), Some("m"));
        let query = read_error(&headers, body, true);
        assert_eq!(query.code.as_deref(), Some("HeaderError"));
        assert_eq!(query.visible_code(), Some("Query.Code"));
    }
}
