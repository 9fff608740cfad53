//! Out of file descriptors: the binary, run with a limit of 48 descriptors and flooded with
//! connections, backs off instead of spinning (a handful of log lines, not 20 a second) and
//! serves again as soon as descriptors are free.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::{CONTENT_TYPE, TARGET_PREFIX};

#[test]
fn the_accept_loop_backs_off_when_out_of_descriptors() {
    let mut child = Command::new("sh")
        .args([
            "-c",
            "ulimit -n 48 && exec \"$0\" --port 0 --log-level warn",
            env!("CARGO_BIN_EXE_sso-admin-emulator"),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the address line");
    let port: u16 = line
        .trim_end()
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));

    // More connections than descriptors, held for 3 s.
    let flood: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    std::thread::sleep(Duration::from_secs(3));
    drop(flood);

    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: {TARGET_PREFIX}.ListInstances\r\n\
         Content-Type: {CONTENT_TYPE}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    );
    stream.write_all(request.as_bytes()).expect("writes");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let _ = child.kill();
    let _ = child.wait();
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("the log");
    let warnings = log.matches("could not accept a connection").count();
    assert!(
        warnings >= 1,
        "the flood did not exhaust the descriptors:\n{log}"
    );
    // Doubling pauses from 10 ms to 1 s: about 10 lines in 3 s (spinning logged 60).
    assert!(warnings <= 20, "{warnings} warnings in 3 s:\n{log}");
}
