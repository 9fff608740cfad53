//! Helpers for the client tests (`tests/client_*.rs`): client configurations, the emulator served
//! in-process on loopback, moto's server from the pinned Python tools, and a scripted HTTP server
//! that answers canned responses per `X-Amz-Target` and records every request.
#![allow(dead_code)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdTcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_json_client::{Credentials, RetryConfig};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use sso_admin::server::AwsJsonService;
use sso_admin_emulator::Emulator;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The region every test signs for.
pub const REGION: &str = "us-east-1";
/// The access key id of the test credentials.
pub const ACCESS_KEY_ID: &str = "AKIDCLIENTTESTS";
/// The secret of the test credentials.
pub const SECRET: &str = "client-tests-secret";
/// The fixed instance of the emulator in these tests.
pub const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6";
/// The emulator's identity store.
pub const STORE: &str = "d-1234567890";
/// Account ids for assignments.
pub const ACCOUNT: &str = "111122223333";
pub const OTHER_ACCOUNT: &str = "444455556666";
/// The content type of awsJson1_1.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Retries with tiny backoffs, so retried calls stay fast.
pub fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

/// A configuration for `endpoint` with the static test credentials.
pub fn config_builder(endpoint: &str) -> sso_admin::client::ConfigBuilder {
    sso_admin::Config::builder()
        .region(REGION)
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET, None))
        .endpoint_url(endpoint)
        .retry_config(fast_retries(3))
}

/// A client of `endpoint` with the static test credentials and fast retries.
pub fn client(endpoint: &str) -> sso_admin::Client {
    sso_admin::Client::from_conf(config_builder(endpoint).build())
}

/// A principal id shaped like an identity store user id (a UUID).
pub fn principal(n: usize) -> String {
    format!("{n:08x}-0000-4000-8000-{n:012x}")
}

/// A tag.
pub fn tag(key: &str, value: &str) -> sso_admin::types::Tag {
    sso_admin::types::Tag::builder()
        .key(key)
        .value(value)
        .build()
}

/// Runs `future`, failing the test if it takes longer than `limit`.
pub async fn bounded<T>(limit: Duration, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, future)
        .await
        .unwrap_or_else(|_| panic!("the test step took longer than {limit:?}"))
}

// ---------------------------------------------------------------------------------------------
// The emulator, in-process on loopback.

/// An `AwsJsonService` served on `127.0.0.1:<ephemeral>` by `aws_json_server::serve` on the
/// current runtime; stops when dropped.
pub struct LocalServer {
    pub endpoint: String,
    shutdown: Option<oneshot::Sender<()>>,
}

impl LocalServer {
    /// Serves `service` on loopback.
    pub async fn serve(service: AwsJsonService) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("binds loopback");
        let address = listener.local_addr().expect("has an address");
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = sso_admin::server::serve(listener, service, async {
                let _ = stopped.await;
            })
            .await;
        });
        Self {
            endpoint: format!("http://{address}"),
            shutdown: Some(shutdown),
        }
    }

    /// Serves an emulator with the fixed test instance, without authentication.
    pub async fn emulator() -> Self {
        Self::emulator_with(Emulator::with_instance(INSTANCE, STORE)).await
    }

    /// Serves `emulator` without authentication.
    pub async fn emulator_with(emulator: Emulator) -> Self {
        let service = sso_admin::server::service_builder(Arc::new(emulator))
            .build()
            .expect("every operation is registered");
        Self::serve(service).await
    }

    /// Serves an emulator that checks SigV4 signatures against `credentials` (access key id →
    /// secret).
    pub async fn emulator_signed(credentials: HashMap<String, String>) -> Self {
        let service =
            sso_admin::server::service_builder(Arc::new(Emulator::with_instance(INSTANCE, STORE)))
                .sigv4(aws_json_server::sigv4::SigV4Config::new(credentials).with_region(REGION))
                .build()
                .expect("every operation is registered");
        Self::serve(service).await
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// moto's server.

/// The pinned Python tools' virtual environment: `$AWS_JSON_TEST_VENV`, else `target/venv` of the
/// workspace. A missing venv fails the test: it must never pass without running.
pub fn venv() -> PathBuf {
    let venv = std::env::var_os("AWS_JSON_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/venv"));
    let moto = venv.join("bin/moto_server");
    assert!(
        moto.exists(),
        "moto's server is missing ({} does not exist): run `cargo xtask install-test-tools` \
         once, or point AWS_JSON_TEST_VENV at a venv with moto[server]==5.2.5",
        moto.display()
    );
    venv
}

