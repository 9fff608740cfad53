//! A bounded soak test against the binary: well-behaved clients (signed, on keep-alive
//! connections) run a mix of operations while hostile ones send slow headers, stay silent,
//! send malformed and oversized requests and bad signatures, all at the same time on 127.0.0.1.
//!
//! The well-behaved clients must see no error at all, their p99 latency must stay bounded, the
//! server's memory must end flat, and the final state must be exactly what their successful
//! calls imply. It runs `SOAK_SECONDS` seconds (default 60); set it higher for a longer run.

mod support;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use support::{Server, CONTENT_TYPE, INSTANCE, TARGET_PREFIX};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const AKID: &str = "AKIDSOAK";
const SECRET: &str = "soak-secret";
const WELL_BEHAVED: usize = 6;
/// Permission sets each well-behaved client keeps at the end of every round.
const KEPT_PER_CLIENT: usize = 3;

fn signed_request(
    port: u16,
    operation: &str,
    body: &str,
    secret: &str,
) -> http::Request<Full<Bytes>> {
    let mut request = http::Request::post("/")
        .header("host", format!("127.0.0.1:{port}"))
        .header("content-type", CONTENT_TYPE)
        .header("x-amz-target", format!("{TARGET_PREFIX}.{operation}"))
        .body(Full::new(Bytes::from(body.to_owned())))
        .expect("a valid request");
    let identity: Identity = Credentials::new(AKID, secret, None, None, "soak").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("sso")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let uri = request.uri().to_string();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().expect("ascii").to_owned(),
            )
        })
        .collect();
    let signable = SignableRequest::new(
        "POST",
        &uri,
        headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("signs").into_parts();
    instructions.apply_to_request_http1x(&mut request);
    request
}

/// A well-behaved client on one keep-alive connection, timing every call.
struct Client {
    port: u16,
    sender: SendRequest<Full<Bytes>>,
    latencies: Vec<Duration>,
}

impl Client {
    async fn connect(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connects");
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("a handshake");
        tokio::spawn(connection);
        Self {
            port,
            sender,
            latencies: Vec::new(),
        }
    }

    /// Calls `operation` and requires a 200 (the connection is reopened if the server closed
    /// it while idle, as an SDK does).
    async fn ok(&mut self, operation: &str, input: Value) -> Value {
        if self.sender.ready().await.is_err() {
            *self = Self {
                latencies: std::mem::take(&mut self.latencies),
                ..Self::connect(self.port).await
            };
            self.sender
                .ready()
                .await
                .expect("a fresh connection is ready");
        }
        let request = signed_request(self.port, operation, &input.to_string(), SECRET);
        let started = Instant::now();
        let response = self.sender.send_request(request).await.expect("an answer");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        self.latencies.push(started.elapsed());
        let body: Value = serde_json::from_slice(&body).expect("a JSON body");
        assert_eq!(status, 200, "{operation}: {body}");
        body
    }
}

