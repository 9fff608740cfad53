//! Pagination: opaque, tamper-evident `NextToken`s and stable paging.
//!
//! A token is the standard base64 of `JSON(cursor) ‖ tag`, where the cursor is the sort key of the
//! last item returned and the tag is the first 16 bytes of HMAC-SHA256, under a key drawn at
//! random for each emulator, over the operation name, the request's scope (instance, the listed
//! resource, the filter) and the cursor. So a token is accepted only by the emulator that issued
//! it, for the same operation and the same scope; anything else is a `ValidationException`.
//!
//! Items are listed in ascending cursor order and a page holds the items strictly after the
//! token's cursor, so an item present from the first page to the last is returned exactly once,
//! even when other items are added or removed between pages.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};

use sso_admin::types::error::ValidationException;

use crate::error::validation;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Bytes of the HMAC tag kept in a token.
const TAG_LEN: usize = 16;
/// The page size when the request does not set `MaxResults`.
pub const DEFAULT_MAX_RESULTS: usize = 100;
/// The largest `MaxResults` the model allows.
pub(crate) const MAX_MAX_RESULTS: i32 = 100;
/// The message of the `ValidationException` for a token this emulator did not issue.
const INVALID_TOKEN: &str = "The NextToken is invalid or has expired";

/// Where a listing stands: the sort key of the last item returned.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Cursor {
    /// A creation sequence number (items listed in creation order).
    #[serde(rename = "n")]
    Seq(u64),
    /// A string key (items listed in key order).
    #[serde(rename = "k")]
    Key(String),
}

/// Issues and checks tokens with one secret key.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct TokenCodec {
    key: [u8; 32],
}

impl std::fmt::Debug for TokenCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCodec { key: <redacted> }")
    }
}

impl TokenCodec {
    /// A codec with a fresh random key (from the OS; from `fastrand` should the OS fail).
    pub(crate) fn random() -> Self {
        let mut key = [0u8; 32];
        if getrandom::fill(&mut key).is_err() {
            key.iter_mut().for_each(|byte| *byte = fastrand::u8(..));
        }
        Self { key }
    }

    fn tag(&self, operation: &str, scope: &str, body: &[u8]) -> [u8; TAG_LEN] {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC-SHA256 accepts keys of any length");
        for part in [operation.as_bytes(), b"\0", scope.as_bytes(), b"\0", body] {
            mac.update(part);
        }
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(&full[..TAG_LEN]);
        tag
    }

    /// The token that continues `operation` over `scope` after `cursor`.
    pub(crate) fn encode(&self, operation: &str, scope: &str, cursor: &Cursor) -> String {
        let mut bytes = serde_json::to_vec(cursor).unwrap_or_default();
        let tag = self.tag(operation, scope, &bytes);
        bytes.extend_from_slice(&tag);
        STANDARD.encode(bytes)
    }

    /// The cursor of a token issued by [`encode`](Self::encode) for the same operation and scope.
    pub(crate) fn decode(
        &self,
        operation: &str,
        scope: &str,
        token: &str,
    ) -> Result<Cursor, ValidationException> {
        let invalid = || validation(INVALID_TOKEN);
        let bytes = STANDARD.decode(token).map_err(|_| invalid())?;
        if bytes.len() <= TAG_LEN {
            return Err(invalid());
        }
        let (body, tag) = bytes.split_at(bytes.len() - TAG_LEN);
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC-SHA256 accepts keys of any length");
        for part in [operation.as_bytes(), b"\0", scope.as_bytes(), b"\0", body] {
            mac.update(part);
        }
        mac.verify_truncated_left(tag).map_err(|_| invalid())?;
        serde_json::from_slice(body).map_err(|_| invalid())
    }
}

/// The page size a request asks for: `MaxResults`, or the default.
pub(crate) fn page_size(max_results: Option<i32>) -> Result<usize, ValidationException> {
    match max_results {
        None => Ok(DEFAULT_MAX_RESULTS),
        Some(n) if (1..=MAX_MAX_RESULTS).contains(&n) => {
            usize::try_from(n).map_err(|_| validation("Invalid MaxResults"))
        }
        Some(n) => Err(validation(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: \
             Member must have value between 1 and {MAX_MAX_RESULTS}"
        ))),
    }
}

/// One listing request: the operation, its scope, the page size and where it resumes.
pub(crate) struct Pager<'a> {
    codec: &'a TokenCodec,
    operation: &'static str,
    scope: String,
    size: usize,
    after: Option<Cursor>,
}

