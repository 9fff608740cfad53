//! Client CPU per call and calls per second: the generated `sso-admin` client versus
//! `aws-sdk-ssoadmin`, side by side in one run, against the same local server.
//!
//! ```text
//! cargo run --release --bin client-bench -- [--calls N] [--concurrency C] [--rounds R]
//! ```
//!
//! The server is this binary run as `client-bench serve` in a child process: a minimal hyper
//! HTTP/1.1 server answering `ListInstances` and `DescribePermissionSet` with fixed JSON. It
//! runs in its own process so that `getrusage(RUSAGE_SELF)` of the benchmark process counts the
//! client's CPU only (user + system, every thread). Each client runs on its own single-threaded
//! tokio runtime, so both pay for the same executor. Each measurement is preceded by a warm-up
//! (connections pooled, lazy state built); the rounds alternate ours / the SDK, and the median
//! round is reported.

use std::convert::Infallible;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6";
const PERMISSION_SET: &str =
    "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0123456789abcdef";
const LIST_INSTANCES: &str = r#"{"Instances":[{"InstanceArn":"arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6","IdentityStoreId":"d-1234567890"}]}"#;
const DESCRIBE_PERMISSION_SET: &str = r#"{"PermissionSet":{"Name":"Admins","PermissionSetArn":"arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0123456789abcdef","Description":"Full access for the platform team","CreatedDate":1700000000.123,"SessionDuration":"PT4H","RelayState":"https://console.aws.amazon.com/"}}"#;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("serve") {
        serve();
        return;
    }
    let option = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{name} takes a number"))
            })
            .unwrap_or(default)
    };
    let calls = option("--calls", 20_000);
    let concurrency = option("--concurrency", 32);
    let rounds = option("--rounds", 3);
    bench(calls, concurrency, rounds);
}

// ---------------------------------------------------------------------------------------------
// The server (child process).

fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("{}", listener.local_addr().unwrap().port());
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(
                    |request: hyper::Request<hyper::body::Incoming>| async move {
                        let target = request
                            .headers()
                            .get("x-amz-target")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default();
                        let (status, body) = match target {
                            "SWBExternalService.ListInstances" => (200, LIST_INSTANCES),
                            "SWBExternalService.DescribePermissionSet" => {
                                (200, DESCRIBE_PERMISSION_SET)
                            }
                            _ => (400, r#"{"__type":"UnknownOperationException"}"#),
                        };
                        // The request body is not needed: drop it unread (hyper drains it).
                        drop(request);
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .status(status)
                                .header("content-type", "application/x-amz-json-1.1")
                                .header("x-amzn-requestid", "8b4a4c8e-1f42-4c67-9a39-0d3f2b3f7e11")
                                .body(Full::new(Bytes::from_static(body.as_bytes())))
                                .unwrap(),
                        )
                    },
                );
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server() -> (Server, u16) {
    let mut child = Command::new(std::env::current_exe().expect("the benchmark binary"))
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("the server prints its port");
    let port = line.trim().parse().expect("a port");
    (Server(child), port)
}

// ---------------------------------------------------------------------------------------------
// Measuring.

/// User + system CPU time of this process so far (all threads).
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()), 0);
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

#[derive(Clone, Copy, Debug)]
struct Sample {
    cpu_per_call: Duration,
    calls_per_second: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    ListInstances,
    DescribePermissionSet,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::ListInstances => "ListInstances",
            Op::DescribePermissionSet => "DescribePermissionSet",
        }
    }
}

/// One client: makes one call of `op` and checks the answer.
trait Caller: Clone + 'static {
    async fn call(&self, op: Op);
}

#[derive(Clone)]
struct Ours(sso_admin::Client);

impl Caller for Ours {
    async fn call(&self, op: Op) {
        match op {
            Op::ListInstances => {
                let output = self.0.list_instances().send().await.expect("ListInstances");
                assert_eq!(output.instances.map(|i| i.len()), Some(1));
            }
            Op::DescribePermissionSet => {
                let output = self
                    .0
                    .describe_permission_set()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(PERMISSION_SET)
                    .send()
                    .await
                    .expect("DescribePermissionSet");
                assert!(output.permission_set.unwrap().session_duration.is_some());
            }
        }
    }
}

#[derive(Clone)]
struct Sdk(aws_sdk_ssoadmin::Client);

