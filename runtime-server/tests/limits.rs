//! The server's limits, tried as a hostile client would on 127.0.0.1: silent and trickling
//! clients, idle keep-alive connections, short bodies, malformed heads, too many connections,
//! and a shutdown with all of them connected.
//!
//! Timeouts are short here; the assertions only check what happens, with generous caps on how
//! long a test may wait, so a loaded machine cannot make them fail.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use aws_json_server::{serve, ServerLimits};
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long any single wait may take before the test fails.
const CAP: Duration = Duration::from_secs(30);

fn short_limits() -> ServerLimits {
    ServerLimits::new()
        .with_header_read_timeout(Duration::from_millis(300))
        .with_body_read_timeout(Duration::from_millis(300))
        .with_idle_timeout(Duration::from_millis(300))
}

struct Server {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(limits: ServerLimits) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let address = listener.local_addr().expect("an address");
        let service = builder().limits(limits).build().expect("builds");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, service, async {
            let _ = stopped.await;
        }));
        Self {
            address,
            stop: Some(stop),
            task,
        }
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.address).await.expect("connects")
    }

    /// Signals shutdown and waits for `serve` to return.
    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(CAP, self.task)
            .await
            .expect("serve returns after the shutdown signal")
            .expect("the server task")
            .expect("serve succeeds");
    }
}