/// One well-behaved client: rounds of create, tag, describe, policy, assignment, listings and
/// deletes, keeping its `KEPT_PER_CLIENT` newest sets. Returns the names it keeps.
async fn well_behaved(
    port: u16,
    client_index: usize,
    deadline: Instant,
) -> (BTreeSet<String>, Vec<Duration>) {
    let mut client = Client::connect(port).await;
    let mut kept: Vec<(String, String)> = Vec::new();
    let account = format!("{:012}", 100_000 + client_index);
    let mut round = 0;
    while Instant::now() < deadline {
        let name = format!("Soak{client_index}x{round}");
        let created = client
            .ok(
                "CreatePermissionSet",
                json!({"InstanceArn": INSTANCE, "Name": name}),
            )
            .await;
        let arn = created["PermissionSet"]["PermissionSetArn"]
            .as_str()
            .expect("an ARN")
            .to_owned();
        client
            .ok(
                "TagResource",
                json!({"InstanceArn": INSTANCE, "ResourceArn": arn,
                       "Tags": [{"Key": "round", "Value": round.to_string()}]}),
            )
            .await;
        client
            .ok(
                "DescribePermissionSet",
                json!({"InstanceArn": INSTANCE, "PermissionSetArn": arn}),
            )
            .await;
        client
            .ok(
                "PutInlinePolicyToPermissionSet",
                json!({"InstanceArn": INSTANCE, "PermissionSetArn": arn,
                       "InlinePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}),
            )
            .await;
        let assignment = json!({"InstanceArn": INSTANCE, "PermissionSetArn": arn,
            "TargetId": account, "TargetType": "AWS_ACCOUNT",
            "PrincipalType": "USER",
            "PrincipalId": format!("{client_index:08x}-0000-4000-8000-000000000000")});
        let creation = client
            .ok("CreateAccountAssignment", assignment.clone())
            .await;
        let request_id = creation["AccountAssignmentCreationStatus"]["RequestId"]
            .as_str()
            .expect("a request id")
            .to_owned();
        let status = client
            .ok(
                "DescribeAccountAssignmentCreationStatus",
                json!({"InstanceArn": INSTANCE, "AccountAssignmentCreationRequestId": request_id}),
            )
            .await;
        assert_eq!(
            status["AccountAssignmentCreationStatus"]["Status"],
            "SUCCEEDED"
        );
        client
            .ok(
                "ListPermissionSets",
                json!({"InstanceArn": INSTANCE, "MaxResults": 5}),
            )
            .await;
        client
            .ok(
                "ListAccountAssignmentCreationStatus",
                json!({"InstanceArn": INSTANCE, "MaxResults": 1}),
            )
            .await;
        client.ok("DeleteAccountAssignment", assignment).await;
        kept.push((name, arn));
        if kept.len() > KEPT_PER_CLIENT {
            let (_, oldest) = kept.remove(0);
            client
                .ok(
                    "DeletePermissionSet",
                    json!({"InstanceArn": INSTANCE, "PermissionSetArn": oldest}),
                )
                .await;
        }
        round += 1;
    }
    (
        kept.into_iter().map(|(name, _)| name).collect(),
        client.latencies,
    )
}

/// The hostile clients, each in a loop until `stop`; counts what they did.
async fn hostile(port: u16, kind: usize, stop: Arc<AtomicBool>, count: Arc<AtomicU64>) {
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)).await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        match kind {
            // Slow headers: a byte every 200 ms until the server closes the connection.
            0 => {
                for byte in b"POST / HTTP/1.1\r\nhost: x\r\nx-slow: ".iter().cycle() {
                    if stop.load(Ordering::Relaxed) || stream.write_all(&[*byte]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            // Silent: connect and wait to be closed (the header-read timeout, 10 s).
            1 => {
                let mut buffer = [0u8; 64];
                while !stop.load(Ordering::Relaxed) {
                    match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buffer))
                        .await
                    {
                        Err(_) => continue,
                        Ok(_) => break,
                    }
                }
            }
            // Malformed: garbage heads, bad Content-Length, broken JSON.
            2 => {
                let garbage: &[&[u8]] = &[
                    b"GARBAGE\r\n\r\n",
                    b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n",
                    b"POST / HTTP/1.1\r\nhost: x\r\nx-amz-target: SWBExternalService.ListInstances\r\ncontent-type: application/x-amz-json-1.1\r\nconnection: close\r\ncontent-length: 5\r\n\r\n{\"a\":",
                ];
                let _ = stream
                    .write_all(garbage[(count.load(Ordering::Relaxed) % 3) as usize])
                    .await;
                let mut answer = Vec::new();
                let _ =
                    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer))
                        .await;
                let text = String::from_utf8_lossy(&answer);
                assert!(
                    text.starts_with("HTTP/1.1 4"),
                    "a malformed request got {text:?}"
                );
            }
            // Oversized: announces 100 MiB.
            3 => {
                let _ = stream
                    .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 104857600\r\n\r\n{")
                    .await;
                let mut answer = [0u8; 10];
                let _ =
                    tokio::time::timeout(Duration::from_secs(30), stream.read_exact(&mut answer))
                        .await;
                // Refused at once: unsigned (403), or too large (413), never read.
                assert_eq!(&answer, b"HTTP/1.1 4", "an oversized request");
            }
            // Bad signatures: signed with the wrong secret.
            _ => {
                let (mut sender, connection) =
                    match hyper::client::conn::http1::handshake(TokioIo::new(stream)).await {
                        Ok(handshake) => handshake,
                        Err(_) => continue,
                    };
                tokio::spawn(connection);
                let request = signed_request(port, "ListInstances", "{}", "wrong-secret");
                if let Ok(response) = sender.send_request(request).await {
                    assert_eq!(response.status(), 403, "a bad signature");
                }
            }
        }
        count.fetch_add(1, Ordering::Relaxed);
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn well_behaved_clients_are_unaffected_by_hostile_ones() {
    let seconds: u64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(60);
    let server = Server::start(&[
        "--credentials",
        &format!("{AKID}:{SECRET}"),
        "--log-level",
        "warn",
    ]);
    let port = server.port;
    let pid = server.pid();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);

    let stop = Arc::new(AtomicBool::new(false));
    let hostile_count = Arc::new(AtomicU64::new(0));
    let mut hostiles = Vec::new();
    for kind in 0..5 {
        // Several silent and slow clients each, one of the others.
        let copies = if kind < 2 { 8 } else { 1 };
        for _ in 0..copies {
            hostiles.push(tokio::spawn(hostile(
                port,
                kind,
                Arc::clone(&stop),
                Arc::clone(&hostile_count),
            )));
        }
    }
    let clients: Vec<_> = (0..WELL_BEHAVED)
        .map(|index| tokio::spawn(well_behaved(port, index, deadline)))
        .collect();

    // Memory a quarter of the way in (warmed up), and at the end.
    tokio::time::sleep(Duration::from_secs(seconds / 4)).await;
    let early_rss = rss_kib(pid);
    let mut expected = BTreeSet::new();
    let mut latencies = Vec::new();
    for client in clients {
        let (kept, client_latencies) = client.await.expect("a well-behaved client never fails");
        expected.extend(kept);
        latencies.extend(client_latencies);
    }
    let late_rss = rss_kib(pid);
    stop.store(true, Ordering::Relaxed);
    for hostile in hostiles {
        hostile.await.expect("hostile clients see only refusals");
    }

    // Exactly the sets the clients kept remain.
    let mut client = Client::connect(port).await;
    let mut names = BTreeSet::new();
    let mut token: Option<String> = None;
    loop {
        let mut input = json!({"InstanceArn": INSTANCE, "MaxResults": 100});
        if let Some(token) = &token {
            input["NextToken"] = json!(token);
        }
        let page = client.ok("ListPermissionSets", input).await;
        for arn in page["PermissionSets"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let described = client
                .ok(
                    "DescribePermissionSet",
                    json!({"InstanceArn": INSTANCE, "PermissionSetArn": arn}),
                )
                .await;
            names.insert(
                described["PermissionSet"]["Name"]
                    .as_str()
                    .expect("a name")
                    .to_owned(),
            );
        }
        match page["NextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(names, expected);

    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100];
    eprintln!(
        "soak: {} s, {} well-behaved calls, p99 {:?}, max {:?}, {} hostile connections, RSS {} KiB -> {} KiB",
        seconds,
        latencies.len(),
        p99,
        latencies.last().expect("calls"),
        hostile_count.load(Ordering::Relaxed),
        early_rss,
        late_rss
    );
    assert!(
        latencies.len() > WELL_BEHAVED * 10,
        "the clients made progress"
    );
    // Bounded, with room for a loaded CI machine: hostile clients must not stall anyone.
    assert!(p99 < Duration::from_secs(2), "p99 {p99:?}");
    // Flat: the state the clients keep is constant, so memory must not keep growing.
    assert!(
        late_rss <= early_rss + 16 * 1024,
        "RSS grew from {early_rss} KiB to {late_rss} KiB"
    );
}
