//! A scripted HTTP server on 127.0.0.1 and a fake service with hand-written operations.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_json_client::{Client, Config, Credentials, RetryConfig, TimeoutConfig};
use aws_json_runtime::{
    ErrorFault, ModeledError, Operation, Protocol, ServiceMetadata, UnhandledError,
};
use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// The fake service.

pub static SERVICE: ServiceMetadata = ServiceMetadata {
    shape_id: "com.example#TestService",
    api_version: "2024-01-01",
    sdk_id: "Test Service",
    protocol: Protocol::AwsJson1_1,
    target_prefix: "TestService",
    signing_name: "testsvc",
    endpoint_prefix: "test",
    endpoint_rules: None,
    query_compatible: false,
    query_error_codes: &[],
};

pub static SERVICE_1_0: ServiceMetadata = ServiceMetadata {
    shape_id: "com.example#OtherService",
    api_version: "2024-01-01",
    sdk_id: "Other",
    protocol: Protocol::AwsJson1_0,
    target_prefix: "OtherService_20240101",
    signing_name: "other",
    endpoint_prefix: "other",
    endpoint_rules: None,
    query_compatible: false,
    query_error_codes: &[],
};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetThingInput {
    #[serde(rename = "Name")]
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetThingOutput {
    #[serde(rename = "Value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "Count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
    #[serde(rename = "Nested", default, skip_serializing_if = "Option::is_none")]
    pub nested: Option<Nested>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Nested {
    #[serde(rename = "Items", default)]
    pub items: Vec<i64>,
}

macro_rules! modeled_error {
    ($name:ident, $status:expr, $fault:expr, $retryable:expr, $throttling:expr) => {
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            #[serde(rename = "message", alias = "Message", default)]
            pub message: Option<String>,
            #[serde(rename = "Reason", default, skip_serializing_if = "Option::is_none")]
            pub reason: Option<String>,
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(stringify!($name))?;
                if let Some(message) = &self.message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }
        impl std::error::Error for $name {}
        impl ModeledError for $name {
            const CODE: &'static str = stringify!($name);
            const HTTP_STATUS: u16 = $status;
            const FAULT: ErrorFault = $fault;
            const RETRYABLE: bool = $retryable;
            const THROTTLING: bool = $throttling;
            fn message(&self) -> Option<&str> {
                self.message.as_deref()
            }
        }
    };
}

modeled_error!(
    ResourceNotFoundException,
    404,
    ErrorFault::Client,
    false,
    false
);
modeled_error!(ThrottlingException, 429, ErrorFault::Client, true, true);
modeled_error!(
    InternalServerException,
    500,
    ErrorFault::Server,
    true,
    false
);

#[derive(Debug)]
pub enum GetThingError {
    ResourceNotFoundException(ResourceNotFoundException),
    ThrottlingException(ThrottlingException),
    InternalServerException(InternalServerException),
    Unhandled(UnhandledError),
}

aws_json_runtime::operation_error!(GetThingError {
    ResourceNotFoundException(ResourceNotFoundException) is_resource_not_found_exception,
    ThrottlingException(ThrottlingException) is_throttling_exception,
    InternalServerException(InternalServerException) is_internal_server_exception,
});

/// `GetThing` on the awsJson1_1 service.
pub struct GetThing;

impl Operation for GetThing {
    const NAME: &'static str = "GetThing";
    const SERVICE: &'static ServiceMetadata = &SERVICE;
    type Input = GetThingInput;
    type Output = GetThingOutput;
    type Error = GetThingError;
}

/// `Ping` on the awsJson1_0 service, with the errors of `GetThing`.
pub struct Ping;

impl Operation for Ping {
    const NAME: &'static str = "Ping";
    const SERVICE: &'static ServiceMetadata = &SERVICE_1_0;
    type Input = GetThingInput;
    type Output = GetThingOutput;
    type Error = GetThingError;
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListThingsInput {
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListThingsOutput {
    #[serde(rename = "Things", default)]
    pub things: Vec<String>,
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// A paginated `ListThings`.
pub struct ListThings;

impl Operation for ListThings {
    const NAME: &'static str = "ListThings";
    const SERVICE: &'static ServiceMetadata = &SERVICE;
    type Input = ListThingsInput;
    type Output = ListThingsOutput;
    type Error = GetThingError;
}

// ---------------------------------------------------------------------------------------------
// The scripted server.

/// One canned response.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Canned {
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn ok(body: impl Into<String>) -> Self {
        Self::new(200, body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

pub struct TestServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

type Responder = dyn Fn(&Recorded) -> Canned + Send + Sync;

impl TestServer {
    /// Answers with `responses` in order, then with 500s.
    pub async fn start(responses: Vec<Canned>) -> Self {
        let queue = Arc::new(Mutex::new(VecDeque::from(responses)));
        Self::start_with(move |_| {
            queue
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or_else(|| Canned::new(500, r#"{"__type":"NoMoreResponses"}"#))
        })
        .await
    }

    /// Answers each request with `respond(request)`.
    pub async fn start_with(respond: impl Fn(&Recorded) -> Canned + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let respond: Arc<Responder> = Arc::new(respond);
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let respond = Arc::clone(&respond);
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let respond = Arc::clone(&respond);
                        let recorded = Arc::clone(&recorded);
                        async move {
                            let (parts, body) = request.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let request = Recorded {
                                method: parts.method.to_string(),
                                path: parts.uri.path().to_owned(),
                                query: parts.uri.query().map(str::to_owned),
                                headers: parts.headers,
                                body,
                            };
                            let canned = respond(&request);
                            recorded.lock().unwrap().push(request);
                            if !canned.delay.is_zero() {
                                tokio::time::sleep(canned.delay).await;
                            }
                            let mut response = Response::builder().status(canned.status);
                            for (name, value) in &canned.headers {
                                response = response.header(name, value);
                            }
                            Ok::<_, Infallible>(
                                response.body(Full::new(Bytes::from(canned.body))).unwrap(),
                            )
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { addr, requests }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// A client for this server: us-east-1, fixed credentials, fast retries.
    pub fn client(&self) -> Client {
        Client::new(self.config().build())
    }

    pub fn config(&self) -> aws_json_client::ConfigBuilder {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(self.url())
            .retry_config(fast_retries(3))
            .timeout_config(
                TimeoutConfig::new().with_operation_timeout(Some(Duration::from_secs(30))),
            )
    }
}

pub fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

pub fn input(name: &str) -> GetThingInput {
    GetThingInput {
        name: name.to_owned(),
    }
}
