//! Every `pattern` of the model applies to the whole value, as AWS applies it: for each one, a
//! valid value passes the generated server stub, and the same value with junk before it, after
//! it or inside it is refused with a `ValidationException` that names the pattern.
//!
//! The table covers every pattern of `model/sso-admin.json`; a pattern added to the model
//! without a row here fails the coverage test.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use aws_json_runtime::validate::{ValidatedOperation, ValidatedOperationVisitor, ValidatedShape};
use aws_json_runtime::{OperationError, ServiceShape, UnhandledError};
use aws_json_server::{AwsJsonService, ServiceBuilder};
use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Full};
use serde_json::{json, Value};
use sso_admin::SsoAdmin;

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-72230d5f9e3b1a4c";
const PERMISSION_SET: &str =
    "arn:aws:sso:::permissionSet/ssoins-72230d5f9e3b1a4c/ps-8a0f1c2d3e4b5a69";
const PRINCIPAL: &str = "906744ee2d-1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718";

/// The status the stub's handlers answer with: the request got past validation.
const REACHED: u16 = 418;

/// One pattern: where a request carries it, a valid value, and junk that the pattern's
/// characters do not allow.
struct Row {
    /// The pattern's shape in the model.
    shape: &'static str,
    operation: &'static str,
    /// A valid request, with `{}` where the value goes.
    body: fn(&str) -> Value,
    /// The member path in the message.
    path: &'static str,
    valid: &'static str,
    junk: &'static [&'static str],
}

/// Junk for patterns of a few ASCII characters: markup, a line break, NUL, DEL.
const JUNK: &[&str] = &["<b>", "\n", "\0", "\u{7f}"];

