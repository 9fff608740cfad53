//! Server-side input validation of the generated crate: every constraint of the model, each
//! pattern with values that must pass and values that must fail (ECMA-262 semantics: a pattern
//! matches anywhere in the value unless anchored, and the model anchors every pattern, as AWS's
//! own Smithy model does: AWS applies them to the whole value). `tests/patterns.rs` tries junk
//! around and inside a valid value for every pattern of the model.

use std::path::Path;

use aws_json_runtime::json;
use aws_json_runtime::validate::{
    validate, Validate, ValidatedOperation, ValidatedOperationVisitor, ValidatedShape,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use sso_admin::operation::create_account_assignment::CreateAccountAssignmentInput;
use sso_admin::operation::create_permission_set::CreatePermissionSetInput;
use sso_admin::operation::describe_account_assignment_creation_status::DescribeAccountAssignmentCreationStatusInput;
use sso_admin::operation::list_permission_sets::ListPermissionSetsInput;
use sso_admin::operation::put_inline_policy_to_permission_set::PutInlinePolicyToPermissionSetInput;
use sso_admin::operation::tag_resource::TagResourceInput;
use sso_admin::operation::untag_resource::UntagResourceInput;
use sso_admin::SsoAdmin;

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-72230d5f9e3b1a4c";
const PERMISSION_SET: &str =
    "arn:aws:sso:::permissionSet/ssoins-72230d5f9e3b1a4c/ps-8a0f1c2d3e4b5a69";

/// The violation messages for `body` read as `T`.
fn violations<T: DeserializeOwned + Validate>(body: Value) -> Vec<String> {
    let input: T =
        json::from_slice(body.to_string().as_bytes()).expect("the body has the input's shape");
    match validate(&input) {
        Ok(()) => Vec::new(),
        Err(violations) => violations
            .iter()
            .map(|v| format!("{}: {}", v.path, v.constraint))
            .collect(),
    }
}

/// Checks one member against values that must pass and values that must fail.
fn check_member<T: DeserializeOwned + Validate>(
    base: Value,
    member: &str,
    path: &str,
    pass: &[&str],
    fail: &[&str],
) {
    for value in pass {
        let mut body = base.clone();
        body[member] = json!(value);
        assert_eq!(
            violations::<T>(body),
            Vec::<String>::new(),
            "{member} = {value:?} must pass"
        );
    }
    for value in fail {
        let mut body = base.clone();
        body[member] = json!(value);
        let found = violations::<T>(body);
        assert!(
            found.iter().any(|v| v.starts_with(&format!("{path}: "))),
            "{member} = {value:?} must fail, got {found:?}"
        );
    }
}

fn create_permission_set() -> Value {
    json!({"Name": "Admins", "InstanceArn": INSTANCE})
}

fn create_account_assignment() -> Value {
    json!({
        "InstanceArn": INSTANCE, "TargetId": "402758613920", "TargetType": "AWS_ACCOUNT",
        "PermissionSetArn": PERMISSION_SET, "PrincipalType": "USER",
        "PrincipalId": "906744ee2d-1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718"
    })
}

#[derive(Default)]
struct ValidateEveryExample(Vec<String>);

impl ValidatedOperationVisitor for ValidateEveryExample {
    fn visit<O: ValidatedOperation>(&mut self) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("fixtures/examples/{}.request.json", O::NAME));
        let input: O::Input =
            json::from_slice(&std::fs::read(path).expect("fixture")).expect("fixture parses");
        if let Err(violations) = validate(&input) {
            self.0.push(format!("{}: {violations}", O::NAME));
        }
    }
}

#[test]
fn every_realistic_example_request_is_valid() {
    let mut visitor = ValidateEveryExample::default();
    SsoAdmin::visit_validated_operations(&mut visitor);
    assert!(visitor.0.is_empty(), "{:#?}", visitor.0);
}

#[test]
fn instance_and_permission_set_arns() {
    check_member::<CreatePermissionSetInput>(
        create_permission_set(),
        "InstanceArn",
        "instanceArn",
        &[INSTANCE, "arn:aws:sso:::instance/ins-abcdefghijklmnop"],
        &[
            "arn:aws:sso:::instance/ssoins-short",
            "arn:aws:iam::123456789012:role/Admin",
            "too-short",
        ],
    );
    check_member::<CreateAccountAssignmentInput>(
        create_account_assignment(),
        "PermissionSetArn",
        "permissionSetArn",
        &[PERMISSION_SET],
        &[
            "arn:aws:sso:::permissionSet/ssoins-72230d5f9e3b1a4c/ps-1",
            "arn:aws:sso:::instance/ssoins-72230d5f9e3b1a4c",
        ],
    );
}

#[test]
fn patterns_match_the_whole_value() {
    // `^\d{12}$`: twelve digits, nothing around them.
    check_member::<CreateAccountAssignmentInput>(
        create_account_assignment(),
        "TargetId",
        "targetId",
        &["402758613920"],
        &[
            "40275861392",
            "4027586139201",
            "account-402758613920",
            "<b>402758613920</b>",
        ],
    );
    // `^[\w+=,.@-]+$`: AWS refuses `bad name`.
    check_member::<CreatePermissionSetInput>(
        create_permission_set(),
        "Name",
        "name",
        &["Admins", "a.b@c"],
        &["bad name", "   ", "!!!", "line\nbreak", "nul\0"],
    );
    // `^[a-zA-Z0-9&$@#\\\/%?=~\-_'"|!:,.;*+\[\]\ \(\)\{\}]+$` (identity escapes: the Annex
    // B grammar).
    check_member::<CreatePermissionSetInput>(
        create_permission_set(),
        "RelayState",
        "relayState",
        &["https://console.aws.amazon.com/ec2/", "a b"],
        &["<>", "ü", "https://console.aws.amazon.com/<script>"],
    );
    // `^[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*$`: letters, marks, spaces, symbols, numbers and
    // punctuation, but no control characters.
    check_member::<CreatePermissionSetInput>(
        create_permission_set(),
        "Description",
        "description",
        &["Full access", "☃"],
        &["tab\there", "nul\0"],
    );
}

