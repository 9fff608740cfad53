//! Many concurrent clients against the running binary: 16 tasks, each on its own keep-alive
//! connection, race to create shared permission sets and create and delete their own sets and
//! account assignments (about 45 requests each). Afterwards the listings hold exactly what the
//! successful calls imply.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use support::{Server, CONTENT_TYPE, INSTANCE, TARGET_PREFIX};

const TASKS: usize = 16;
const SHARED_NAMES: usize = 8;
const TEMPORARY_SETS: usize = 6;
const ASSIGNMENTS: usize = 12;
const ACCOUNTS: [&str; 3] = ["111111111111", "222222222222", "333333333333"];

/// One keep-alive HTTP/1.1 connection to the emulator.
struct Client {
    sender: SendRequest<Full<Bytes>>,
}

impl Client {
    async fn connect(port: u16) -> Self {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connects");
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("an HTTP/1.1 handshake");
        tokio::spawn(connection);
        Self { sender }
    }

    /// Calls `operation`; returns the status and the JSON body.
    async fn call(&mut self, operation: &str, input: Value) -> (u16, Value) {
        let request = http::Request::post("/")
            .header("host", "127.0.0.1")
            .header("content-type", CONTENT_TYPE)
            .header("x-amz-target", format!("{TARGET_PREFIX}.{operation}"))
            .body(Full::new(Bytes::from(input.to_string())))
            .expect("a valid request");
        self.sender.ready().await.expect("the connection is usable");
        let response = self.sender.send_request(request).await.expect("an answer");
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        let json = serde_json::from_slice(&body).expect("a JSON body");
        (status, json)
    }

    /// Calls `operation` and requires a 200.
    async fn ok(&mut self, operation: &str, input: Value) -> Value {
        let (status, body) = self.call(operation, input).await;
        assert_eq!(status, 200, "{operation}: {body}");
        body
    }

    /// Every item of a paged listing, `MaxResults` at a time.
    async fn all(&mut self, operation: &str, input: Value, key: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut input = input;
        input["MaxResults"] = json!(7);
        loop {
            let page = self.ok(operation, input.clone()).await;
            items.extend(page[key].as_array().cloned().unwrap_or_default());
            match page.get("NextToken").and_then(Value::as_str) {
                Some(token) => input["NextToken"] = json!(token),
                None => return items,
            }
        }
    }
}

fn principal(n: usize) -> String {
    format!("{n:08x}-0000-4000-8000-{n:012x}")
}

fn assignment(permission_set: &str, account: &str, principal_id: &str) -> Value {
    json!({
        "InstanceArn": INSTANCE,
        "TargetId": account,
        "TargetType": "AWS_ACCOUNT",
        "PermissionSetArn": permission_set,
        "PrincipalType": "USER",
        "PrincipalId": principal_id,
    })
}

/// What one task's successful calls did.
#[derive(Default)]
struct Outcome {
    created_sets: Vec<(String, String)>,
    deleted_sets: Vec<String>,
    conflicts: usize,
    /// `(permission set, account, principal)` created, then deleted.
    created_assignments: Vec<(String, String, String)>,
    deleted_assignments: Vec<(String, String, String)>,
    requests: usize,
}

