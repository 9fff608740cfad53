//! One case of a suite against the generated operation `O`: the client's side, then the
//! server stub's, over loopback HTTP.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use aws_json_client::{Client, Config, ConfigBuilder, Credentials, RetryConfig, SdkError};
use aws_json_runtime::validate::ValidatedOperation;
use aws_json_runtime::{OperationError, UnhandledError};
use aws_json_server::ServiceBuilder;
use bytes::Bytes;
use http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::loopback::{self, Answer, Loopback, Recorded};
use crate::params::to_wire;

/// The code of the error the input cases' server stub answers with, after recording the input.
const STOP_CODE: &str = "ConformanceStop";

/// A client of the loopback server at `endpoint`, without retries.
fn client(endpoint: String) -> Client {
    Client::new(base_config().endpoint_url(endpoint).build())
}

fn base_config() -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "SECRET", None))
        .retry_config(RetryConfig::disabled())
}

/// A client for a case that expects the request at `host`: the endpoint keeps the host of the
/// suite's `clientEndpoint` (with the loopback port), and both that host and `host` resolve to
/// the loopback server, so the host prefix the client adds is what reaches it.
fn client_for_host(suite: &Value, server: &Loopback, host: &str) -> Result<Client, String> {
    let (endpoint_host, path) = suite["clientEndpoint"]
        .as_str()
        .and_then(|url| url.split_once("://"))
        .map(|(_, rest)| match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, ""),
        })
        .ok_or("the suite has no clientEndpoint to prefix")?;
    let ip = server.addr.ip();
    let config = base_config()
        .endpoint_url(format!(
            "http://{endpoint_host}:{}{path}",
            server.addr.port()
        ))
        .resolve(endpoint_host, ip)
        .resolve(host, ip)
        .build();
    Ok(Client::new(config))
}

/// The loopback endpoint, keeping the path of the suite's `clientEndpoint`, if any.
fn endpoint(suite: &Value, server: &Loopback) -> String {
    let path = suite["clientEndpoint"]
        .as_str()
        .and_then(|url| url.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|slash| rest[slash..].to_owned()))
        .unwrap_or_default();
    format!("http://{}{path}", server.addr)
}

/// A botocore value as the generated type `T`.
fn convert<T: DeserializeOwned>(
    value: &Value,
    shape: Option<&str>,
    suite: &Value,
) -> Result<T, String> {
    let wire = match shape {
        Some(shape) => to_wire(value, shape, &suite["shapes"]),
        None => value.clone(),
    };
    serde_json::from_value(wire.clone())
        .map_err(|e| format!("`{wire}` does not deserialize into the generated type: {e}"))
}

/// Equality through the wire form, so that NaN equals NaN.
fn same<T: Serialize + Debug>(left: &T, right: &T) -> Result<(), String> {
    let (a, b) = (serde_json::to_value(left), serde_json::to_value(right));
    match (a, b) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        _ => Err(format!("{left:?} differs from {right:?}")),
    }
}

/// An input case: the client's request, then the server stub's decoding of it.
pub async fn input<O>(suite: &Value, case: &Value) -> Result<(), String>
where
    O: ValidatedOperation,
{
    let params = case.get("params").cloned().unwrap_or_else(|| json!({}));
    let input: O::Input = convert(&params, case["given"]["input"]["shape"].as_str(), suite)?;
    let decoded: Arc<Mutex<Option<O::Input>>> = Arc::new(Mutex::new(None));
    let service = ServiceBuilder::new(O::SERVICE, Arc::clone(&decoded))
        .operation::<O, _, _>(|state, input, _context| async move {
            if let Ok(mut slot) = state.lock() {
                *slot = Some(input);
            }
            Err(O::Error::unhandled(
                UnhandledError::new(STOP_CODE, None).with_http_status(400),
            ))
        })
        .build()
        .map_err(|e| format!("the server stub does not build: {e}"))?;
    let server = Loopback::start(Answer::Service(service)).await?;
    let client = match expected_host(&case["serialized"]) {
        Some(host) => client_for_host(suite, &server, host)?,
        None => client(endpoint(suite, &server)),
    };
    let result = client.call::<O>(input.clone()).await;
    let recorded = server.recorded();
    let Some(request) = recorded.first() else {
        return Err(format!("the client sent no request: {result:?}"));
    };
    check_request(request, &case["serialized"])?;
    let decoded = decoded.lock().ok().and_then(|mut slot| slot.take());
    match decoded {
        Some(decoded) => same(&decoded, &input).map_err(|e| format!("server: decoded input: {e}")),
        None => Err(format!(
            "server: the stub refused the request: {} {}",
            request.response.0,
            String::from_utf8_lossy(&request.response.1)
        )),
    }
}

