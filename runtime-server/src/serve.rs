//! Serving an [`AwsJsonService`] over HTTP/1.1 with hyper, within [`ServerLimits`].

use std::convert::Infallible;
use std::future::poll_fn;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use futures_util::future::{select, Either};
use futures_util::task::AtomicWaker;
use futures_util::FutureExt;
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
    stopped: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let limits: ServerLimits = *service.limits();
    let activity = Arc::new(Activity::new());
    let content_type = service.metadata().protocol.content_type();
    let handler = {
        let activity = Arc::clone(&activity);
        service_fn(move |request| {
            let guard = activity.begin_request();
            let request = request.map(|body| TimedBody::new(body, limits.body_read_timeout));
            // A combinator, not an `async` block, which would hold the request beside the
            // future it is moved into.
            service.handle(request).map(move |response| {
                drop(guard);
                Ok::<_, Infallible>(response)
            })
        })
    };
    #[cfg(feature = "http2")]
    let http2 = {
        // A client that has sent nothing yet is closed at once on shutdown, as in `drive`.
        let mut stopped = stopped.clone();
        let stop = async move {
            let already = *stopped.borrow_and_update();
            if already || stopped.changed().await.is_ok() {
                return;
            }
            std::future::pending::<()>().await;
        };
        let preface = starts_with_http2_preface(&stream, limits.header_read_timeout);
        match select(pin!(preface), pin!(stop)).await {
            Either::Left((http2, _)) => http2,
            Either::Right(((), _)) => return,
        }
    };
    #[cfg(feature = "http2")]
    if http2 {
        let mut http2 =
            hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new());
        http2
            .max_header_list_size(u32::try_from(limits.max_header_bytes).unwrap_or(u32::MAX))
            .max_concurrent_streams(limits.max_concurrent_streams);
        let io = TokioIo::new(Guarded::new(stream, Arc::clone(&activity), content_type));
        let connection = http2.serve_connection(io, handler);
        return drive(connection, &activity, &limits, peer, stopped).await;
    }
    let io = TokioIo::new(Guarded::new(stream, Arc::clone(&activity), content_type));
    let connection = http.serve_connection(io, handler);
    drive(connection, &activity, &limits, peer, stopped).await;
}

/// What [`drive`] needs of a hyper connection, HTTP/1.1 or HTTP/2.
trait GracefulConnection: Future<Output = Result<(), hyper::Error>> {
    fn shut_down(self: Pin<&mut Self>);
}

impl<I, S> GracefulConnection for http1::Connection<I, S>
where
    S: hyper::service::HttpService<hyper::body::Incoming>,
    S::ResBody: 'static,
    <S::ResBody as http_body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
{
    fn shut_down(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

#[cfg(feature = "http2")]
impl<I, S, E> GracefulConnection for hyper::server::conn::http2::Connection<I, S, E>
where
    S: hyper::service::HttpService<hyper::body::Incoming>,
    S::ResBody: 'static,
    <S::ResBody as http_body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
    E: hyper::rt::bounds::Http2ServerConnExec<S::Future, S::ResBody>,
{
    fn shut_down(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

/// Whether the client opens with the HTTP/2 preface (prior knowledge), peeking without
/// consuming; gives up (HTTP/1.1) once a byte differs or after `timeout`.
#[cfg(feature = "http2")]
async fn starts_with_http2_preface(stream: &TcpStream, timeout: Duration) -> bool {
    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let deadline = tokio::time::Instant::now() + timeout;
    let mut buffer = [0u8; 24];
    let mut seen = 0;
    loop {
        let peeked = match tokio::time::timeout_at(deadline, stream.peek(&mut buffer)).await {
            Ok(Ok(peeked)) => peeked,
            _ => return false,
        };
        if peeked == 0 || buffer[..peeked] != PREFACE[..peeked] {
            return false;
        }
        if peeked == PREFACE.len() {
            return true;
        }
        if peeked == seen {
            // Part of the preface is in: wait a little for the rest.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        seen = peeked;
    }
}

/// Set when the futures polled with its waker want to be polled again.
#[derive(Default)]
struct WokenFlag {
    woken: AtomicBool,
    task: AtomicWaker,
}

impl Wake for WokenFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake();
    }
}

/// `select(main, side)`, except that `side` is polled only after its own waker fired (and once
/// at first): a busy connection wakes its task for every read and write, and polling the
/// timers and the shutdown signal each time cost as much as the rest of the loop.
async fn select_when_woken<A, B>(
    mut main: A,
    mut side: B,
    flag: &Arc<WokenFlag>,
) -> Either<A::Output, B::Output>
where
    A: Future + Unpin,
    B: Future + Unpin,
{
    flag.woken.store(true, Ordering::Release);
    let side_waker = Waker::from(Arc::clone(flag));
    poll_fn(|cx| {
        if let Poll::Ready(output) = Pin::new(&mut main).poll(cx) {
            return Poll::Ready(Either::Left(output));
        }
        // Registered before the flag is read, so that a wake after the read reaches this task.
        flag.task.register(cx.waker());
        if flag.woken.swap(false, Ordering::AcqRel) {
            let mut side_cx = Context::from_waker(&side_waker);
            if let Poll::Ready(output) = Pin::new(&mut side).poll(&mut side_cx) {
                return Poll::Ready(Either::Right(output));
            }
        }
        Poll::Pending
    })
    .await
}

/// Drives one connection until it ends, times out, or the server stops.
async fn drive<C: GracefulConnection>(
    connection: C,
    activity: &Activity,
    limits: &ServerLimits,
    peer: SocketAddr,
    mut stopped: watch::Receiver<bool>,
) {
    let mut connection = pin!(connection);
    let mut check = pin!(tokio::time::sleep(limits.header_read_timeout / 2));
    let timers_woken = Arc::new(WokenFlag::default());
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
        match select_when_woken(connection.as_mut(), timers, &timers_woken).await {
            Either::Left(result) => {
                if let Err(error) = result {
                    tracing::debug!(%error, %peer, "connection ended with an error");
                }
                return;
            }
            Either::Right(Either::Left(((), _))) => match activity.check(limits) {
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
            Either::Right(Either::Right(((), _))) => {
                draining = true;
                connection.as_mut().shut_down();
            }
        }
    }
}
