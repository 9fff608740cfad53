//! One accepted connection: its activity (for the header-read and idle timeouts) and an I/O
//! wrapper that replaces the bare refusals hyper writes on its own with AWS error responses.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::{ErrorCode, Rejection};
use crate::limits::ServerLimits;
use crate::request_id::new_request_id;

/// `head_started` when no request head is being read.
const NO_HEAD: u64 = u64::MAX;

/// What a connection has been doing, shared between its I/O and its requests.
pub(crate) struct Activity {
    /// The origin of the millisecond clocks below.
    origin: Instant,
    /// Requests handed to the service and not answered yet.
    in_flight: AtomicUsize,
    /// When a byte was last read or written.
    last_io: AtomicU64,
    /// When the first byte of the request head being read arrived ([`NO_HEAD`] if none); for
    /// a new connection, when it was accepted, so that a client that never sends a byte is
    /// closed after the header-read timeout, not the (longer) idle timeout.
    head_started: AtomicU64,
}

/// What [`Activity::check`] decides.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Check again at this instant.
    CheckAt(Instant),
    /// A request head took longer than the header-read timeout.
    HeaderTimeout,
    /// No request and no traffic for longer than the idle timeout.
    Idle,
}

impl Activity {
    pub(crate) fn new() -> Self {
        Self {
            origin: Instant::now(),
            in_flight: AtomicUsize::new(0),
            last_io: AtomicU64::new(0),
            head_started: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
    }

    fn at(&self, ms: u64) -> Instant {
        self.origin + Duration::from_millis(ms)
    }

    fn on_read(&self) {
        let now = self.now_ms();
        self.last_io.store(now, Ordering::Relaxed);
        if self.in_flight.load(Ordering::Relaxed) == 0 {
            let _ = self.head_started.compare_exchange(
                NO_HEAD,
                now,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
    }

    fn on_write(&self) {
        self.last_io.store(self.now_ms(), Ordering::Relaxed);
    }

    /// Marks a request as handed to the service until the guard is dropped.
    pub(crate) fn begin_request(self: &Arc<Self>) -> RequestGuard {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.head_started.store(NO_HEAD, Ordering::Relaxed);
        RequestGuard(Arc::clone(self))
    }

    /// Whether a request is being handled.
    pub(crate) fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) > 0
    }

    /// Applies the header-read and idle timeouts. The header-read timeout is checked at least
    /// every half of it, so a slow head is closed between 1 and 1.5 times the timeout.
    pub(crate) fn check(&self, limits: &ServerLimits) -> Verdict {
        let now = self.now_ms();
        let header = duration_ms(limits.header_read_timeout);
        let idle = duration_ms(limits.idle_timeout);
        let poll_period = (header / 2).max(1);
        if self.busy() {
            return Verdict::CheckAt(self.at(now.saturating_add(poll_period.min(idle))));
        }
        let head_started = self.head_started.load(Ordering::Relaxed);
        if head_started != NO_HEAD {
            let deadline = head_started.saturating_add(header);
            if now >= deadline {
                return Verdict::HeaderTimeout;
            }
            return Verdict::CheckAt(self.at(deadline));
        }
        let deadline = self.last_io.load(Ordering::Relaxed).saturating_add(idle);
        if now >= deadline {
            return Verdict::Idle;
        }
        Verdict::CheckAt(self.at(deadline.min(now.saturating_add(poll_period))))
    }
}

fn duration_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX / 2)
}

/// Counts a request in flight while it lives.
pub(crate) struct RequestGuard(Arc<Activity>);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        let activity = &self.0;
        activity.in_flight.fetch_sub(1, Ordering::Relaxed);
        activity.last_io.store(activity.now_ms(), Ordering::Relaxed);
    }
}

/// The socket of a connection, as hyper sees it.
///
/// - Records reads and writes in the connection's [`Activity`].
/// - hyper answers some malformed requests itself (a bad `Content-Length` or request line with
///   400, a URI too long with 414, headers too large with 431) with a bare head and no body,
///   before the service sees them. Such a head is recognised (an error status, no body, and no
///   `x-amzn-RequestId`, which every response of the service carries) and replaced by an AWS
///   error response with a JSON body and a request id.
pub(crate) struct Guarded<S> {
    inner: S,
    activity: Arc<Activity>,
    content_type: &'static str,
    /// A replacement response still to be written, and how much of it was.
    pending: Option<(Vec<u8>, usize)>,
}

impl<S> Guarded<S> {
    pub(crate) fn new(inner: S, activity: Arc<Activity>, content_type: &'static str) -> Self {
        Self {
            inner,
            activity,
            content_type,
            pending: None,
        }
    }
}

