//! The `sso-admin-emulator` binary's contract: the first line of output, request logging,
//! graceful shutdown, and refusing bad arguments.

mod support;

use std::io::Read;
use std::process::Command;

use serde_json::json;
use support::{call, Server, INSTANCE};

#[test]
fn prints_its_address_and_serves_the_fixed_instance() {
    let server = Server::start(&["--identity-store-id", "d-1234567890"]);
    assert_ne!(server.port, 0);
    let answer = call(server.port, "ListInstances", &json!({}));
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.request_id();
    assert_eq!(
        answer.json(),
        json!({"Instances": [{"InstanceArn": INSTANCE, "IdentityStoreId": "d-1234567890"}]})
    );
}

#[test]
fn logs_every_request_at_info_and_stops_cleanly_on_sigterm() {
    let mut server = Server::start_logging(&[]);
    let mut stderr = server.take_stderr();
    let ok = call(
        server.port,
        "ListPermissionSets",
        &json!({"InstanceArn": INSTANCE}),
    );
    assert_eq!(ok.status, 200);
    let failed = call(server.port, "DescribePermissionSet", &json!({}));
    assert_eq!(failed.status, 400);
    let status = server.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status}");

    let mut log = String::new();
    stderr.read_to_string(&mut log).expect("the log is text");
    let completed: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("request completed"))
        .collect();
    assert_eq!(completed.len(), 2, "one line per request:\n{log}");
    assert!(completed.iter().all(|line| line.contains("INFO")), "{log}");
    assert!(completed[0].contains("ListPermissionSets") && completed[0].contains("status=200"));
    assert!(completed[0].contains(&ok.request_id()), "{log}");
    assert!(completed[1].contains("DescribePermissionSet"));
    assert!(
        completed[1].contains("error_code=\"ValidationException\""),
        "{log}"
    );
    assert!(log.contains("SIGTERM received"), "{log}");
    assert!(!log.contains('\u{1b}'), "no colours when not on a terminal");
}

#[test]
fn bad_arguments_are_refused_with_a_message() {
    for args in [
        &["--port", "not-a-port"][..],
        &["--credentials", "no-colon"],
        &["--instance-arn", "arn:aws:sso:::instance/short"],
        &["--log-level", "loud"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_sso-admin-emulator"))
            .args(args)
            .output()
            .expect("the binary runs");
        assert!(!output.status.success(), "{args:?} is refused");
        assert!(output.stdout.is_empty(), "{args:?}: nothing on stdout");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("error"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_busy_port_is_an_error_not_a_panic() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = taken.local_addr().expect("an address").port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_sso-admin-emulator"))
        .args(["--port", &port])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot listen on 127.0.0.1:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
