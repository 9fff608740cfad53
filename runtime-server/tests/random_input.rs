//! Random bodies, targets and content types: the service never panics and always answers with
//! a well-formed JSON response (an error with a `__type` unless the request was valid).

mod common;

use bytes::Bytes;
use common::*;
use http::{Request, StatusCode};
use http_body_util::Full;
use proptest::prelude::*;

use aws_json_server::sigv4::SigV4Config;

fn target() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("FakeService.Greet".to_owned())),
        Just(Some("FakeService.Fail".to_owned())),
        Just(Some("FakeService.WhoAmI".to_owned())),
        "[ -~]{0,40}".prop_map(Some),
        "FakeService\\.[A-Za-z]{0,12}".prop_map(Some),
    ]
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(Some(CONTENT_TYPE.to_owned())),
        1 => Just(None),
        1 => "[ -~]{0,40}".prop_map(Some),
    ]
}

/// JSON documents shaped like (and unlike) the fake inputs.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        "\\PC{0,20}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("Name".to_owned()),
                        Just("Times".to_owned()),
                        Just("Tags".to_owned()),
                        Just("Key".to_owned()),
                        Just("Mode".to_owned()),
                        "[A-Za-z]{1,8}",
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json_value().prop_map(|value| value.to_string().into_bytes()),
        "\\PC{0,64}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_requests_always_get_a_well_formed_answer(
        target in target(),
        content_type in content_type(),
        body in body(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let service = builder().max_body_size(200).build().expect("builds");
        let mut request = Request::builder().method("POST").uri("/");
        if let Some(target) = &target {
            request = request.header("x-amz-target", target.as_str());
        }
        if let Some(content_type) = &content_type {
            request = request.header("content-type", content_type.as_str());
        }
        // Bodies in "Fail" must not ask for a panic, which is a 500 by design (and prints).
        let body = if target.as_deref() == Some("FakeService.Fail") {
            br#"{"Mode":"modeled"}"#.to_vec()
        } else {
            body
        };
        let request = request
            .body(Full::new(Bytes::from(body)))
            .expect("a valid request");
        // `read` checks the headers, that the body is a JSON object, and `__type` on errors.
        let answer = runtime.block_on(send(&service, request));
        prop_assert!(
            answer.status == StatusCode::OK
                || answer.status.is_client_error(),
            "{} {}", answer.status, answer.body
        );
        if answer.status != StatusCode::OK {
            prop_assert!(!answer.message().is_empty(), "{}", answer.body);
        }
    }
}

fn authorization() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,120}",
        (
            "[A-Z0-9]{0,12}",
            "[0-9]{0,9}",
            "[a-z0-9-]{0,12}",
            "[a-z]{0,6}",
            "[a-z0-9;-]{0,40}",
            "[0-9a-f]{0,70}",
        )
            .prop_map(|(key, date, region, service, headers, signature)| format!(
                "AWS4-HMAC-SHA256 Credential={key}/{date}/{region}/{service}/aws4_request, \
                 SignedHeaders={headers}, Signature={signature}"
            )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_signatures_are_refused_with_a_well_formed_403(
        authorization in authorization(),
        date in prop_oneof!["[0-9]{8}T[0-9]{6}Z", "[ -~]{0,20}"],
        body in body(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let store = std::collections::HashMap::from([("AKID".to_owned(), "secret".to_owned())]);
        let service = builder().sigv4(SigV4Config::new(store)).build().expect("builds");
        let request = Request::builder()
            .method("POST")
            .uri("/")
            .header("host", "localhost")
            .header("content-type", CONTENT_TYPE)
            .header("x-amz-target", "FakeService.WhoAmI")
            .header("x-amz-date", date.as_str())
            .header("authorization", authorization.as_str())
            .body(Full::new(Bytes::from(body)))
            .expect("a valid request");
        let answer = runtime.block_on(send(&service, request));
        prop_assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
        prop_assert!(
            [
                "IncompleteSignatureException",
                "InvalidSignatureException",
                "UnrecognizedClientException",
            ]
            .contains(&answer.error_type()),
            "{}", answer.body
        );
    }
}
