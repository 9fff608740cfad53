//! The naming rule (`codegen/src/naming.rs`) on small inline models: keywords, acronyms,
//! members that collide after case conversion, shapes that differ only by case, builder-name
//! collisions, operations named like builder or client methods. Every case generates, and the
//! names do not depend on the order of the model.

use codegen::ir::{self, ShapeKind};
use codegen::EmitOptions;
use serde_json::{json, Map, Value};

/// A service with one operation `Get` whose input has `members` and whose output is empty, plus
/// `shapes` and `operations` (names in the `com.example` namespace).
fn model(members: Value, shapes: Value, operations: &[&str]) -> Value {
    let mut all = Map::new();
    let mut operation_refs = vec![json!({"target": "com.example#Get"})];
    all.insert(
        "com.example#Get".into(),
        json!({
            "type": "operation",
            "input": {"target": "com.example#GetInput"},
            "output": {"target": "com.example#GetOutput"}
        }),
    );
    for name in operations {
        operation_refs.push(json!({"target": format!("com.example#{name}")}));
        all.insert(format!("com.example#{name}"), json!({"type": "operation"}));
    }
    all.insert(
        "com.example#Svc".into(),
        json!({
            "type": "service",
            "version": "1",
            "operations": operation_refs,
            "traits": {"aws.protocols#awsJson1_1": {}}
        }),
    );
    all.insert(
        "com.example#GetInput".into(),
        json!({"type": "structure", "members": members}),
    );
    all.insert(
        "com.example#GetOutput".into(),
        json!({"type": "structure", "members": {}}),
    );
    for (name, shape) in shapes.as_object().cloned().unwrap_or_default() {
        all.insert(format!("com.example#{name}"), shape);
    }
    json!({"smithy": "2.0", "shapes": all})
}

fn string() -> Value {
    json!({"target": "smithy.api#String"})
}

fn target(name: &str) -> Value {
    json!({"target": format!("com.example#{name}")})
}

/// Lowers the model and also generates it (so the emitted tokens parse and format).
fn lower(model: &Value) -> ir::Service {
    let source = model.to_string();
    let service = codegen::lower_model(&source).unwrap_or_else(|e| panic!("lowers: {e}"));
    codegen::generate(
        &source,
        &EmitOptions {
            runtime_path: "../runtime".into(),
        },
    )
    .unwrap_or_else(|e| panic!("generates: {e}"));
    service
}

/// The same model with every object's keys in reverse order.
fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().rev().map(reversed).collect()),
        other => other.clone(),
    }
}

fn fields(service: &ir::Service, shape: &str) -> Vec<(String, String)> {
    let ShapeKind::Structure(structure) = &service.shape(&format!("com.example#{shape}")).kind
    else {
        panic!("{shape} is a structure");
    };
    let mut fields: Vec<(String, String)> = structure
        .members
        .iter()
        .map(|m| (m.name.clone(), m.field.clone()))
        .collect();
    fields.sort();
    fields
}

