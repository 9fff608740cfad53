//! The library functions of the rules language that compute more than a comparison:
//! `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`, `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket` (`aws.partition` is in [`crate::partitions`]). Each returns
//! `None` where the specification says the result is empty.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::value::Value;

/// `substring(input, start, stop, reverse)`: the ASCII characters `start..stop`, counted from
/// the end when `reverse`; empty when the input is not ASCII or the range does not fit.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start >= stop || stop > input.len() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    Some(input[from..to].to_owned())
}

/// `uriEncode(value)`: percent-encodes every byte but the unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`), with upper-case hex digits.
pub fn uri_encode(value: &str) -> String {
    percent_encode(value.as_bytes(), false)
}

/// `bytes` with everything outside the unreserved set (and `/` when `keep_slash`)
/// percent-encoded in upper case: RFC 3986's encoding, which `uriEncode` and SigV4's canonical
/// request both use (the runtime's `sigv4` re-exports it; it lives here, in the lowest crate).
pub fn percent_encode(bytes: &[u8], keep_slash: bool) -> String {
    const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(byte >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// `isValidHostLabel(value, allowSubDomains)`: 1 to 63 letters, digits and hyphens starting
/// with a letter or digit; with `allow_sub_domains`, several such labels joined by dots.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        return value
            .split('.')
            .all(|label| is_valid_host_label(label, false));
    }
    !value.is_empty()
        && value.len() <= 63
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: a valid host label (or labels)
/// that can also be an S3 bucket in a virtual host: 3 to 63 lower-case letters, digits,
/// hyphens (and dots with `allow_sub_domains`), starting and ending with a letter or digit,
/// not shaped like an IPv4 address, without `.-` or `-.`.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    if !is_valid_host_label(value, allow_sub_domains) {
        return false;
    }
    if allow_sub_domains {
        value.split('.').all(is_virtual_hostable_segment)
    } else {
        is_virtual_hostable_segment(value)
    }
}

fn is_virtual_hostable_segment(value: &str) -> bool {
    let bytes = value.as_bytes();
    let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let inner = |b: &u8| edge(b) || *b == b'-' || *b == b'.';
    (3..=63).contains(&bytes.len())
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes.iter().all(inner)
        && value.parse::<Ipv4Addr>().is_err()
        && !value.contains(".-")
        && !value.contains("-.")
}

/// `parseURL(value)`: the record `{scheme, authority, path, normalizedPath, isIp}` of an
/// `http` or `https` URL; empty for anything else, or for a URL with a query or fragment.
pub fn parse_url(value: &str) -> Option<Value> {
    let (scheme, rest) = value.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    if value.contains(['?', '#']) || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, ""),
    };
    let host = host_of(authority)?;
    let is_ip = host.parse::<Ipv4Addr>().is_ok()
        || host
            .strip_prefix('[')
            .and_then(|host| host.strip_suffix(']'))
            .is_some_and(|host| host.parse::<Ipv6Addr>().is_ok());
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut record = BTreeMap::new();
    record.insert(
        "scheme".to_owned(),
        Value::from(scheme.to_ascii_lowercase()),
    );
    record.insert("authority".to_owned(), Value::from(authority));
    record.insert("path".to_owned(), Value::from(path));
    record.insert("normalizedPath".to_owned(), Value::from(normalized));
    record.insert("isIp".to_owned(), Value::Bool(is_ip));
    Some(Value::Record(record))
}

/// The host of an authority (`user@host:port`), or `None` when it is empty or malformed.
fn host_of(authority: &str) -> Option<&str> {
    let hostport = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if hostport.starts_with('[') {
        let end = hostport.find(']')?;
        let (host, port) = hostport.split_at(end + 1);
        if !(port.is_empty() || is_port(port.strip_prefix(':')?)) {
            return None;
        }
        host
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) if is_port(port) => host,
            Some(_) => return None,
            None => hostport,
        }
    };
    (!host.is_empty()).then_some(host)
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// `aws.parseArn(value)`: the record `{partition, service, region, accountId, resourceId}`
/// of an ARN (`arn:partition:service:region:account:resource`), the resource split at `:`
/// and `/`; empty when the value is not an ARN.
pub fn parse_arn(value: &str) -> Option<Value> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(Value::from)
        .collect::<Vec<_>>();
    let mut record = BTreeMap::new();
    record.insert("partition".to_owned(), Value::from(partition));
    record.insert("service".to_owned(), Value::from(service));
    record.insert("region".to_owned(), Value::from(region));
    record.insert("accountId".to_owned(), Value::from(account));
    record.insert("resourceId".to_owned(), Value::Array(resource_id));
    Some(Value::Record(record))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(record: &'a Value, key: &str) -> &'a Value {
        &record.as_record().expect("a record")[key]
    }

    #[test]
    fn substring_counts_from_either_end_and_rejects_what_does_not_fit() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abcdefg", 2, 3, true).as_deref(), Some("e"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("ab\u{e9}cd", 0, 2, false), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(uri_encode("a b/c:d"), "a%20b%2Fc%3Ad");
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("a", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label("a_b", false));
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("my.bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("my.bucket", true));
        assert!(is_virtual_hostable_s3_bucket("mine.bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
    }

    #[test]
    fn parse_url_splits_and_normalizes() {
        let url = parse_url("https://example.com:8443/a/b").expect("a URL");
        assert_eq!(field(&url, "scheme"), &Value::from("https"));
        assert_eq!(field(&url, "authority"), &Value::from("example.com:8443"));
        assert_eq!(field(&url, "path"), &Value::from("/a/b"));
        assert_eq!(field(&url, "normalizedPath"), &Value::from("/a/b/"));
        assert_eq!(field(&url, "isIp"), &Value::Bool(false));
        let ip = parse_url("http://127.0.0.1:9000").expect("a URL");
        assert_eq!(field(&ip, "isIp"), &Value::Bool(true));
        assert_eq!(field(&ip, "normalizedPath"), &Value::from("/"));
        assert_eq!(field(&ip, "path"), &Value::from(""));
        let v6 = parse_url("https://[::1]:443/").expect("a URL");
        assert_eq!(field(&v6, "isIp"), &Value::Bool(true));
        assert_eq!(parse_url("https://example.com/?q=1"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("example.com"), None);
        assert_eq!(parse_url("https://"), None);
        assert_eq!(parse_url("https://host:port"), None);
    }

    #[test]
    fn parse_arn_reads_the_six_parts() {
        let arn = parse_arn("arn:aws:sso:::permissionSet/ssoins-1/ps-2").expect("an ARN");
        assert_eq!(field(&arn, "partition"), &Value::from("aws"));
        assert_eq!(field(&arn, "service"), &Value::from("sso"));
        assert_eq!(field(&arn, "region"), &Value::from(""));
        assert_eq!(field(&arn, "accountId"), &Value::from(""));
        assert_eq!(
            field(&arn, "resourceId"),
            &Value::from(vec![
                "permissionSet".to_owned(),
                "ssoins-1".to_owned(),
                "ps-2".to_owned()
            ])
        );
        let colon = parse_arn("arn:aws:dynamodb:us-east-1:123456789012:table/t:x").expect("an ARN");
        assert_eq!(
            field(&colon, "resourceId"),
            &Value::from(vec!["table".to_owned(), "t".to_owned(), "x".to_owned()])
        );
        assert_eq!(parse_arn("arn:aws:s3"), None);
        assert_eq!(parse_arn("arn::s3:::bucket"), None);
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("urn:aws:s3:::bucket"), None);
    }
}
