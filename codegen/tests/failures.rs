//! Bad models: every problem is reported, naming the shape and what is wrong, and nothing panics.

use codegen::{CodegenError, ModelError};
use serde_json::{json, Value};

/// A minimal valid model; tests break one thing at a time.
fn model() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "com.example#Svc": {
                "type": "service",
                "version": "1",
                "operations": [{"target": "com.example#Get"}],
                "traits": {"aws.protocols#awsJson1_1": {}}
            },
            "com.example#Get": {
                "type": "operation",
                "input": {"target": "com.example#GetInput"},
                "output": {"target": "com.example#GetOutput"}
            },
            "com.example#GetInput": {
                "type": "structure",
                "members": {"Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}
            },
            "com.example#GetOutput": {"type": "structure", "members": {}}
        }
    })
}

fn problems(model: &Value) -> Vec<ModelError> {
    match codegen::lower_model(&model.to_string()) {
        Err(CodegenError::Model(problems)) => problems,
        other => panic!("expected model problems, got {other:?}"),
    }
}

fn assert_problem(model: &Value, shape: &str, problem: &str) {
    let problems = problems(model);
    assert!(
        problems
            .iter()
            .any(|p| p.shape == shape && p.problem.contains(problem)),
        "expected `{shape}: …{problem}…` among {problems:#?}"
    );
}

#[test]
fn the_base_model_is_valid() {
    codegen::lower_model(&model().to_string()).unwrap();
}

#[test]
fn a_dangling_target_names_the_member_and_the_target() {
    let mut model = model();
    model["shapes"]["com.example#GetInput"]["members"]["Name"]["target"] =
        json!("com.example#Missing");
    assert_problem(
        &model,
        "com.example#GetInput$Name",
        "targets `com.example#Missing`, which is not defined",
    );
}

#[test]
fn an_unknown_shape_type_is_named() {
    let mut model = model();
    model["shapes"]["com.example#Weird"] = json!({"type": "tensor"});
    assert_problem(&model, "com.example#Weird", "unknown shape type `tensor`");
}

#[test]
fn malformed_traits_name_the_trait_and_the_shape() {
    let cases = [
        (
            "smithy.api#length",
            json!({"min": "one"}),
            "malformed trait `smithy.api#length`: `min` must be non-negative integers",
        ),
        (
            "smithy.api#length",
            json!({"min": 5, "max": 1}),
            "`min` is greater than `max`",
        ),
        (
            "smithy.api#pattern",
            json!("([a-z"),
            "malformed trait `smithy.api#pattern`",
        ),
        (
            "smithy.api#required",
            json!(true),
            "malformed trait `smithy.api#required`: must be an empty object",
        ),
        (
            "smithy.api#range",
            json!({"min": 1}),
            "malformed trait `smithy.api#range`: it applies only to numbers",
        ),
    ];
    for (name, value, problem) in cases {
        let mut model = model();
        model["shapes"]["com.example#GetInput"]["members"]["Name"]["traits"][name] = value;
        assert_problem(&model, "com.example#GetInput$Name", problem);
    }
    let mut model = model();
    model["shapes"]["com.example#GetOutput"]["traits"] = json!({"smithy.api#httpError": 200});
    assert_problem(
        &model,
        "com.example#GetOutput",
        "malformed trait `smithy.api#httpError`: must be an HTTP status code from 400 to 599",
    );
}

#[test]
fn operations_must_reference_shapes_of_the_right_kind() {
    let mut model = model();
    model["shapes"]["com.example#Get"]["errors"] = json!([{"target": "com.example#GetOutput"}]);
    assert_problem(&model, "com.example#Get", "targets `com.example#GetOutput`, which is not a structure with the `smithy.api#error` trait");
}

#[test]
fn pagination_must_name_real_members() {
    let mut model = model();
    model["shapes"]["com.example#Get"]["traits"] =
        json!({"smithy.api#paginated": {"inputToken": "NextToken", "outputToken": "NextToken"}});
    assert_problem(
        &model,
        "com.example#Get",
        "`inputToken` names `NextToken`, which is not a member of the input",
    );
}

#[test]
fn only_the_aws_json_protocols_are_supported() {
    let mut model = model();
    model["shapes"]["com.example#Svc"]["traits"] = json!({"aws.protocols#restJson1": {}});
    assert_problem(
        &model,
        "com.example#Svc",
        "only the AWS JSON protocols are supported",
    );
}

#[test]
fn a_model_needs_exactly_one_service() {
    let mut model = model();
    model["shapes"]["com.example#Svc"]["type"] = json!("structure");
    model["shapes"]["com.example#Svc"]
        .as_object_mut()
        .unwrap()
        .retain(|key, _| key == "type");
    assert_problem(&model, "(model)", "the model defines no service shape");
}

#[test]
fn every_problem_of_a_stage_is_reported_at_once() {
    let mut model = model();
    model["shapes"]["com.example#GetInput"]["members"]["Name"]["target"] =
        json!("com.example#Missing");
    model["shapes"]["com.example#Get"]["output"]["target"] = json!("com.example#AlsoMissing");
    assert_eq!(problems(&model).len(), 2, "both dangling targets");
    let mut model = self::model();
    model["shapes"]["com.example#Weird"] = json!({"type": "tensor"});
    model["shapes"]["com.example#GetOutput"]["traits"] = json!({"smithy.api#documentation": 5});
    assert_eq!(problems(&model).len(), 2, "both load problems");
}

