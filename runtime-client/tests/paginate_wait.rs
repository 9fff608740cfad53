//! The generic paginator and waiter, against closures and against the local server.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_json_client::{AcceptorState, Paginator, SdkError, Waiter, WaiterError};
use common::*;
use futures_util::StreamExt;

#[tokio::test]
async fn paginates_an_operation_over_three_pages() {
    let server = TestServer::start_with(|request| {
        let body = match request.json().get("NextToken").and_then(|t| t.as_str()) {
            None => r#"{"Things":["a","b"],"NextToken":"t1"}"#,
            Some("t1") => r#"{"Things":["c"],"NextToken":"t2"}"#,
            Some("t2") => r#"{"Things":["d","e"]}"#,
            Some(_) => r#"{"Things":["unexpected"]}"#,
        };
        Canned::ok(body)
    })
    .await;
    let client = server.client();
    let paginator = |client: aws_json_client::Client| {
        Paginator::new(move |token| {
            let client = client.clone();
            async move {
                let output = client
                    .call::<ListThings>(ListThingsInput { next_token: token })
                    .await?;
                let next = output.next_token.clone();
                Ok::<_, SdkError<GetThingError>>((output, next))
            }
        })
    };

    let mut pages = paginator(client.clone()).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().things.len());
    }
    assert_eq!(sizes, [2, 1, 2]);

    let items = paginator(client.clone())
        .items(|page| page.things)
        .try_collect_all()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);

    // It is a `Stream` too.
    let first_two: Vec<_> = paginator(client)
        .items(|page| page.things)
        .take(2)
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(first_two, ["a", "b"]);
    assert_eq!(server.requests().len(), 3 + 3 + 1);
}

/// One scripted page: its items and the next token.
type PageResult = Result<(Vec<u32>, Option<String>), String>;

/// A paginator over `pages`, each `(items, next token)`, recording the tokens it was asked for.
fn scripted(
    pages: Vec<(Vec<u32>, Option<&'static str>)>,
    asked: Arc<Mutex<Vec<Option<String>>>>,
) -> impl FnMut(Option<String>) -> std::future::Ready<PageResult> {
    let mut pages = pages.into_iter();
    move |token| {
        asked.lock().unwrap().push(token);
        std::future::ready(match pages.next() {
            Some((items, next)) => Ok((items, next.map(str::to_owned))),
            None => Err("asked for a page past the end".to_owned()),
        })
    }
}

#[tokio::test]
async fn stops_on_an_empty_or_repeated_token_and_after_an_error() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let pages = Paginator::new(scripted(
        vec![(vec![1], Some("a")), (vec![2], Some("")), (vec![3], None)],
        asked.clone(),
    ))
    .pages()
    .try_collect_all()
    .await
    .unwrap();
    assert_eq!(pages, [vec![1], vec![2]]);
    assert_eq!(*asked.lock().unwrap(), [None, Some("a".to_owned())]);

    let asked = Arc::new(Mutex::new(Vec::new()));
    let items = Paginator::new(scripted(
        vec![
            (vec![1], Some("a")),
            (vec![2], Some("b")),
            (vec![3], Some("a")),
            (vec![4], None),
        ],
        asked.clone(),
    ))
    .items(|page| page)
    .try_collect_all()
    .await
    .unwrap();
    assert_eq!(items, [1, 2, 3], "a repeated token ends pagination");

    let asked = Arc::new(Mutex::new(Vec::new()));
    let mut stream = Paginator::new(scripted(vec![(vec![1], Some("a"))], asked.clone())).pages();
    assert_eq!(stream.next().await, Some(Ok(vec![1])));
    assert!(matches!(stream.next().await, Some(Err(_))));
    assert_eq!(stream.next().await, None, "an error ends the stream");

    let asked = Arc::new(Mutex::new(Vec::new()));
    let pages = Paginator::new(scripted(
        vec![(vec![1], Some("b")), (vec![2], Some("c")), (vec![3], None)],
        asked.clone(),
    ))
    .starting_token("a")
    .max_pages(2)
    .pages()
    .try_collect_all()
    .await
    .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(
        *asked.lock().unwrap(),
        [Some("a".to_owned()), Some("b".to_owned())]
    );
}

