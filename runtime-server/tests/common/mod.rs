//! A fake service, written by hand the way the generator writes real ones, and request helpers.

#![allow(dead_code)]

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aws_json_runtime::validate::{check_length, Path, Validate, Violations};
use aws_json_runtime::{
    Operation, OperationVisitor, Protocol, ServiceMetadata, ServiceShape, UnhandledError,
};
use aws_json_server::{AwsJsonService, RequestContext, ResponseBody, ServiceBuilder};
use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde::{Deserialize, Serialize};

/// The fake service's metadata.
pub static METADATA: ServiceMetadata = ServiceMetadata {
    shape_id: "com.example.fake#FakeService",
    api_version: "2024-01-01",
    sdk_id: "Fake",
    protocol: Protocol::AwsJson1_1,
    target_prefix: "FakeService",
    signing_name: "fake",
    endpoint_prefix: "fake",
    endpoint_rules: None,
    query_compatible: false,
    query_error_codes: &[],
};

/// The fake service's marker type.
pub struct FakeService;

impl ServiceShape for FakeService {
    const METADATA: ServiceMetadata = METADATA;
    fn visit_operations<V: OperationVisitor>(visitor: &mut V) {
        visitor.visit::<Fail>();
        visitor.visit::<Greet>();
        visitor.visit::<WhoAmI>();
    }
}

/// Another service, whose operations a FakeService builder must refuse.
pub static OTHER_METADATA: ServiceMetadata = ServiceMetadata {
    target_prefix: "OtherService",
    ..METADATA
};

