//! `--state-dir`, `--async-delay` and the reset, against the binary: `kill -9` during writes
//! loses no acknowledged write, a torn journal line is ignored, SIGHUP resets the state (on
//! disk too), and asynchronous requests stay IN_PROGRESS for the delay.

mod support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{call, Server, CONTENT_TYPE, INSTANCE, TARGET_PREFIX};

/// A fresh directory for one test's state.
fn state_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("persistence-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// One call that may fail (the server may be killed under it): the status and body, or `None`.
fn try_call(port: u16, operation: &str, input: &Value) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let body = input.to_string();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: {TARGET_PREFIX}.{operation}\r\n\
         Content-Type: {CONTENT_TYPE}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8(answer).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, serde_json::from_str(body).ok()?))
}

/// The names of every permission set, through the paged listing (those deleted meanwhile are
/// skipped).
fn names(port: u16) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut token: Option<String> = None;
    loop {
        let mut input = json!({"InstanceArn": INSTANCE, "MaxResults": 100});
        if let Some(token) = &token {
            input["NextToken"] = json!(token);
        }
        let page = call(port, "ListPermissionSets", &input).json();
        for arn in page["PermissionSets"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let described = call(
                port,
                "DescribePermissionSet",
                &json!({"InstanceArn": INSTANCE, "PermissionSetArn": arn}),
            );
            if described.status != 200 {
                // Deleted since the page was listed (by the reset below).
                continue;
            }
            let set = described.json();
            names.insert(
                set["PermissionSet"]["Name"]
                    .as_str()
                    .expect("a name")
                    .to_owned(),
            );
        }
        match page["NextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return names,
        }
    }
}

