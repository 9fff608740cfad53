//! Throughput of the emulator's server, side by side with moto's server and a bare hyper
//! server (the ceiling), measured with one closed-loop load generator on loopback.
//!
//! ```sh
//! cargo bench -p sso-admin-emulator --bench throughput
//! ```
//!
//! Settings (environment): `BENCH_SECONDS` per case (default 5), `BENCH_CONNECTIONS` (default
//! 32), `AWS_JSON_TEST_VENV` for moto (default `target/venv`, from
//! `cargo xtask install-test-tools`).
//!
//! Each of `BENCH_CONNECTIONS` tasks keeps one HTTP/1.1 connection (reconnecting when the
//! server closes it, as moto does after every response) and sends the next request as soon as
//! the previous answer is read, for `BENCH_SECONDS` after a one-second warm-up. Cases:
//!
//! - **read**: `ListPermissionSets` of the instance, which holds 5 permission sets;
//! - **write**: `CreatePermissionSet` then `DeletePermissionSet` of the ARN it returned (each
//!   counts as one request).
//!
//! Every server gets byte-for-byte the same requests, with an `Authorization` header (moto
//! routes on its credential scope; the emulator, run without `--credentials`, accepts any).
//! Non-200 answers are counted as errors and reported.
//!
//! Rounds interleave the servers; the table has each server's best round, and the last lines
//! the emulator / bare ratio of every round with its median, the steadier figure on a machine
//! whose speed drifts.

use std::convert::Infallible;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

/// The emulator binary's allocator, here for the bare server (and the load generator, alike for
/// every server): the ceiling should not be lower for want of it.
#[global_allocator]
static ALLOCATOR: sso_admin_emulator::allocator::Mimalloc = sso_admin_emulator::allocator::Mimalloc;

const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/sso/\
    aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000";
/// What the bare server answers to everything: valid for both cases' parsing.
const FIXED_BODY: &str = r#"{"PermissionSets":["arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0000000000000001"],"PermissionSet":{"PermissionSetArn":"arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0000000000000001"}}"#;

fn main() {
    if std::env::args().any(|arg| arg == "--bare-server") {
        bare_server();
        return;
    }
    let seconds = env_number("BENCH_SECONDS", 4);
    let connections = env_number("BENCH_CONNECTIONS", 32);
    let rounds = env_number("BENCH_ROUNDS", 3);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let settings = Settings {
        duration: Duration::from_secs(seconds),
        connections: usize::try_from(connections).unwrap_or(32),
    };
    println!(
        "{} s per case after 1 s of warm-up, {} connections, best of {} rounds, {} CPUs",
        seconds,
        settings.connections,
        rounds,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // All servers run side by side (idle unless measured); rounds interleave them so that
    // background load hits each alike, and each figure is the best of the rounds.
    let servers = [
        ServerKind::Emulator { log: false },
        ServerKind::Emulator { log: true },
        ServerKind::Moto,
        ServerKind::Bare,
    ];
    let processes: Vec<Process> = servers.iter().map(Process::start).collect();
    let instances: Vec<String> = runtime.block_on(async {
        let mut instances = Vec::new();
        for (server, process) in servers.iter().zip(&processes) {
            instances.push(prepare(server, process.port).await);
        }
        instances
    });
    let mut rows: Vec<(ServerKind, Pair)> = Vec::new();
    let mut best: Vec<Pair> = servers.iter().map(|_| Pair::default()).collect();
    // Emulator (warn log) / bare, each round: the machine's speed drifts between rounds, and a
    // ratio within one round, seconds apart, is the steadier figure.
    let emulator_index = servers
        .iter()
        .position(|s| matches!(s, ServerKind::Emulator { log: false }))
        .expect("the emulator is measured");
    let bare_index = servers
        .iter()
        .position(|s| matches!(s, ServerKind::Bare))
        .expect("the bare server is measured");
    let mut round_ratios: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for round in 1..=rounds {
        for case in [Case::Read, Case::Write] {
            let mut rates = vec![f64::NAN; servers.len()];
            for (index, server) in servers.iter().enumerate() {
                let result = runtime.block_on(run(
                    processes[index].port,
                    &settings,
                    case,
                    &instances[index],
                ));
                println!(
                    "round {round} {:<5} {:<44} {:>9.0} req/s ({} errors)",
                    case.name(),
                    server.label(),
                    result.rate,
                    result.errors
                );
                let slot = match case {
                    Case::Read => &mut best[index].read,
                    Case::Write => &mut best[index].write,
                };
                slot.errors += result.errors;
                slot.rate = slot.rate.max(result.rate);
                rates[index] = result.rate;
            }
            round_ratios[case as usize].push(rates[emulator_index] / rates[bare_index]);
        }
    }
    drop(processes);
    for (server, pair) in servers.into_iter().zip(best) {
        rows.push((server, pair));
    }

    let rate = |wanted: fn(&ServerKind) -> bool, case: fn(&Pair) -> &Run| {
        rows.iter()
            .find(|(server, _)| wanted(server))
            .map_or(f64::NAN, |(_, result)| case(result).rate)
    };
    println!();
    println!(
        "| server | read: ListPermissionSets (req/s) | write: Create+DeletePermissionSet (req/s) |"
    );
    println!("| --- | ---: | ---: |");
    for (server, result) in &rows {
        println!(
            "| {} | {:.0} | {:.0} |",
            server.label(),
            result.read.rate,
            result.write.rate
        );
    }
    println!();
    for (case, pick) in [
        ("read", (|pair: &Pair| &pair.read) as fn(&Pair) -> &Run),
        ("write", |pair: &Pair| &pair.write),
    ] {
        let emulator = rate(|s| matches!(s, ServerKind::Emulator { log: false }), pick);
        let logging = rate(|s| matches!(s, ServerKind::Emulator { log: true }), pick);
        let moto = rate(|s| matches!(s, ServerKind::Moto), pick);
        let bare = rate(|s| matches!(s, ServerKind::Bare), pick);
        println!(
            "{case}: emulator / moto = {:.1}x (with info logging {:.1}x), emulator / bare = {:.2} (with info logging {:.2})",
            emulator / moto,
            logging / moto,
            emulator / bare,
            logging / bare,
        );
    }
    for (case, ratios) in [Case::Read, Case::Write].iter().zip(&round_ratios) {
        let listed: Vec<String> = ratios.iter().map(|ratio| format!("{ratio:.2}")).collect();
        println!(
            "{}: emulator / bare by round {} (median {:.2})",
            case.name(),
            listed.join(", "),
            median(ratios)
        );
    }
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&value| value > 0)
        .unwrap_or(default)
}

