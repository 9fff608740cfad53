//! Fuzzing the in-process router (protocol layer + emulator) with random targets and bodies:
//! whatever arrives, the answer is a 200 with a JSON object, or a well-formed AWS JSON error —
//! never a panic (which the protocol layer would turn into a 500).

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use proptest::prelude::*;
use serde_json::{Map, Value};
use sso_admin::server::{service_builder, AwsJsonService};
use sso_admin_emulator::Emulator;

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-1111111111111111";
const PERMISSION_SET: &str =
    "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222";

const OPERATIONS: [&str; 27] = [
    "AttachManagedPolicyToPermissionSet",
    "CreateAccountAssignment",
    "CreatePermissionSet",
    "DeleteAccountAssignment",
    "DeleteInlinePolicyFromPermissionSet",
    "DeletePermissionSet",
    "DescribeAccountAssignmentCreationStatus",
    "DescribeAccountAssignmentDeletionStatus",
    "DescribePermissionSet",
    "DescribePermissionSetProvisioningStatus",
    "DetachManagedPolicyFromPermissionSet",
    "GetInlinePolicyForPermissionSet",
    "ListAccountAssignmentCreationStatus",
    "ListAccountAssignmentDeletionStatus",
    "ListAccountAssignments",
    "ListAccountsForProvisionedPermissionSet",
    "ListInstances",
    "ListManagedPoliciesInPermissionSet",
    "ListPermissionSetProvisioningStatus",
    "ListPermissionSets",
    "ListPermissionSetsProvisionedToAccount",
    "ListTagsForResource",
    "ProvisionPermissionSet",
    "PutInlinePolicyToPermissionSet",
    "TagResource",
    "UntagResource",
    "UpdatePermissionSet",
];

/// Member names of the model's inputs (and a few strangers), so random objects often reach
/// the emulator's own checks instead of stopping at the first missing member.
const MEMBERS: [&str; 24] = [
    "InstanceArn",
    "PermissionSetArn",
    "Name",
    "Description",
    "SessionDuration",
    "RelayState",
    "Tags",
    "TagKeys",
    "ResourceArn",
    "ManagedPolicyArn",
    "InlinePolicy",
    "TargetId",
    "TargetType",
    "PrincipalType",
    "PrincipalId",
    "AccountId",
    "MaxResults",
    "NextToken",
    "Filter",
    "ProvisioningStatus",
    "AccountAssignmentCreationRequestId",
    "ProvisionPermissionSetRequestId",
    "__type",
    "Unexpected",
];

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(&OPERATIONS[..])
            .prop_map(|operation| format!("SWBExternalService.{operation}")),
        1 => "[A-Za-z0-9_.]{0,40}",
        1 => proptest::sample::select(&OPERATIONS[..])
            .prop_map(|operation| format!("OtherService.{operation}")),
    ]
}

/// Plausible and implausible member values.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-10i64..200).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(Value::from(INSTANCE)),
        Just(Value::from(PERMISSION_SET)),
        Just(Value::from("AWS_ACCOUNT")),
        Just(Value::from("USER")),
        Just(Value::from("111122223333")),
        Just(Value::from("PT2H")),
        Just(Value::from("{\"Version\":\"2012-10-17\"}")),
        Just(Value::from("arn:aws:iam::aws:policy/ReadOnlyAccess")),
        "\\PC{0,40}".prop_map(Value::from),
        "[a-zA-Z0-9+/=]{0,80}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        proptest::sample::select(&["Key", "Value", "Status"][..])
                            .prop_map(str::to_owned),
                        "[A-Za-z]{1,8}",
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..200),
        1 => Just(b"{}".to_vec()),
        6 => proptest::collection::vec(
            (
                prop_oneof![
                    4 => proptest::sample::select(&MEMBERS[..]).prop_map(str::to_owned),
                    1 => "\\PC{0,12}",
                ],
                value(),
            ),
            0..8,
        )
        .prop_map(|members| {
            let mut object: Map<String, Value> = members.into_iter().collect();
            if !object.is_empty() {
                object.insert("InstanceArn".to_owned(), Value::from(INSTANCE));
            }
            Value::Object(object).to_string().into_bytes()
        }),
        1 => value().prop_map(|value| value.to_string().into_bytes()),
    ]
}