#[test]
fn kill_9_during_writes_loses_no_acknowledged_write() {
    let dir = state_dir("kill");
    let dir_arg = dir.to_str().expect("a UTF-8 path").to_owned();
    let server = Server::start(&["--state-dir", &dir_arg, "--log-level", "warn"]);
    let port = server.port;
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let acknowledged = Arc::clone(&acknowledged);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let name = format!("Kept{writer}x{n}");
                    n += 1;
                    let input = json!({"InstanceArn": INSTANCE, "Name": name});
                    match try_call(port, "CreatePermissionSet", &input) {
                        Some((200, _)) => {
                            acknowledged.lock().expect("lock").insert(name);
                        }
                        Some((status, body)) => panic!("{status}: {body}"),
                        // Killed under us: this write was never acknowledged.
                        None => break,
                    }
                    if n >= 100 {
                        break;
                    }
                }
            })
        })
        .collect();
    // Let some writes land, then kill -9 in the middle of the others.
    let started = Instant::now();
    while acknowledged.lock().expect("lock").len() < 40
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(server); // SIGKILL
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().expect("a writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= 40, "{}", acknowledged.len());

    let server = Server::start(&["--state-dir", &dir_arg]);
    let after_restart = names(server.port);
    let lost: Vec<&String> = acknowledged.difference(&after_restart).collect();
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    // At most the writes in flight when it died were saved without an answer.
    assert!(after_restart.len() <= acknowledged.len() + 4);
    drop(server);

    // A write torn by a crash (an incomplete last line) is ignored, the rest kept.
    let journal = std::fs::read_dir(&dir)
        .expect("the state directory")
        .map(|entry| entry.expect("an entry").path())
        .find(|path| path.to_string_lossy().ends_with(".jsonl"))
        .expect("a journal");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .expect("the journal opens");
    file.write_all(b"{\"op\":\"create_permission_set\",\"input\":{\"Instan")
        .expect("writes");
    drop(file);
    let server = Server::start(&["--state-dir", &dir_arg]);
    assert_eq!(names(server.port), after_restart);
    let created = call(
        server.port,
        "CreatePermissionSet",
        &json!({"InstanceArn": INSTANCE, "Name": "AfterTheTear"}),
    );
    assert_eq!(created.status, 200, "{}", created.json());

    // SIGHUP resets the state, on disk too.
    let hup = Command::new("kill")
        .args(["-HUP", &server.pid().to_string()])
        .status()
        .expect("kill runs");
    assert!(hup.success());
    let started = Instant::now();
    while !names(server.port).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(30), "no reset");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(server);
    let server = Server::start(&["--state-dir", &dir_arg]);
    assert!(names(server.port).is_empty());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_saved_state_of_another_version_is_refused() {
    let dir = state_dir("version");
    std::fs::create_dir_all(&dir).expect("creates the directory");
    std::fs::write(
        dir.join("state.json"),
        r#"{"format":"sso-admin-emulator-state","version":999,"generation":0,"state":{}}"#,
    )
    .expect("writes");
    let output = Command::new(env!("CARGO_BIN_EXE_sso-admin-emulator"))
        .args(["--port", "0", "--state-dir", dir.to_str().expect("UTF-8")])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("version 999"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn async_requests_stay_in_progress_for_the_delay() {
    let server = Server::start(&["--async-delay", "1s"]);
    let port = server.port;
    let created = call(
        port,
        "CreatePermissionSet",
        &json!({"InstanceArn": INSTANCE, "Name": "Delayed"}),
    )
    .json();
    let arn = created["PermissionSet"]["PermissionSetArn"].clone();
    let assignment = call(
        port,
        "CreateAccountAssignment",
        &json!({"InstanceArn": INSTANCE, "PermissionSetArn": arn, "TargetId": "111111111111",
                "TargetType": "AWS_ACCOUNT", "PrincipalType": "USER",
                "PrincipalId": "00000000-0000-4000-8000-000000000001"}),
    )
    .json();
    let request_id = assignment["AccountAssignmentCreationStatus"]["RequestId"].clone();
    let describe = || {
        call(
            port,
            "DescribeAccountAssignmentCreationStatus",
            &json!({"InstanceArn": INSTANCE, "AccountAssignmentCreationRequestId": request_id}),
        )
        .json()["AccountAssignmentCreationStatus"]["Status"]
            .clone()
    };
    let in_progress = |status: &str| {
        call(
            port,
            "ListAccountAssignmentCreationStatus",
            &json!({"InstanceArn": INSTANCE, "Filter": {"Status": status}}),
        )
        .json()["AccountAssignmentsCreationStatus"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let started = Instant::now();
    let first = describe();
    if started.elapsed() < Duration::from_millis(900) {
        assert_eq!(first, "IN_PROGRESS");
        assert_eq!(in_progress("IN_PROGRESS"), 1);
        assert_eq!(in_progress("SUCCEEDED"), 0);
    }
    while describe() != "SUCCEEDED" {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never SUCCEEDED"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(in_progress("IN_PROGRESS"), 0);
    assert_eq!(in_progress("SUCCEEDED"), 1);
}

#[test]
fn the_state_survives_compaction_and_reopening() {
    use sso_admin::operation::create_permission_set::CreatePermissionSetInput;
    use sso_admin::operation::list_permission_sets::ListPermissionSetsInput;
    use sso_admin_emulator::Emulator;

    let dir = state_dir("compaction");
    let list = |emulator: &Emulator| {
        let mut all = Vec::new();
        let mut token = None;
        loop {
            let page = emulator
                .list_permission_sets(
                    ListPermissionSetsInput::builder()
                        .instance_arn(emulator.instance_arn())
                        .set_next_token(token)
                        .build()
                        .expect("input"),
                )
                .expect("lists");
            all.extend(page.permission_sets.unwrap_or_default());
            token = page.next_token;
            if token.is_none() {
                return all;
            }
        }
    };
    let emulator = Emulator::open(&dir, INSTANCE, "d-1234567890").expect("opens");
    // More than one snapshot's worth of journal (1,000 entries), with deletions between.
    for n in 0..1_100 {
        let created = emulator
            .create_permission_set(
                CreatePermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .name(format!("Set{n}"))
                    .build()
                    .expect("input"),
            )
            .expect("creates");
        if n % 3 == 0 {
            let arn = created
                .permission_set
                .and_then(|set| set.permission_set_arn);
            emulator
                .delete_permission_set(
                    sso_admin::operation::delete_permission_set::DeletePermissionSetInput::builder(
                    )
                    .instance_arn(INSTANCE)
                    .set_permission_set_arn(arn)
                    .build()
                    .expect("input"),
                )
                .expect("deletes");
        }
        if n == 600 {
            // Stay under the quota of 500 sets.
            for arn in list(&emulator) {
                emulator
                    .delete_permission_set(
                        sso_admin::operation::delete_permission_set::DeletePermissionSetInput::builder()
                            .instance_arn(INSTANCE)
                            .permission_set_arn(arn)
                            .build()
                            .expect("input"),
                    )
                    .expect("deletes");
            }
        }
    }
    let before = list(&emulator);
    assert!(!before.is_empty());
    drop(emulator);
    let reopened = Emulator::open(
        &dir,
        "arn:aws:sso:::instance/ssoins-0000000000000000",
        "d-0",
    )
    .expect("reopens");
    assert_eq!(reopened.instance_arn(), INSTANCE, "the saved instance wins");
    assert_eq!(list(&reopened), before);
    let journals = std::fs::read_dir(&dir)
        .expect("the directory")
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|entry| entry.file_name().to_string_lossy().starts_with("journal-"))
        })
        .count();
    assert_eq!(journals, 1, "older journals are removed after a snapshot");
    let _ = std::fs::remove_dir_all(&dir);
}
