//! The protocol steps of the AWS JSON server, against a fake service: the happy path and every
//! rejection, over direct calls and over a real socket.

mod common;

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use aws_json_server::{serve, BuildError, ServiceBuilder};
use bytes::Bytes;
use common::*;
use http::{Request, StatusCode};
use http_body::Frame;
use http_body_util::{BodyExt, Full};

fn post(headers: &[(&str, &str)], body: &str) -> Request<Full<Bytes>> {
    let mut builder = Request::builder().method("POST").uri("/");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Full::new(Bytes::from(body.to_owned())))
        .expect("a valid request")
}

#[tokio::test]
async fn happy_path_returns_the_output() {
    let answer = send(&service(), request("Greet", r#"{"Name":"Ana","Times":2}"#)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.body,
        serde_json::json!({"Greeting": "Hello, Ana!Hello, Ana!"})
    );
}

#[tokio::test]
async fn every_response_has_a_fresh_uuid_request_id_given_to_the_handler() {
    let service = service();
    let first = send(&service, request("WhoAmI", "{}")).await;
    let second = send(&service, request("WhoAmI", "{}")).await;
    let id = first.headers["x-amzn-requestid"].to_str().expect("ascii");
    assert_eq!(first.body["RequestId"], id, "the handler sees the same id");
    assert_ne!(second.headers["x-amzn-requestid"], id);
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12]);
    assert_eq!(&id[14..15], "4", "a version 4 UUID");
    // Rejections carry one too (checked by `read`).
    send(&service, post(&[], "")).await;
}

#[tokio::test]
async fn unauthenticated_services_give_handlers_no_caller() {
    let answer = send(&service(), request("WhoAmI", "")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.get("Caller").is_none(), "{}", answer.body);
}

#[tokio::test]
async fn an_empty_body_is_an_empty_object() {
    let service = service();
    assert_eq!(
        send(&service, request("WhoAmI", "")).await.status,
        StatusCode::OK
    );
    let answer = send(&service, request("Greet", "")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error_type(), "ValidationException");
}

