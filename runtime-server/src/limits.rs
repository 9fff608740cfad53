//! The limits that protect a server from slow, silent or greedy clients.

use std::time::Duration;

/// Timeouts and caps applied by [`serve`](crate::serve) and by the service itself, set with
/// [`ServiceBuilder::limits`](crate::ServiceBuilder::limits).
///
/// The defaults ([`ServerLimits::default`]) are meant for production:
///
/// | limit | default | what happens when it is reached |
/// | --- | --- | --- |
/// | [`header_read_timeout`](Self::with_header_read_timeout) | 10 s | the connection is closed |
/// | [`body_read_timeout`](Self::with_body_read_timeout) | 30 s | HTTP 408 `RequestTimeoutException`, then the connection is closed |
/// | [`idle_timeout`](Self::with_idle_timeout) | 60 s | the connection is closed |
/// | [`max_connections`](Self::with_max_connections) | 1,024 | further connections wait in the listen backlog |
/// | [`max_concurrent_streams`](Self::with_max_concurrent_streams) | 32 | HTTP/2 only: the server advertises it in `SETTINGS_MAX_CONCURRENT_STREAMS` and refuses further streams (`REFUSED_STREAM`) |
/// | [`max_header_bytes`](Self::with_max_header_bytes) | 32 KiB | HTTP 431 with an AWS error body |
/// | [`shutdown_timeout`](Self::with_shutdown_timeout) | 10 s | requests still in flight are dropped |
///
/// - The header-read timeout runs from the first byte of a request (from the accept, for a
///   connection's first request) to the end of its headers, whatever the rate at which the
///   bytes arrive, so a client trickling one byte a second is closed like a silent one.
/// - The body-read timeout is a total for the whole body (a 1 MiB body needs 35 KB/s).
/// - A connection is idle when no request is being handled and no byte has been read or written
///   for that long; keep-alive connections waiting for their next request are closed after it.
/// - The connection cap is enforced before `accept`: extra connections wait in the kernel's
///   listen backlog (and time out there, from the client's point of view) instead of costing a
///   file descriptor and a task. Keep it below the process's descriptor limit.
/// - Requests in flight are bounded by `max_connections` for HTTP/1.1 (one at a time per
///   connection) and by `max_connections` × `max_concurrent_streams` for HTTP/2 (32,768 with
///   the defaults).
/// - When `accept` itself fails (for instance with `EMFILE`, out of file descriptors), the loop
///   backs off exponentially from 10 ms to 1 s and logs once per back-off instead of spinning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimits {
    pub(crate) header_read_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) max_concurrent_streams: u32,
    pub(crate) max_header_bytes: usize,
    pub(crate) shutdown_timeout: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_concurrent_streams: 32,
            max_header_bytes: 32 * 1024,
            shutdown_timeout: Duration::from_secs(10),
        }
    }
}

impl ServerLimits {
    /// The production defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    /// How long a client may take from the first byte of a request to the end of its headers.
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// How long a client may take to send a request's whole body once its headers are in.
    pub fn with_body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// How long a connection may stay without a request in progress and without any traffic.
    pub fn with_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How many connections are served at once (at least 1).
    pub fn with_max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// How many requests (streams) one HTTP/2 connection may have in flight at once (at least
    /// 1). HTTP/1.1 connections handle one request at a time.
    pub fn with_max_concurrent_streams(mut self, streams: u32) -> Self {
        self.max_concurrent_streams = streams.max(1);
        self
    }

    /// The largest request head (request line and headers) accepted, in bytes (at least 1 KiB).
    pub fn with_max_header_bytes(mut self, bytes: usize) -> Self {
        self.max_header_bytes = bytes.max(1024);
        self
    }

    /// How long [`serve`](crate::serve) lets requests in flight finish after the shutdown
    /// signal before it drops their connections.
    pub fn with_shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// See [`with_header_read_timeout`](Self::with_header_read_timeout).
    pub fn header_read_timeout(&self) -> Duration {
        self.header_read_timeout
    }

    /// See [`with_body_read_timeout`](Self::with_body_read_timeout).
    pub fn body_read_timeout(&self) -> Duration {
        self.body_read_timeout
    }

    /// See [`with_idle_timeout`](Self::with_idle_timeout).
    pub fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }

    /// See [`with_max_connections`](Self::with_max_connections).
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// See [`with_max_concurrent_streams`](Self::with_max_concurrent_streams).
    pub fn max_concurrent_streams(&self) -> u32 {
        self.max_concurrent_streams
    }

    /// See [`with_max_header_bytes`](Self::with_max_header_bytes).
    pub fn max_header_bytes(&self) -> usize {
        self.max_header_bytes
    }

    /// See [`with_shutdown_timeout`](Self::with_shutdown_timeout).
    pub fn shutdown_timeout(&self) -> Duration {
        self.shutdown_timeout
    }
}
