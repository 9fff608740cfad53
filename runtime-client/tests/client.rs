//! `Client::call` against a scripted local server.

mod common;

use std::error::Error as _;
use std::time::Duration;

use aws_json_client::{Client, Config, Credentials, SdkError, TimeoutConfig, TimeoutKind};
use aws_json_runtime::OperationError;
use common::*;

fn assert_signed(request: &Recorded, signing_name: &str) {
    let date = request.header("x-amz-date").expect("x-amz-date");
    assert_eq!(date.len(), 16, "{date}");
    assert!(date.ends_with('Z') && date.as_bytes()[8] == b'T', "{date}");
    let authorization = request.header("authorization").expect("authorization");
    let expected = format!(
        "AWS4-HMAC-SHA256 Credential=AKID/{}/us-east-1/{signing_name}/aws4_request, SignedHeaders=",
        &date[..8]
    );
    assert!(
        authorization.starts_with(&expected),
        "{authorization} does not start with {expected}"
    );
    let signed_headers = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap();
    for header in ["content-type", "host", "x-amz-date", "x-amz-target"] {
        assert!(
            signed_headers.split(';').any(|h| h == header),
            "{header} not in {signed_headers}"
        );
    }
    let signature = authorization.split("Signature=").nth(1).unwrap();
    assert_eq!(signature.len(), 64);
    assert!(signature.chars().all(|c| c.is_ascii_hexdigit()));
}

#[tokio::test]
async fn happy_path_sends_the_protocol_headers_and_reads_the_output() {
    let server = TestServer::start(vec![Canned::ok(
        r#"{"Value":"v","Count":3,"Nested":{"Items":[1,2]},"Unknown":true}"#,
    )
    .header("x-amzn-RequestId", "req-1")
    .header("content-type", "application/x-amz-json-1.1")])
    .await;
    let output = server.client().call::<GetThing>(input("a")).await.unwrap();
    assert_eq!(output.value.as_deref(), Some("v"));
    assert_eq!(output.count, Some(3));
    assert_eq!(output.nested.unwrap().items, vec![1, 2]);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(request.header("x-amz-target"), Some("TestService.GetThing"));
    assert_eq!(
        request.header("host"),
        Some(server.addr.to_string().as_str())
    );
    assert_eq!(request.json(), serde_json::json!({"Name": "a"}));
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert!(request.header("amz-sdk-invocation-id").is_some());
    assert!(request.header("x-amz-security-token").is_none());
    assert_signed(request, "testsvc");
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let server = TestServer::start(vec![Canned::ok("{}")]).await;
    let client = Client::new(
        server
            .config()
            .credentials(Credentials::new("AKID", "SECRET", Some("TOKEN".into())))
            .build(),
    );
    client.call::<GetThing>(input("a")).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("x-amz-security-token"), Some("TOKEN"));
    assert_signed(request, "testsvc");
    assert!(request
        .header("authorization")
        .unwrap()
        .contains("x-amz-security-token"));
}

#[tokio::test]
async fn aws_json_1_0_and_endpoint_paths() {
    let server = TestServer::start(vec![Canned::ok("")]).await;
    let client = Client::new(
        server
            .config()
            .endpoint_url(format!("{}/base/path", server.url()))
            .build(),
    );
    let output = client.call::<Ping>(input("p")).await.unwrap();
    assert_eq!(output, GetThingOutput::default(), "empty body is {{}}");
    let request = &server.requests()[0];
    // The operation's request URI `/` follows the endpoint's path (Smithy's and botocore's
    // `HostWithPath` protocol tests).
    assert_eq!(request.path, "/base/path/");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.0")
    );
    assert_eq!(
        request.header("x-amz-target"),
        Some("OtherService_20240101.Ping")
    );
    assert_signed(request, "other");
}