impl<'a> Pager<'a> {
    /// Checks `MaxResults` and `NextToken` of a request to `operation` over `scope`.
    pub(crate) fn new(
        codec: &'a TokenCodec,
        operation: &'static str,
        scope: String,
        max_results: Option<i32>,
        next_token: Option<&str>,
    ) -> Result<Self, ValidationException> {
        Self::with_size(codec, operation, scope, page_size(max_results)?, next_token)
    }

    /// As [`new`](Self::new), with a fixed page size (for operations without `MaxResults`).
    pub(crate) fn with_size(
        codec: &'a TokenCodec,
        operation: &'static str,
        scope: String,
        size: usize,
        next_token: Option<&str>,
    ) -> Result<Self, ValidationException> {
        let after = match next_token {
            // An empty token is what some clients send for "from the start".
            None | Some("") => None,
            Some(token) => Some(codec.decode(operation, &scope, token)?),
        };
        Ok(Self {
            codec,
            operation,
            scope,
            size: size.max(1),
            after,
        })
    }

    /// The sequence number the page resumes after, if it resumes after one.
    pub(crate) fn after_seq(&self) -> Option<u64> {
        match &self.after {
            Some(Cursor::Seq(seq)) => Some(*seq),
            _ => None,
        }
    }

    /// The string key the page resumes after, if it resumes after one.
    pub(crate) fn after_key(&self) -> Option<&str> {
        match &self.after {
            Some(Cursor::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// Rejects a resuming cursor that lies beyond every cursor ever issued (`bound` exclusive):
    /// such a token cannot have come from this emulator.
    pub(crate) fn check_seq_bound(&self, bound: u64) -> Result<(), ValidationException> {
        match &self.after {
            Some(Cursor::Seq(seq)) if *seq >= bound => Err(validation(INVALID_TOKEN)),
            _ => Ok(()),
        }
    }

    /// One page of `items` (sorted by ascending cursor) and the token for the next, if any
    /// items remain after it.
    pub(crate) fn page<T>(
        &self,
        items: impl IntoIterator<Item = (Cursor, T)>,
    ) -> (Vec<T>, Option<String>) {
        let mut remaining = items
            .into_iter()
            .filter(|(cursor, _)| self.after.as_ref().is_none_or(|after| cursor > after))
            .peekable();
        // Reserved once: growing from empty took two reallocations for a page of five. A page
        // holds at most `size` items, and the iterator may bound them further.
        let bound = remaining.size_hint().1.unwrap_or(usize::MAX);
        let mut page = Vec::with_capacity(bound.min(self.size).min(DEFAULT_MAX_RESULTS));
        let mut last = None;
        while page.len() < self.size {
            match remaining.next() {
                Some((cursor, item)) => {
                    page.push(item);
                    last = Some(cursor);
                }
                None => break,
            }
        }
        let next = match (remaining.peek(), last) {
            (Some(_), Some(cursor)) => {
                Some(self.codec.encode(self.operation, &self.scope, &cursor))
            }
            _ => None,
        };
        (page, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_only_for_their_operation_and_scope() {
        let codec = TokenCodec::random();
        let token = codec.encode("ListX", "scope", &Cursor::Seq(7));
        assert!(token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)));
        assert_eq!(codec.decode("ListX", "scope", &token), Ok(Cursor::Seq(7)));
        assert!(codec.decode("ListY", "scope", &token).is_err());
        assert!(codec.decode("ListX", "other", &token).is_err());
        assert!(TokenCodec::random()
            .decode("ListX", "scope", &token)
            .is_err());
        assert!(codec.decode("ListX", "scope", "not base64!").is_err());
        assert!(codec.decode("ListX", "scope", "AAAA").is_err());
    }

    #[test]
    fn pages_cover_every_item_once() {
        let codec = TokenCodec::random();
        let items: Vec<(Cursor, u64)> = (0..7).map(|n| (Cursor::Seq(n), n)).collect();
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let pager = Pager::new(&codec, "ListX", "s".into(), Some(3), token.as_deref()).unwrap();
            let (page, next) = pager.page(items.clone());
            seen.extend(page);
            match next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn page_size_bounds() {
        assert_eq!(page_size(None), Ok(DEFAULT_MAX_RESULTS));
        assert_eq!(page_size(Some(1)), Ok(1));
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(101)).is_err());
    }
}