impl Caller for Sdk {
    async fn call(&self, op: Op) {
        match op {
            Op::ListInstances => {
                let output = self.0.list_instances().send().await.expect("ListInstances");
                assert_eq!(output.instances().len(), 1);
            }
            Op::DescribePermissionSet => {
                let output = self
                    .0
                    .describe_permission_set()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(PERMISSION_SET)
                    .send()
                    .await
                    .expect("DescribePermissionSet");
                assert!(output
                    .permission_set()
                    .unwrap()
                    .session_duration()
                    .is_some());
            }
        }
    }
}

/// `calls` calls of `op` by `concurrency` workers (tasks of one `LocalSet` on `runtime`, each
/// calling one call after the other); 1 worker is the sequential case.
fn run<C: Caller>(
    runtime: &tokio::runtime::Runtime,
    client: &C,
    op: Op,
    calls: usize,
    concurrency: usize,
) -> Sample {
    let concurrency = concurrency.max(1);
    let cpu = cpu_time();
    let start = Instant::now();
    let local = tokio::task::LocalSet::new();
    local.block_on(runtime, async {
        let mut workers = Vec::new();
        for worker in 0..concurrency {
            let client = client.clone();
            let share = calls / concurrency + usize::from(worker < calls % concurrency);
            workers.push(tokio::task::spawn_local(async move {
                for _ in 0..share {
                    client.call(op).await;
                }
            }));
        }
        for worker in workers {
            worker.await.expect("a worker finished");
        }
    });
    let wall = start.elapsed();
    let cpu = cpu_time() - cpu;
    Sample {
        cpu_per_call: cpu / calls as u32,
        calls_per_second: calls as f64 / wall.as_secs_f64(),
    }
}

fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by_key(|s| s.cpu_per_call);
    samples[samples.len() / 2]
}

fn bench(calls: usize, concurrency: usize, rounds: usize) {
    let (_server, port) = start_server();
    let endpoint = format!("http://127.0.0.1:{port}");

    // One current-thread runtime per client.
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    };
    let ours_runtime = runtime();
    let sdk_runtime = runtime();

    let ours = Ours(sso_admin::Client::from_conf(
        sso_admin::Config::builder()
            .region("us-east-1")
            .credentials(sso_admin::client::Credentials::new(
                "AKIDBENCH",
                "bench-secret",
                None,
            ))
            .endpoint_url(&endpoint)
            .build(),
    ));
    let sdk = {
        use aws_sdk_ssoadmin::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_ssoadmin::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDBENCH",
                "bench-secret",
                None,
                None,
                "bench",
            ))
            .endpoint_url(&endpoint)
            .build();
        // The SDK client must be built inside a runtime (its default HTTP client needs one).
        let _guard = sdk_runtime.enter();
        Sdk(aws_sdk_ssoadmin::Client::from_conf(config))
    };

    println!(
        "calls per measurement: {calls}; concurrency: 1 (sequential) and {concurrency}; rounds: {rounds} (median shown)"
    );
    println!();
    println!("| operation | mode | client | CPU µs/call | calls/s |");
    println!("|---|---|---|---:|---:|");
    let mut ratios = Vec::new();
    for op in [Op::ListInstances, Op::DescribePermissionSet] {
        for (mode, c) in [("sequential", 1), ("concurrent", concurrency)] {
            let warm = (calls / 10).max(100);
            let run_ours = |n| run(&ours_runtime, &ours, op, n, c);
            let run_sdk = |n| run(&sdk_runtime, &sdk, op, n, c);
            run_ours(warm);
            run_sdk(warm);
            let mut ours_samples = Vec::new();
            let mut sdk_samples = Vec::new();
            for _ in 0..rounds {
                ours_samples.push(run_ours(calls));
                sdk_samples.push(run_sdk(calls));
            }
            let (a, b) = (median(ours_samples), median(sdk_samples));
            for (name, s) in [("sso-admin (ours)", a), ("aws-sdk-ssoadmin", b)] {
                println!(
                    "| {} | {mode} | {name} | {:.1} | {:.0} |",
                    op.name(),
                    s.cpu_per_call.as_secs_f64() * 1e6,
                    s.calls_per_second
                );
            }
            ratios.push((
                op.name(),
                mode,
                a.cpu_per_call.as_secs_f64() / b.cpu_per_call.as_secs_f64(),
                a.calls_per_second / b.calls_per_second,
            ));
        }
    }
    println!();
    println!("| operation | mode | CPU per call, ours / SDK | calls per second, ours / SDK |");
    println!("|---|---|---:|---:|");
    for (op, mode, cpu, rate) in ratios {
        println!("| {op} | {mode} | {cpu:.2} | {rate:.2} |");
    }
}