fn service() -> AwsJsonService {
    let emulator = Emulator::with_instance(INSTANCE, "d-1234567890");
    service_builder(Arc::new(emulator))
        .build()
        .expect("every operation is registered once")
}

/// Sends one request; checks the answer's shape and returns (status, `__type`).
async fn check(service: &AwsJsonService, target: &str, body: Vec<u8>) -> (u16, Option<String>) {
    let mut request = http::Request::post("/")
        .header("content-type", "application/x-amz-json-1.1")
        .body(Full::new(Bytes::from(body)))
        .expect("a valid request");
    if let Ok(value) = http::HeaderValue::from_str(target) {
        request.headers_mut().insert("x-amz-target", value);
    }
    let response = service.handle(request).await;
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get("x-amzn-requestid")
        .and_then(|value| value.to_str().ok())
        .map(str::len);
    assert_eq!(request_id, Some(36), "every answer has a request id");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a full body")
        .to_bytes();
    let json: Value = serde_json::from_slice(&bytes).unwrap_or_else(|error| {
        panic!(
            "status {status}: the body is not JSON ({error}): {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    let object = json.as_object().expect("the body is a JSON object");
    if status == 200 {
        return (status, None);
    }
    assert!(
        (400..500).contains(&status),
        "status {status} (a 500 means a panic): {json}"
    );
    let error_type = object
        .get("__type")
        .and_then(Value::as_str)
        .expect("an error has a string __type")
        .to_owned();
    let message = object.get("message").or_else(|| object.get("Message"));
    assert!(
        message.is_some_and(Value::is_string),
        "an error has a string message (`message` or `Message`, as botocore reads them): {json}"
    );
    (status, Some(error_type))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_requests_never_break_the_service(
        requests in proptest::collection::vec((target(), body()), 1..6)
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        // One emulator for a few requests, so later ones can meet state the earlier made.
        let service = service();
        runtime.block_on(async {
            for (target, body) in requests {
                check(&service, &target, body).await;
            }
        });
    }
}

/// The fuzzer's shapes do reach every outcome: a sanity check of the generators' reach.
#[test]
fn known_requests_get_each_kind_of_answer() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let service = service();
    runtime.block_on(async {
        let cases: [(&str, &[u8], u16, Option<&str>); 6] = [
            ("SWBExternalService.ListInstances", b"{}", 200, None),
            ("SWBExternalService.Nope", b"{}", 400, Some("UnknownOperationException")),
            ("SWBExternalService.ListInstances", b"\xff\x00", 400, Some("SerializationException")),
            ("SWBExternalService.DescribePermissionSet", b"{}", 400, Some("ValidationException")),
            (
                "SWBExternalService.DescribePermissionSet",
                br#"{"InstanceArn":"arn:aws:sso:::instance/ssoins-1111111111111111","PermissionSetArn":"arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222"}"#,
                404,
                Some("ResourceNotFoundException"),
            ),
            (
                "SWBExternalService.CreatePermissionSet",
                br#"{"InstanceArn":"arn:aws:sso:::instance/ssoins-1111111111111111","Name":"x","SessionDuration":"PT20H"}"#,
                400,
                Some("ValidationException"),
            ),
        ];
        for (target, body, status, error_type) in cases {
            let (got_status, got_type) = check(&service, target, body.to_vec()).await;
            assert_eq!(got_status, status, "{target} {}", String::from_utf8_lossy(body));
            assert_eq!(got_type.as_deref(), error_type);
        }
    });
}