#[test]
fn anchored_patterns_with_lookahead_and_unicode_classes() {
    // `^(-?)P(?=\d|T\d)...$`: ISO-8601 durations, with a lookahead.
    check_member::<CreatePermissionSetInput>(
        create_permission_set(),
        "SessionDuration",
        "sessionDuration",
        &["PT4H", "PT1H30M", "P1D", "PT12H"],
        &["PT", "P", "4 hours", "PT4HX"],
    );
    // `^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-...$`: identity-store principal ids.
    check_member::<CreateAccountAssignmentInput>(
        create_account_assignment(),
        "PrincipalId",
        "principalId",
        &[
            "906744ee2d-1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718",
            "1F2E3D4C-5B6A-7980-A1B2-C3D4E5F60718",
        ],
        &[
            "not-a-principal",
            "906744ee2d-1f2e3d4c-5b6a-7980-a1b2-c3d4e5f6071",
        ],
    );
    // `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`: tag keys and values.
    let tag = |key: &str, value: &str| json!({"InstanceArn": INSTANCE, "ResourceArn": PERMISSION_SET, "Tags": [{"Key": key, "Value": value}]});
    assert!(violations::<TagResourceInput>(tag("Größe 1", "team: platform/ops")).is_empty());
    assert_eq!(violations::<TagResourceInput>(tag("tab\tkey", "ok"))[0], "tags.1.member.key: Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)");
    assert_eq!(
        violations::<TagResourceInput>(tag("ok", "smile 😀")).len(),
        1
    );
}

#[test]
fn request_ids_and_resource_arns() {
    let body = json!({"InstanceArn": INSTANCE, "AccountAssignmentCreationRequestId": "8c2b1c5e-6f1a-4d3e-9b7a-2c4d6e8f0a1b"});
    check_member::<DescribeAccountAssignmentCreationStatusInput>(
        body,
        "AccountAssignmentCreationRequestId",
        "accountAssignmentCreationRequestId",
        &["8c2b1c5e-6f1a-4d3e-9b7a-2c4d6e8f0a1b"],
        &["8C2B1C5E-6F1A-4D3E-9B7A-2C4D6E8F0A1B", "request-1"],
    );
    let body = json!({"InstanceArn": INSTANCE, "ResourceArn": PERMISSION_SET, "TagKeys": ["team"]});
    check_member::<UntagResourceInput>(
        body,
        "ResourceArn",
        "resourceArn",
        &[PERMISSION_SET],
        &["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    );
}

#[test]
fn sensitive_values_never_appear_in_messages() {
    let body = json!({"InstanceArn": INSTANCE, "PermissionSetArn": PERMISSION_SET, "InlinePolicy": "😀😀"});
    let input: PutInlinePolicyToPermissionSetInput =
        json::from_slice(body.to_string().as_bytes()).unwrap();
    let message = validate(&input).unwrap_err().to_string();
    assert_eq!(message, "1 validation error detected: Value at 'inlinePolicy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
    let valid = json!({"InstanceArn": INSTANCE, "PermissionSetArn": PERMISSION_SET, "InlinePolicy": "{\"Version\":\"2012-10-17\"}"});
    assert!(violations::<PutInlinePolicyToPermissionSetInput>(valid).is_empty());
}

#[test]
fn lengths_ranges_and_enum_values() {
    let mut body = create_permission_set();
    body["Name"] = json!("x".repeat(33));
    assert_eq!(
        violations::<CreatePermissionSetInput>(body),
        ["name: Member must have length less than or equal to 32"]
    );

    for (max_results, expected) in [
        (0, "greater than or equal to 1"),
        (101, "less than or equal to 100"),
    ] {
        let found = violations::<ListPermissionSetsInput>(
            json!({"InstanceArn": INSTANCE, "MaxResults": max_results}),
        );
        assert_eq!(
            found,
            [format!("maxResults: Member must have value {expected}")]
        );
    }

    let tags: Vec<Value> = (0..51)
        .map(|i| json!({"Key": format!("k{i}"), "Value": "v"}))
        .collect();
    let found = violations::<TagResourceInput>(
        json!({"InstanceArn": INSTANCE, "ResourceArn": PERMISSION_SET, "Tags": tags}),
    );
    assert_eq!(
        found,
        ["tags: Member must have length less than or equal to 50"]
    );
    let found = violations::<UntagResourceInput>(
        json!({"InstanceArn": INSTANCE, "ResourceArn": PERMISSION_SET, "TagKeys": []}),
    );
    assert_eq!(
        found,
        ["tagKeys: Member must have length greater than or equal to 1"]
    );

    let mut body = create_account_assignment();
    body["PrincipalType"] = json!("ROBOT");
    assert_eq!(
        violations::<CreateAccountAssignmentInput>(body),
        ["principalType: Member must satisfy enum value set: [USER, GROUP]"]
    );
}

#[test]
fn every_violation_is_reported_in_one_message() {
    let body = json!({"Name": "", "InstanceArn": "arn:x", "SessionDuration": "forever"});
    let input: CreatePermissionSetInput = json::from_slice(body.to_string().as_bytes()).unwrap();
    let message = validate(&input).unwrap_err().to_string();
    assert!(message.starts_with("5 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; "), "{message}");
}
