//! Request ids: random (version 4) UUIDs, as AWS services send in `x-amzn-RequestId`.

/// A fresh random UUID (version 4, RFC 9562 variant), in its hyphenated lower-case form.
pub fn new_request_id() -> String {
    aws_json_runtime::ids::uuid_v4()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_4_uuids() {
        let id = new_request_id();
        assert_eq!(id.len(), 36);
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(id, new_request_id());
    }
}
