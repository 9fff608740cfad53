//! Helpers for the tests that run the real `sso-admin-emulator` binary: starting and stopping
//! it, the pinned Python tools, and a raw HTTP/1.1 client that shows exactly what went over the
//! wire.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The content type of the AWS JSON 1.1 protocol.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The prefix of every `X-Amz-Target` of SSO Admin.
pub const TARGET_PREFIX: &str = "SWBExternalService";
/// A fixed instance, so tests can build ARNs without asking.
pub const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6";
/// How long the binary may take to print its address.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `sso-admin-emulator`, killed when dropped.
pub struct Server {
    child: Child,
    /// The port it listens on, read from its first line of output.
    pub port: u16,
}

impl Server {
    /// Starts the binary with `--port 0`, the fixed [`INSTANCE`] and `args`; its log is
    /// discarded.
    pub fn start(args: &[&str]) -> Self {
        Self::spawn(args, false)
    }

    /// Like [`start`](Self::start), with standard error piped so the test can read the log.
    pub fn start_logging(args: &[&str]) -> Self {
        Self::spawn(args, true)
    }

    fn spawn(args: &[&str], log: bool) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sso-admin-emulator"))
            .args(["--port", "0", "--instance-arn", INSTANCE])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(if log { Stdio::piped() } else { Stdio::null() })
            .spawn()
            .expect("the sso-admin-emulator binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = sender.send(reader.read_line(&mut line).map(|_| line));
            // Keep reading so the server never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = match receiver.recv_timeout(STARTUP_TIMEOUT) {
            Ok(Ok(line)) => line,
            other => {
                let _ = child.kill();
                panic!("the emulator did not print its address: {other:?}");
            }
        };
        let port = line
            .trim_end()
            .strip_prefix("listening on http://127.0.0.1:")
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("unexpected first line {line:?}")
            });
        Self { child, port }
    }

    /// The process id of the running binary.
    #[allow(dead_code)] // not every test binary uses it
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The piped standard error (only with [`start_logging`](Self::start_logging)).
    pub fn take_stderr(&mut self) -> ChildStderr {
        self.child.stderr.take().expect("stderr is piped")
    }

    /// Sends SIGTERM and waits (bounded) for the process to exit; returns its exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM failed");
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().expect("the child can be waited for") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the emulator did not exit within 5 s of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The pinned test tools' virtual environment: `$AWS_JSON_TEST_VENV`, else `target/venv` of
/// the workspace. A missing venv fails the test (it must never pass without running).
pub fn venv() -> PathBuf {
    let venv = std::env::var_os("AWS_JSON_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/venv"));
    assert!(
        venv.join("bin/python").exists(),
        "the Python test tools are missing ({} has no bin/python): run \
         `cargo xtask install-test-tools` once, or point AWS_JSON_TEST_VENV at a venv with \
         boto3, awscli and moto",
        venv.display()
    );
    venv
}

/// A program of the venv, such as `python` or `aws`.
pub fn venv_bin(name: &str) -> PathBuf {
    let program = venv().join("bin").join(name);
    assert!(
        program.exists(),
        "{} is missing: run `cargo xtask install-test-tools`",
        program.display()
    );
    program
}

/// An HTTP response as read off the socket.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON (panics, naming the body, if it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "the body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The `__type` of an error body.
    pub fn error_type(&self) -> String {
        self.json()["__type"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The message of an error body, as botocore reads it: `message`, else `Message`.
    pub fn message(&self) -> String {
        let json = self.json();
        json["message"]
            .as_str()
            .or(json["Message"].as_str())
            .unwrap_or_default()
            .to_owned()
    }

    /// The `x-amzn-RequestId` header, checked to be a UUID.
    pub fn request_id(&self) -> String {
        let id = self
            .headers
            .get("x-amzn-requestid")
            .cloned()
            .unwrap_or_default();
        assert_eq!(id.len(), 36, "x-amzn-RequestId is a UUID: {self:?}");
        assert_eq!(
            id.matches('-').count(),
            4,
            "x-amzn-RequestId is a UUID: {id}"
        );
        id
    }
}

/// Sends one raw request (`head` without the final blank line, then `body`) on a fresh
/// connection and reads the answer; writing happens on its own thread so an early answer is
/// read even if the server stops reading.
pub fn exchange(port: u16, head: &str, body: Vec<u8>) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("sets a timeout");
    let mut writer = stream.try_clone().expect("clones the socket");
    let head = format!("{head}\r\n\r\n");
    let written = std::thread::spawn(move || {
        let _ = writer.write_all(head.as_bytes());
        let _ = writer.write_all(&body);
        let _ = writer.flush();
    });
    let answer = read_answer(&mut stream);
    let _ = written.join();
    answer
}

/// Reads a response with a `Content-Length` from `stream`.
pub fn read_answer(stream: &mut impl Read) -> Answer {
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("a status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("a bad status line {status_line:?}"));
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a header line");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|length| length.parse().ok())
        .expect("a Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the whole body");
    Answer {
        status,
        headers,
        body,
    }
}

/// POSTs `body` to operation `target` (the full `X-Amz-Target` value) the way an SDK would.
pub fn post(port: u16, target: &str, body: &[u8]) -> Answer {
    let head = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: {target}\r\n\
         Content-Type: {CONTENT_TYPE}\r\nContent-Length: {}\r\nConnection: close",
        body.len()
    );
    exchange(port, &head, body.to_vec())
}

/// POSTs `input` to the SSO Admin operation `operation`.
pub fn call(port: u16, operation: &str, input: &serde_json::Value) -> Answer {
    post(
        port,
        &format!("{TARGET_PREFIX}.{operation}"),
        input.to_string().as_bytes(),
    )
}