/// The host name a case expects the request at: its `host`, without the endpoint's path that
/// some cases add (`example.com/custom`; the path is checked as the URI).
fn expected_host(serialized: &Value) -> Option<&str> {
    let host = serialized["host"].as_str()?;
    Some(host.split_once('/').map_or(host, |(name, _)| name))
}

fn check_request(request: &Recorded, expected: &Value) -> Result<(), String> {
    let mut problems = Vec::new();
    if let Some(method) = expected["method"].as_str() {
        if request.method.as_str() != method {
            problems.push(format!("method {} instead of {method}", request.method));
        }
    }
    if let Some(uri) = expected["uri"].as_str() {
        if request.uri != uri {
            problems.push(format!("URI {} instead of {uri}", request.uri));
        }
    }
    if let Some(host) = expected_host(expected) {
        // The Host header, without the loopback port.
        let sent = request
            .headers
            .get(http::header::HOST)
            .and_then(|value| value.to_str().ok())
            .map(|value| value.rsplit_once(':').map_or(value, |(name, _)| name));
        if sent != Some(host) {
            problems.push(format!("host {sent:?} instead of {host}"));
        }
    }
    if let Some(headers) = expected["headers"].as_object() {
        for (name, value) in headers {
            let value = value.as_str().unwrap_or_default();
            match request.headers.get(name.as_str()).map(|v| v.to_str()) {
                Some(Ok(sent)) if sent == value => {}
                Some(Ok(sent)) => {
                    problems.push(format!("header {name}: {sent} instead of {value}"))
                }
                _ => problems.push(format!("header {name}: missing (expected {value})")),
            }
        }
    }
    for name in expected["requireHeaders"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        if !request.headers.contains_key(name) {
            problems.push(format!("header {name}: missing"));
        }
    }
    for name in expected["forbidHeaders"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        if request.headers.contains_key(name) {
            problems.push(format!("header {name}: sent, but forbidden"));
        }
    }
    if let Some(body) = expected["body"].as_str() {
        if let Err(problem) = same_body(&request.body, body) {
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("client: {}", problems.join("; ")))
    }
}

/// Bodies are equal as JSON documents, or both empty.
fn same_body(sent: &[u8], expected: &str) -> Result<(), String> {
    let shown = String::from_utf8_lossy(sent);
    if expected.trim().is_empty() {
        return if sent.is_empty() {
            Ok(())
        } else {
            Err(format!("body {shown} instead of an empty body"))
        };
    }
    let expected: Value = serde_json::from_str(expected)
        .map_err(|e| format!("the expected body is not JSON: {e}"))?;
    match serde_json::from_slice::<Value>(sent) {
        Ok(sent) if sent == expected => Ok(()),
        _ => Err(format!("body {shown} instead of {expected}")),
    }
}

