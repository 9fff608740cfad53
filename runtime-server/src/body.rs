//! Reading a request body without buffering more than a limit.

use bytes::Bytes;
use http::StatusCode;
use http_body::Body;
use http_body_util::{BodyExt, LengthLimitError, Limited};

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
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large(limit)),
        Err(error) => {
            tracing::debug!(%error, "could not read the request body");
            Err(Rejection::bad_request(
                ErrorCode::Serialization,
                "Could not read the request body",
            ))
        }
    }
}