fn type_name(service: &ir::Service, shape: &str) -> String {
    service.shape(&format!("com.example#{shape}")).name.clone()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn keywords_become_raw_identifiers_or_get_an_underscore() {
    let model = model(
        json!({"Type": string(), "Self": string(), "Async": string(), "crate": string()}),
        json!({}),
        &[],
    );
    let service = lower(&model);
    assert_eq!(
        fields(&service, "GetInput"),
        pairs(&[
            ("Async", "r#async"),
            ("Self", "self_"),
            ("Type", "r#type"),
            ("crate", "crate_")
        ])
    );
}

#[test]
fn acronyms_are_words() {
    let model = model(
        json!({"DBInstanceARN": target("DBInstanceARN"), "SSEKMSKeyId": string()}),
        json!({"DBInstanceARN": {"type": "structure", "members": {"ARN": string()}}}),
        &[],
    );
    let service = lower(&model);
    assert_eq!(type_name(&service, "DBInstanceARN"), "DbInstanceArn");
    assert_eq!(
        fields(&service, "GetInput"),
        pairs(&[
            ("DBInstanceARN", "db_instance_arn"),
            ("SSEKMSKeyId", "ssekms_key_id")
        ])
    );
    assert_eq!(fields(&service, "DBInstanceARN"), pairs(&[("ARN", "arn")]));
}

#[test]
fn members_that_collide_after_case_conversion_get_numeric_suffixes() {
    let model = model(
        json!({"FooBar": string(), "fooBar": string(), "FOO_BAR": string(), "foo_bar_2": string()}),
        json!({}),
        &[],
    );
    // None of the twins is its Rust name already, so they go in byte order; `foo_bar_2` is
    // itself a member, so the suffixes skip it.
    let expected = pairs(&[
        ("FOO_BAR", "foo_bar"),
        ("FooBar", "foo_bar_3"),
        ("fooBar", "foo_bar_4"),
        ("foo_bar_2", "foo_bar_2"),
    ]);
    assert_eq!(fields(&lower(&model), "GetInput"), expected);
    assert_eq!(fields(&lower(&reversed(&model)), "GetInput"), expected);
}

#[test]
fn a_member_named_like_its_rust_field_keeps_it() {
    let model = model(json!({"Name": string(), "name": string()}), json!({}), &[]);
    let service = lower(&model);
    assert_eq!(
        fields(&service, "GetInput"),
        pairs(&[("Name", "name_2"), ("name", "name")])
    );
    assert_eq!(
        fields(&lower(&reversed(&model)), "GetInput"),
        fields(&service, "GetInput")
    );
}

#[test]
fn shapes_that_differ_only_by_case_get_numeric_suffixes() {
    let model = model(
        json!({"A": target("ItemDetail"), "B": target("ITEMDetail"), "C": target("ItemDETAIL")}),
        json!({
            "ItemDetail": {"type": "structure", "members": {}},
            "ITEMDetail": {"type": "structure", "members": {}},
            "ItemDETAIL": {"type": "structure", "members": {}}
        }),
        &[],
    );
    for model in [model.clone(), reversed(&model)] {
        let service = lower(&model);
        assert_eq!(type_name(&service, "ItemDetail"), "ItemDetail");
        assert_eq!(type_name(&service, "ITEMDetail"), "ItemDetail2");
        assert_eq!(type_name(&service, "ItemDETAIL"), "ItemDetail3");
    }
}

#[test]
fn builders_live_in_their_own_module_so_image_and_image_builder_coexist() {
    let model = model(
        json!({"Image": target("Image"), "Builder": target("ImageBuilder")}),
        json!({
            "Image": {"type": "structure", "members": {"Name": string()}},
            "ImageBuilder": {"type": "structure", "members": {"Name": string()}}
        }),
        &[],
    );
    let service = lower(&model);
    assert_eq!(type_name(&service, "Image"), "Image");
    assert_eq!(type_name(&service, "ImageBuilder"), "ImageBuilder");
    let files = codegen::generate(
        &model.to_string(),
        &EmitOptions {
            runtime_path: "../runtime".into(),
        },
    )
    .unwrap();
    let types = files
        .iter()
        .find(|file| file.path == "src/types/mod.rs")
        .unwrap();
    assert!(types.contents.contains("pub struct ImageBuilder {"));
    assert!(types.contents.contains("pub mod builders {"));
    assert!(types.contents.contains("pub struct ImageBuilderBuilder {"));
    assert!(types
        .contents
        .contains("pub fn builder() -> builders::ImageBuilder {"));
}

#[test]
fn members_named_like_builder_methods_get_a_value_suffix() {
    let model = model(
        json!({
            "Build": string(),
            "Send": string(),
            "Customize": string(),
            "Name": string(),
            "SetName": string(),
            "GetName": string()
        }),
        json!({}),
        &[],
    );
    let service = lower(&model);
    assert_eq!(
        fields(&service, "GetInput"),
        pairs(&[
            ("Build", "build_value"),
            ("Customize", "customize_value"),
            ("GetName", "get_name_value"),
            ("Name", "name"),
            ("Send", "send_value"),
            ("SetName", "set_name_value"),
        ])
    );
}

#[test]
fn operations_named_like_client_methods_get_an_operation_suffix() {
    let model = model(json!({}), json!({}), &["Config", "New", "Build", "Send"]);
    let service = lower(&model);
    let modules: Vec<(&str, &str)> = service
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.module.as_str()))
        .collect();
    assert_eq!(
        modules,
        [
            ("Build", "build_operation"),
            ("Config", "config_operation"),
            ("Get", "get"),
            ("New", "new_operation"),
            ("Send", "send_operation"),
        ]
    );
}

#[test]
fn operations_that_differ_only_by_case_are_told_apart() {
    let model = model(json!({}), json!({}), &["GetFoo", "GETFoo"]);
    for model in [model.clone(), reversed(&model)] {
        let service = lower(&model);
        let names: Vec<(&str, &str, &str)> = service
            .operations
            .iter()
            .map(|o| (o.name.as_str(), o.marker.as_str(), o.module.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("GETFoo", "GetFoo2", "get_foo_2"),
                ("Get", "Get", "get"),
                ("GetFoo", "GetFoo", "get_foo"),
            ]
        );
    }
}

