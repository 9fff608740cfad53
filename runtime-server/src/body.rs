//! Reading a request body without buffering more than a limit.

use std::fmt;
use std::future::Future;
use std::io::Read;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use http::header::CONTENT_ENCODING;
use http::{HeaderMap, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::time::Sleep;

use crate::error::{ErrorCode, Rejection};

/// The rejection for a body larger than `limit` bytes.
pub(crate) fn too_large(limit: usize) -> Rejection {
    Rejection::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::RequestEntityTooLarge,
        format!("Request body is larger than the maximum of {limit} bytes"),
    )
}

/// Reads the whole body, refusing (HTTP 413) as soon as more than `limit` bytes arrive or the
/// body announces more than that up front.
pub(crate) async fn read_limited<B>(body: B, limit: usize) -> Result<Bytes, Rejection>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if body.size_hint().lower() > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(too_large(limit));
    }
    match collect(Limited::new(body, limit)).await {
        Ok(bytes) => Ok(bytes),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large(limit)),
        Err(error) if error.is::<BodyTimeout>() => Err(Rejection::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::RequestTimeout,
            error.to_string(),
        )),
        Err(error) => {
            tracing::debug!(%error, "could not read the request body");
            Err(Rejection::bad_request(
                ErrorCode::Serialization,
                "Could not read the request body",
            ))
        }
    }
}

/// The body's data in one buffer. A body of one frame (what a request usually is) is kept as
/// it came, with neither a copy nor the list of frames that `BodyExt::collect` builds.
async fn collect<B: Body>(body: B) -> Result<Bytes, B::Error> {
    let mut body = pin!(body);
    let mut first: Option<Bytes> = None;
    let mut joined = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let Ok(mut data) = frame?.into_data() else {
            continue; // trailers carry no data
        };
        let chunk = data.copy_to_bytes(data.remaining());
        match &first {
            None => first = Some(chunk),
            Some(first) => {
                if joined.is_empty() {
                    joined.extend_from_slice(first);
                }
                joined.extend_from_slice(&chunk);
            }
        }
    }
    Ok(if joined.is_empty() {
        first.unwrap_or_default()
    } else {
        joined.freeze()
    })
}

/// The error of a [`TimedBody`] whose deadline passed.
#[derive(Debug)]
pub(crate) struct BodyTimeout(Duration);

impl fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The request body did not arrive within {} ms",
            self.0.as_millis()
        )
    }
}

impl std::error::Error for BodyTimeout {}

/// A request body that fails with [`BodyTimeout`] when it has not all arrived `timeout` after
/// it was first found not ready.
///
/// The timer (and the clock) is only touched the first time the body is not ready, so a body
/// that arrived with its headers (the common case) costs neither. The service reads the body
/// first thing, so the timeout runs from about when the request head was read.
pub(crate) struct TimedBody<B> {
    inner: B,
    timeout: Duration,
    timer: Option<Pin<Box<Sleep>>>,
}

impl<B> TimedBody<B> {
    /// `inner`, to be read within `timeout`.
    pub(crate) fn new(inner: B, timeout: Duration) -> Self {
        Self {
            inner,
            timeout,
            timer: None,
        }
    }
}

impl<B> Body for TimedBody<B>
where
    B: Body + Unpin,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Data = B::Data;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        let timeout = self.timeout;
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimeout(self.timeout)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The body with its `Content-Encoding`s undone: at most one `gzip` (clients compress request
/// bodies of operations with `requestCompression`, once), and any `identity`. The decoded body
/// may not exceed `limit` bytes either (HTTP 413), so a small gzip bomb cannot take the
/// memory; a body that is not valid gzip gets HTTP 400, another encoding HTTP 415, and so does
/// a second `gzip`: each layer could inflate to `limit`, so thousands of nested layers would be
/// gigabytes of inflating for one small request.
pub(crate) fn decode_content_encoding(
    headers: &HeaderMap,
    mut body: Bytes,
    limit: usize,
) -> Result<Bytes, Rejection> {
    let mut codings = Vec::new();
    for value in headers.get_all(CONTENT_ENCODING) {
        let Ok(value) = value.to_str() else {
            return Err(Rejection::bad_request(
                ErrorCode::Serialization,
                "The Content-Encoding header is not valid text",
            ));
        };
        codings.extend(
            value
                .split(',')
                .map(|coding| coding.trim().to_ascii_lowercase())
                .filter(|coding| !coding.is_empty()),
        );
    }
    let unsupported = |message: String| {
        Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::Serialization,
            message,
        )
    };
    let mut gzip = false;
    for coding in &codings {
        match coding.as_str() {
            "identity" => {}
            "gzip" | "x-gzip" if !gzip => gzip = true,
            "gzip" | "x-gzip" => {
                return Err(unsupported(
                    "Content-Encoding may name gzip only once".to_owned(),
                ))
            }
            other => {
                return Err(unsupported(format!(
                    "Content-Encoding `{other}` is not supported (only gzip)"
                )))
            }
        }
    }
    if gzip {
        body = gunzip(&body, limit)?;
    }
    Ok(body)
}

