//! A loopback HTTP server that records every exchange and answers either with a canned
//! response or through a generated server stub.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use aws_json_server::AwsJsonService;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: Method,
    /// Path and query.
    pub uri: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The status and body the server answered with.
    pub response: (StatusCode, Bytes),
}

/// How the server answers.
#[derive(Clone)]
pub enum Answer {
    /// Always this status, these headers and this body.
    Canned {
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    },
    /// Through a server stub.
    Service(AwsJsonService),
}

/// A running loopback server; it stops when dropped.
pub struct Loopback {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl Loopback {
    /// Binds 127.0.0.1 on a free port and serves `answer`.
    pub async fn start(answer: Answer) -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("no local address: {e}"))?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn({
            let log = Arc::clone(&log);
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let answer = answer.clone();
                    let log = Arc::clone(&log);
                    tokio::spawn(async move {
                        let service = service_fn(move |request| {
                            exchange(request, answer.clone(), Arc::clone(&log))
                        });
                        // A connection the client drops is no failure of the server.
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        });
        Ok(Self { addr, log, task })
    }

    /// Every exchange so far, oldest first.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn exchange(
    request: Request<Incoming>,
    answer: Answer,
    log: Arc<Mutex<Vec<Recorded>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let uri = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| parts.uri.path().to_owned());
    let mut recorded = Recorded {
        method: parts.method.clone(),
        uri,
        headers: parts.headers.clone(),
        body: body.clone(),
        response: (StatusCode::OK, Bytes::new()),
    };
    let response = match answer {
        Answer::Canned {
            status,
            headers,
            body,
        } => {
            let mut response = Response::new(Full::new(body));
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            response
        }
        Answer::Service(service) => {
            let request = Request::from_parts(parts, Full::new(body));
            let (parts, body) = service.handle(request).await.into_parts();
            let body = match body.collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(never) => match never {},
            };
            Response::from_parts(parts, Full::new(body))
        }
    };
    let (parts, body) = response.into_parts();
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(never) => match never {},
    };
    recorded.response = (parts.status, bytes.clone());
    if let Ok(mut log) = log.lock() {
        log.push(recorded);
    }
    Ok(Response::from_parts(parts, Full::new(bytes)))
}

/// A header map from a suite's `{"Name": "value"}` object.
pub fn headers(object: &serde_json::Value) -> Result<HeaderMap, String> {
    let mut headers = HeaderMap::new();
    if let Some(members) = object.as_object() {
        for (name, value) in members {
            let value = value
                .as_str()
                .ok_or_else(|| format!("header {name} is not a string"))?;
            headers.append(
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|e| format!("header name {name}: {e}"))?,
                HeaderValue::from_str(value).map_err(|e| format!("header {name}: {e}"))?,
            );
        }
    }
    Ok(headers)
}
