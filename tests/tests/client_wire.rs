//! The generated client against a scripted local server that answers canned responses per
//! `X-Amz-Target` and records every request: modeled and unmodeled errors, retries and giving
//! up, timeouts, malformed responses, what a signed request looks like, and waiters that fail
//! or time out.

mod client_support;

use std::time::{Duration, Instant};

use aws_json_client::{
    Credentials, RetryConfig, SdkError, TimeoutConfig, TimeoutKind, WaiterError,
};
use client_support::*;
use sso_admin::operation::create_permission_set::CreatePermissionSetError;
use sso_admin::operation::describe_permission_set::DescribePermissionSetError;
use sso_admin::operation::list_instances::ListInstancesError;
use sso_admin::types::StatusValues;

const LIMIT: Duration = Duration::from_secs(20);
const PERMISSION_SET: &str =
    "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0123456789abcdef";

/// A `CreatePermissionSet` that the scripted server answers.
fn create(
    client: &sso_admin::Client,
) -> sso_admin::client::fluent_builders::CreatePermissionSetFluentBuilder {
    client
        .create_permission_set()
        .instance_arn(INSTANCE)
        .name("Admins")
        .session_duration("PT4H")
}

const PERMISSION_SET_BODY: &str = r#"{"PermissionSet":{"Name":"Admins","PermissionSetArn":"arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0123456789abcdef","SessionDuration":"PT4H","CreatedDate":1700000000.5}}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_modeled_error_of_create_permission_set_is_its_variant() {
    // (status, __type as the service may send it, the variant it must become)
    let cases: [(u16, &str, &str); 7] = [
        (
            404,
            "ResourceNotFoundException",
            "ResourceNotFoundException",
        ),
        (500, "InternalServerException", "InternalServerException"),
        (
            402,
            "ServiceQuotaExceededException",
            "ServiceQuotaExceededException",
        ),
        // A namespaced code and a 429, as throttling often comes.
        (
            429,
            "com.amazonaws.swbexternalservice#ThrottlingException",
            "ThrottlingException",
        ),
        (400, "ValidationException", "ValidationException"),
        // The `x-amzn-ErrorType` header form: `Code:http://...`.
        (
            403,
            "AccessDeniedException:http://internal.amazon.com/",
            "AccessDeniedException",
        ),
        (409, "ConflictException", "ConflictException"),
    ];
    let server = ScriptedServer::start(move |_, n| {
        let (status, code, _) = cases[n % cases.len()];
        Canned::error(status, code, &format!("message {n}"))
    })
    .await;
    // No retries, so each call sees exactly its canned answer.
    let client = sso_admin::Client::from_conf(
        config_builder(&server.endpoint)
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    for (n, (status, _, expected)) in cases.iter().enumerate() {
        let error = bounded(LIMIT, create(&client).send())
            .await
            .expect_err("the server answers an error");
        let SdkError::Service { error, meta } = &error else {
            panic!("{expected}: expected a service error, got {error:?}");
        };
        let matched = match error {
            CreatePermissionSetError::ResourceNotFoundException(e) => {
                ("ResourceNotFoundException", e.message.as_deref())
            }
            CreatePermissionSetError::InternalServerException(e) => {
                ("InternalServerException", e.message.as_deref())
            }
            CreatePermissionSetError::ServiceQuotaExceededException(e) => {
                ("ServiceQuotaExceededException", e.message.as_deref())
            }
            CreatePermissionSetError::ThrottlingException(e) => {
                ("ThrottlingException", e.message.as_deref())
            }
            CreatePermissionSetError::ValidationException(e) => {
                ("ValidationException", e.message.as_deref())
            }
            CreatePermissionSetError::AccessDeniedException(e) => {
                ("AccessDeniedException", e.message.as_deref())
            }
            CreatePermissionSetError::ConflictException(e) => {
                ("ConflictException", e.message.as_deref())
            }
            other => panic!("{expected}: got {other:?}"),
        };
        let message = format!("message {n}");
        assert_eq!(matched, (*expected, Some(message.as_str())));
        assert_eq!(meta.http_status(), *status);
        assert_eq!(meta.code(), Some(*expected), "the code is sanitized");
        assert_eq!(meta.message(), Some(message.as_str()));
        assert_eq!(meta.request_id(), Some(format!("req-{n}").as_str()));
    }
    assert_eq!(server.requests().len(), 7, "no call was retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unmodeled_error_keeps_its_code_message_and_request_id() {
    let server = ScriptedServer::start(|_, _| {
        Canned::error(
            400,
            "UnrecognizedClientException",
            "The security token is invalid.",
        )
        .header("x-amzn-RequestId", "11111111-2222-4333-8444-555555555555")
    })
    .await;
    let client = client(&server.endpoint);
    let error = bounded(LIMIT, create(&client).send()).await.unwrap_err();
    assert_eq!(
        error.request_id(),
        Some("11111111-2222-4333-8444-555555555555")
    );
    assert_eq!(error.code(), Some("UnrecognizedClientException"));
    assert_eq!(error.message(), Some("The security token is invalid."));
    assert_eq!(error.meta().unwrap().http_status(), 400);
    match error.into_service_error() {
        CreatePermissionSetError::Unhandled(unhandled) => {
            assert_eq!(unhandled.code(), "UnrecognizedClientException");
            assert_eq!(unhandled.message(), Some("The security token is invalid."));
            assert_eq!(unhandled.http_status(), 400, "the status it came with");
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "a 400 is not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_without_a_code_is_unhandled_with_its_status() {
    let server = ScriptedServer::start(|_, _| Canned {
        status: 502,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<html>Bad Gateway</html>".into(),
        delay: Duration::ZERO,
    })
    .await;
    let client = sso_admin::Client::from_conf(
        config_builder(&server.endpoint)
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let error = bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap_err();
    assert_eq!(error.meta().unwrap().http_status(), 502);
    match error.into_service_error() {
        ListInstancesError::Unhandled(unhandled) => {
            assert_eq!(unhandled.code(), "UnknownError");
            assert_eq!(unhandled.http_status(), 502);
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_then_success_is_retried() {
    let server = ScriptedServer::start(|_, n| match n {
        0 => Canned::error(429, "ThrottlingException", "Rate exceeded"),
        _ => Canned::ok(PERMISSION_SET_BODY),
    })
    .await;
    let client = client(&server.endpoint);
    let output = bounded(LIMIT, create(&client).send()).await.unwrap();
    assert_eq!(
        output.permission_set.unwrap().session_duration.as_deref(),
        Some("PT4H")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("amz-sdk-request"), "attempt=1; max=3");
    assert_eq!(requests[1].header("amz-sdk-request"), "attempt=2; max=3");
    assert_eq!(
        requests[0].header("amz-sdk-invocation-id"),
        requests[1].header("amz-sdk-invocation-id"),
        "one invocation id across attempts"
    );
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_then_success_is_retried() {
    let server = ScriptedServer::start(|_, n| match n {
        0 => Canned::error(500, "InternalServerException", "oops"),
        _ => Canned::ok(r#"{"Instances":[{"InstanceArn":"arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6","IdentityStoreId":"d-1234567890"}]}"#),
    })
    .await;
    let client = client(&server.endpoint);
    let output = bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap();
    assert_eq!(output.instances.unwrap().len(), 1);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_give_up_after_the_attempt_limit() {
    let server =
        ScriptedServer::start(|_, _| Canned::error(503, "ThrottlingException", "slow down")).await;
    let client = sso_admin::Client::from_conf(
        config_builder(&server.endpoint)
            .retry_config(fast_retries(4))
            .build(),
    );
    let error = bounded(LIMIT, create(&client).send()).await.unwrap_err();
    assert!(
        matches!(
            error.as_service_error(),
            Some(CreatePermissionSetError::ThrottlingException(_))
        ),
        "{error:?}"
    );
    assert_eq!(
        error.request_id(),
        Some("req-3"),
        "the last attempt's error"
    );
    let attempts: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-request").to_owned())
        .collect();
    assert_eq!(
        attempts,
        [
            "attempt=1; max=4",
            "attempt=2; max=4",
            "attempt=3; max=4",
            "attempt=4; max=4"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_is_an_attempt_timeout() {
    let server = ScriptedServer::start(|_, _| {
        Canned::ok(r#"{"Instances":[]}"#).delayed(Duration::from_secs(5))
    })
    .await;
    let client = sso_admin::Client::from_conf(
        config_builder(&server.endpoint)
            .retry_config(fast_retries(2))
            .timeout_config(
                TimeoutConfig::new().with_attempt_timeout(Some(Duration::from_millis(150))),
            )
            .build(),
    );
    let start = Instant::now();
    let error = bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap_err();
    let SdkError::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.limit(), Some(Duration::from_millis(150)));
    assert!(error.is_timeout());
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.requests().len(), 2, "an attempt timeout is retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_timeout_bounds_the_whole_call() {
    let server = ScriptedServer::start(|_, _| {
        Canned::ok(r#"{"Instances":[]}"#).delayed(Duration::from_secs(5))
    })
    .await;
    let client = sso_admin::Client::from_conf(
        config_builder(&server.endpoint)
            .timeout_config(
                TimeoutConfig::new().with_operation_timeout(Some(Duration::from_millis(200))),
            )
            .build(),
    );
    let error = bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap_err();
    match &error {
        SdkError::Timeout(timeout) => assert_eq!(timeout.kind(), TimeoutKind::Operation),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_output_is_a_response_error_naming_the_member() {
    let server = ScriptedServer::start(|_, n| match n {
        // SessionDuration as a number, as moto sends it when none was given.
        0 => Canned::ok(r#"{"PermissionSet":{"Name":"Admins","SessionDuration":3600}}"#),
        1 => Canned::ok(r#"{"PermissionSet":{"Name":"Admins","CreatedDate":"yesterday"}}"#),
        2 => Canned::ok("<html>not json</html>"),
        _ => Canned::ok(r#"{"PermissionSet":{"Name":"Admins""#),
    })
    .await;
    let client = client(&server.endpoint);
    let expected_paths = [
        Some("PermissionSet.SessionDuration"),
        Some("PermissionSet.CreatedDate"),
        Some("."),
        None,
    ];
    for (n, path) in expected_paths.iter().enumerate() {
        let error = bounded(
            LIMIT,
            client
                .describe_permission_set()
                .instance_arn(INSTANCE)
                .permission_set_arn(PERMISSION_SET)
                .send(),
        )
        .await
        .expect_err("the output does not parse");
        let SdkError::Response(response) = &error else {
            panic!("case {n}: expected a response error, got {error:?}");
        };
        assert_eq!(response.meta().http_status(), 200);
        assert_eq!(
            response.meta().request_id(),
            Some(format!("req-{n}").as_str())
        );
        let text = error.to_string();
        assert!(text.contains("DescribePermissionSet"), "{text}");
        if let Some(path) = path {
            assert_eq!(response.member_path(), Some(*path), "case {n}: {text}");
            if *path != "." {
                assert!(text.contains(path), "the message names the member: {text}");
            }
        }
        // Not retried, and the operation error says what happened.
        assert!(matches!(
            error.into_service_error(),
            DescribePermissionSetError::Unhandled(ref e) if e.code() == "ResponseError"
        ));
    }
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_body_with_message_and_message_parses() {
    // Some services (and aws-json-server for this model, whose member is `Message`) send the
    // message under both names; the client must still see the modeled error.
    let server = ScriptedServer::start(|_, _| Canned {
        status: 409,
        headers: vec![("content-type".into(), CONTENT_TYPE.into())],
        body: r#"{"__type":"ConflictException","Message":"taken","message":"taken"}"#.into(),
        delay: Duration::ZERO,
    })
    .await;
    let client = client(&server.endpoint);
    let error = bounded(LIMIT, create(&client).send()).await.unwrap_err();
    match error.as_service_error() {
        Some(CreatePermissionSetError::ConflictException(conflict)) => {
            assert_eq!(conflict.message.as_deref(), Some("taken"))
        }
        _ => panic!("expected a ConflictException, got {error:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_modeled_error_is_a_response_error() {
    let server = ScriptedServer::start(|_, _| Canned {
        status: 409,
        headers: vec![("content-type".into(), CONTENT_TYPE.into())],
        body: r#"{"__type":"ConflictException","message":42}"#.into(),
        delay: Duration::ZERO,
    })
    .await;
    let client = client(&server.endpoint);
    let error = bounded(LIMIT, create(&client).send()).await.unwrap_err();
    let SdkError::Response(response) = &error else {
        panic!("expected a response error, got {error:?}");
    };
    assert_eq!(response.member_path(), Some("message"));
    assert_eq!(response.meta().code(), Some("ConflictException"));
    assert_eq!(response.meta().http_status(), 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_signed_awsjson_posts() {
    let server = ScriptedServer::start(|_, _| Canned::ok(PERMISSION_SET_BODY)).await;
    let client = sso_admin::Client::from_conf(
        config_builder(&server.endpoint)
            .credentials(Credentials::new(
                "ASIATEMPORARY",
                "temporary-secret",
                Some("the-session-token".to_owned()),
            ))
            .build(),
    );
    bounded(LIMIT, create(&client).description("all of it").send())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.target, "SWBExternalService.CreatePermissionSet");
    assert_eq!(request.header("content-type"), CONTENT_TYPE);
    let host = server.endpoint.trim_start_matches("http://");
    assert_eq!(request.header("host"), host);
    let date = request.header("x-amz-date");
    assert_eq!(date.len(), 16, "basic ISO 8601: {date}");
    assert!(date.ends_with('Z') && date.as_bytes()[8] == b'T', "{date}");
    assert_eq!(request.header("x-amz-security-token"), "the-session-token");
    let authorization = request.header("authorization");
    let scope = format!(
        "AWS4-HMAC-SHA256 Credential=ASIATEMPORARY/{}/us-east-1/sso/aws4_request, ",
        &date[..8]
    );
    assert!(authorization.starts_with(&scope), "{authorization}");
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("SignedHeaders");
    for header in [
        "content-type",
        "host",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-target",
    ] {
        assert!(
            signed.split(';').any(|h| h == header),
            "{header} is signed: {signed}"
        );
    }
    let signature = authorization
        .split("Signature=")
        .nth(1)
        .expect("a signature");
    assert_eq!(signature.len(), 64);
    assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        request.json(),
        serde_json::json!({
            "InstanceArn": INSTANCE,
            "Name": "Admins",
            "SessionDuration": "PT4H",
            "Description": "all of it",
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permanent_credentials_send_no_security_token() {
    let server = ScriptedServer::start(|_, _| Canned::ok(r#"{"Instances":[]}"#)).await;
    let client = client(&server.endpoint);
    bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert!(request.headers.get("x-amz-security-token").is_none());
    assert!(request
        .header("authorization")
        .contains(&format!("Credential={ACCESS_KEY_ID}/")));
    assert_eq!(request.target, "SWBExternalService.ListInstances");
    assert_eq!(request.json(), serde_json::json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_that_sees_failed_fails() {
    let server = ScriptedServer::start(|_, _| {
        Canned::ok(
            r#"{"AccountAssignmentCreationStatus":{"Status":"FAILED","RequestId":"r-1","FailureReason":"no such principal"}}"#,
        )
    })
    .await;
    let client = client(&server.endpoint);
    let error = bounded(
        LIMIT,
        client
            .wait_until_account_assignment_created()
            .instance_arn(INSTANCE)
            .account_assignment_creation_request_id("r-1")
            .wait(Duration::from_secs(10)),
    )
    .await
    .expect_err("FAILED is a failure");
    let WaiterError::Failure(poll) = error else {
        panic!("expected a failure, got {error:?}");
    };
    let status = poll
        .into_result()
        .expect("the last poll succeeded")
        .account_assignment_creation_status
        .unwrap();
    assert_eq!(status.status, Some(StatusValues::Failed));
    assert_eq!(status.failure_reason.as_deref(), Some("no such principal"));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        server.requests()[0].target,
        "SWBExternalService.DescribeAccountAssignmentCreationStatus"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_whose_poll_fails_unmatched_stops_with_the_error() {
    let server = ScriptedServer::start(|_, _| {
        Canned::error(400, "ResourceNotFoundException", "no such request")
    })
    .await;
    let client = client(&server.endpoint);
    let error = bounded(
        LIMIT,
        client
            .wait_until_permission_set_provisioned()
            .instance_arn(INSTANCE)
            .provision_permission_set_request_id("r-2")
            .wait(Duration::from_secs(10)),
    )
    .await
    .unwrap_err();
    match error {
        WaiterError::Operation(error) => {
            assert_eq!(error.code(), Some("ResourceNotFoundException"))
        }
        other => panic!("expected the poll's error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_times_out_while_in_progress() {
    let server = ScriptedServer::start(|_, _| {
        Canned::ok(
            r#"{"AccountAssignmentDeletionStatus":{"Status":"IN_PROGRESS","RequestId":"r-3"}}"#,
        )
    })
    .await;
    let client = client(&server.endpoint);
    let start = Instant::now();
    // The waiter's delays are 2 s to 30 s: with 4.5 s it polls at 0 s and 2 s, then once more
    // so the last poll happens before the limit, and gives up.
    let error = bounded(
        LIMIT,
        client
            .wait_until_account_assignment_deleted()
            .instance_arn(INSTANCE)
            .account_assignment_deletion_request_id("r-3")
            .wait(Duration::from_millis(4_500)),
    )
    .await
    .unwrap_err();
    let WaiterError::Timeout { elapsed, polls } = error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert!(polls >= 2, "{polls} polls");
    assert_eq!(server.requests().len() as u32, polls);
    assert!(elapsed < Duration::from_millis(4_500), "{elapsed:?}");
    // Generous: a loaded 2-core CI machine may run timers late.
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_required_member_fails_before_sending() {
    let server = ScriptedServer::start(|_, _| Canned::ok("{}")).await;
    let client = client(&server.endpoint);
    let error = client
        .create_permission_set()
        .name("no instance")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    let text = format!("{error} {:?}", std::error::Error::source(&error));
    assert!(
        text.contains("InstanceArn") || text.contains("instance_arn"),
        "{text}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_is_a_dispatch_error() {
    // A port that nothing listens on: bind, note, release.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = sso_admin::Client::from_conf(
        config_builder(&format!("http://127.0.0.1:{port}"))
            .retry_config(fast_retries(2))
            .build(),
    );
    let error = bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap_err();
    match &error {
        SdkError::Dispatch(dispatch) => assert!(dispatch.is_connect(), "{error}"),
        other => panic!("expected a dispatch error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customize_mutates_the_request_before_signing_and_overrides_the_config_per_call() {
    let first = ScriptedServer::start(|_, _| Canned::ok(r#"{"Instances":[]}"#)).await;
    let second = ScriptedServer::start(|_, _| Canned::ok(r#"{"Instances":[]}"#)).await;
    let client = client(&first.endpoint);

    // A header added by a request mutator is sent, and signed: mutators run before SigV4.
    let mut calls = 0;
    bounded(
        LIMIT,
        client
            .list_instances()
            .max_results(5)
            .customize()
            .mutate_request(|request| {
                request
                    .headers_mut()
                    .insert("x-test-trace", http::HeaderValue::from_static("trace-1"));
            })
            .mutate_request(move |request| {
                calls += 1;
                let value = format!("call-{calls}");
                request
                    .headers_mut()
                    .insert("x-test-count", value.parse().unwrap());
            })
            .send(),
    )
    .await
    .unwrap();
    let requests = first.requests();
    let sent = requests.last().unwrap();
    assert_eq!(sent.header("x-test-trace"), "trace-1");
    assert_eq!(sent.header("x-test-count"), "call-1");
    let signed_headers = sent
        .header("authorization")
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        signed_headers.split(';').any(|name| name == "x-test-trace"),
        "{signed_headers}"
    );
    // The input is the fluent builder's.
    assert_eq!(sent.json()["MaxResults"], 5);

    // A configuration override applies to that call alone, and only what it sets: the
    // endpoint and the region change, the credentials stay the client's.
    bounded(
        LIMIT,
        client
            .list_instances()
            .customize()
            .config_override(
                sso_admin::Config::builder()
                    .endpoint_url(&second.endpoint)
                    .region("eu-west-3"),
            )
            .send(),
    )
    .await
    .unwrap();
    let overridden = second.requests();
    assert_eq!(overridden.len(), 1);
    let authorization = overridden[0].header("authorization");
    assert!(
        authorization.contains(&format!("Credential={ACCESS_KEY_ID}/"))
            && authorization.contains("/eu-west-3/sso/aws4_request"),
        "{authorization}"
    );
    // Without customizations: the client's endpoint and region, no added headers.
    bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap();
    let requests = first.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].headers.get("x-test-trace").is_none());
    assert!(requests[1]
        .header("authorization")
        .contains(&format!("/{REGION}/sso/aws4_request")));
    assert_eq!(second.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customized_call_with_an_incomplete_input_is_a_construction_error() {
    let server = ScriptedServer::start(|_, _| Canned::ok("{}")).await;
    let client = client(&server.endpoint);
    let builder = client.create_permission_set().name("Admins");
    // `as_input()` shows what is set so far.
    assert_eq!(builder.as_input().get_name().as_deref(), Some("Admins"));
    assert!(builder.as_input().get_instance_arn().is_none());
    let error = bounded(
        LIMIT,
        builder
            .customize()
            .mutate_request(|_| panic!("an incomplete input is never sent"))
            .send(),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(server.requests().is_empty());
}