#[tokio::test]
async fn missing_or_unknown_targets_are_unknown_operations() {
    let service = service();
    let missing = send(&service, post(&[("content-type", CONTENT_TYPE)], "{}")).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.error_type(), "UnknownOperationException");
    assert!(!missing.message().is_empty());
    for target in [
        "FakeService.Nope",
        "OtherService.Greet",
        "Greet",
        "FakeService.",
        "",
        "FakeService.greet",
    ] {
        let answer = send(
            &service,
            post(
                &[("content-type", CONTENT_TYPE), ("x-amz-target", target)],
                "{}",
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{target}");
        assert_eq!(answer.error_type(), "UnknownOperationException", "{target}");
    }
}

#[tokio::test]
async fn only_post_is_allowed() {
    let service = service();
    for method in ["GET", "PUT", "DELETE", "HEAD", "OPTIONS"] {
        let request = Request::builder()
            .method(method)
            .uri("/")
            .header("content-type", CONTENT_TYPE)
            .header("x-amz-target", "FakeService.Greet")
            .body(Full::new(Bytes::new()))
            .expect("a valid request");
        let answer = send(&service, request).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(answer.headers["allow"], "POST");
        assert_eq!(answer.error_type(), "UnknownOperationException");
    }
}

#[tokio::test]
async fn the_content_type_must_be_the_protocols() {
    let service = service();
    for content_type in [
        None,
        Some("application/json"),
        Some("application/x-amz-json-1.0"),
        Some("text/plain"),
        Some("application/x-amz-json-1.1x"),
    ] {
        let mut headers = vec![("x-amz-target", "FakeService.WhoAmI")];
        if let Some(content_type) = content_type {
            headers.push(("content-type", content_type));
        }
        let answer = send(&service, post(&headers, "{}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{content_type:?}");
        assert_eq!(
            answer.error_type(),
            "UnknownOperationException",
            "{content_type:?}"
        );
    }
    for content_type in [
        "application/x-amz-json-1.1; charset=utf-8",
        "Application/X-Amz-Json-1.1",
    ] {
        let answer = send(
            &service,
            post(
                &[
                    ("x-amz-target", "FakeService.WhoAmI"),
                    ("content-type", content_type),
                ],
                "{}",
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{content_type}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_serialization_error() {
    let service = service();
    for body in [
        "not json",
        "{\"Name\":",
        "{\"Name\":\"a\"} trailing",
        "[]",
        "42",
        "\u{0}",
    ] {
        let answer = send(&service, request("Greet", body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer.error_type(), "SerializationException", "{body}");
        assert!(!answer.message().is_empty());
    }
}

#[tokio::test]
async fn a_member_of_the_wrong_type_is_a_serialization_error_naming_it() {
    let service = service();
    let answer = send(
        &service,
        request("Greet", r#"{"Name":"a","Times":"twice"}"#),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error_type(), "SerializationException");
    assert!(answer.message().contains("'Times'"), "{}", answer.message());

    let answer = send(
        &service,
        request("Greet", r#"{"Name":"a","Tags":[{"Key":"k"},{"Key":7}]}"#),
    )
    .await;
    assert_eq!(answer.error_type(), "SerializationException");
    assert!(
        answer.message().contains("Tags[1].Key"),
        "{}",
        answer.message()
    );
}

#[tokio::test]
async fn a_missing_required_member_is_a_validation_error() {
    let service = service();
    let expected = "1 validation error detected: Value null at 'name' failed to satisfy \
                    constraint: Member must not be null";
    for body in [r#"{"Times":1}"#, r#"{"Name":null}"#] {
        let answer = send(&service, request("Greet", body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer.error_type(), "ValidationException", "{body}");
        assert_eq!(answer.message(), expected, "{body}");
    }
    let nested = send(
        &service,
        request("Greet", r#"{"Name":"a","Tags":[{"Value":"v"}]}"#),
    )
    .await;
    assert_eq!(nested.error_type(), "ValidationException");
    assert!(
        nested
            .message()
            .contains("Value null at 'tags.1.member.key'"),
        "{}",
        nested.message()
    );
}

#[tokio::test]
async fn broken_constraints_are_validation_errors_and_skip_the_handler() {
    let state = Arc::new(State::default());
    let service = ServiceBuilder::new(&METADATA, Arc::clone(&state))
        .operation::<Greet, _, _>(|state: Arc<State>, input: GreetInput, _| async move {
            state.calls.fetch_add(1, Ordering::SeqCst);
            Ok(GreetOutput {
                greeting: input.name,
            })
        })
        .build()
        .expect("builds");
    let long = "x".repeat(17);
    let answer = send(
        &service,
        request(
            "Greet",
            &format!(r#"{{"Name":"{long}","Tags":[{{"Key":""}}]}}"#),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error_type(), "ValidationException");
    assert_eq!(
        answer.message(),
        format!(
            "2 validation errors detected: Value '{long}' at 'name' failed to satisfy \
             constraint: Member must have length less than or equal to 16; Value '' at \
             'tags.1.member.key' failed to satisfy constraint: Member must have length greater \
             than or equal to 1"
        )
    );
    assert_eq!(state.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let service = builder().max_body_size(64).build().expect("builds");
    let body = format!(r#"{{"Name":"{}"}}"#, "x".repeat(100));
    let answer = send(&service, request("Greet", &body)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.error_type(), "RequestEntityTooLargeException");

    // A declared Content-Length over the limit is refused before reading anything.
    let mut declared = request("Greet", "{}");
    declared
        .headers_mut()
        .insert("content-length", http::HeaderValue::from_static("1000000"));
    assert_eq!(
        send(&service, declared).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    // Exactly at the limit is fine.
    let name = "x".repeat(64 - r#"{"Name":""}"#.len());
    let at_limit = format!(r#"{{"Name":"{name}"}}"#);
    assert_eq!(at_limit.len(), 64);
    let answer = send(&service, request("Greet", &at_limit)).await;
    assert_eq!(
        answer.error_type(),
        "ValidationException",
        "too long a name, but read"
    );
}

/// `body` gzip-compressed.
fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).expect("compresses");
    encoder.finish().expect("compresses")
}

/// A request for `FakeService.{operation}` with this body and `Content-Encoding: gzip`.
fn gzipped(operation: &str, compressed: Vec<u8>) -> Request<Full<Bytes>> {
    let mut request = request(operation, "");
    *request.body_mut() = Full::new(Bytes::from(compressed));
    request
        .headers_mut()
        .insert("content-encoding", http::HeaderValue::from_static("gzip"));
    request
}

#[tokio::test]
async fn gzip_request_bodies_are_decoded() {
    let answer = send(&service(), gzipped("Greet", gzip(br#"{"Name":"zip"}"#))).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert_eq!(answer.body["Greeting"], "Hello, zip!");
}

#[tokio::test]
async fn a_gzip_bomb_is_refused_with_413_by_its_decoded_size() {
    let service = builder().max_body_size(10 * 1024).build().expect("builds");
    // 8 MiB of spaces in a JSON string compress to about 8 KiB, under the 10 KiB limit.
    let mut body = br#"{"Name":""#.to_vec();
    body.resize(8 << 20, b' ');
    body.extend_from_slice(br#""}"#);
    let bomb = gzip(&body);
    assert!(bomb.len() < 10 * 1024, "the bomb itself is under the limit");
    let answer = send(&service, gzipped("Greet", bomb)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.error_type(), "RequestEntityTooLargeException");
}

#[tokio::test]
async fn a_body_that_is_not_valid_gzip_is_a_400() {
    let service = service();
    let plain = br#"{"Name":"plain"}"#.to_vec();
    let mut cut = gzip(br#"{"Name":"cut"}"#);
    cut.truncate(cut.len() - 5);
    for body in [plain, cut, Vec::new()] {
        let answer = send(&service, gzipped("Greet", body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(answer.error_type(), "SerializationException");
    }
    let next = send(&service, request("Greet", r#"{"Name":"again"}"#)).await;
    assert_eq!(next.status, StatusCode::OK, "the service keeps serving");
}

/// Every gzip layer may inflate up to the body limit, so a request naming gzip thousands of
/// times would be gigabytes of inflating; `requestCompression` only ever sends one. A body
/// compressed twice (or more) is refused like an unsupported encoding, with nothing inflated.
#[tokio::test]
async fn more_than_one_gzip_layer_is_refused_with_415() {
    let service = service();
    for layers in [2, 20] {
        let mut body = br#"{"Name":"nested"}"#.to_vec();
        for _ in 0..layers {
            body = gzip(&body);
        }
        let mut request = gzipped("Greet", body);
        let encoding = vec!["gzip"; layers].join(", ");
        request.headers_mut().insert(
            "content-encoding",
            http::HeaderValue::from_str(&encoding).expect("a header"),
        );
        let answer = send(&service, request).await;
        assert_eq!(
            answer.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{layers}"
        );
        assert_eq!(answer.error_type(), "SerializationException", "{layers}");
    }
    // One layer, beside `identity`, is still decoded.
    let mut request = gzipped("Greet", gzip(br#"{"Name":"once"}"#));
    request.headers_mut().insert(
        "content-encoding",
        http::HeaderValue::from_static("identity, gzip"),
    );
    let answer = send(&service, request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["Greeting"], "Hello, once!");
}

/// A body of unknown length that never ends, counting the bytes it hands out.
struct Endless {
    sent: Arc<AtomicUsize>,
}

impl http_body::Body for Endless {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.sent.fetch_add(1024, Ordering::SeqCst);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b' '; 1024])))))
    }
}

#[tokio::test]
async fn an_endless_body_is_refused_without_buffering_past_the_limit() {
    let service = builder().max_body_size(10 * 1024).build().expect("builds");
    let sent = Arc::new(AtomicUsize::new(0));
    let request = Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", CONTENT_TYPE)
        .header("x-amz-target", "FakeService.WhoAmI")
        .body(Endless {
            sent: Arc::clone(&sent),
        })
        .expect("a valid request");
    let answer = send(&service, request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(sent.load(Ordering::SeqCst) <= 11 * 1024);
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_service_keeps_serving() {
    let service = service();
    for mode in ["panic", "panic-now"] {
        let answer = send(
            &service,
            request("Fail", &format!(r#"{{"Mode":"{mode}"}}"#)),
        )
        .await;
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR, "{mode}");
        assert_eq!(answer.error_type(), "InternalServerException");
        assert!(!answer.message().contains("panicked"), "no internals leak");
        let next = send(&service, request("Greet", r#"{"Name":"again"}"#)).await;
        assert_eq!(next.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn modeled_errors_keep_their_status_type_message_and_members() {
    let answer = send(&service(), request("Fail", r#"{"Mode":"modeled"}"#)).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error_type(), "ResourceNotFoundException");
    assert_eq!(answer.message(), "No such thing");
    assert_eq!(answer.body["Message"], "No such thing");
    assert!(
        answer.body.get("message").is_none(),
        "the message is sent once"
    );
    assert_eq!(answer.body["ResourceId"], "thing-1");
}

#[tokio::test]
async fn unhandled_errors_keep_their_code_status_and_message() {
    let answer = send(&service(), request("Fail", r#"{"Mode":"unhandled"}"#)).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.error_type(), "ServiceUnavailableException");
    assert_eq!(answer.message(), "Try later");
}

#[tokio::test]
async fn operations_without_a_handler_are_unknown() {
    let service = ServiceBuilder::new(&METADATA, Arc::new(State::default()))
        .operation::<WhoAmI, _, _>(|_, _, context| async move {
            Ok(WhoAmIOutput {
                caller: None,
                request_id: context.request_id,
            })
        })
        .build()
        .expect("builds");
    assert_eq!(service.operations(), ["WhoAmI"]);
    let answer = send(&service, request("Greet", r#"{"Name":"a"}"#)).await;
    assert_eq!(answer.error_type(), "UnknownOperationException");
}

#[test]
fn the_builder_refuses_inconsistent_registrations() {
    let duplicate = builder()
        .operation::<Greet, _, _>(|_, input: GreetInput, _| async move {
            Ok(GreetOutput {
                greeting: input.name,
            })
        })
        .build()
        .expect_err("Greet is registered twice");
    assert_eq!(
        duplicate,
        BuildError::DuplicateOperation { operation: "Greet" }
    );

    let foreign = builder()
        .operation::<Foreign, _, _>(|_, _, _| async { Ok(Empty {}) })
        .build()
        .expect_err("Foreign belongs to another service");
    assert!(matches!(foreign, BuildError::ForeignOperation { .. }));
    assert!(foreign.to_string().contains("OtherService.Foreign"));

    let partial = ServiceBuilder::new(&METADATA, Arc::new(State::default()))
        .operation::<Fail, _, _>(|_, _, _| async { Ok(Empty {}) })
        .build_exhaustive::<FakeService>()
        .expect_err("Greet and WhoAmI have no handler");
    assert_eq!(
        partial,
        BuildError::MissingOperations {
            operations: vec!["Greet", "WhoAmI"]
        }
    );
    let complete = builder()
        .build_exhaustive::<FakeService>()
        .expect("every operation has a handler");
    assert_eq!(complete.operations(), ["Fail", "Greet", "WhoAmI"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_over_tcp_with_keep_alive_and_shuts_down_gracefully() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("an address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, service(), async {
        let _ = stopped.await;
    }));

    let stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connects");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshakes");
    let connection = tokio::spawn(connection);

    // Several requests on one connection, including a handler panic in the middle.
    for (operation, body, status) in [
        ("Greet", r#"{"Name":"tcp"}"#, StatusCode::OK),
        (
            "Fail",
            r#"{"Mode":"panic"}"#,
            StatusCode::INTERNAL_SERVER_ERROR,
        ),
        ("Greet", r#"{"Name":"again"}"#, StatusCode::OK),
        ("Nope", "{}", StatusCode::BAD_REQUEST),
    ] {
        let mut request = request(operation, body);
        request.headers_mut().insert(
            "host",
            http::HeaderValue::from_str(&address.to_string()).expect("ascii"),
        );
        // The connection takes the next request only once it has finished the last one.
        sender.ready().await.expect("the connection stays open");
        let response = sender.send_request(request).await.expect("a response");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("a body").to_bytes();
        assert_eq!(parts.status, status, "{operation}");
        assert_eq!(parts.headers["content-type"], CONTENT_TYPE);
        assert_eq!(parts.headers["content-length"], bytes.len().to_string());
        assert!(parts.headers.contains_key("x-amzn-requestid"));
        let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        if status == StatusCode::OK {
            assert!(body.get("__type").is_none());
        } else {
            assert!(body["__type"].is_string());
        }
    }

    drop(sender);
    let _ = connection.await;
    stop.send(()).expect("the server listens for shutdown");
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .expect("the server task does not panic")
        .expect("the server ends cleanly");
}
