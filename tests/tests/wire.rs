//! How the generated types meet JSON from outside: unknown members, missing or mistyped
//! members, unknown enum values, errors, redaction and builders.

use aws_json_runtime::{json, ModeledError, OperationError};
use serde_json::json;
use sso_admin::operation::create_permission_set::{
    CreatePermissionSetError, CreatePermissionSetInput,
};
use sso_admin::operation::get_inline_policy_for_permission_set::GetInlinePolicyForPermissionSetOutput;
use sso_admin::operation::list_instances::ListInstancesOutput;
use sso_admin::operation::put_inline_policy_to_permission_set::PutInlinePolicyToPermissionSetInput;
use sso_admin::types::error::{ConflictException, ThrottlingException};
use sso_admin::types::{PrincipalType, StatusValues, Tag};

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-72230d5f9e3b1a4c";

#[test]
fn unknown_members_from_a_newer_api_are_ignored() {
    let body = json!({
        "Name": "Admins",
        "InstanceArn": INSTANCE,
        "PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
        "Tags": [{"Key": "team", "Value": "platform", "Color": "blue"}]
    });
    let input: CreatePermissionSetInput = json::from_slice(body.to_string().as_bytes()).unwrap();
    assert_eq!(input.name, "Admins");
    assert_eq!(
        input.tags.unwrap(),
        vec![Tag::builder().key("team").value("platform").build()]
    );
}

#[test]
fn a_missing_required_member_is_an_error_naming_it() {
    let error = json::from_slice::<CreatePermissionSetInput>(br#"{"Name": "Admins"}"#).unwrap_err();
    assert!(
        error.to_string().contains("missing field `InstanceArn`"),
        "{error}"
    );
}

#[test]
fn a_wrong_type_is_an_error_naming_the_member_path() {
    let body = json!({"Name": "Admins", "InstanceArn": INSTANCE, "Tags": [{"Key": 7}]});
    let error =
        json::from_slice::<CreatePermissionSetInput>(body.to_string().as_bytes()).unwrap_err();
    assert_eq!(error.path(), "Tags[0].Key");
    assert!(
        error
            .to_string()
            .starts_with("at `Tags[0].Key`: invalid type: integer `7`"),
        "{error}"
    );
    assert!(!error.is_syntax());
}

#[test]
fn null_optional_members_read_as_absent() {
    let output: ListInstancesOutput =
        json::from_slice(br#"{"Instances": null, "NextToken": null}"#).unwrap();
    assert_eq!(output, ListInstancesOutput::builder().build());
    assert_eq!(serde_json::to_value(&output).unwrap(), json!({}));
}

#[test]
fn unknown_enum_values_are_kept_and_round_trip() {
    let status: StatusValues = serde_json::from_value(json!("PAUSED")).unwrap();
    assert_eq!(status.as_str(), "PAUSED");
    assert!(matches!(status, StatusValues::Unknown(_)));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("PAUSED"));
    assert_eq!(StatusValues::from("FAILED"), StatusValues::Failed);
    assert_eq!(PrincipalType::values(), ["USER", "GROUP"]);
}

#[test]
fn builders_name_the_missing_required_member() {
    let error = CreatePermissionSetInput::builder()
        .name("Admins")
        .build()
        .unwrap_err();
    assert_eq!(error.member(), "InstanceArn");
    assert_eq!(
        error.to_string(),
        "cannot build `CreatePermissionSetInput`: required member `InstanceArn` is not set"
    );
    let input = CreatePermissionSetInput::builder()
        .name("Admins")
        .instance_arn(INSTANCE)
        .tags(Tag::builder().key("a").value("1").build())
        .tags(Tag::builder().key("b").value("2").build())
        .build()
        .unwrap();
    assert_eq!(input.tags.as_ref().map(Vec::len), Some(2));
}

#[test]
fn sensitive_members_are_redacted_in_debug_output() {
    let policy = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let input = PutInlinePolicyToPermissionSetInput::builder()
        .instance_arn(INSTANCE)
        .permission_set_arn(
            "arn:aws:sso:::permissionSet/ssoins-72230d5f9e3b1a4c/ps-8a0f1c2d3e4b5a69",
        )
        .inline_policy(policy)
        .build()
        .unwrap();
    let debug = format!("{input:?}");
    assert!(!debug.contains("2012-10-17"), "{debug}");
    assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
    let output = GetInlinePolicyForPermissionSetOutput::builder()
        .inline_policy(policy)
        .build();
    assert!(!format!("{output:?}").contains("Statement"));
}

#[test]
fn operation_errors_parse_modeled_codes_and_keep_unmodeled_ones() {
    let conflict = CreatePermissionSetError::from_code(
        "ConflictException",
        br#"{"message": "already exists"}"#,
    )
    .unwrap();
    assert!(matches!(
        conflict,
        CreatePermissionSetError::ConflictException(_)
    ));
    assert_eq!(conflict.code(), "ConflictException");
    assert_eq!(conflict.message(), Some("already exists"));
    assert_eq!(conflict.http_status(), 409);
    assert_eq!(conflict.to_string(), "ConflictException: already exists");

    let throttled =
        CreatePermissionSetError::from_code("ThrottlingException", br#"{"Message": "slow down"}"#)
            .unwrap();
    assert!(throttled.is_throttling() && throttled.is_retryable());
    assert_eq!(throttled.http_status(), 429);

    let unknown =
        CreatePermissionSetError::from_code("KmsKeyDisabledException", br#"{"Message": "no"}"#)
            .unwrap();
    let CreatePermissionSetError::Unhandled(unhandled) = &unknown else {
        panic!("{unknown:?}")
    };
    assert_eq!(
        (unhandled.code(), unhandled.message()),
        ("KmsKeyDisabledException", Some("no"))
    );

    assert!(
        CreatePermissionSetError::from_code("ConflictException", br#"{"Message": 5}"#).is_err()
    );
}

#[test]
fn modeled_errors_describe_their_wire_form() {
    assert_eq!(
        <ConflictException as ModeledError>::CODE,
        "ConflictException"
    );
    assert_eq!(<ThrottlingException as ModeledError>::HTTP_STATUS, 429);
    let error: ConflictException = serde_json::from_value(json!({"Message": "busy"})).unwrap();
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        json!({"Message": "busy"})
    );
    let std_error: &dyn std::error::Error = &error;
    assert_eq!(std_error.to_string(), "ConflictException: busy");
}