fn fast_waiter(max_wait: Duration) -> Waiter {
    Waiter::new(max_wait).delays(Duration::from_millis(1), Duration::from_millis(5))
}

#[tokio::test]
async fn waiter_succeeds_when_an_acceptor_says_so() {
    let polls = AtomicU32::new(0);
    let outcome = fast_waiter(Duration::from_secs(10))
        .wait(
            || {
                let n = polls.fetch_add(1, Ordering::SeqCst) + 1;
                async move { Ok::<_, String>(if n < 4 { "IN_PROGRESS" } else { "SUCCEEDED" }) }
            },
            |result| match result {
                Ok("SUCCEEDED") => Some(AcceptorState::Success),
                Ok("FAILED") => Some(AcceptorState::Failure),
                _ => None,
            },
        )
        .await
        .unwrap();
    assert_eq!(outcome.into_result(), Ok("SUCCEEDED"));
    assert_eq!(polls.load(Ordering::SeqCst), 4);

    // An error can be the success state (e.g. "deleted" waiters).
    let outcome = fast_waiter(Duration::from_secs(10))
        .wait(
            || async { Err::<(), _>("ResourceNotFoundException") },
            |result| result.is_err().then_some(AcceptorState::Success),
        )
        .await
        .unwrap();
    assert_eq!(outcome.as_result(), Err(&"ResourceNotFoundException"));
}

#[tokio::test]
async fn waiter_fails_on_a_failure_state_or_an_unmatched_error() {
    let error = fast_waiter(Duration::from_secs(10))
        .wait(
            || async { Ok::<_, std::io::Error>("FAILED") },
            |result| match result {
                Ok("FAILED") => Some(AcceptorState::Failure),
                _ => None,
            },
        )
        .await
        .unwrap_err();
    match &error {
        WaiterError::Failure(poll) => assert_eq!(poll.as_result().ok(), Some(&"FAILED")),
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("failure state"));

    let polls = AtomicU32::new(0);
    let error = fast_waiter(Duration::from_secs(10))
        .wait(
            || {
                let n = polls.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n < 2 {
                        Ok("PENDING")
                    } else {
                        Err(std::io::Error::other("boom"))
                    }
                }
            },
            |_| None,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, WaiterError::Operation(ref e) if e.to_string() == "boom"));
    assert_eq!(polls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn waiter_times_out() {
    let started = tokio::time::Instant::now();
    let error = fast_waiter(Duration::from_millis(100))
        .wait(
            || async { Ok::<_, std::io::Error>("PENDING") },
            |_| Some(AcceptorState::Retry),
        )
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    match error {
        WaiterError::Timeout {
            elapsed: waited,
            polls,
        } => {
            assert!(polls > 1, "{polls}");
            // The last poll happens before the maximum wait; timers may overshoot a little.
            assert!(waited >= Duration::from_millis(95), "{waited:?}");
            // Generous: a loaded 2-core CI machine may run the timer late.
            assert!(waited < Duration::from_secs(5), "{waited:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn waiter_polls_a_real_operation() {
    let server = TestServer::start(vec![
        Canned::ok(r#"{"Value":"CREATING"}"#),
        Canned::new(400, r#"{"__type":"ThrottlingException"}"#),
        Canned::ok(r#"{"Value":"ACTIVE"}"#),
    ])
    .await;
    let client = server.client();
    let outcome = fast_waiter(Duration::from_secs(10))
        .wait(
            || client.call::<GetThing>(input("t")),
            |result| match result {
                Ok(output) if output.value.as_deref() == Some("ACTIVE") => {
                    Some(AcceptorState::Success)
                }
                Err(SdkError::Service {
                    error: GetThingError::ResourceNotFoundException(_),
                    ..
                }) => Some(AcceptorState::Failure),
                _ => None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        outcome.into_result().unwrap().value.as_deref(),
        Some("ACTIVE")
    );
    // The throttled poll was retried inside the call.
    assert_eq!(server.requests().len(), 3);
}