/// Decompresses gzip (one or more members), stopping with HTTP 413 as soon as the output
/// exceeds `limit` bytes.
fn gunzip(compressed: &[u8], limit: usize) -> Result<Bytes, Rejection> {
    let invalid = || {
        Rejection::bad_request(
            ErrorCode::Serialization,
            "The request body is not valid gzip",
        )
    };
    if compressed.is_empty() {
        return Err(invalid());
    }
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut decoded = Vec::new();
    flate2::read::MultiGzDecoder::new(compressed)
        .take(cap)
        .read_to_end(&mut decoded)
        .map_err(|error| {
            tracing::debug!(%error, "could not decompress the request body");
            invalid()
        })?;
    if decoded.len() > limit {
        return Err(too_large(limit));
    }
    Ok(Bytes::from(decoded))
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::io::Write;

    use super::*;

    fn gzip(data: &[u8]) -> Bytes {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        Bytes::from(encoder.finish().unwrap())
    }

    fn headers(encoding: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_ENCODING, encoding.parse().unwrap());
        headers
    }

    fn frames(chunks: &[&'static [u8]]) -> impl Body<Data = Bytes, Error = Infallible> {
        let frames = chunks
            .iter()
            .map(|chunk| Ok(Frame::data(Bytes::from_static(chunk))))
            .chain([Ok(Frame::trailers(HeaderMap::new()))]);
        http_body_util::StreamBody::new(futures_util::stream::iter(frames.collect::<Vec<_>>()))
    }

    #[tokio::test]
    async fn bodies_are_read_whole_from_any_number_of_frames() {
        for chunks in [&[][..], &[&b"{}"[..]], &[b"{\"a\"", b"", b":1", b"}"]] {
            let body = read_limited(frames(chunks), 100).await.unwrap();
            assert_eq!(body, chunks.concat(), "{chunks:?}");
        }
        let rejection = read_limited(frames(&[b"{\"a\"", b":1}"]), 6)
            .await
            .unwrap_err();
        assert_eq!(rejection.status, StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn gzip_bodies_are_decoded() {
        let body = gzip(br#"{"a": 1}"#);
        let decoded = decode_content_encoding(&headers("gzip"), body.clone(), 100).unwrap();
        assert_eq!(decoded.as_ref(), br#"{"a": 1}"#);
        let decoded = decode_content_encoding(&headers("identity, GZIP"), body, 100).unwrap();
        assert_eq!(decoded.as_ref(), br#"{"a": 1}"#);
        let plain = Bytes::from_static(b"{}");
        let same = decode_content_encoding(&HeaderMap::new(), plain.clone(), 100).unwrap();
        assert_eq!(same, plain);
    }

    #[test]
    fn the_limit_applies_to_the_decoded_size() {
        let bomb = gzip(&vec![b' '; 1 << 20]);
        assert!(bomb.len() < 2048);
        let rejection = decode_content_encoding(&headers("gzip"), bomb, 1000).unwrap_err();
        assert_eq!(rejection.status, StatusCode::PAYLOAD_TOO_LARGE);
        let exact = gzip(&[b' '; 1000]);
        assert!(decode_content_encoding(&headers("gzip"), exact, 1000).is_ok());
    }

    #[test]
    fn bad_gzip_and_other_encodings_are_refused() {
        let not_gzip = Bytes::from_static(b"{\"a\": 1}");
        let rejection = decode_content_encoding(&headers("gzip"), not_gzip, 100).unwrap_err();
        assert_eq!(rejection.status, StatusCode::BAD_REQUEST);
        assert_eq!(rejection.code, ErrorCode::Serialization);
        let mut truncated = gzip(b"{\"a\": 1}").to_vec();
        truncated.truncate(truncated.len() - 4);
        let rejection =
            decode_content_encoding(&headers("gzip"), Bytes::from(truncated), 100).unwrap_err();
        assert_eq!(rejection.status, StatusCode::BAD_REQUEST);
        let rejection =
            decode_content_encoding(&headers("br"), Bytes::from_static(b"{}"), 100).unwrap_err();
        assert_eq!(rejection.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    /// Each gzip layer may inflate to the limit: a body of thousands of nested layers would be
    /// gigabytes of inflating. One layer is all `requestCompression` ever sends; a second is
    /// refused like an unsupported encoding, before anything is inflated.
    #[test]
    fn at_most_one_gzip_layer_is_undone() {
        let twice = gzip(&gzip(br#"{"a": 1}"#));
        for encoding in ["gzip, gzip", "gzip,x-gzip", "gzip, identity, gzip"] {
            let rejection =
                decode_content_encoding(&headers(encoding), twice.clone(), 100).unwrap_err();
            assert_eq!(
                rejection.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{encoding}"
            );
            assert_eq!(rejection.code, ErrorCode::Serialization, "{encoding}");
        }
        let mut split = HeaderMap::new();
        split.append(CONTENT_ENCODING, "gzip".parse().unwrap());
        split.append(CONTENT_ENCODING, "gzip".parse().unwrap());
        let rejection = decode_content_encoding(&split, twice, 100).unwrap_err();
        assert_eq!(rejection.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        // Not inflated: a second layer is refused even when the body is not gzip at all.
        let rejection =
            decode_content_encoding(&headers("gzip, gzip"), Bytes::from_static(b"{}"), 100)
                .unwrap_err();
        assert_eq!(rejection.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let once = decode_content_encoding(&headers("identity, gzip, identity"), gzip(b"{}"), 100);
        assert_eq!(once.unwrap().as_ref(), b"{}");
    }
}