struct Settings {
    duration: Duration,
    connections: usize,
}

enum ServerKind {
    /// The release binary; `log` keeps the default info log (to /dev/null), else `warn`.
    Emulator {
        log: bool,
    },
    Moto,
    Bare,
}

impl ServerKind {
    fn label(&self) -> &'static str {
        match self {
            Self::Emulator { log: false } => "sso-admin-emulator (--log-level warn)",
            Self::Emulator { log: true } => "sso-admin-emulator (info log to /dev/null)",
            Self::Moto => "moto_server 5.2.5",
            Self::Bare => "bare hyper (fixed body, the ceiling)",
        }
    }
}

/// A server process, killed when dropped.
struct Process {
    child: Child,
    port: u16,
}

impl Process {
    fn start(kind: &ServerKind) -> Self {
        match kind {
            ServerKind::Emulator { log } => {
                let mut command = Command::new(env!("CARGO_BIN_EXE_sso-admin-emulator"));
                command.args([
                    "--port",
                    "0",
                    "--log-level",
                    if *log { "info" } else { "warn" },
                ]);
                Self::with_address_line(command)
            }
            ServerKind::Bare => {
                let mut command = Command::new(std::env::current_exe().expect("the bench binary"));
                command.arg("--bare-server");
                Self::with_address_line(command)
            }
            ServerKind::Moto => {
                let port = std::net::TcpListener::bind("127.0.0.1:0")
                    .and_then(|listener| listener.local_addr())
                    .expect("a free port")
                    .port();
                let child = Command::new(venv().join("bin/moto_server"))
                    .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("moto_server starts");
                let process = Self { child, port };
                let ready = Instant::now();
                while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                    assert!(
                        ready.elapsed() < Duration::from_secs(30),
                        "moto_server did not start"
                    );
                    std::thread::sleep(Duration::from_millis(100));
                }
                process
            }
        }
    }

    /// Starts a server that prints `listening on http://127.0.0.1:PORT` first.
    fn with_address_line(mut command: Command) -> Self {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("an address line");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Self { child, port }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn venv() -> PathBuf {
    let venv = std::env::var_os("AWS_JSON_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/venv"));
    assert!(
        venv.join("bin/moto_server").exists(),
        "{}/bin/moto_server is missing: run `cargo xtask install-test-tools`",
        venv.display()
    );
    venv
}