impl<S: AsyncWrite + Unpin> Guarded<S> {
    /// Writes what is left of the replacement response.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, written)) = &mut self.pending {
            if *written == bytes.len() {
                self.pending = None;
                break;
            }
            match Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => {
                    *written += n;
                    self.activity.on_write();
                }
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }

    /// Replaces `head` if it is one of hyper's own refusals; `true` if it was.
    fn replace(&mut self, head: &[u8]) -> bool {
        let Some(status) = bare_refusal(head) else {
            return false;
        };
        let request_id = new_request_id();
        let rejection = refusal(status);
        tracing::info!(
            request_id = %request_id,
            status = status.as_u16(),
            error_code = rejection.code.as_str(),
            "refused a malformed request"
        );
        self.pending = Some((
            encode_response(&rejection, &request_id, self.content_type),
            0,
        ));
        true
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.on_read();
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.poll_pending(cx)?.is_pending() {
            return Poll::Pending;
        }
        if this.replace(buf) {
            return Poll::Ready(Ok(buf.len()));
        }
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.on_write();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.poll_pending(cx)?.is_pending() {
            return Poll::Pending;
        }
        let mut non_empty = bufs.iter().filter(|buf| !buf.is_empty());
        if let (Some(first), None) = (non_empty.next(), non_empty.next()) {
            if this.replace(first) {
                return Poll::Ready(Ok(first.len()));
            }
        }
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.on_write();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.poll_pending(cx)?.is_pending() {
            return Poll::Pending;
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.poll_pending(cx)?.is_pending() {
            return Poll::Pending;
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The status of `bytes` if they are a whole response head written by hyper itself: an error
/// status, `content-length: 0`, nothing after the head and no request id.
fn bare_refusal(bytes: &[u8]) -> Option<StatusCode> {
    let rest = bytes
        .strip_prefix(b"HTTP/1.1 ")
        .or_else(|| bytes.strip_prefix(b"HTTP/1.0 "))?;
    let status = StatusCode::from_bytes(rest.get(..3)?).ok()?;
    if !(status.is_client_error() || status.is_server_error()) || !bytes.ends_with(b"\r\n\r\n") {
        return None;
    }
    let head = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let bare =
        head.contains("\r\ncontent-length: 0\r\n") && !head.contains("\r\nx-amzn-requestid:");
    bare.then_some(status)
}

/// The AWS error for a request hyper refused while parsing it.
fn refusal(status: StatusCode) -> Rejection {
    let message = match status {
        StatusCode::URI_TOO_LONG => "The request URI is too long",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "The request headers are too large",
        _ => "The request is not valid HTTP/1.1 (request line, header or Content-Length)",
    };
    Rejection::new(status, ErrorCode::BadRequest, message)
}

/// A whole HTTP/1.1 response carrying `rejection` in the AWS error envelope; the connection
/// closes after it, as it would have after hyper's own.
pub(crate) fn encode_response(
    rejection: &Rejection,
    request_id: &str,
    content_type: &str,
) -> Vec<u8> {
    let body = rejection.to_json_body();
    let mut out = Vec::with_capacity(body.len() + 192);
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(rejection.status.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(
        rejection
            .status
            .canonical_reason()
            .unwrap_or("Error")
            .as_bytes(),
    );
    for (name, value) in [
        ("content-type", content_type),
        ("content-length", &body.len().to_string()),
        ("x-amzn-requestid", request_id),
        ("connection", "close"),
    ] {
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
    }
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bare_error_heads_are_replaced() {
        let hyper_431 = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Tue, 01 Dec 2026 00:00:00 GMT\r\n\r\n";
        assert_eq!(
            bare_refusal(hyper_431),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nx-amzn-requestid: 1\r\n\r\n";
        assert_eq!(bare_refusal(ours), None);
        let continue_100 = b"HTTP/1.1 100 Continue\r\n\r\n";
        assert_eq!(bare_refusal(continue_100), None);
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(bare_refusal(with_body), None);
        assert_eq!(bare_refusal(b"{\"a\":1}"), None);
    }

    #[test]
    fn replacement_responses_carry_the_envelope() {
        let response = encode_response(
            &refusal(StatusCode::URI_TOO_LONG),
            "req-1",
            "application/x-amz-json-1.1",
        );
        let text = String::from_utf8(response).expect("ASCII");
        let (head, body) = text.split_once("\r\n\r\n").expect("a head");
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        assert!(head.contains("\r\nx-amzn-requestid: req-1"), "{head}");
        assert!(head.contains(&format!("\r\ncontent-length: {}", body.len())));
        let body: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(body["__type"], "BadRequestException");
    }

    #[test]
    fn idle_and_slow_heads_time_out() {
        let limits = ServerLimits::new()
            .with_header_read_timeout(Duration::ZERO)
            .with_idle_timeout(Duration::from_secs(3600));
        let activity = Arc::new(Activity::new());
        // A new connection must send its first request within the header-read timeout.
        assert_eq!(activity.check(&limits), Verdict::HeaderTimeout);
        activity.on_read();
        assert_eq!(activity.check(&limits), Verdict::HeaderTimeout);
        let guard = activity.begin_request();
        assert!(matches!(activity.check(&limits), Verdict::CheckAt(_)));
        drop(guard);
        assert!(matches!(activity.check(&limits), Verdict::CheckAt(_)));
        let limits = limits.with_idle_timeout(Duration::ZERO);
        assert_eq!(activity.check(&limits), Verdict::Idle);
    }
}