/// An output case: the client's reading of the response, then the server stub's answer with
/// that value, read back by the client.
pub async fn output<O>(suite: &Value, case: &Value) -> Result<(), String>
where
    O: ValidatedOperation,
{
    let response = &case["response"];
    let status = response["status_code"]
        .as_u64()
        .and_then(|code| u16::try_from(code).ok())
        .and_then(|code| StatusCode::from_u16(code).ok())
        .ok_or("the case has no valid status_code")?;
    let answer = Answer::Canned {
        status,
        headers: loopback::headers(&response["headers"])?,
        body: Bytes::from(response["body"].as_str().unwrap_or_default().to_owned()),
    };
    let input: O::Input = convert(&json!({}), None, suite)?;
    let server = Loopback::start(answer).await?;
    let result = client(endpoint(suite, &server))
        .call::<O>(input.clone())
        .await;
    drop(server);
    match case.get("errorCode").and_then(Value::as_str) {
        None => {
            let expected: O::Output = convert(
                case.get("result").unwrap_or(&json!({})),
                case["given"]["output"]["shape"].as_str(),
                suite,
            )?;
            let output = result.map_err(|e| format!("client: {e:?}"))?;
            same(&output, &expected).map_err(|e| format!("client: {e}"))?;
            let served = expected.clone();
            let round_trip = serve_and_call::<O>(suite, input, move || Ok(served.clone())).await?;
            let again = round_trip.map_err(|e| format!("server: the client read {e:?}"))?;
            same(&again, &expected).map_err(|e| format!("server: {e}"))
        }
        Some(code) => {
            let message = case.get("errorMessage").and_then(Value::as_str);
            let error = match result {
                Err(error @ SdkError::Service { .. }) => error,
                Err(other) => return Err(format!("client: {other:?} instead of {code}")),
                Ok(output) => return Err(format!("client: {output:?} instead of {code}")),
            };
            check_error(&error, code, message, case, suite).map_err(|e| format!("client: {e}"))?;
            let service_error = error.as_service_error().ok_or("no service error")?;
            let wire_code = service_error.code().to_owned();
            let body = service_error.to_json().to_string();
            let round_trip = serve_and_call::<O>(suite, input, move || {
                Err(
                    O::Error::from_code(&wire_code, body.as_bytes()).unwrap_or_else(|e| {
                        O::Error::unhandled(UnhandledError::new(e.to_string(), None))
                    }),
                )
            })
            .await?;
            match round_trip {
                Err(again @ SdkError::Service { .. }) => {
                    check_error(&again, code, message, case, suite)
                        .map_err(|e| format!("server: {e}"))
                }
                other => Err(format!(
                    "server: the client read {other:?} instead of {code}"
                )),
            }
        }
    }
}

fn check_error<E: OperationError>(
    error: &SdkError<E>,
    code: &str,
    message: Option<&str>,
    case: &Value,
    suite: &Value,
) -> Result<(), String> {
    if error.code() != Some(code) {
        return Err(format!("code {:?} instead of {code}", error.code()));
    }
    if message.is_some() && error.message() != message {
        return Err(format!(
            "message {:?} instead of {message:?}",
            error.message()
        ));
    }
    // The members of a modeled error, as botocore lists them.
    let service_error = error.as_service_error().ok_or("no service error")?;
    if let (Some(members), false) = (case["error"].as_object(), service_error.is_unhandled()) {
        let shape = case["given"]["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["shape"].as_str())
            .find(|shape| {
                let declared = &suite["shapes"][*shape]["error"]["code"];
                declared.as_str() == Some(code) || *shape == code
            });
        let json = service_error.to_json();
        for (name, value) in members {
            let value =
                match shape.and_then(|s| suite["shapes"][s]["members"][name]["shape"].as_str()) {
                    Some(target) => to_wire(value, target, &suite["shapes"]),
                    None => value.clone(),
                };
            let found = json.get(name.as_str()).or_else(|| {
                // The message member is read under any of its spellings.
                ["message", "Message"]
                    .contains(&name.as_str())
                    .then(|| json.get("message").or_else(|| json.get("Message")))
                    .flatten()
            });
            if found != Some(&value) {
                return Err(format!("member {name}: {found:?} instead of {value}"));
            }
        }
    }
    Ok(())
}

/// The server stub answers with `answer`; the client calls it with `input`.
async fn serve_and_call<O>(
    suite: &Value,
    input: O::Input,
    answer: impl Fn() -> Result<O::Output, O::Error> + Send + Sync + 'static,
) -> Result<Result<O::Output, SdkError<O::Error>>, String>
where
    O: ValidatedOperation,
{
    let service = ServiceBuilder::new(O::SERVICE, Arc::new(answer))
        .operation::<O, _, _>(|answer, _input, _context| async move { answer() })
        .build()
        .map_err(|e| format!("the server stub does not build: {e}"))?;
    let server = Loopback::start(Answer::Service(service)).await?;
    Ok(client(endpoint(suite, &server)).call::<O>(input).await)
}