#[test]
fn enum_values_and_union_members_that_collide_get_suffixes() {
    let model = model(
        json!({"Mode": target("Mode"), "Choice": target("Choice")}),
        json!({
            "Mode": {"type": "enum", "members": {
                "A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "foo-bar"}},
                "B": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "FOO_BAR"}},
                "C": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "FooBar"}}
            }},
            "Choice": {"type": "union", "members": {"fooBar": string(), "FooBar": string()}}
        }),
        &[],
    );
    for model in [model.clone(), reversed(&model)] {
        let service = lower(&model);
        let ShapeKind::Enum(variants) = &service.shape("com.example#Mode").kind else {
            panic!("an enum");
        };
        let mut names: Vec<(&str, &str)> = variants
            .iter()
            .map(|v| (v.value.as_str(), v.name.as_str()))
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("FOO_BAR", "FooBar2"),
                ("FooBar", "FooBar"),
                ("foo-bar", "FooBar3")
            ]
        );
        let ShapeKind::Union(members) = &service.shape("com.example#Choice").kind else {
            panic!("a union");
        };
        let mut variants: Vec<(&str, &str)> = members
            .iter()
            .map(|m| (m.name.as_str(), m.variant.as_str()))
            .collect();
        variants.sort();
        assert_eq!(variants, [("FooBar", "FooBar"), ("fooBar", "FooBar2")]);
    }
}

#[test]
fn getters_setters_and_error_tests_are_named_by_the_rule_and_never_shadow_builder() {
    let model = model(
        json!({"Builder": string(), "InstanceArn": string()}),
        json!({}),
        &[],
    );
    let service = lower(&model);
    let ShapeKind::Structure(input) = &service.shape("com.example#GetInput").kind else {
        panic!("GetInput is a structure");
    };
    let names: Vec<(&str, &str, &str)> = input
        .members
        .iter()
        .map(|m| (m.field.as_str(), m.setter.as_str(), m.getter.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("builder_value", "set_builder_value", "get_builder_value"),
            ("instance_arn", "set_instance_arn", "get_instance_arn"),
        ]
    );
    let files = codegen::generate(
        &model.to_string(),
        &EmitOptions {
            runtime_path: "../runtime".into(),
        },
    )
    .expect("generates");
    let get = files
        .iter()
        .find(|file| file.path == "src/operation/get.rs")
        .expect("the operation module");
    // The structure's getter keeps the field's name, beside the builder constructor.
    assert!(get
        .contents
        .contains("pub fn builder_value(&self) -> ::std::option::Option<&str>"));
    assert!(get
        .contents
        .contains("pub fn builder() -> builders::GetInputBuilder"));
}

#[test]
fn error_cases_get_is_methods_from_their_type_names() {
    let mut model = model(json!({}), json!({}), &[]);
    model["shapes"]["com.example#Get"]["errors"] =
        json!([{"target": "com.example#ConflictException"}]);
    model["shapes"]["com.example#ConflictException"] = json!({
        "type": "structure",
        "members": {"message": string()},
        "traits": {"smithy.api#error": "client"}
    });
    let service = lower(&model);
    let case = &service.operations[0].errors[0];
    assert_eq!(case.variant, "ConflictException");
    assert_eq!(case.is_method, "is_conflict_exception");
}

/// `model` with the service's SDK id set to `sdk_id`.
fn with_sdk_id(sdk_id: &str) -> Value {
    let mut model = model(json!({}), json!({}), &[]);
    model["shapes"]["com.example#Svc"]["traits"]["aws.api#service"] = json!({"sdkId": sdk_id});
    model
}

#[test]
fn library_names_and_service_names_are_checked() {
    // A name that works: every derived name is an identifier meeting nothing.
    let service = lower(&with_sdk_id("Print Shop"));
    assert_eq!(
        (
            service.library_name.as_str(),
            service.marker.as_str(),
            service.service_trait.as_str()
        ),
        ("print_shop", "PrintShop", "PrintShopService")
    );
    for (sdk_id, expected) in [
        // `3d_printer` is not an identifier (the crate name `3d-printer` is a fine package).
        ("3D Printer", "library name `3d_printer`"),
        // `::serde::Serialize` in the generated code would mean this crate.
        ("Serde", "library name `serde`"),
        ("Proptest", "library name `proptest`"),
        // The service marker beside `pub use client::Client` at the crate root.
        (
            "Client",
            "`Client` is already taken by `(every crate root)`",
        ),
        // The service trait beside `pub use ::aws_json_server::AwsJsonService` in `server`.
        (
            "Aws Json",
            "`AwsJsonService` is already taken by `(every server module)`",
        ),
    ] {
        let error = codegen::lower_model(&with_sdk_id(sdk_id).to_string())
            .err()
            .unwrap_or_else(|| panic!("{sdk_id}: lowered without an error"))
            .to_string();
        assert!(error.contains(expected), "{sdk_id}: {error}");
    }
}

#[test]
fn identifiers_are_told_from_other_names() {
    use codegen::naming::is_identifier;
    for good in ["sso_admin", "_x", "r#type", "Self_", "a1"] {
        assert!(is_identifier(good), "{good}");
    }
    for bad in ["", "_", "3d", "a-b", "type", "r#self", "r#foo", "é"] {
        assert!(!is_identifier(bad), "{bad}");
    }
}
