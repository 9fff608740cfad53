//! The engine on small rule sets: malformed ones are errors naming the part at fault, rules
//! that fail name the rule, templates, `assign`, `getAttr` paths, defaults and types.

use aws_json_endpoints::{EndpointParams, ResolveEndpointError, RuleSet};
use serde_json::json;

fn rules(rules: serde_json::Value) -> Result<RuleSet, aws_json_endpoints::RuleSetError> {
    RuleSet::from_json(&json!({
        "version": "1.0",
        "parameters": {
            "Region": {"type": "string", "builtIn": "AWS::Region"},
            "Flag": {"type": "boolean", "required": true, "default": false},
            "List": {"type": "stringArray"}
        },
        "rules": rules
    }))
}

fn parse_error(rule_set: serde_json::Value) -> String {
    rules(rule_set)
        .expect_err("the rule set is rejected")
        .to_string()
}

#[test]
fn malformed_rule_sets_are_errors_naming_the_place() {
    let cases = [
        (
            json!([{"conditions": [], "type": "endpoint"}]),
            "rule rules[0]: `endpoint` is missing",
        ),
        (
            json!([{"conditions": [{"fn": "nope", "argv": []}], "error": "x", "type": "error"}]),
            "unknown function `nope`",
        ),
        (
            json!([{"conditions": [{"fn": "isSet", "argv": [{"ref": "Nothing"}]}], "error": "x", "type": "error"}]),
            "`Nothing` is neither a parameter",
        ),
        (
            json!([{"conditions": [{"fn": "not", "argv": [true, false]}], "error": "x", "type": "error"}]),
            "`not` takes 1 argument(s), given 2",
        ),
        (
            json!([{"conditions": [], "endpoint": {"url": "https://{Region"}, "type": "endpoint"}]),
            "unclosed `{`",
        ),
        (
            json!([{"conditions": [], "endpoint": {"url": "https://x}"}, "type": "endpoint"}]),
            "unmatched `}`",
        ),
        (
            json!([{"conditions": [], "type": "sideways"}]),
            "unknown rule type `sideways`",
        ),
        (
            json!([{"conditions": [], "rules": [{"conditions": [], "endpoint": {"url": "{Later}"}, "type": "endpoint"}], "type": "tree"}]),
            "rule rules[0].rules[0], url: `Later`",
        ),
        (
            json!([{"conditions": [{"fn": "getAttr", "argv": [{"ref": "List"}, "[x]"]}], "error": "x", "type": "error"}]),
            "malformed index",
        ),
        (json!({"not": "a list"}), "`rules` is not an array"),
    ];
    for (rule_set, expected) in cases {
        let message = parse_error(rule_set.clone());
        assert!(message.contains(expected), "{rule_set}: {message}");
    }
    assert!(RuleSet::parse("{")
        .unwrap_err()
        .to_string()
        .contains("invalid JSON"));
    assert!(RuleSet::parse("[]").is_err());
    let bad_default = RuleSet::from_json(
        &json!({"version": "1.0", "parameters": {"A": {"type": "boolean", "default": "yes"}}, "rules": []}),
    );
    assert!(bad_default
        .unwrap_err()
        .to_string()
        .contains("the default is not a boolean"));
}

