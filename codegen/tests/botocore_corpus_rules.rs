//! The rules that let every JSON-protocol service of botocore generate: Java-only patterns,
//! event streams, timestamp formats, paginators with path or non-string tokens, errors listed
//! twice.

use codegen::ir::{self, ShapeKind, TimestampFormat};
use codegen::validate::{anchor_pattern, ecma_pattern, non_capturing};
use codegen::{EmitOptions, ModelError};
use serde_json::{json, Value};

const NS: &str = "com.amazonaws.testsvc";

fn document() -> Value {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01",
            "endpointPrefix": "testsvc",
            "jsonVersion": "1.1",
            "protocol": "json",
            "serviceId": "Test Svc",
            "targetPrefix": "TestService"
        },
        "operations": {
            "Get": {
                "name": "Get",
                "input": {"shape": "GetRequest"},
                "output": {"shape": "GetResponse"},
                "errors": [{"shape": "Busy"}, {"shape": "Busy"}]
            }
        },
        "shapes": {
            "GetRequest": {"type": "structure", "members": {"Name": {"shape": "Name"}}},
            "GetResponse": {"type": "structure", "members": {}},
            "Name": {"type": "string"},
            "Busy": {"type": "structure", "members": {}, "exception": true}
        }
    })
}

fn generate(document: &Value, paginators: Option<&Value>) -> (ir::Service, Vec<ModelError>) {
    let source = document.to_string();
    let paginators = paginators.map(Value::to_string);
    let options = EmitOptions {
        runtime_path: "../runtime".into(),
    };
    codegen::generate_model_file(&source, paginators.as_deref(), &options)
        .unwrap_or_else(|e| panic!("generates: {e}"));
    let lowered = codegen::lower_model_file(&source, paginators.as_deref())
        .unwrap_or_else(|e| panic!("lowers: {e}"));
    (lowered.value, lowered.notes)
}

fn id(name: &str) -> String {
    format!("{NS}#{name}")
}

#[test]
fn leading_java_flag_groups_become_ecma_flags() {
    let dot_all = ecma_pattern("(?s).{0,120}").unwrap();
    assert_eq!(
        (dot_all.regex.as_str(), dot_all.flags.as_str()),
        (".{0,120}", "su")
    );
    let anchored = ecma_pattern("^(?i)(true|false)$").unwrap();
    assert_eq!(
        (anchored.regex.as_str(), anchored.flags.as_str()),
        ("^(?:true|false)$", "iu")
    );
    let plain = ecma_pattern("^[a-z]+$").unwrap();
    assert_eq!(
        (plain.regex.as_str(), plain.flags.as_str()),
        ("^[a-z]+$", "u")
    );
}

#[test]
fn capturing_groups_become_non_capturing_unless_referred_back_to() {
    let arn = "^arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$";
    assert_eq!(
        non_capturing(arn).as_deref(),
        Some("^arn:aws:sso:::instance/(?:sso)?ins-[a-zA-Z0-9-.]{16}$")
    );
    assert_eq!(
        ecma_pattern(arn).unwrap().regex,
        non_capturing(arn).unwrap()
    );
    // Other groups, escaped parentheses and parentheses in classes stay as they are.
    assert_eq!(non_capturing(r"^(?:a)(?=b)(?!c)(?<=d)\(e\)[(]$"), None);
    assert_eq!(
        non_capturing(r"^(a|b)[()](c(d)?)\($").as_deref(),
        Some(r"^(?:a|b)[()](?:c(?:d)?)\($")
    );
    // A backreference needs its group.
    assert_eq!(non_capturing(r"^(a)\1$"), None);
    assert_eq!(non_capturing(r"^(?<x>a)(b)\k<x>$"), None);
    assert_eq!(ecma_pattern(r"^(a)\1$").unwrap().regex, r"^(a)\1$");
}

#[test]
fn non_capturing_patterns_match_the_same_values() {
    let patterns = [
        "^arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$",
        "^(true|false)$",
        "^((\\d{1,3})\\.){3}\\d{1,3}$",
        "^([a-z]+(-[a-z]+)*)?(/[a-z]*)?$",
        "(ab|a)(bc|c)?$",
    ];
    let values = [
        "",
        "arn:aws:sso:::instance/ssoins-1234567890abcdef",
        "arn:aws:sso:::instance/ins-1234567890abcdef",
        "arn:aws:sso:::instance/sso-1234567890abcdef",
        "true",
        "truefalse",
        "10.0.0.1",
        "10.0.0.1000",
        "abc-def/gh",
        "abc-/gh",
        "xabc",
        "xab",
    ];
    for pattern in patterns {
        let rewritten = non_capturing(pattern).expect("the pattern has groups");
        let original = regress::Regex::with_flags(pattern, "u").unwrap();
        let rewritten = regress::Regex::with_flags(&rewritten, "u").unwrap();
        for value in values {
            assert_eq!(
                original.find(value).is_some(),
                rewritten.find(value).is_some(),
                "{pattern} on {value:?}"
            );
        }
    }
}

#[test]
fn patterns_that_are_not_ecma_262_are_documentation_with_a_note() {
    for java in [
        "[0-9A-Z]{2}+",
        "^(?![^:\\\\]*/action/|(?i).*<script>.*</script>.*)[^:\\\\]+$",
        "([\\p{L}]*)${1,128}",
    ] {
        assert!(ecma_pattern(java).is_err(), "{java}");
        let mut document = document();
        document["shapes"]["Name"]["pattern"] = json!(java);
        let (service, notes) = generate(&document, None);
        assert!(
            notes
                .iter()
                .any(|n| n.shape == id("Name") && n.problem.contains("not enforced")),
            "{notes:#?}"
        );
        let ShapeKind::Simple { constraints, .. } = &service.shape(&id("Name")).kind else {
            panic!("a string");
        };
        assert_eq!(
            constraints.pattern.as_deref(),
            Some(anchor_pattern(java).as_str()),
            "kept as documentation, anchored"
        );
    }
}