#[test]
fn invalid_json_and_wrong_documents_are_errors_not_panics() {
    assert!(matches!(
        codegen::lower_model("{not json"),
        Err(CodegenError::Json(_))
    ));
    for document in [
        json!([]),
        json!({"smithy": "2.0"}),
        json!({"smithy": "9.0", "shapes": {}}),
        json!({"smithy": "2.0", "shapes": {"NoNamespace": {"type": "string"}}}),
    ] {
        assert!(
            matches!(
                codegen::lower_model(&document.to_string()),
                Err(CodegenError::Model(_))
            ),
            "{document}"
        );
    }
}

#[test]
fn errors_display_one_line_per_problem() {
    let mut model = model();
    model["shapes"]["com.example#Weird"] = json!({"type": "tensor"});
    let error = codegen::lower_model(&model.to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the model has 1 problem(s):\n  - com.example#Weird: unknown shape type `tensor`"
    );
}

#[test]
fn waiters_must_match_output_members() {
    let mut model = model();
    model["shapes"]["com.example#Get"]["traits"] = json!({"smithy.waiters#waitable": {"Ready": {
        "acceptors": [{"state": "success", "matcher": {"output": {"path": "Status.State", "expected": "READY", "comparator": "stringEquals"}}}]
    }}});
    assert_problem(
        &model,
        "com.example#Get",
        "waiter `Ready` matches path `Status.State`, but `Status` is not a member of the output",
    );
    model["shapes"]["com.example#Get"]["traits"]["smithy.waiters#waitable"]["Ready"]["minDelay"] =
        json!(0);
    assert_problem(&model, "com.example#Get", "malformed trait `smithy.waiters#waitable`: waiter `Ready`: `minDelay` must be a positive integer");
}

#[test]
fn the_sso_admin_model_declares_a_waiter_per_asynchronous_operation() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../model/sso-admin.json"
    ))
    .unwrap();
    let service = codegen::lower_model(&source).unwrap();
    let waiters: Vec<(&str, &str)> = service
        .operations
        .iter()
        .flat_map(|op| {
            op.waiters
                .iter()
                .map(move |w| (op.name.as_str(), w.method.as_str()))
        })
        .collect();
    assert_eq!(
        waiters,
        [
            (
                "DescribeAccountAssignmentCreationStatus",
                "wait_until_account_assignment_created"
            ),
            (
                "DescribeAccountAssignmentDeletionStatus",
                "wait_until_account_assignment_deleted"
            ),
            (
                "DescribePermissionSetProvisioningStatus",
                "wait_until_permission_set_provisioned"
            ),
        ]
    );
}

#[test]
fn query_compatibility_traits_are_read_and_checked() {
    let mut model = model();
    let plain = codegen::lower_model(&model.to_string()).unwrap();
    assert_eq!(plain.query_compatible, None);
    model["shapes"]["com.example#Svc"]["traits"]["aws.protocols#awsQueryCompatible"] = json!({});
    model["shapes"]["com.example#Svc"]["errors"] = json!([{"target": "com.example#Busy"}]);
    model["shapes"]["com.example#Get"]["errors"] = json!([{"target": "com.example#Busy"}]);
    model["shapes"]["com.example#Busy"] = json!({
        "type": "structure",
        "members": {},
        "traits": {
            "smithy.api#error": "server",
            "aws.protocols#awsQueryError": {"code": "Service.Busy", "httpResponseCode": 503}
        }
    });
    let service = codegen::lower_model(&model.to_string()).unwrap();
    let codes = service.query_compatible.expect("query-compatible");
    assert_eq!(codes.get("Busy").map(String::as_str), Some("Service.Busy"));
    model["shapes"]["com.example#Busy"]["traits"]["aws.protocols#awsQueryError"] =
        json!({"httpResponseCode": 503});
    assert_problem(&model, "com.example#Busy", "needs a string `code`");
}

#[test]
fn request_compression_and_endpoint_traits_are_read_and_checked() {
    let mut model = model();
    let get = &mut model["shapes"]["com.example#Get"]["traits"];
    *get = json!({
        "smithy.api#requestCompression": {"encodings": ["gzip"]},
        "smithy.api#endpoint": {"hostPrefix": "{Name}.data."}
    });
    model["shapes"]["com.example#GetInput"]["members"]["Name"]["traits"]["smithy.api#hostLabel"] =
        json!({});
    let service = codegen::lower_model(&model.to_string()).unwrap();
    assert_eq!(service.operations[0].request_compression, ["gzip"]);
    assert_eq!(
        service.operations[0].host_prefix.as_deref(),
        Some("{Name}.data.")
    );
    model["shapes"]["com.example#GetInput"]["members"]["Name"]["traits"] =
        json!({"smithy.api#required": {}});
    assert_problem(
        &model,
        "com.example#Get",
        "names `Name`, which is not a `hostLabel` member",
    );
    model["shapes"]["com.example#Get"]["traits"]["smithy.api#endpoint"] = json!({});
    assert_problem(&model, "com.example#Get", "needs a string `hostPrefix`");
}