/// A free loopback port: bound to port 0, then released (moto cannot listen on port 0 and
/// report the port it got).
fn free_port() -> u16 {
    StdTcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("binds an ephemeral loopback port")
}

/// Whether an HTTP server answers on `address` (any status).
fn answers(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET /moto-api/ HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}

/// A running `moto_server` on loopback, killed when dropped.
pub struct MotoServer {
    child: Child,
    pub endpoint: String,
}

impl MotoServer {
    /// Starts moto's server on a free port and waits (at most 30 s) until it answers.
    pub fn start() -> Self {
        let program = venv().join("bin/moto_server");
        let mut last_failure = String::new();
        // The port is free when picked but could be taken before moto binds it: try a few.
        for _ in 0..3 {
            let port = free_port();
            let mut child = Command::new(&program)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.display()));
            let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                if let Ok(Some(status)) = child.try_wait() {
                    last_failure = format!("moto_server exited with {status}");
                    break;
                }
                if answers(address) {
                    return Self {
                        child,
                        endpoint: format!("http://{address}"),
                    };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("moto_server did not answer on {address} within 30 s");
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        panic!("moto_server could not start: {last_failure}");
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// A scripted server.

/// One request the scripted server received.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The `X-Amz-Target` header, e.g. `SWBExternalService.ListInstances`.
    pub target: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    /// A header as text (panics naming it when absent or not text).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("the request has no {name} header: {:?}", self.headers))
            .to_str()
            .expect("a text header")
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// A canned response.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// How long to wait before answering.
    pub delay: Duration,
}

impl Canned {
    /// `200` with `body`.
    pub fn ok(body: impl Into<String>) -> Self {
        Self {
            status: 200,
            headers: vec![("content-type".into(), CONTENT_TYPE.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// An AWS JSON error: `status`, `{"__type": code, "message": message}`.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), CONTENT_TYPE.into())],
            body: serde_json::json!({ "__type": code, "message": message }).to_string(),
            delay: Duration::ZERO,
        }
    }

    /// The same response with another header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same response, sent after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Responder = dyn Fn(&Recorded, usize) -> Canned + Send + Sync;

/// A local HTTP/1.1 server answering each request with what `respond(request, n)` returns (`n`
/// counts earlier requests); every response carries `x-amzn-RequestId: req-<n>` unless the
/// canned response sets one. Records every request. Stops when dropped.
pub struct ScriptedServer {
    pub endpoint: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl ScriptedServer {
    /// Starts the server on loopback.
    pub async fn start(
        respond: impl Fn(&Recorded, usize) -> Canned + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("binds loopback");
        let address = listener.local_addr().expect("has an address");
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let respond: Arc<Responder> = Arc::new(respond);
        let (shutdown, mut stopped) = oneshot::channel::<()>();
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            loop {
                let stream = tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => stream,
                        Err(_) => continue,
                    },
                    _ = &mut stopped => break,
                };
                let recorded = Arc::clone(&recorded);
                let respond = Arc::clone(&respond);
                tokio::spawn(async move {
                    let service =
                        service_fn(move |request: http::Request<hyper::body::Incoming>| {
                            let recorded = Arc::clone(&recorded);
                            let respond = Arc::clone(&respond);
                            async move {
                                let (parts, body) = request.into_parts();
                                let body = body
                                    .collect()
                                    .await
                                    .map(|b| b.to_bytes())
                                    .unwrap_or_default();
                                let request = Recorded {
                                    target: parts
                                        .headers
                                        .get("x-amz-target")
                                        .and_then(|v| v.to_str().ok())
                                        .unwrap_or_default()
                                        .to_owned(),
                                    headers: parts.headers,
                                    body,
                                };
                                let n = {
                                    let mut requests = recorded.lock().unwrap();
                                    requests.push(request.clone());
                                    requests.len() - 1
                                };
                                let canned = respond(&request, n);
                                if !canned.delay.is_zero() {
                                    tokio::time::sleep(canned.delay).await;
                                }
                                let mut response = http::Response::builder().status(canned.status);
                                if !canned
                                    .headers
                                    .iter()
                                    .any(|(name, _)| name.eq_ignore_ascii_case("x-amzn-requestid"))
                                {
                                    response =
                                        response.header("x-amzn-RequestId", format!("req-{n}"));
                                }
                                for (name, value) in &canned.headers {
                                    response = response.header(name, value);
                                }
                                Ok::<_, Infallible>(
                                    response
                                        .body(Full::new(Bytes::from(canned.body)))
                                        .expect("a valid canned response"),
                                )
                            }
                        });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            endpoint: format!("http://{address}"),
            requests,
            shutdown: Some(shutdown),
        }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