#[tokio::test]
async fn each_modeled_error_is_its_variant() {
    let server = TestServer::start(vec![
        Canned::new(
            400,
            r#"{"__type":"ResourceNotFoundException","message":"no such thing","Reason":"gone"}"#,
        )
        .header("x-amzn-RequestId", "req-404"),
        Canned::new(
            400,
            r#"{"__type":"ThrottlingException","Message":"slow down"}"#,
        ),
        Canned::new(500, r#"{"__type":"InternalServerException"}"#),
    ])
    .await;
    let client = Client::new(server.config().retry_config(fast_retries(1)).build());

    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    let SdkError::Service {
        error: ref service,
        ref meta,
    } = error
    else {
        panic!("{error:?}");
    };
    match service {
        GetThingError::ResourceNotFoundException(e) => {
            assert_eq!(e.message.as_deref(), Some("no such thing"));
            assert_eq!(e.reason.as_deref(), Some("gone"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(meta.code(), Some("ResourceNotFoundException"));
    assert_eq!(meta.message(), Some("no such thing"));
    assert_eq!(meta.request_id(), Some("req-404"));
    assert_eq!(meta.http_status(), 400);
    assert_eq!(error.request_id(), Some("req-404"));
    assert_eq!(error.code(), Some("ResourceNotFoundException"));
    assert!(error.to_string().contains("no such thing"), "{error}");
    assert!(error.source().is_some());

    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    assert!(matches!(
        error.as_service_error(),
        Some(GetThingError::ThrottlingException(e)) if e.message.as_deref() == Some("slow down")
    ));
    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    assert!(matches!(
        error.into_service_error(),
        GetThingError::InternalServerException(_)
    ));
}

#[tokio::test]
async fn unmodeled_errors_keep_code_message_and_request_id() {
    let server = TestServer::start(vec![Canned::new(
        403,
        r#"{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"nope"}"#,
    )
    .header("x-amz-request-id", "req-403")])
    .await;
    let error = server
        .client()
        .call::<GetThing>(input("a"))
        .await
        .unwrap_err();
    assert_eq!(error.request_id(), Some("req-403"));
    assert_eq!(error.meta().unwrap().http_status(), 403);
    match error.into_service_error() {
        GetThingError::Unhandled(e) => {
            assert_eq!(e.code(), "AccessDeniedException");
            assert_eq!(e.message(), Some("nope"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "a 403 is not retried");
}

#[tokio::test]
async fn every_form_of_error_code_is_understood() {
    let cases = [
        (
            Canned::new(400, r#"{"__type":"ResourceNotFoundException"}"#),
            "ResourceNotFoundException",
        ),
        (
            Canned::new(400, r#"{"__type":"com.example#ResourceNotFoundException"}"#),
            "ResourceNotFoundException",
        ),
        (
            Canned::new(
                400,
                r#"{"__type":"ResourceNotFoundException:http://internal.amazon.com/coral/com.example/"}"#,
            ),
            "ResourceNotFoundException",
        ),
        (
            Canned::new(400, r#"{"__type":"com.example#Other:http://x/"}"#),
            "Other",
        ),
        (
            Canned::new(400, r#"{"code":"ResourceNotFoundException"}"#),
            "ResourceNotFoundException",
        ),
        (
            Canned::new(400, r#"{"Code":"SomethingElse"}"#),
            "SomethingElse",
        ),
        (
            Canned::new(400, r#"{"__type":"Ignored","message":"m"}"#).header(
                "X-Amzn-ErrorType",
                "ResourceNotFoundException:http://internal.amazon.com/",
            ),
            "ResourceNotFoundException",
        ),
        (
            Canned::new(400, "")
                .header("x-amzn-errortype", "com.example#ResourceNotFoundException"),
            "ResourceNotFoundException",
        ),
    ];
    for (canned, code) in cases {
        let server = TestServer::start(vec![canned.clone()]).await;
        let error = server
            .client()
            .call::<GetThing>(input("a"))
            .await
            .unwrap_err();
        let service = error
            .as_service_error()
            .unwrap_or_else(|| panic!("{canned:?}: {error:?}"));
        assert_eq!(service.code(), code, "{canned:?}");
        assert_eq!(error.meta().unwrap().code(), Some(code), "{canned:?}");
        if code == "ResourceNotFoundException" {
            assert!(matches!(
                service,
                GetThingError::ResourceNotFoundException(_)
            ));
        }
    }
}

#[tokio::test]
async fn retries_after_throttling_then_succeeds() {
    let server = TestServer::start(vec![
        Canned::new(400, r#"{"__type":"ThrottlingException"}"#),
        Canned::new(400, r#"{"__type":"com.amazon#TooManyRequestsException"}"#),
        Canned::ok(r#"{"Value":"finally"}"#),
    ])
    .await;
    let output = server.client().call::<GetThing>(input("a")).await.unwrap();
    assert_eq!(output.value.as_deref(), Some("finally"));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let attempts: Vec<_> = requests
        .iter()
        .map(|r| r.header("amz-sdk-request").unwrap().to_owned())
        .collect();
    assert_eq!(
        attempts,
        ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
    );
    let id = requests[0].header("amz-sdk-invocation-id");
    assert!(requests
        .iter()
        .all(|r| r.header("amz-sdk-invocation-id") == id));
    for request in &requests {
        assert_signed(request, "testsvc");
    }
}

#[tokio::test]
async fn retries_after_a_500_and_an_unknown_502() {
    let server = TestServer::start(vec![
        Canned::new(500, r#"{"__type":"SomeInternalFailure"}"#),
        Canned::new(502, "<html>Bad Gateway</html>"),
        Canned::ok("{}"),
    ])
    .await;
    server.client().call::<GetThing>(input("a")).await.unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn gives_up_after_max_attempts() {
    let server = TestServer::start(vec![
        Canned::new(503, r#"{"__type":"ServiceUnavailable","message":"1"}"#),
        Canned::new(503, r#"{"__type":"ServiceUnavailable","message":"2"}"#),
        Canned::new(503, r#"{"__type":"ServiceUnavailable","message":"3"}"#),
        Canned::ok("{}"),
    ])
    .await;
    let error = server
        .client()
        .call::<GetThing>(input("a"))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(error.meta().unwrap().http_status(), 503);
    assert_eq!(error.message(), Some("3"), "the last error is returned");
}

#[tokio::test]
async fn an_error_without_a_code_is_unhandled() {
    let server = TestServer::start(vec![Canned::new(418, "<html>teapot</html>")]).await;
    let error = server
        .client()
        .call::<GetThing>(input("a"))
        .await
        .unwrap_err();
    assert_eq!(error.meta().unwrap().code(), None);
    match error.into_service_error() {
        GetThingError::Unhandled(e) => {
            assert_eq!(e.code(), "UnknownError");
            assert_eq!(e.http_status(), 418);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_slow_attempt_times_out_and_is_retried() {
    let server = TestServer::start(vec![
        Canned::ok("{}").delay(Duration::from_secs(5)),
        Canned::ok(r#"{"Value":"fast"}"#),
    ])
    .await;
    let client = Client::new(
        server
            .config()
            .timeout_config(
                TimeoutConfig::new().with_attempt_timeout(Some(Duration::from_millis(200))),
            )
            .build(),
    );
    let output = client.call::<GetThing>(input("a")).await.unwrap();
    assert_eq!(output.value.as_deref(), Some("fast"));

    let server = TestServer::start(vec![Canned::ok("{}").delay(Duration::from_secs(5))]).await;
    let client = Client::new(
        server
            .config()
            .retry_config(fast_retries(1))
            .timeout_config(
                TimeoutConfig::new().with_attempt_timeout(Some(Duration::from_millis(100))),
            )
            .build(),
    );
    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    match &error {
        SdkError::Timeout(timeout) => {
            assert_eq!(timeout.kind(), TimeoutKind::Attempt);
            assert_eq!(timeout.limit(), Some(Duration::from_millis(100)));
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_timeout());
    assert_eq!(error.into_service_error().code(), "TimeoutError");
}

#[tokio::test]
async fn the_operation_timeout_covers_all_attempts() {
    let server = TestServer::start_with(|_| {
        Canned::new(503, r#"{"__type":"Unavailable"}"#).delay(Duration::from_millis(50))
    })
    .await;
    let client = Client::new(
        server
            .config()
            .retry_config(fast_retries(1000))
            .timeout_config(
                TimeoutConfig::new().with_operation_timeout(Some(Duration::from_millis(300))),
            )
            .build(),
    );
    let started = std::time::Instant::now();
    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(&error, SdkError::Timeout(t) if t.kind() == TimeoutKind::Operation),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_dispatch_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(format!("http://{addr}"))
            .retry_config(fast_retries(2))
            .build(),
    );
    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    match &error {
        SdkError::Dispatch(dispatch) => assert!(dispatch.is_connect(), "{dispatch:?}"),
        other => panic!("{other:?}"),
    }
    assert!(error.source().is_some());
}

#[tokio::test]
async fn malformed_responses_are_response_errors_naming_the_member() {
    let server = TestServer::start(vec![
        Canned::ok(r#"{"Value":"v","Nested":{"Items":[1,"two"]}}"#)
            .header("x-amzn-RequestId", "req-bad"),
        Canned::ok("this is not json"),
        Canned::ok(r#"{"Value":"v"} trailing"#),
        Canned::new(400, r#"{"__type":"ResourceNotFoundException","Reason":42}"#),
        Canned::new(400, "not json").header("x-amzn-errortype", "ResourceNotFoundException"),
    ])
    .await;
    let client = server.client();

    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    let SdkError::Response(response) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(response.member_path(), Some("Nested.Items[1]"));
    assert_eq!(response.meta().request_id(), Some("req-bad"));
    assert!(error.to_string().contains("Nested.Items[1]"), "{error}");
    assert!(error.to_string().contains("GetThing"), "{error}");

    for _ in 0..2 {
        let error = client.call::<GetThing>(input("a")).await.unwrap_err();
        assert!(matches!(error, SdkError::Response(_)), "{error:?}");
    }

    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    let SdkError::Response(response) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(response.member_path(), Some("Reason"));
    assert_eq!(response.meta().code(), Some("ResourceNotFoundException"));

    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    assert!(matches!(error, SdkError::Response(_)), "{error:?}");
    assert_eq!(
        server.requests().len(),
        5,
        "malformed responses are not retried"
    );
}

#[tokio::test]
async fn missing_configuration_is_a_construction_error() {
    let server = TestServer::start(vec![]).await;
    let cases = [
        server.config().set_region(None).build(),
        server.config().set_credentials(None).build(),
        server.config().endpoint_url("ftp://example.com").build(),
        server.config().endpoint_url("not a url").build(),
        server
            .config()
            .endpoint_url("http://example.com/?q=1")
            .build(),
        server
            .config()
            .set_endpoint_url(None)
            .region("us-east-1/evil")
            .build(),
    ];
    for config in cases {
        let description = format!("{config:?}");
        let error = Client::new(config)
            .call::<GetThing>(input("a"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, SdkError::Construction(_)),
            "{description}: {error:?}"
        );
    }
    assert!(server.requests().is_empty());
}

#[test]
fn credentials_debug_is_redacted() {
    let credentials = Credentials::new("AKID", "SECRET", Some("TOKEN".into()));
    let debug = format!("{credentials:?}");
    assert!(debug.contains("AKID"));
    assert!(
        !debug.contains("SECRET") && !debug.contains("TOKEN"),
        "{debug}"
    );
    let config = Config::builder().credentials(credentials).build();
    assert!(!format!("{config:?}").contains("SECRET"));
}

/// The time an `x-amz-date` (`YYYYMMDDTHHMMSSZ`) names.
fn amz_date_time(date: &str) -> std::time::SystemTime {
    let secs = aws_json_runtime::sigv4::parse_amz_date(date).unwrap();
    std::time::UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap())
}

/// Recomputes the signature of a request as the server received it.
fn verify_signature(
    request: &Recorded,
    secret: &str,
    token: Option<&str>,
    region: &str,
    name: &str,
) {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    let authorization = request.header("authorization").unwrap();
    let signed: Vec<&str> = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap()
        .split(';')
        .collect();
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            signed.contains(&name.as_str())
                && name.as_str() != "x-amz-date"
                && name.as_str() != "x-amz-security-token"
        })
        .map(|(name, value)| (name.as_str(), value.to_str().unwrap()))
        .collect();
    let identity = aws_credential_types::Credentials::new(
        "AKID",
        secret,
        token.map(str::to_owned),
        None,
        "test",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(name)
        .time(amz_date_time(request.header("x-amz-date").unwrap()))
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let uri = format!("http://{}{}", request.header("host").unwrap(), request.path);
    let signable = SignableRequest::new(
        &request.method,
        uri,
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .unwrap();
    let (_, signature) = sign(signable, &params).unwrap().into_parts();
    assert!(
        authorization.ends_with(&format!("Signature={signature}")),
        "{authorization} != {signature}"
    );
}

#[tokio::test]
async fn the_signature_matches_the_request_as_received() {
    let server = TestServer::start(vec![Canned::ok("{}"), Canned::ok("{}")]).await;
    server
        .client()
        .call::<GetThing>(input("héllo / wörld"))
        .await
        .unwrap();
    let client = Client::new(
        server
            .config()
            .credentials(Credentials::new("AKID", "SECRET", Some("TOKEN".into())))
            .endpoint_url(format!("{}/some/path", server.url()))
            .build(),
    );
    client.call::<GetThing>(input("x")).await.unwrap();
    let requests = server.requests();
    verify_signature(&requests[0], "SECRET", None, "us-east-1", "testsvc");
    verify_signature(
        &requests[1],
        "SECRET",
        Some("TOKEN"),
        "us-east-1",
        "testsvc",
    );
}

#[tokio::test]
async fn https_endpoints_go_through_tls() {
    // The server speaks plain HTTP, so the TLS handshake fails: a dispatch error, not a panic
    // and not a plain-text request.
    let server = TestServer::start(vec![Canned::ok("{}")]).await;
    let client = Client::new(
        server
            .config()
            .endpoint_url(format!("https://{}", server.addr))
            .retry_config(fast_retries(1))
            .build(),
    );
    let error = client.call::<GetThing>(input("a")).await.unwrap_err();
    assert!(matches!(error, SdkError::Dispatch(_)), "{error:?}");
    assert!(server.requests().is_empty());
}
