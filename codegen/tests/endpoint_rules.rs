//! Endpoint rule sets through the pipeline: the Smithy trait and botocore's
//! `endpoint-rule-set-1.json` both reach the IR with their parameters named, the generated
//! crate gets `config::endpoint` and the rule set as data, and a bad rule set fails generation
//! naming the service.

use codegen::ir::{EndpointDefault, EndpointParameterType};
use codegen::{CodegenError, EmitOptions};
use serde_json::{json, Value};

fn rule_set() -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {"type": "string", "builtIn": "AWS::Region", "documentation": "The region."},
            "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            "Tiers": {"type": "stringArray", "default": ["a"]}
        },
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
             "endpoint": {"url": "https://svc.{Region}.example"}, "type": "endpoint"},
            {"conditions": [], "error": "Missing Region", "type": "error"}
        ]
    })
}

fn botocore_model() -> String {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01", "endpointPrefix": "svc", "jsonVersion": "1.1",
            "protocol": "json", "serviceId": "Svc", "signatureVersion": "v4",
            "targetPrefix": "Svc_20240101"
        },
        "operations": {"Get": {"name": "Get", "http": {"method": "POST", "requestUri": "/"}}},
        "shapes": {}
    })
    .to_string()
}

fn smithy_model(rules: Value) -> String {
    json!({
        "smithy": "2.0",
        "shapes": {
            "com.example#Svc": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": "com.example#Get"}],
                "traits": {
                    "aws.api#service": {"sdkId": "Svc"},
                    "aws.auth#sigv4": {"name": "svc"},
                    "aws.protocols#awsJson1_1": {},
                    "smithy.rules#endpointRuleSet": rules
                }
            },
            "com.example#Get": {"type": "operation"}
        }
    })
    .to_string()
}

#[test]
fn both_formats_carry_the_rule_set_into_the_ir() {
    let rules = rule_set().to_string();
    let from_botocore = codegen::lower_model_file_with_rules(&botocore_model(), None, Some(&rules))
        .expect("lowers")
        .value;
    let from_smithy = codegen::lower_model(&smithy_model(rule_set())).expect("lowers");
    for service in [&from_botocore, &from_smithy] {
        let lowered = service.endpoint_rules.as_ref().expect("a rule set");
        let names: Vec<(&str, &str, &str)> = lowered
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.field.as_str(), p.setter.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Region", "region", "set_region"),
                ("UseFIPS", "use_fips", "set_use_fips"),
                ("Tiers", "tiers", "set_tiers")
            ]
        );
        assert_eq!(
            lowered.parameters[1].default,
            Some(EndpointDefault::Boolean(false))
        );
        assert_eq!(lowered.parameters[2].ty, EndpointParameterType::StringArray);
        assert_eq!(lowered.parameters[0].docs.as_deref(), Some("The region."));
        let reparsed: Value = serde_json::from_str(lowered.json()).unwrap();
        assert_eq!(reparsed, rule_set());
    }
    let without = codegen::lower_model_file(&botocore_model(), None)
        .unwrap()
        .value;
    assert!(without.endpoint_rules.is_none());
}

#[test]
fn the_crate_gets_the_endpoint_module_only_with_a_rule_set() {
    let options = EmitOptions {
        runtime_path: "../runtime".to_owned(),
    };
    let files = codegen::generate(&smithy_model(rule_set()), &options).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for path in [
        "src/config.rs",
        "src/config/endpoint.rs",
        "src/config/endpoint_rule_set.json",
    ] {
        assert!(paths.contains(&path), "{path} in {paths:?}");
    }
    let service = files.iter().find(|f| f.path == "src/service.rs").unwrap();
    assert!(service.contents.contains(
        "endpoint_rules: ::std::option::Option::Some(&crate::config::endpoint::RULE_SET)"
    ));
    let plain = codegen::generate_model_file(&botocore_model(), None, &options)
        .unwrap()
        .value;
    assert!(plain.iter().all(|f| !f.path.starts_with("src/config")));
    let service = plain.iter().find(|f| f.path == "src/service.rs").unwrap();
    assert!(service
        .contents
        .contains("endpoint_rules: ::std::option::Option::None"));
}

#[test]
fn a_bad_rule_set_fails_generation_naming_the_service_and_the_rule() {
    let mut bad = rule_set();
    bad["rules"][0]["endpoint"]["url"] = json!("https://{Nowhere}");
    match codegen::lower_model(&smithy_model(bad)) {
        Err(CodegenError::Model(problems)) => {
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].shape, "com.example#Svc");
            let message = problems[0].to_string();
            assert!(
                message.contains("rule rules[0], url: `Nowhere`"),
                "{message}"
            );
        }
        other => panic!("expected a model problem, got {other:?}"),
    }
    let error =
        codegen::lower_model_file_with_rules(&botocore_model(), None, Some("{\"version\": 1}"));
    assert!(matches!(error, Err(CodegenError::Model(_))), "{error:?}");
    let not_json = codegen::lower_model_file_with_rules(&botocore_model(), None, Some("{"));
    assert!(not_json.is_err());
}

#[test]
fn operations_bind_static_and_member_context_params() {
    let mut model: Value = serde_json::from_str(&botocore_model()).unwrap();
    model["operations"]["Get"]["input"] = json!({"shape": "GetInput"});
    model["operations"]["Get"]["staticContextParams"] =
        json!({"OperationType": {"value": "control"}, "Flag": {"value": true}});
    model["shapes"] = json!({
        "GetInput": {"type": "structure", "members": {
            "StreamARN": {"shape": "Arn", "contextParam": {"name": "StreamARN"}},
            "Other": {"shape": "Arn"}
        }},
        "Arn": {"type": "string"}
    });
    let rules = rule_set().to_string();
    let service = codegen::lower_model_file_with_rules(&model.to_string(), None, Some(&rules))
        .expect("lowers")
        .value;
    use codegen::ir::EndpointContextParam as P;
    assert_eq!(
        service.operations[0].endpoint_context,
        [
            P::Static {
                param: "OperationType".into(),
                value: EndpointDefault::String("control".into())
            },
            P::Static {
                param: "Flag".into(),
                value: EndpointDefault::Boolean(true)
            },
            P::Member {
                param: "StreamARN".into(),
                member: "StreamARN".into()
            },
        ]
    );
    let options = EmitOptions {
        runtime_path: "../runtime".to_owned(),
    };
    let files =
        codegen::generate_model_file_with_rules(&model.to_string(), None, Some(&rules), &options)
            .unwrap()
            .value;
    let operation = files
        .iter()
        .find(|f| f.path == "src/operation/get.rs")
        .unwrap();
    assert!(
        operation.contents.contains("const ENDPOINT_CONTEXT"),
        "{}",
        operation.contents
    );
    // A malformed binding is an error naming the operation.
    model["operations"]["Get"]["staticContextParams"] = json!({"OperationType": {"value": 3}});
    let error =
        codegen::lower_model_file_with_rules(&model.to_string(), None, Some(&rules)).unwrap_err();
    assert!(error.to_string().contains("staticContextParams"), "{error}");
}
