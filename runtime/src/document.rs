//! Serde support for members that target a Smithy `document`.

use serde::{Deserialize, Deserializer};

use crate::Document;

/// Deserializes an optional document member so that a member that is present keeps its value,
/// even JSON `null`: absent is `None` (with `#[serde(default)]`), `null` is `Some(Document::Null)`,
/// and both survive a round trip.
pub fn deserialize_present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Document>, D::Error> {
    Document::deserialize(deserializer).map(Some)
}
