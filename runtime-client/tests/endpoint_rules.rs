//! A service with an endpoint rule set: the rule set sees the built-ins and the parameters the
//! operation binds (a static one and an input member), its endpoint is called, and its
//! `authSchemes` set the signing name and region; services without a rule set keep the
//! configured URL.

mod common;

use aws_json_client::endpoint::{ContextParam, StaticRuleSet};
use aws_json_runtime::endpoints::StaticValue;
use aws_json_runtime::{Operation, Protocol, ServiceMetadata};
use common::*;

/// The path says which rule matched and the values it saw; the signing name comes from the
/// `Name` member, the region from the static parameter.
static RULES: StaticRuleSet = StaticRuleSet::new(
    r#"{
    "version": "1.0",
    "parameters": {
        "Region": {"type": "string", "builtIn": "AWS::Region"},
        "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
        "Endpoint": {"type": "string", "builtIn": "SDK::Endpoint"},
        "Thing": {"type": "string"},
        "Zone": {"type": "string", "default": "zone-a"}
    },
    "rules": [
        {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                        {"fn": "isSet", "argv": [{"ref": "Thing"}]}],
         "endpoint": {"url": "{Endpoint}/things/{Region}/{Zone}",
                      "headers": {"x-thing": ["{Thing}", "again"]},
                      "properties": {"authSchemes": [{"name": "sigv4", "signingName": "{Thing}", "signingRegion": "{Zone}"}]}},
         "type": "endpoint"},
        {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                        {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
         "error": "no FIPS at {Endpoint}", "type": "error"},
        {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
         "endpoint": {"url": "{Endpoint}/plain"}, "type": "endpoint"},
        {"conditions": [], "error": "needs an endpoint", "type": "error"}
    ]
}"#,
);

static RULED: ServiceMetadata = ServiceMetadata {
    shape_id: "com.example#Ruled",
    api_version: "2024-01-01",
    sdk_id: "Ruled",
    protocol: Protocol::AwsJson1_1,
    target_prefix: "Ruled",
    signing_name: "ruled",
    endpoint_prefix: "ruled",
    endpoint_rules: Some(&RULES),
    query_compatible: false,
    query_error_codes: &[],
};

struct Bound;

impl Operation for Bound {
    const NAME: &'static str = "GetThing";
    const SERVICE: &'static ServiceMetadata = &RULED;
    const ENDPOINT_CONTEXT: &'static [ContextParam] = &[
        ContextParam::Static {
            param: "Zone",
            value: StaticValue::String("zone-b"),
        },
        ContextParam::Member {
            param: "Thing",
            member: "Name",
        },
    ];
    type Input = GetThingInput;
    type Output = GetThingOutput;
    type Error = GetThingError;
}

struct Unbound;

impl Operation for Unbound {
    const NAME: &'static str = "GetThing";
    const SERVICE: &'static ServiceMetadata = &RULED;
    type Input = GetThingInput;
    type Output = GetThingOutput;
    type Error = GetThingError;
}

#[tokio::test]
async fn the_rule_set_sees_built_ins_and_context_params_and_picks_the_signature() {
    let server = TestServer::start(vec![Canned::ok("{}"), Canned::ok("{}")]).await;
    let client = server.client();
    client
        .call::<Bound>(input("thingsvc"))
        .await
        .expect("bound call");
    client
        .call::<Unbound>(input("thingsvc"))
        .await
        .expect("unbound call");
    let requests = server.requests();
    // The operations' request URI `/` follows the endpoint's path.
    assert_eq!(requests[0].path, "/things/us-east-1/zone-b/");
    let authorization = requests[0].header("authorization").unwrap();
    assert!(
        authorization.contains("/zone-b/thingsvc/aws4_request"),
        "{authorization}"
    );
    let values: Vec<&str> = requests[0]
        .headers
        .get_all("x-thing")
        .iter()
        .map(|value| value.to_str().unwrap())
        .collect();
    assert_eq!(values, ["thingsvc", "again"]);
    assert_eq!(requests[1].path, "/plain/");
    let authorization = requests[1].header("authorization").unwrap();
    assert!(
        authorization.contains("/us-east-1/ruled/aws4_request"),
        "{authorization}"
    );
}

#[tokio::test]
async fn an_error_rule_fails_the_call_before_sending() {
    let server = TestServer::start(vec![]).await;
    let client = aws_json_client::Client::new(server.config().use_fips(true).build());
    let error = client.call::<Unbound>(input("x")).await.unwrap_err();
    let message = error.to_string() + &format!("{:?}", std::error::Error::source(&error));
    assert!(message.contains("no FIPS at http://127.0.0.1"), "{message}");
    assert!(server.requests().is_empty());
    let unconfigured = aws_json_client::Client::new(server.config().set_endpoint_url(None).build());
    let error = unconfigured.call::<Unbound>(input("x")).await.unwrap_err();
    let message = format!("{error} {:?}", std::error::Error::source(&error));
    assert!(message.contains("needs an endpoint"), "{message}");
}
