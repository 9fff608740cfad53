//! Malformed requests against the running binary over a raw TCP socket: each is answered with
//! the status, `__type`, message and `x-amzn-RequestId` an AWS service would send.

mod support;

use serde_json::json;
use support::{call, exchange, post, Answer, Server, CONTENT_TYPE, INSTANCE, TARGET_PREFIX};

/// Checks an error answer's status, `__type` and request id; returns its message.
fn error(answer: &Answer, status: u16, error_type: &str) -> String {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(answer.error_type(), error_type, "{answer:?}");
    assert_eq!(
        answer.headers.get("content-type").map(String::as_str),
        Some(CONTENT_TYPE)
    );
    answer.request_id();
    let message = answer.message();
    assert!(!message.is_empty(), "{answer:?} has a message");
    message
}

#[test]
fn malformed_requests_get_aws_shaped_errors() {
    let server = Server::start(&[]);
    let port = server.port;

    // An operation SSO Admin does not have, and another service's prefix.
    for target in [
        format!("{TARGET_PREFIX}.CreateBucket"),
        "DynamoDB_20120810.ListTables".to_owned(),
    ] {
        let message = error(
            &post(port, &target, b"{}"),
            400,
            "UnknownOperationException",
        );
        assert!(message.contains("Unknown operation"), "{message}");
    }

    // A body that is not JSON.
    let message = error(
        &post(
            port,
            &format!("{TARGET_PREFIX}.ListInstances"),
            b"{not json",
        ),
        400,
        "SerializationException",
    );
    assert!(message.contains("JSON"), "{message}");

    // A member of the wrong type names the member.
    let message = error(
        &call(
            port,
            "ListPermissionSets",
            &json!({"InstanceArn": INSTANCE, "MaxResults": "ten"}),
        ),
        400,
        "SerializationException",
    );
    assert!(message.contains("MaxResults"), "{message}");

    // A missing required member.
    let message = error(
        &call(
            port,
            "CreatePermissionSet",
            &json!({"InstanceArn": INSTANCE}),
        ),
        400,
        "ValidationException",
    );
    assert!(message.contains("'name'"), "{message}");
    assert!(message.contains("Member must not be null"), "{message}");

    // Broken constraints name the member: a pattern and a length.
    let message = error(
        &call(
            port,
            "ListPermissionSets",
            &json!({"InstanceArn": "arn:aws:sso:::instance/not-an-instance"}),
        ),
        400,
        "ValidationException",
    );
    assert!(message.contains("instanceArn"), "{message}");
    assert!(message.contains("pattern"), "{message}");
    let message = error(
        &call(
            port,
            "CreatePermissionSet",
            &json!({"InstanceArn": INSTANCE, "Name": "n".repeat(33)}),
        ),
        400,
        "ValidationException",
    );
    assert!(message.contains("'name'"), "{message}");
    assert!(
        message.contains("length less than or equal to 32"),
        "{message}"
    );

    // A MaxResults out of range.
    let message = error(
        &call(
            port,
            "ListPermissionSets",
            &json!({"InstanceArn": INSTANCE, "MaxResults": 0}),
        ),
        400,
        "ValidationException",
    );
    assert!(message.contains("maxResults"), "{message}");

    // A GET, and a request without X-Amz-Target.
    let get = exchange(
        port,
        &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close"),
        Vec::new(),
    );
    error(&get, 405, "UnknownOperationException");
    let untargeted = exchange(
        port,
        &format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {CONTENT_TYPE}\r\n\
             Content-Length: 2\r\nConnection: close"
        ),
        b"{}".to_vec(),
    );
    error(&untargeted, 400, "UnknownOperationException");

    // The emulator's own checks come back as modeled errors with their members.
    let message = error(
        &call(
            port,
            "ListPermissionSets",
            &json!({"InstanceArn": INSTANCE, "NextToken": "Zm9yZ2VkIHRva2VuIHRoYXQgaXMgbG9uZw=="}),
        ),
        400,
        "ValidationException",
    );
    assert_eq!(message, "The NextToken is invalid or has expired");
    let message = error(
        &call(
            port,
            "DescribePermissionSet",
            &json!({
                "InstanceArn": INSTANCE,
                "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000000",
            }),
        ),
        404,
        "ResourceNotFoundException",
    );
    assert!(message.contains("ps-0000000000000000"), "{message}");

    // Still serving after all of that.
    assert_eq!(call(port, "ListInstances", &json!({})).status, 200);
}

#[test]
fn bodies_over_one_mib_are_refused() {
    let server = Server::start(&[]);
    let port = server.port;
    let target = format!("{TARGET_PREFIX}.CreatePermissionSet");
    let limit = 1024 * 1024;

    // Announced by Content-Length: refused before the body is sent.
    let announced = exchange(
        port,
        &format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: {target}\r\n\
             Content-Type: {CONTENT_TYPE}\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\
             Connection: close",
            limit + 1
        ),
        Vec::new(),
    );
    let message = error(&announced, 413, "RequestEntityTooLargeException");
    assert!(message.contains("1048576"), "{message}");

    // Streamed without a length (chunked): refused once the limit is passed.
    let mut chunked = Vec::new();
    let payload = format!(
        r#"{{"InstanceArn":"{INSTANCE}","Name":"big","Description":"{}"}}"#,
        "x".repeat(limit)
    );
    for chunk in payload.as_bytes().chunks(64 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let streamed = exchange(
        port,
        &format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: {target}\r\n\
             Content-Type: {CONTENT_TYPE}\r\nTransfer-Encoding: chunked\r\nConnection: close"
        ),
        chunked,
    );
    error(&streamed, 413, "RequestEntityTooLargeException");

    // Just under the limit is read (and then refused by the model: Description is too long).
    let under = format!(
        r#"{{"InstanceArn":"{INSTANCE}","Name":"big","Description":"{}"}}"#,
        "x".repeat(limit - 200)
    );
    assert!(under.len() <= limit);
    let message = error(
        &post(port, &target, under.as_bytes()),
        400,
        "ValidationException",
    );
    assert!(message.contains("description"), "{message}");
}

/// A body of many bad items (300,000 empty tag keys fit in 1 MiB) gets a message that counts
/// every violation but names only the first ones: a few kilobytes, not 40 MB.
#[test]
fn a_body_of_many_bad_items_gets_a_bounded_message() {
    let server = Server::start(&[]);
    let port = server.port;
    let target = format!("{TARGET_PREFIX}.UntagResource");
    let keys = vec![""; 300_000];
    let body = json!({
        "InstanceArn": INSTANCE,
        "ResourceArn": "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef",
        "TagKeys": keys,
    })
    .to_string();
    assert!(body.len() <= 1024 * 1024, "{} bytes", body.len());
    let answer = post(port, &target, body.as_bytes());
    let message = error(&answer, 400, "ValidationException");
    assert!(
        message.starts_with("300001 validation errors detected: "),
        "{}",
        &message[..200.min(message.len())]
    );
    assert!(message.len() < 20_000, "{} bytes", message.len());
}