fn greet(name: &str) -> Vec<u8> {
    let body = format!(r#"{{"Name":"{name}"}}"#);
    format!(
        "POST / HTTP/1.1\r\nhost: localhost\r\nx-amz-target: FakeService.Greet\r\n\
         content-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads until the peer closes the connection (or `CAP` passes), returning what came.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let result = tokio::time::timeout(CAP, stream.read_to_end(&mut out)).await;
    assert!(result.is_ok(), "the server did not close the connection");
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads one response with a `content-length` body.
async fn read_response(stream: &mut TcpStream) -> (String, serde_json::Value) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length: "))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                let body = serde_json::from_slice(&buffer[end + 4..end + 4 + length])
                    .unwrap_or(serde_json::Value::Null);
                return (head, body);
            }
        }
        let read = tokio::time::timeout(CAP, stream.read(&mut chunk))
            .await
            .expect("a response in time")
            .expect("reads");
        assert!(read > 0, "closed before a whole response: {buffer:?}");
        buffer.extend_from_slice(&chunk[..read]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn assert_envelope(head: &str, body: &serde_json::Value, status: &str, code: &str) {
    assert!(head.starts_with(&format!("http/1.1 {status}")), "{head}");
    assert!(head.contains("\r\nx-amzn-requestid: "), "{head}");
    assert_eq!(body["__type"], code, "{head}\n{body}");
    assert!(body["message"].is_string(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_trickling_clients_are_closed() {
    let server = Server::start(short_limits()).await;
    let mut silent = server.connect().await;
    assert_eq!(read_to_close(&mut silent).await, "");

    // One byte every 50 ms: each byte is progress, but the head never ends in time.
    let mut trickle = server.connect().await;
    let request = greet("slow");
    let mut closed = false;
    for byte in request.iter().cycle().take(2_000) {
        if trickle.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut probe = [0u8; 1];
        if let Ok(Ok(0)) =
            tokio::time::timeout(Duration::from_millis(1), trickle.read(&mut probe)).await
        {
            closed = true;
            break;
        }
    }
    assert!(closed, "a trickling client kept its connection for 100 s");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_keep_alive_connections_are_closed() {
    let server = Server::start(short_limits()).await;
    let mut stream = server.connect().await;
    stream.write_all(&greet("once")).await.expect("writes");
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body["Greeting"], "Hello, once!");
    assert_eq!(read_to_close(&mut stream).await, "");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_shorter_than_its_content_length_times_out_with_408() {
    let server = Server::start(short_limits()).await;
    let mut stream = server.connect().await;
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nhost: localhost\r\nx-amz-target: FakeService.Greet\r\n\
              content-type: application/x-amz-json-1.1\r\ncontent-length: 100\r\n\r\n{\"Na",
        )
        .await
        .expect("writes");
    let (head, body) = read_response(&mut stream).await;
    assert_envelope(&head, &body, "408", "RequestTimeoutException");
    assert!(head.contains("\r\nconnection: close"), "{head}");
    read_to_close(&mut stream).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_hyper_makes_itself_carry_the_aws_envelope() {
    let server = Server::start(ServerLimits::new().with_max_header_bytes(4096)).await;
    let long_header = format!(
        "POST / HTTP/1.1\r\nhost: localhost\r\nx-padding: {}\r\n\r\n",
        "a".repeat(8192)
    );
    let long_uri = format!(
        "POST /{} HTTP/1.1\r\nhost: localhost\r\n\r\n",
        "a".repeat(70_000)
    );
    let cases: [(&[u8], &str); 3] = [
        (
            b"POST / HTTP/1.1\r\nhost: localhost\r\ncontent-length: 12abc\r\n\r\n",
            "400",
        ),
        (
            b"POST / HTTP/1.1\r\nhost: localhost\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}",
            "400",
        ),
        (long_header.as_bytes(), "431"),
    ];
    for (request, status) in cases {
        let mut stream = server.connect().await;
        // The server may refuse before it has read everything: ignore a failed write.
        let _ = stream.write_all(request).await;
        let (head, body) = read_response(&mut stream).await;
        assert_envelope(&head, &body, status, "BadRequestException");
    }
    server.stop().await;

    // hyper's URI limit (64 KiB) is only reached when heads may be larger than that.
    let server = Server::start(ServerLimits::new().with_max_header_bytes(128 * 1024)).await;
    let mut stream = server.connect().await;
    let _ = stream.write_all(long_uri.as_bytes()).await;
    let (head, body) = read_response(&mut stream).await;
    assert_envelope(&head, &body, "414", "BadRequestException");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_wait_their_turn() {
    let server = Server::start(short_limits().with_max_connections(2)).await;
    let _silent = [server.connect().await, server.connect().await];
    // The third is accepted once a silent one has been closed by the header-read timeout.
    let mut third = server.connect().await;
    third.write_all(&greet("third")).await.expect("writes");
    let (head, body) = read_response(&mut third).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body["Greeting"], "Hello, third!");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_idle_and_slow_connections_at_once_and_finishes_requests_in_flight() {
    // Timeouts far beyond the test's cap: only the shutdown can close these connections.
    let limits = ServerLimits::new()
        .with_header_read_timeout(Duration::from_secs(600))
        .with_body_read_timeout(Duration::from_secs(600))
        .with_idle_timeout(Duration::from_secs(600))
        .with_shutdown_timeout(Duration::from_secs(600));
    let server = Server::start(limits).await;
    let mut silent = server.connect().await;
    let mut slow_head = server.connect().await;
    slow_head.write_all(b"POST / HTT").await.expect("writes");
    let mut idle = server.connect().await;
    idle.write_all(&greet("idle")).await.expect("writes");
    read_response(&mut idle).await;
    // A request in flight: its head is in, half of its body not yet.
    let mut in_flight = server.connect().await;
    let request = greet("in flight");
    let split = request.len() - 4;
    in_flight
        .write_all(&request[..split])
        .await
        .expect("writes");
    // Let the server read the head before the shutdown.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let Server { stop, task, .. } = server;
    let _ = stop.expect("not stopped yet").send(());
    for stream in [&mut silent, &mut slow_head, &mut idle] {
        assert_eq!(read_to_close(stream).await, "");
    }
    // The request in flight is still answered, then its connection closed.
    in_flight
        .write_all(&request[split..])
        .await
        .expect("the connection in flight stays open");
    let (head, body) = read_response(&mut in_flight).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body["Greeting"], "Hello, in flight!");
    read_to_close(&mut in_flight).await;
    tokio::time::timeout(CAP, task)
        .await
        .expect("serve returns once the request in flight is answered")
        .expect("the server task")
        .expect("serve succeeds");
}

/// HTTP/2 over cleartext with prior knowledge, beside HTTP/1.1 on the same port.
#[cfg(feature = "http2")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_with_prior_knowledge_is_served_and_shut_down() {
    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};

    let server = Server::start(ServerLimits::new()).await;
    let stream = server.connect().await;
    let (mut sender, connection) = hyper::client::conn::http2::handshake(
        hyper_util::rt::TokioExecutor::new(),
        hyper_util::rt::TokioIo::new(stream),
    )
    .await
    .expect("an HTTP/2 handshake");
    let connection = tokio::spawn(connection);
    for name in ["one", "two"] {
        let body = format!(r#"{{"Name":"{name}"}}"#);
        let request = http::Request::post(format!("http://{}/", server.address))
            .header("x-amz-target", "FakeService.Greet")
            .header("content-type", "application/x-amz-json-1.1")
            .body(Full::new(Bytes::from(body)))
            .expect("a request");
        let response = sender.send_request(request).await.expect("an answer");
        assert_eq!(response.status(), http::StatusCode::OK);
        assert_eq!(response.version(), http::Version::HTTP_2);
        assert!(response.headers().contains_key("x-amzn-requestid"));
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(body["Greeting"], format!("Hello, {name}!"));
    }
    // HTTP/1.1 still works on the same port.
    let mut http1 = server.connect().await;
    http1.write_all(&greet("h1")).await.expect("writes");
    let (head, _) = read_response(&mut http1).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    // The idle HTTP/2 connection is closed at once on shutdown.
    server.stop().await;
    let ended = tokio::time::timeout(CAP, connection).await;
    assert!(ended.is_ok(), "the HTTP/2 connection was not closed");
}

/// The `SETTINGS_MAX_CONCURRENT_STREAMS` the server advertises on an HTTP/2 connection, read
/// from its first frame (which must be SETTINGS) after the client's preface.
#[cfg(feature = "http2")]
async fn advertised_max_concurrent_streams(server: &Server) -> Option<u32> {
    let mut stream = server.connect().await;
    // The preface, then an empty SETTINGS frame (length 0, type 4, no flags, stream 0).
    let mut hello = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    hello.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 0, 0]);
    stream.write_all(&hello).await.expect("writes");
    let mut header = [0u8; 9];
    tokio::time::timeout(CAP, stream.read_exact(&mut header))
        .await
        .expect("a frame in time")
        .expect("a frame header");
    assert_eq!(header[3], 4, "the server's first frame is SETTINGS");
    let length =
        usize::from(header[0]) << 16 | usize::from(header[1]) << 8 | usize::from(header[2]);
    let mut payload = vec![0u8; length];
    tokio::time::timeout(CAP, stream.read_exact(&mut payload))
        .await
        .expect("the payload in time")
        .expect("the payload");
    payload.chunks_exact(6).find_map(|setting| {
        (u16::from_be_bytes([setting[0], setting[1]]) == 3)
            .then(|| u32::from_be_bytes([setting[2], setting[3], setting[4], setting[5]]))
    })
}

/// HTTP/2 multiplexes requests on one connection, so the connection cap alone does not bound
/// requests in flight: each connection advertises (and enforces) a cap on concurrent streams,
/// 32 unless told otherwise, instead of hyper's 200.
#[cfg(feature = "http2")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_connections_advertise_the_concurrent_stream_cap() {
    assert_eq!(ServerLimits::new().max_concurrent_streams(), 32);
    assert_eq!(
        ServerLimits::new()
            .with_max_concurrent_streams(0)
            .max_concurrent_streams(),
        1
    );
    for (limits, expected) in [
        (ServerLimits::new(), 32),
        (ServerLimits::new().with_max_concurrent_streams(5), 5),
    ] {
        let server = Server::start(limits).await;
        assert_eq!(
            advertised_max_concurrent_streams(&server).await,
            Some(expected)
        );
        server.stop().await;
    }
}