async fn client_task(port: u16, task: usize) -> Outcome {
    let mut client = Client::connect(port).await;
    let mut outcome = Outcome::default();
    let create = async |client: &mut Client, name: String| {
        let (status, body) = client
            .call(
                "CreatePermissionSet",
                json!({"InstanceArn": INSTANCE, "Name": name}),
            )
            .await;
        match status {
            200 => Ok(body["PermissionSet"]["PermissionSetArn"]
                .as_str()
                .expect("an ARN")
                .to_owned()),
            409 => {
                assert_eq!(body["__type"], "ConflictException", "{body}");
                Err(())
            }
            _ => panic!("CreatePermissionSet {name}: {status} {body}"),
        }
    };

    let own_name = format!("own-{task}");
    let own = create(&mut client, own_name.clone())
        .await
        .expect("a unique name");
    outcome.created_sets.push((own_name, own.clone()));
    outcome.requests += 1;

    // Every task races for the same names: exactly one wins each.
    let mut shared = Vec::new();
    for j in 0..SHARED_NAMES {
        let name = format!("shared-{j}");
        outcome.requests += 1;
        match create(&mut client, name.clone()).await {
            Ok(arn) => {
                outcome.created_sets.push((name, arn.clone()));
                shared.push((j, arn));
            }
            Err(()) => outcome.conflicts += 1,
        }
    }

    for k in 0..TEMPORARY_SETS {
        let name = format!("tmp-{task}-{k}");
        let arn = create(&mut client, name.clone())
            .await
            .expect("a unique name");
        outcome.created_sets.push((name, arn.clone()));
        client
            .ok(
                "DeletePermissionSet",
                json!({"InstanceArn": INSTANCE, "PermissionSetArn": arn}),
            )
            .await;
        outcome.deleted_sets.push(arn);
        outcome.requests += 2;
    }

    for j in 0..ASSIGNMENTS {
        let account = ACCOUNTS[j % ACCOUNTS.len()];
        let who = principal(task * 100 + j);
        let status = client
            .ok("CreateAccountAssignment", assignment(&own, account, &who))
            .await;
        assert_eq!(
            status["AccountAssignmentCreationStatus"]["Status"],
            "IN_PROGRESS"
        );
        outcome
            .created_assignments
            .push((own.clone(), account.to_owned(), who));
        outcome.requests += 1;
    }
    for j in (0..ASSIGNMENTS).step_by(2) {
        let account = ACCOUNTS[j % ACCOUNTS.len()];
        let who = principal(task * 100 + j);
        client
            .ok("DeleteAccountAssignment", assignment(&own, account, &who))
            .await;
        outcome
            .deleted_assignments
            .push((own.clone(), account.to_owned(), who));
        outcome.requests += 1;
    }

    // The winner of an even shared name deletes it again.
    for (j, arn) in shared {
        if j % 2 == 0 {
            client
                .ok(
                    "DeletePermissionSet",
                    json!({"InstanceArn": INSTANCE, "PermissionSetArn": arn}),
                )
                .await;
            outcome.deleted_sets.push(arn);
            outcome.requests += 1;
        }
    }

    // A set that still has assignments cannot be deleted.
    let (status, body) = client
        .call(
            "DeletePermissionSet",
            json!({"InstanceArn": INSTANCE, "PermissionSetArn": own}),
        )
        .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (409, Some("ConflictException"))
    );
    outcome.requests += 1;
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_leave_exactly_the_implied_state() {
    let server = Server::start(&[]);
    let port = server.port;
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| tokio::spawn(client_task(port, task)))
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        let outcome = tokio::time::timeout(Duration::from_secs(60), task)
            .await
            .expect("the clients finish within a minute")
            .expect("a client task does not panic");
        outcomes.push(outcome);
    }
    let requests: usize = outcomes.iter().map(|outcome| outcome.requests).sum();
    assert!(requests >= TASKS * 40, "{requests} requests");

    // Each shared name was won exactly once.
    let mut winners: BTreeMap<String, usize> = BTreeMap::new();
    for (name, _) in outcomes.iter().flat_map(|outcome| &outcome.created_sets) {
        *winners.entry(name.clone()).or_default() += 1;
    }
    assert!(winners.values().all(|&count| count == 1), "{winners:?}");
    let conflicts: usize = outcomes.iter().map(|outcome| outcome.conflicts).sum();
    assert_eq!(conflicts, TASKS * SHARED_NAMES - SHARED_NAMES);

    // Permission sets: created minus deleted.
    let deleted: BTreeSet<&String> = outcomes
        .iter()
        .flat_map(|outcome| &outcome.deleted_sets)
        .collect();
    let expected: BTreeSet<String> = outcomes
        .iter()
        .flat_map(|outcome| &outcome.created_sets)
        .map(|(_, arn)| arn)
        .filter(|arn| !deleted.contains(arn))
        .cloned()
        .collect();
    assert_eq!(expected.len(), TASKS + SHARED_NAMES / 2);
    let mut client = Client::connect(port).await;
    let listed = client
        .all(
            "ListPermissionSets",
            json!({"InstanceArn": INSTANCE}),
            "PermissionSets",
        )
        .await;
    let listed_set: BTreeSet<String> = listed
        .iter()
        .map(|arn| arn.as_str().expect("an ARN").to_owned())
        .collect();
    assert_eq!(listed.len(), listed_set.len(), "no ARN is listed twice");
    assert_eq!(listed_set, expected);

    // Account assignments: created minus deleted, per permission set and account.
    let mut expected_assignments: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for outcome in &outcomes {
        for (set, account, who) in &outcome.created_assignments {
            expected_assignments
                .entry((set.clone(), account.clone()))
                .or_default()
                .insert(who.clone());
        }
        for (set, account, who) in &outcome.deleted_assignments {
            if let Some(principals) = expected_assignments.get_mut(&(set.clone(), account.clone()))
            {
                principals.remove(who);
            }
        }
    }
    for ((set, account), principals) in &expected_assignments {
        let listed = client
            .all(
                "ListAccountAssignments",
                json!({"InstanceArn": INSTANCE, "AccountId": account, "PermissionSetArn": set}),
                "AccountAssignments",
            )
            .await;
        let listed: BTreeSet<String> = listed
            .iter()
            .map(|item| {
                item["PrincipalId"]
                    .as_str()
                    .expect("a principal")
                    .to_owned()
            })
            .collect();
        assert_eq!(&listed, principals, "{set} in {account}");
    }
    for account in ACCOUNTS {
        let provisioned = client
            .all(
                "ListPermissionSetsProvisionedToAccount",
                json!({"InstanceArn": INSTANCE, "AccountId": account}),
                "PermissionSets",
            )
            .await;
        assert_eq!(
            provisioned.len(),
            TASKS,
            "every own set is still on {account}"
        );
    }

    // Every asynchronous request was recorded once, and succeeded.
    for (operation, key, count) in [
        (
            "ListAccountAssignmentCreationStatus",
            "AccountAssignmentsCreationStatus",
            TASKS * ASSIGNMENTS,
        ),
        (
            "ListAccountAssignmentDeletionStatus",
            "AccountAssignmentsDeletionStatus",
            TASKS * ASSIGNMENTS / 2,
        ),
    ] {
        let statuses = client
            .all(operation, json!({"InstanceArn": INSTANCE}), key)
            .await;
        assert_eq!(statuses.len(), count, "{operation}");
        assert!(statuses
            .iter()
            .all(|status| status["Status"] == "SUCCEEDED"));
        let ids: BTreeSet<&str> = statuses
            .iter()
            .filter_map(|status| status["RequestId"].as_str())
            .collect();
        assert_eq!(ids.len(), count, "{operation}: request ids are unique");
    }
}