// ---------------------------------------------------------------------------------------------
// Shapes

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Validate for Tag {
    fn validate(&self, path: &Path<'_>, violations: &mut Violations) {
        check_length(
            &path.member("Key"),
            &self.key,
            Some(&self.key),
            Some(1),
            Some(8),
            violations,
        );
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GreetInput {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Times", default, skip_serializing_if = "Option::is_none")]
    pub times: Option<i32>,
    #[serde(rename = "Tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

impl Validate for GreetInput {
    fn validate(&self, path: &Path<'_>, violations: &mut Violations) {
        check_length(
            &path.member("Name"),
            &self.name,
            Some(&self.name),
            Some(1),
            Some(16),
            violations,
        );
        let tags = path.member("Tags");
        for (index, tag) in self.tags.iter().flatten().enumerate() {
            tag.validate(&tags.item(index), violations);
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GreetOutput {
    #[serde(rename = "Greeting")]
    pub greeting: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FailInput {
    /// `modeled`, `unhandled`, `panic`, `panic-now` or anything else (success).
    #[serde(rename = "Mode")]
    pub mode: String,
}

impl Validate for FailInput {
    fn validate(&self, _path: &Path<'_>, _violations: &mut Violations) {}
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Empty {}

impl Validate for Empty {
    fn validate(&self, _path: &Path<'_>, _violations: &mut Violations) {}
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhoAmIOutput {
    #[serde(rename = "Caller", default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

/// A modeled error, serialized the way generated errors are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceNotFoundException {
    #[serde(rename = "Message", alias = "message", default)]
    pub message: Option<String>,
    #[serde(rename = "ResourceId", default)]
    pub resource_id: Option<String>,
}

impl fmt::Display for ResourceNotFoundException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ResourceNotFoundException: {}",
            self.message.as_deref().unwrap_or("")
        )
    }
}

impl std::error::Error for ResourceNotFoundException {}

impl aws_json_runtime::ModeledError for ResourceNotFoundException {
    const CODE: &'static str = "ResourceNotFoundException";
    const HTTP_STATUS: u16 = 404;
    const FAULT: aws_json_runtime::ErrorFault = aws_json_runtime::ErrorFault::Client;
    const RETRYABLE: bool = false;
    const THROTTLING: bool = false;
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

/// The error enum shared by the fake operations.
#[derive(Debug)]
pub enum FakeError {
    ResourceNotFound(ResourceNotFoundException),
    Unhandled(UnhandledError),
}

aws_json_runtime::operation_error!(FakeError {
    ResourceNotFound(ResourceNotFoundException) is_resource_not_found,
});

// ---------------------------------------------------------------------------------------------
// Operations

pub struct Greet;
impl Operation for Greet {
    const NAME: &'static str = "Greet";
    const SERVICE: &'static ServiceMetadata = &METADATA;
    type Input = GreetInput;
    type Output = GreetOutput;
    type Error = FakeError;
}

pub struct Fail;
impl Operation for Fail {
    const NAME: &'static str = "Fail";
    const SERVICE: &'static ServiceMetadata = &METADATA;
    type Input = FailInput;
    type Output = Empty;
    type Error = FakeError;
}

pub struct WhoAmI;
impl Operation for WhoAmI {
    const NAME: &'static str = "WhoAmI";
    const SERVICE: &'static ServiceMetadata = &METADATA;
    type Input = Empty;
    type Output = WhoAmIOutput;
    type Error = FakeError;
}

/// An operation of another service.
pub struct Foreign;
impl Operation for Foreign {
    const NAME: &'static str = "Foreign";
    const SERVICE: &'static ServiceMetadata = &OTHER_METADATA;
    type Input = Empty;
    type Output = Empty;
    type Error = FakeError;
}

// ---------------------------------------------------------------------------------------------
// The implementation

/// The fake implementation's state: counts the calls that reached a handler.
#[derive(Default)]
pub struct State {
    pub calls: AtomicUsize,
}

pub fn builder() -> ServiceBuilder<State> {
    ServiceBuilder::new(&METADATA, Arc::new(State::default()))
        .operation::<Greet, _, _>(
            |state: Arc<State>, input: GreetInput, _context| async move {
                state.calls.fetch_add(1, Ordering::SeqCst);
                let times = usize::try_from(input.times.unwrap_or(1).clamp(0, 3)).unwrap_or(1);
                Ok(GreetOutput {
                    greeting: format!("Hello, {}!", input.name).repeat(times),
                })
            },
        )
        .operation::<Fail, _, _>(|state: Arc<State>, input: FailInput, _context| {
            state.calls.fetch_add(1, Ordering::SeqCst);
            if input.mode == "panic-now" {
                panic!("the handler panicked before returning its future");
            }
            async move {
                match input.mode.as_str() {
                    "modeled" => Err(FakeError::ResourceNotFound(ResourceNotFoundException {
                        message: Some("No such thing".to_owned()),
                        resource_id: Some("thing-1".to_owned()),
                    })),
                    "unhandled" => Err(FakeError::Unhandled(
                        UnhandledError::new(
                            "ServiceUnavailableException",
                            Some("Try later".to_owned()),
                        )
                        .with_http_status(503),
                    )),
                    "panic" => panic!("the handler panicked"),
                    _ => Ok(Empty {}),
                }
            }
        })
        .operation::<WhoAmI, _, _>(
            |_state, _input: Empty, context: RequestContext| async move {
                Ok(WhoAmIOutput {
                    caller: context.caller.map(|caller| caller.access_key_id),
                    request_id: context.request_id,
                })
            },
        )
}

pub fn service() -> AwsJsonService {
    builder().build().expect("the fake service builds")
}

// ---------------------------------------------------------------------------------------------
// Requests

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// A well-formed request for `FakeService.{operation}`.
pub fn request(operation: &str, body: &str) -> Request<Full<Bytes>> {
    Request::builder()
        .method("POST")
        .uri("/")
        .header("host", "localhost")
        .header("content-type", CONTENT_TYPE)
        .header("x-amz-target", format!("FakeService.{operation}"))
        .body(Full::new(Bytes::from(body.to_owned())))
        .expect("a valid request")
}

/// A decoded response.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: serde_json::Value,
}

impl Answer {
    /// The `__type` of an error response.
    pub fn error_type(&self) -> &str {
        self.body["__type"].as_str().unwrap_or_default()
    }

    /// The `message` of an error response.
    /// The message, as botocore reads it: `message`, else `Message`.
    pub fn message(&self) -> &str {
        self.body["message"]
            .as_str()
            .or(self.body["Message"].as_str())
            .unwrap_or_default()
    }
}

/// Reads a response and checks what every response must have: the protocol's content type,
/// a correct content length, a request id, and a JSON object body (with `__type` on errors).
pub async fn read(response: Response<ResponseBody>) -> Answer {
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("a full body").to_bytes();
    assert_eq!(parts.headers["content-type"], CONTENT_TYPE);
    assert_eq!(
        parts.headers["content-length"].to_str().expect("ascii"),
        bytes.len().to_string()
    );
    let request_id = parts.headers["x-amzn-requestid"].to_str().expect("ascii");
    assert_eq!(request_id.len(), 36, "{request_id}");
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("a JSON body");
    assert!(body.is_object(), "{body}");
    if parts.status != StatusCode::OK {
        assert!(body["__type"].is_string(), "{body}");
    }
    Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// Sends a request to the service and reads the response.
pub async fn send<B>(service: &AwsJsonService, request: Request<B>) -> Answer
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut service = service.clone();
    let response = tower_service::Service::call(&mut service, request)
        .await
        .unwrap_or_else(|never| match never {});
    read(response).await
}