fn rows() -> Vec<Row> {
    vec![
        Row {
            shape: "AccountId",
            operation: "ListPermissionSetsProvisionedToAccount",
            body: |v| json!({"InstanceArn": INSTANCE, "AccountId": v}),
            path: "accountId",
            valid: "402758613920",
            junk: &["<b>", "\n", "\0", "1"],
        },
        Row {
            shape: "TargetId",
            operation: "CreateAccountAssignment",
            body: |v| {
                json!({"InstanceArn": INSTANCE, "TargetId": v, "TargetType": "AWS_ACCOUNT",
                    "PermissionSetArn": PERMISSION_SET, "PrincipalType": "USER",
                    "PrincipalId": PRINCIPAL})
            },
            path: "targetId",
            valid: "402758613920",
            junk: &["<b>", "\n", "\0", "1"],
        },
        Row {
            shape: "PrincipalId",
            operation: "CreateAccountAssignment",
            body: |v| {
                json!({"InstanceArn": INSTANCE, "TargetId": "402758613920",
                    "TargetType": "AWS_ACCOUNT", "PermissionSetArn": PERMISSION_SET,
                    "PrincipalType": "USER", "PrincipalId": v})
            },
            path: "principalId",
            valid: PRINCIPAL,
            junk: JUNK,
        },
        Row {
            shape: "Duration",
            operation: "CreatePermissionSet",
            body: |v| json!({"Name": "Admins", "InstanceArn": INSTANCE, "SessionDuration": v}),
            path: "sessionDuration",
            valid: "PT4H",
            junk: JUNK,
        },
        Row {
            shape: "PermissionSetName",
            operation: "CreatePermissionSet",
            body: |v| json!({"Name": v, "InstanceArn": INSTANCE}),
            path: "name",
            valid: "Admins",
            junk: &["<b>", " ", "\n", "\0", "\u{7f}"],
        },
        Row {
            shape: "PermissionSetDescription",
            operation: "CreatePermissionSet",
            body: |v| json!({"Name": "Admins", "InstanceArn": INSTANCE, "Description": v}),
            path: "description",
            valid: "Full access",
            // Letters, marks, spaces, symbols, numbers and punctuation are allowed: controls
            // are not.
            junk: &["\n", "\t", "\0", "\u{7f}"],
        },
        Row {
            shape: "RelayState",
            operation: "CreatePermissionSet",
            body: |v| json!({"Name": "Admins", "InstanceArn": INSTANCE, "RelayState": v}),
            path: "relayState",
            valid: "https://console.aws.amazon.com/ec2/",
            junk: JUNK,
        },
        Row {
            shape: "TagKey",
            operation: "CreatePermissionSet",
            body: |v| {
                json!({"Name": "Admins", "InstanceArn": INSTANCE,
                    "Tags": [{"Key": v, "Value": "platform"}]})
            },
            path: "tags.1.member.key",
            valid: "team",
            junk: JUNK,
        },
        Row {
            shape: "TagValue",
            operation: "CreatePermissionSet",
            body: |v| {
                json!({"Name": "Admins", "InstanceArn": INSTANCE,
                    "Tags": [{"Key": "team", "Value": v}]})
            },
            path: "tags.1.member.value",
            valid: "platform",
            junk: JUNK,
        },
        Row {
            shape: "InstanceArn",
            operation: "AttachManagedPolicyToPermissionSet",
            body: |v| {
                json!({"InstanceArn": v, "PermissionSetArn": PERMISSION_SET,
                    "ManagedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
            },
            path: "instanceArn",
            valid: INSTANCE,
            junk: JUNK,
        },
        Row {
            shape: "PermissionSetArn",
            operation: "AttachManagedPolicyToPermissionSet",
            body: |v| {
                json!({"InstanceArn": INSTANCE, "PermissionSetArn": v,
                    "ManagedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
            },
            path: "permissionSetArn",
            valid: PERMISSION_SET,
            junk: JUNK,
        },
        Row {
            shape: "GeneralArn",
            operation: "ListTagsForResource",
            body: |v| json!({"InstanceArn": INSTANCE, "ResourceArn": v}),
            path: "resourceArn",
            valid: PERMISSION_SET,
            junk: JUNK,
        },
        Row {
            shape: "PermissionSetPolicyDocument",
            operation: "PutInlinePolicyToPermissionSet",
            body: |v| {
                json!({"InstanceArn": INSTANCE, "PermissionSetArn": PERMISSION_SET,
                    "InlinePolicy": v})
            },
            path: "inlinePolicy",
            valid: "{\"Version\":\"2012-10-17\"}",
            // Tab, line breaks and U+0020 to U+00FF are allowed.
            junk: &["\0", "\u{1}", "€", "😀"],
        },
        Row {
            shape: "Token",
            operation: "ListAccountAssignmentCreationStatus",
            body: |v| json!({"InstanceArn": INSTANCE, "NextToken": v}),
            path: "nextToken",
            valid: "eyJwYWdlIjoyfQ==",
            junk: JUNK,
        },
        Row {
            shape: "UUId",
            operation: "DescribeAccountAssignmentCreationStatus",
            body: |v| json!({"InstanceArn": INSTANCE, "AccountAssignmentCreationRequestId": v}),
            path: "accountAssignmentCreationRequestId",
            valid: "8c2b1c5e-6f1a-4d3e-9b7a-2c4d6e8f0a1b",
            junk: JUNK,
        },
    ]
}

/// Patterns on shapes only outputs use: no request carries them, so no server checks them.
const OUTPUT_ONLY: &[&str] = &["Id", "Reason"];

/// A stub of every operation whose handlers answer [`REACHED`].
struct Register(Option<ServiceBuilder<()>>);

impl ValidatedOperationVisitor for Register {
    fn visit<O: ValidatedOperation>(&mut self) {
        let builder = self.0.take().expect("a builder");
        self.0 = Some(builder.operation::<O, _, _>(|_, _, _| async {
            Err(O::Error::unhandled(
                UnhandledError::new("Reached", None).with_http_status(REACHED),
            ))
        }));
    }
}

fn service() -> AwsJsonService {
    let mut register = Register(Some(ServiceBuilder::new(
        &<SsoAdmin as ServiceShape>::METADATA,
        Arc::new(()),
    )));
    SsoAdmin::visit_validated_operations(&mut register);
    register
        .0
        .expect("a builder")
        .build_exhaustive::<SsoAdmin>()
        .expect("every operation is registered")
}

/// The status and body the stub answers `body` with.
async fn call(service: &AwsJsonService, operation: &str, body: &Value) -> (u16, Value) {
    let request = Request::post("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", format!("SWBExternalService.{operation}"))
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a request");
    let response = service.handle(request).await;
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// `valid` with `junk` before, after, and inside (after its first half of characters).
fn spoiled(valid: &str, junk: &str) -> [String; 3] {
    let middle = valid
        .char_indices()
        .nth(valid.chars().count() / 2)
        .map_or(valid.len(), |(index, _)| index);
    [
        format!("{junk}{valid}"),
        format!("{valid}{junk}"),
        format!("{}{junk}{}", &valid[..middle], &valid[middle..]),
    ]
}

#[tokio::test]
async fn junk_before_after_or_inside_a_valid_value_is_refused() {
    let service = service();
    let mut failures = Vec::new();
    for row in rows() {
        let (status, body) = call(&service, row.operation, &(row.body)(row.valid)).await;
        if status != REACHED {
            failures.push(format!("{}: {:?} is refused: {body}", row.shape, row.valid));
            continue;
        }
        for junk in row.junk {
            for value in spoiled(row.valid, junk) {
                let (status, body) = call(&service, row.operation, &(row.body)(&value)).await;
                let message = body["message"].as_str().unwrap_or_default();
                let names_pattern = message.contains(&format!("at '{}' failed to satisfy constraint: Member must satisfy regular expression pattern: ", row.path))
                    || message.contains(&format!("Value at '{}' failed to satisfy constraint: Member must satisfy regular expression pattern: ", row.path));
                if status != 400 || body["__type"] != "ValidationException" || !names_pattern {
                    failures.push(format!("{}: {value:?} answered {status} {body}", row.shape));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_pattern_of_the_model_has_a_row() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/sso-admin.json");
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the model")).expect("JSON");
    let shapes = model["shapes"].as_object().expect("shapes");
    let name = |id: &str| id.rsplit('#').next().unwrap_or(id).to_owned();
    let with_pattern: BTreeSet<String> = shapes
        .iter()
        .filter(|(_, shape)| shape["traits"]["smithy.api#pattern"].is_string())
        .map(|(id, _)| name(id))
        .collect();
    // No member overrides a pattern: the shapes are the whole story.
    for (id, shape) in shapes {
        for (member, definition) in shape["members"].as_object().into_iter().flatten() {
            assert!(
                definition["traits"]["smithy.api#pattern"].is_null(),
                "{id}${member} has its own pattern"
            );
        }
        if let Some(pattern) = shape["traits"]["smithy.api#pattern"].as_str() {
            assert!(
                pattern.starts_with('^') && pattern.ends_with('$'),
                "{id}: `{pattern}` is not anchored"
            );
        }
    }
    let covered: BTreeSet<String> = rows()
        .iter()
        .map(|row| row.shape.to_owned())
        .chain(OUTPUT_ONLY.iter().map(|s| (*s).to_owned()))
        .collect();
    assert_eq!(covered, with_pattern);
    // The output-only shapes are indeed out of every input's reach.
    let mut stack: Vec<String> = shapes
        .values()
        .filter(|shape| shape["type"] == "operation")
        .filter_map(|shape| shape["input"]["target"].as_str().map(str::to_owned))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = shapes.get(&id) else {
            continue; // a prelude shape (smithy.api#String)
        };
        for member in shape["members"].as_object().into_iter().flatten() {
            stack.extend(member.1["target"].as_str().map(str::to_owned));
        }
        stack.extend(shape["member"]["target"].as_str().map(str::to_owned));
        stack.extend(shape["value"]["target"].as_str().map(str::to_owned));
    }
    for output_only in OUTPUT_ONLY {
        assert!(
            !seen.iter().any(|id| name(id) == *output_only),
            "{output_only} is reachable from an input: give it a row"
        );
    }
}
