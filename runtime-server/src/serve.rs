//! Serving an [`AwsJsonService`] over HTTP/1.1 with hyper, within [`ServerLimits`].

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::{select, Either};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use crate::body::TimedBody;
use crate::connection::{Activity, Guarded, Verdict};
use crate::limits::ServerLimits;
use crate::service::AwsJsonService;

/// The first and the longest pause after `accept` fails.
const BACKOFF_MIN: Duration = Duration::from_millis(10);
const BACKOFF_MAX: Duration = Duration::from_secs(1);

/// Serves `service` on every connection `listener` accepts (HTTP/1.1, keep-alive), each on its
/// own task of the current tokio runtime, until `shutdown` completes, within the service's
/// [`ServerLimits`]:
///
/// - a connection whose request head takes longer than the header-read timeout, or that stays
///   idle longer than the idle timeout, is closed; bodies are bounded by the body-read timeout
///   (HTTP 408);
/// - at most `max_connections` connections are served at once; further ones wait in the listen
///   backlog until one closes;
/// - when `accept` fails (out of file descriptors, for instance), the loop pauses, doubling the
///   pause from 10 ms up to 1 s while the failures last, and logs once per pause;
/// - requests hyper refuses itself (bad `Content-Length`, URI too long, headers too large) are
///   answered with an AWS error body and a request id, like every other refusal.
///
/// On shutdown the listener is closed at once and connections without a request in progress
/// (idle, or still sending their request's head) are closed at once; requests in flight are
/// answered, then their connections closed. After the shutdown timeout the remaining
/// connections are dropped and the call returns.
pub async fn serve(
    listener: TcpListener,
    service: AwsJsonService,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let limits = *service.limits();
    let mut http = http1::Builder::new();
    http.header_read_timeout(None)
        .max_header_size(limits.max_header_bytes);
    let (stop, stopped) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = JoinSet::new();
    let mut backoff = BACKOFF_MIN;
    let mut failures: u64 = 0;
    let mut shutdown = pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let permit = match select(
            pin!(Arc::clone(&permits).acquire_owned()),
            shutdown.as_mut(),
        )
        .await
        {
            Either::Left((Ok(permit), _)) => permit,
            Either::Left((Err(_), _)) | Either::Right(((), _)) => break,
        };
        let accepted = match select(pin!(listener.accept()), shutdown.as_mut()).await {
            Either::Left((accepted, _)) => accepted,
            Either::Right(((), _)) => break,
        };
        match accepted {
            Ok((stream, peer)) => {
                if failures > 0 {
                    tracing::info!(failures, "accepting connections again");
                }
                backoff = BACKOFF_MIN;
                failures = 0;
                connections.spawn(serve_connection(
                    stream,
                    peer,
                    service.clone(),
                    http.clone(),
                    stopped.clone(),
                    permit,
                ));
            }
            // The peer gave up before we accepted: nothing to wait for.
            Err(error) if is_peer_error(&error) => {}
            Err(error) => {
                failures += 1;
                tracing::warn!(
                    %error,
                    failures,
                    pause_ms = u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX),
                    "could not accept a connection; pausing"
                );
                drop(permit);
                let pause = pin!(tokio::time::sleep(backoff));
                if let Either::Right(((), _)) = select(pause, shutdown.as_mut()).await {
                    break;
                }
                backoff = (backoff * 2).min(BACKOFF_MAX);
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(limits.shutdown_timeout, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = connections.len(),
            "requests still in flight after the shutdown timeout; closing their connections"
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// Errors of `accept` caused by one peer, not by the server.
fn is_peer_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    )
}

/// Serves one connection until it ends, times out, or the server stops.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    service: AwsJsonService,
    http: http1::Builder,
    mut stopped: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let limits: ServerLimits = *service.limits();
    let activity = Arc::new(Activity::new());
    let content_type = service.metadata().protocol.content_type();
    let io = TokioIo::new(Guarded::new(stream, Arc::clone(&activity), content_type));
    let handler = {
        let activity = Arc::clone(&activity);
        service_fn(move |request| {
            let guard = activity.begin_request();
            let service = service.clone();
            let request = request.map(|body| TimedBody::new(body, limits.body_read_timeout));
            async move {
                let response = service.handle(request).await;
                drop(guard);
                Ok::<_, Infallible>(response)
            }
        })
    };
    let mut connection = pin!(http.serve_connection(io, handler));
    let mut check = pin!(tokio::time::sleep(limits.header_read_timeout / 2));
    let mut draining = *stopped.borrow();
    loop {
        if draining && !activity.busy() {
            // Idle, or still sending a request head: nothing in flight to finish.
            return;
        }
        let already_draining = draining;
        let stop_signal = async {
            if already_draining || stopped.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        let stop_signal = pin!(stop_signal);
        let timers = select(check.as_mut(), stop_signal);
        match select(connection.as_mut(), timers).await {
            Either::Left((result, _)) => {
                if let Err(error) = result {
                    tracing::debug!(%error, %peer, "connection ended with an error");
                }
                return;
            }
            Either::Right((Either::Left(((), _)), _)) => match activity.check(&limits) {
                Verdict::CheckAt(at) => check.as_mut().reset(at.into()),
                Verdict::HeaderTimeout => {
                    tracing::debug!(%peer, "closing a connection: request head too slow");
                    return;
                }
                Verdict::Idle => {
                    tracing::debug!(%peer, "closing an idle connection");
                    return;
                }
            },
            Either::Right((Either::Right(((), _)), _)) => {
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}