#[test]
fn operations_that_stream_are_skipped_with_a_note() {
    let mut document = document();
    document["operations"]["Subscribe"] = json!({
        "name": "Subscribe",
        "input": {"shape": "GetRequest"},
        "output": {"shape": "SubscribeResponse"}
    });
    document["shapes"]["SubscribeResponse"] = json!({
        "type": "structure",
        "members": {"Events": {"shape": "Events"}}
    });
    document["shapes"]["Events"] = json!({
        "type": "structure",
        "members": {"Update": {"shape": "Update"}},
        "eventstream": true
    });
    document["shapes"]["Update"] = json!({
        "type": "structure",
        "members": {"Body": {"shape": "Name", "eventpayload": true}},
        "event": true
    });
    let paginators = json!({"pagination": {}});
    let (service, notes) = generate(&document, Some(&paginators));
    let names: Vec<&str> = service.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Get"]);
    assert!(
        notes.iter().any(|n| n.shape == id("Subscribe")
            && n.problem.contains("skipped")
            && n.problem.contains("event stream")),
        "{notes:#?}"
    );
}

#[test]
fn timestamp_formats_reach_members_through_lists_and_maps() {
    let mut document = document();
    document["shapes"]["GetRequest"]["members"] = json!({
        "At": {"shape": "Time", "timestampFormat": "iso8601"},
        "Plain": {"shape": "Time"},
        "Iso": {"shape": "IsoTime"},
        "Many": {"shape": "Times"},
        "ByName": {"shape": "TimeMap"}
    });
    document["shapes"]["Time"] = json!({"type": "timestamp"});
    document["shapes"]["IsoTime"] = json!({"type": "timestamp", "timestampFormat": "iso8601"});
    document["shapes"]["Times"] = json!({"type": "list", "member": {"shape": "IsoTime"}});
    document["shapes"]["TimeMap"] = json!({
        "type": "map",
        "key": {"shape": "Name"},
        "value": {"shape": "Time", "timestampFormat": "rfc822"}
    });
    let (service, _) = generate(&document, None);
    let ShapeKind::Structure(input) = &service.shape(&id("GetRequest")).kind else {
        panic!("a structure");
    };
    let formats: Vec<(&str, Option<TimestampFormat>)> = input
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.timestamp_format))
        .collect();
    assert_eq!(
        formats,
        [
            ("At", Some(TimestampFormat::DateTime)),
            ("Plain", None),
            ("Iso", Some(TimestampFormat::DateTime)),
            ("Many", Some(TimestampFormat::DateTime)),
            ("ByName", Some(TimestampFormat::HttpDate)),
        ]
    );
    let files = codegen::generate_model_file(
        &document.to_string(),
        None,
        &EmitOptions {
            runtime_path: "../runtime".into(),
        },
    )
    .unwrap()
    .value;
    let get = files
        .iter()
        .find(|f| f.path == "src/operation/get.rs")
        .unwrap();
    assert!(get
        .contents
        .contains("with = \"::aws_json_runtime::timestamp::date_time\""));
    assert!(get
        .contents
        .contains("with = \"::aws_json_runtime::timestamp::http_date\""));
}

#[test]
fn paginators_with_path_tokens_are_not_modeled_with_a_note() {
    let mut document = document();
    document["shapes"]["GetRequest"]["members"]["NextToken"] = json!({"shape": "Name"});
    document["shapes"]["GetResponse"]["members"]["Page"] = json!({"shape": "Page"});
    document["shapes"]["Page"] =
        json!({"type": "structure", "members": {"Next": {"shape": "Name"}}});
    let paginators = json!({"pagination": {"Get": {
        "input_token": "NextToken",
        "output_token": "Page.Next",
        "result_key": "Page"
    }}});
    let (service, notes) = generate(&document, Some(&paginators));
    assert_eq!(service.operations[0].pagination, None);
    assert!(
        notes
            .iter()
            .any(|n| n.shape == id("Get") && n.problem.contains("`Page.Next` is a path")),
        "{notes:#?}"
    );
}

#[test]
fn an_error_listed_twice_is_declared_once() {
    let (service, _) = generate(&document(), None);
    let errors: Vec<&str> = service.operations[0]
        .errors
        .iter()
        .map(|case| case.shape.as_str())
        .collect();
    assert_eq!(errors, [id("Busy")]);
}

#[test]
fn paginators_whose_tokens_are_not_strings_are_not_modeled_with_a_note() {
    let mut document = document();
    document["shapes"]["GetRequest"]["members"]["StartKey"] = json!({"shape": "Key"});
    document["shapes"]["GetResponse"]["members"]["LastKey"] = json!({"shape": "Key"});
    document["shapes"]["Key"] =
        json!({"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}});
    let paginators = json!({"pagination": {"Get": {
        "input_token": "StartKey",
        "output_token": "LastKey"
    }}});
    let (service, notes) = generate(&document, Some(&paginators));
    assert_eq!(service.operations[0].pagination, None);
    assert!(
        notes
            .iter()
            .any(|n| n.shape == id("Get") && n.problem.contains("`StartKey` is not a string")),
        "{notes:#?}"
    );
}
