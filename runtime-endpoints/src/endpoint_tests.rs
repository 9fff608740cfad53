//! Endpoint test cases, in the form of the `smithy.rules#endpointTests` trait and of
//! botocore's `endpoint-tests-1.json`: parameters, and the endpoint or the error expected.

use serde_json::Value as Json;

use crate::error::ResolveEndpointError;
use crate::resolver::ResolveEndpoint;
use crate::value::{Endpoint, EndpointParams, Value};

/// One test case.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// Its documentation, e.g. `For region us-east-1 with FIPS enabled and DualStack disabled`.
    pub documentation: String,
    /// The parameters.
    pub params: EndpointParams,
    /// What resolution must give.
    pub expect: Expected,
}

/// The outcome a test case expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// This endpoint: URL, headers and properties.
    Endpoint {
        /// The URL.
        url: String,
        /// The headers, as JSON (`{"name": ["value"]}`).
        headers: Json,
        /// The properties, as JSON.
        properties: Json,
    },
    /// An error with this message.
    Error(String),
}

/// Reads the test cases of a document `{"testCases": [...]}`.
pub fn parse_test_cases(text: &str) -> Result<Vec<TestCase>, String> {
    let document: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let cases = document
        .get("testCases")
        .and_then(Json::as_array)
        .ok_or("`testCases` is not an array")?;
    cases
        .iter()
        .enumerate()
        .map(|(index, case)| parse_case(case).map_err(|e| format!("test case {index}: {e}")))
        .collect()
}

fn parse_case(case: &Json) -> Result<TestCase, String> {
    let documentation = case
        .get("documentation")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut params = EndpointParams::new();
    if let Some(fields) = case.get("params").and_then(Json::as_object) {
        for (name, value) in fields {
            params.set(
                name.clone(),
                json_value(value).ok_or_else(|| {
                    format!("parameter `{name}` is not a string, boolean or array of them")
                })?,
            );
        }
    }
    let expect = case.get("expect").ok_or("`expect` is missing")?;
    let expect = if let Some(message) = expect.get("error") {
        Expected::Error(
            message
                .as_str()
                .ok_or("`error` is not a string")?
                .to_owned(),
        )
    } else {
        let endpoint = expect
            .get("endpoint")
            .ok_or("`expect` has neither `endpoint` nor `error`")?;
        Expected::Endpoint {
            url: endpoint
                .get("url")
                .and_then(Json::as_str)
                .ok_or("the expected endpoint has no `url`")?
                .to_owned(),
            headers: endpoint
                .get("headers")
                .cloned()
                .unwrap_or_else(empty_object),
            properties: endpoint
                .get("properties")
                .cloned()
                .unwrap_or_else(empty_object),
        }
    };
    Ok(TestCase {
        documentation,
        params,
        expect,
    })
}

fn empty_object() -> Json {
    Json::Object(serde_json::Map::new())
}

fn json_value(json: &Json) -> Option<Value> {
    match json {
        Json::String(text) => Some(Value::String(text.clone())),
        Json::Bool(value) => Some(Value::Bool(*value)),
        Json::Array(items) => items
            .iter()
            .map(json_value)
            .collect::<Option<_>>()
            .map(Value::Array),
        _ => None,
    }
}

impl TestCase {
    /// Runs the case with `resolver`: `Ok` when it gives what is expected, else what differs.
    pub fn check(&self, resolver: &dyn ResolveEndpoint) -> Result<(), String> {
        let outcome = resolver.resolve_endpoint(&self.params);
        match (&self.expect, outcome) {
            (
                Expected::Endpoint {
                    url,
                    headers,
                    properties,
                },
                Ok(endpoint),
            ) => {
                let got = endpoint_json(&endpoint);
                if endpoint.url() != url {
                    Err(format!("expected {url}, got {}", endpoint.url()))
                } else if &got.0 != headers {
                    Err(format!("expected headers {headers}, got {}", got.0))
                } else if &got.1 != properties {
                    Err(format!("expected properties {properties}, got {}", got.1))
                } else {
                    Ok(())
                }
            }
            (Expected::Endpoint { url, .. }, Err(error)) => {
                Err(format!("expected {url}, got the error: {error}"))
            }
            (Expected::Error(message), Err(error)) => match &error {
                ResolveEndpointError::Rule { message: got, .. } if got == message => Ok(()),
                _ => Err(format!(
                    "expected the error `{message}`, got the error: {error}"
                )),
            },
            (Expected::Error(message), Ok(endpoint)) => Err(format!(
                "expected the error `{message}`, got {}",
                endpoint.url()
            )),
        }
    }
}

/// The headers and properties of an endpoint as JSON.
fn endpoint_json(endpoint: &Endpoint) -> (Json, Json) {
    let headers = endpoint
        .headers()
        .iter()
        .map(|(name, values)| (name.clone(), Json::from(values.clone())))
        .collect();
    let properties = endpoint
        .properties()
        .iter()
        .map(|(name, value)| (name.clone(), value.to_json()))
        .collect();
    (Json::Object(headers), Json::Object(properties))
}
