//! Serving an [`AwsJsonService`] over HTTP/1.1 with hyper.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures_util::future::{select, Either};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::service::AwsJsonService;

/// How long a client may take to send a request's headers before its connection is closed.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `service` on every connection `listener` accepts (HTTP/1.1, keep-alive), each on its
/// own task of the current tokio runtime, until `shutdown` completes. A connection whose
/// request headers take more than 30 seconds to arrive is closed.
///
/// On shutdown the listener is closed, idle connections are closed, and the call returns once
/// the requests in flight have been answered (bound the wait with `tokio::time::timeout` if
/// needed). Errors accepting a connection (such as running out of file descriptors) are logged
/// and retried after a short pause; they do not stop the server.
pub async fn serve(
    listener: TcpListener,
    service: AwsJsonService,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = match select(pin!(listener.accept()), shutdown.as_mut()).await {
            Either::Left((accepted, _)) => accepted,
            Either::Right(((), _)) => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "could not accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let connection = http1::Builder::new().serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(service.clone()),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