/// One connection that reconnects when the server closes it.
struct Connection {
    port: u16,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Connection {
    fn new(port: u16) -> Self {
        Self { port, sender: None }
    }

    /// A connection ready to send: the current one, or a new one when the server has closed
    /// it (moto closes after every response; noticing that can take until `ready`).
    async fn sender(&mut self) -> Option<&mut SendRequest<Full<Bytes>>> {
        for _ in 0..2 {
            if let Some(sender) = self.sender.as_mut() {
                if !sender.is_closed() && sender.ready().await.is_ok() {
                    return self.sender.as_mut();
                }
            }
            let stream = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .ok()?;
            let _ = stream.set_nodelay(true);
            let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .ok()?;
            tokio::spawn(connection);
            self.sender = Some(sender);
        }
        None
    }

    /// Sends one request; `None` on a transport error.
    async fn call(&mut self, operation: &str, body: String) -> Option<(u16, Bytes)> {
        let port = self.port;
        let sender = self.sender().await?;
        let request = http::Request::post("/")
            .header("host", format!("127.0.0.1:{port}"))
            .header("content-type", CONTENT_TYPE)
            .header("x-amz-target", format!("SWBExternalService.{operation}"))
            .header("x-amz-date", "20240101T000000Z")
            .header("authorization", AUTHORIZATION)
            .body(Full::new(Bytes::from(body)))
            .ok()?;
        let response = match sender.send_request(request).await {
            Ok(response) => response,
            Err(_) => {
                self.sender = None;
                return None;
            }
        };
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.ok()?.to_bytes();
        Some((status, body))
    }
}

#[derive(Default)]
struct Run {
    rate: f64,
    errors: u64,
}

#[derive(Default)]
struct Pair {
    read: Run,
    write: Run,
}

/// Prepares a server: finds its instance and creates 5 permission sets in it.
async fn prepare(server: &ServerKind, port: u16) -> String {
    let mut setup = Connection::new(port);
    let instance = match server {
        ServerKind::Bare => "arn:aws:sso:::instance/ssoins-1111111111111111".to_owned(),
        _ => {
            let (status, body) = setup
                .call("ListInstances", "{}".to_owned())
                .await
                .expect("ListInstances answers");
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
            let body: Value = serde_json::from_slice(&body).expect("JSON");
            body["Instances"][0]["InstanceArn"]
                .as_str()
                .expect("an instance")
                .to_owned()
        }
    };
    for n in 0..5 {
        let (status, body) = setup
            .call(
                "CreatePermissionSet",
                json!({"InstanceArn": instance, "Name": format!("read-{n}")}).to_string(),
            )
            .await
            .expect("CreatePermissionSet answers");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }
    instance
}

#[derive(Clone, Copy)]
enum Case {
    Read,
    Write,
}

impl Case {
    fn name(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }
}

async fn run(port: u16, settings: &Settings, case: Case, instance: &str) -> Run {
    static RUN: AtomicU64 = AtomicU64::new(0);
    let run_id = RUN.fetch_add(1, Ordering::Relaxed);
    let counting = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..settings.connections)
        .map(|worker| {
            let (counting, stop, done, errors) = (
                Arc::clone(&counting),
                Arc::clone(&stop),
                Arc::clone(&done),
                Arc::clone(&errors),
            );
            let instance = instance.to_owned();
            tokio::spawn(async move {
                let mut connection = Connection::new(port);
                let mut n = 0u64;
                let list = json!({"InstanceArn": instance}).to_string();
                let record = |ok: bool| {
                    if counting.load(Ordering::Relaxed) {
                        if ok {
                            done.fetch_add(1, Ordering::Relaxed);
                        } else {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                };
                while !stop.load(Ordering::Relaxed) {
                    match case {
                        Case::Read => {
                            let answer = connection.call("ListPermissionSets", list.clone()).await;
                            record(matches!(answer, Some((200, _))));
                        }
                        Case::Write => {
                            n += 1;
                            let create = json!({
                                "InstanceArn": instance,
                                "Name": format!("w{run_id}-{worker}-{n}"),
                            });
                            let answer = connection
                                .call("CreatePermissionSet", create.to_string())
                                .await;
                            let arn = match &answer {
                                Some((200, body)) => {
                                    serde_json::from_slice::<Value>(body).ok().and_then(|body| {
                                        body["PermissionSet"]["PermissionSetArn"]
                                            .as_str()
                                            .map(str::to_owned)
                                    })
                                }
                                _ => None,
                            };
                            record(arn.is_some());
                            let Some(arn) = arn else { continue };
                            let delete = json!({"InstanceArn": instance, "PermissionSetArn": arn});
                            let answer = connection
                                .call("DeletePermissionSet", delete.to_string())
                                .await;
                            record(matches!(answer, Some((200, _))));
                        }
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    counting.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(settings.duration).await;
    counting.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    Run {
        rate: done.load(Ordering::Relaxed) as f64 / elapsed.as_secs_f64(),
        errors: errors.load(Ordering::Relaxed),
    }
}

/// A hyper HTTP/1.1 server that answers every request with [`FIXED_BODY`]: what serving costs
/// with no protocol work at all.
fn bare_server() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let port = listener.local_addr().expect("an address").port();
        println!("listening on http://127.0.0.1:{port}");
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            // As the emulator's `serve`: no TCP_NODELAY on accepted connections.
            tokio::spawn(async move {
                let service = hyper::service::service_fn(|request: http::Request<_>| async move {
                    // Read the body, as a real server must.
                    let _ = BodyExt::collect(request.into_body()).await;
                    Ok::<_, Infallible>(
                        http::Response::builder()
                            .header("content-type", CONTENT_TYPE)
                            .header("x-amzn-requestid", "00000000-0000-4000-8000-000000000000")
                            .body(Full::new(Bytes::from_static(FIXED_BODY.as_bytes())))
                            .expect("a valid response"),
                    )
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}