#[test]
fn assign_templates_and_get_attr_paths() {
    let set = rules(json!([
        {"conditions": [
            {"fn": "isSet", "argv": [{"ref": "List"}]},
            {"fn": "getAttr", "argv": [{"ref": "List"}, "[1]"], "assign": "Second"},
            {"fn": "aws.parseArn", "argv": ["arn:aws:sso:::instance/ssoins-1"], "assign": "Arn"}
         ],
         "endpoint": {"url": "https://{Second}.{Arn#resourceId[1]}.example/{{literal}}",
                      "headers": {"x-extra": ["{Arn#service}"]},
                      "properties": {"flag": {"ref": "Flag"}}},
         "type": "endpoint"},
        {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
         "endpoint": {"url": "https://{Region}.example"}, "type": "endpoint"},
        {"conditions": [], "error": "no region for {List}", "type": "error"}
    ]))
    .expect("parses");
    let listed = EndpointParams::new().with("List", vec!["a".to_owned(), "b".to_owned()]);
    let endpoint = set.resolve(&listed).expect("resolves");
    assert_eq!(endpoint.url(), "https://b.ssoins-1.example/{literal}");
    assert_eq!(endpoint.headers()["x-extra"], vec!["sso".to_owned()]);
    assert_eq!(
        endpoint.properties()["flag"],
        aws_json_endpoints::Value::Bool(false),
        "the default"
    );
    // An index past the end makes the condition fail: the next rule applies.
    let short = EndpointParams::new()
        .with("List", vec!["a".to_owned()])
        .with("Region", "r1");
    assert_eq!(set.resolve(&short).unwrap().url(), "https://r1.example");
    // An error rule whose message inserts an array fails naming the rule.
    let error = set
        .resolve(&EndpointParams::new().with("List", vec!["a".to_owned()]))
        .unwrap_err();
    assert!(
        matches!(error, ResolveEndpointError::Evaluation { ref rule, .. } if rule == "rules[2]"),
        "{error}"
    );
    // A parameter of the wrong type.
    let error = set
        .resolve(&EndpointParams::new().with("Flag", "yes"))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "endpoint parameter `Flag`: expected a boolean, got a string"
    );
}

#[test]
fn a_tree_whose_rules_all_fail_is_an_error_naming_it() {
    let set = rules(json!([
        {"conditions": [], "documentation": "the only tree", "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "endpoint": {"url": "https://x"}, "type": "endpoint"}
        ], "type": "tree"}
    ]))
    .unwrap();
    let error = set.resolve(&EndpointParams::new()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "endpoint rule rules[0] (the only tree) failed: its conditions hold but none of its rules matched"
    );
    let empty = rules(json!([])).unwrap();
    assert_eq!(
        empty.resolve(&EndpointParams::new()).unwrap_err(),
        ResolveEndpointError::NoMatch
    );
}

#[test]
fn functions_in_conditions() {
    let set = rules(json!([
        {"conditions": [
            {"fn": "substring", "argv": [{"ref": "Region"}, 0, 3, false], "assign": "Prefix"},
            {"fn": "stringEquals", "argv": [{"ref": "Prefix"}, "us-"]},
            {"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]},
            {"fn": "not", "argv": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}]},
            {"fn": "parseURL", "argv": ["https://example.com/base"], "assign": "Url"}
         ],
         "endpoint": {"url": "{Url#scheme}://{Region}.{Url#authority}{Url#normalizedPath}{Prefix}"}, "type": "endpoint"},
        {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
         "endpoint": {"url": "https://{Region}.{P}"}, "type": "endpoint"}
    ]));
    // `P` is not defined: the whole rule set is rejected before any evaluation.
    assert!(set
        .unwrap_err()
        .to_string()
        .contains("rule rules[1], url: `P`"));
    let set = rules(json!([
        {"conditions": [
            {"fn": "substring", "argv": [{"ref": "Region"}, 0, 3, false], "assign": "Prefix"},
            {"fn": "stringEquals", "argv": [{"ref": "Prefix"}, "us-"]},
            {"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]},
            {"fn": "not", "argv": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}]},
            {"fn": "parseURL", "argv": ["https://example.com/base"], "assign": "Url"}
         ],
         "endpoint": {"url": "{Url#scheme}://{Region}.{Url#authority}{Url#normalizedPath}{Prefix}"}, "type": "endpoint"},
        {"conditions": [], "error": "other: {Region}", "type": "error"}
    ]))
    .unwrap();
    let params = |region: &str| EndpointParams::new().with("Region", region);
    assert_eq!(
        set.resolve(&params("us-east-1")).unwrap().url(),
        "https://us-east-1.example.com/base/us-"
    );
    assert_eq!(
        set.resolve(&params("eu-west-1")).unwrap_err().message(),
        "other: eu-west-1"
    );
    assert_eq!(
        set.resolve(&params("us-e st")).unwrap_err().message(),
        "other: us-e st"
    );
    assert_eq!(
        set.resolve(&params("us-east-1").with("Flag", true))
            .unwrap_err()
            .message(),
        "other: us-east-1"
    );
}
