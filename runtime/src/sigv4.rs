//! AWS Signature Version 4: the parts a signer (the client) and a verifier (the server) share,
//! so that both compute one canonical request, one string to sign and one signature.
//!
//! The steps are those of the AWS documentation ("Create a signed AWS API request"), with the
//! choices every AWS SDK makes for services other than S3: the path is normalized and encoded
//! twice, the payload hash is not sent as a header. The tests run AWS's SigV4 test suite, as
//! botocore ships it (`tests/unit/auth/aws4_testsuite`), through these functions.

use ring::{digest, hmac};

pub use crate::endpoints::functions::percent_encode;
use crate::ids::hex;

/// The algorithm name, the first word of an `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The last element of every credential scope.
pub const TERMINATOR: &str = "aws4_request";
/// The payload hash of a request that does not sign its body (presigned URLs may use it).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The SHA-256 digest of `data`, in lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, data).as_ref())
}

/// The credential scope, `{date}/{region}/{service}/aws4_request`.
pub fn scope(date: &str, region: &str, service: &str) -> String {
    format!("{date}/{region}/{service}/{TERMINATOR}")
}

/// The key derived from the secret for one day, region and service.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let key = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let key = hmac_sha256(key.as_ref(), region.as_bytes());
    let key = hmac_sha256(key.as_ref(), service.as_bytes());
    let key = hmac_sha256(key.as_ref(), TERMINATOR.as_bytes());
    hmac::Key::new(hmac::HMAC_SHA256, key.as_ref())
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> hmac::Tag {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
}

/// The string to sign: the algorithm, the request's date-time, its scope and the hash of its
/// canonical request.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The signature of `string_to_sign`, in lower-case hex.
pub fn signature(key: &hmac::Key, string_to_sign: &str) -> String {
    hex(hmac::sign(key, string_to_sign.as_bytes()).as_ref())
}

/// The canonical request: the method, the [canonical](canonical_uri) `path`, the query as
/// [`canonical_query`] wrote it, the signed headers (lower-case names, sorted, each with its
/// [canonical value](canonical_header_value)), their names, and the payload hash.
pub fn canonical_request(
    method: &str,
    path: &str,
    canonical_query: &str,
    headers: &[(&str, String)],
    payload_hash: &str,
) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(method);
    out.push('\n');
    out.push_str(&canonical_uri(path));
    out.push('\n');
    out.push_str(canonical_query);
    out.push('\n');
    for (name, value) in headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers(headers));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// The `SignedHeaders` list: the header names joined with `;`.
pub fn signed_headers(headers: &[(&str, String)]) -> String {
    headers
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(";")
}

/// The path with dot segments and empty segments removed and every byte outside the
/// unreserved set (and `/`) percent-encoded again, as SigV4 does for every service but S3.
pub fn canonical_uri(path: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let normalized = if path.contains("/.") || path.contains("//") {
        let mut segments: Vec<&str> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                segment => segments.push(segment),
            }
        }
        let mut normalized = format!("/{}", segments.join("/"));
        let trailing = ["/", "/.", "/..", "/./", "/../"]
            .iter()
            .any(|end| path.ends_with(end));
        if trailing && !normalized.ends_with('/') {
            normalized.push('/');
        }
        normalized
    } else {
        path.to_owned()
    };
    percent_encode(normalized.as_bytes(), true)
}

/// The query parameters, decoded, encoded again strictly and sorted, without the parameter
/// named `skip` (a presigned request's own `X-Amz-Signature`).
pub fn canonical_query(query: &str, skip: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_encode(&percent_decode(name), false),
                percent_encode(&percent_decode(value), false),
            )
        })
        .filter(|(name, _)| Some(name.as_str()) != skip)
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header's canonical value: every value trimmed, with runs of spaces collapsed, joined with
/// commas.
pub fn canonical_header_value<'a>(values: impl IntoIterator<Item = &'a [u8]>) -> String {
    values
        .into_iter()
        .map(|value| collapse_spaces(&String::from_utf8_lossy(value)))
        .collect::<Vec<_>>()
        .join(",")
}

fn collapse_spaces(value: &str) -> String {
    value
        .split([' ', '\t'])
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with its `%XX` escapes decoded; a `%` not followed by two hex digits stays as it is.
pub fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = (bytes[index] == b'%')
            .then(|| {
                let high = hex_value(*bytes.get(index + 1)?)?;
                let low = hex_value(*bytes.get(index + 2)?)?;
                Some(high << 4 | low)
            })
            .flatten();
        match decoded {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Seconds since the epoch of an ISO-8601 basic date-time, `YYYYMMDDTHHMMSSZ`.
pub fn parse_amz_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        bytes[range].iter().try_fold(0i64, |acc, &digit| {
            digit
                .is_ascii_digit()
                .then(|| acc * 10 + i64::from(digit - b'0'))
        })
    };
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    // Two digits each: they fit.
    let (month, day) = (u32::try_from(month).ok()?, u32::try_from(day).ok()?);
    if !(1..=12).contains(&month)
        || !(1..=crate::calendar::days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    Some(
        crate::calendar::days_from_civil(year, month, day) * 86_400
            + hour * 3_600
            + minute * 60
            + second,
    )
}

/// The ISO-8601 basic form, `YYYYMMDDTHHMMSSZ`, of a time in seconds since the epoch.
pub fn format_amz_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = crate::calendar::civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_round_trip() {
        assert_eq!(parse_amz_date("19700101T000000Z"), Some(0));
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(format_amz_date(1_440_938_160), "20150830T123600Z");
        assert_eq!(
            parse_amz_date("20240229T235959Z")
                .map(format_amz_date)
                .as_deref(),
            Some("20240229T235959Z")
        );
        for bad in [
            "",
            "20150830T123600",
            "20151330T123600Z",
            "20150230T123600Z",
            "2015083OT123600Z",
            "20150830 123600Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn canonical_uris_and_queries() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(canonical_uri("/a%20b"), "/a%2520b");
        assert_eq!(canonical_query("b=2&a=1&a=0&c", None), "a=0&a=1&b=2&c=");
        assert_eq!(canonical_query("k=a%20b%2x", None), "k=a%20b%252x");
        assert_eq!(
            canonical_query("X-Amz-Signature=00&b=1", Some("X-Amz-Signature")),
            "b=1"
        );
    }

    /// `get-vanilla-query-order-key-case` of the AWS SigV4 test suite, whole.
    #[test]
    fn signs_the_vanilla_example_of_the_aws_test_suite() {
        let headers = [
            ("host", "example.amazonaws.com".to_owned()),
            ("x-amz-date", "20150830T123600Z".to_owned()),
        ];
        let query = canonical_query("Param2=value2&Param1=value1", None);
        let canonical = canonical_request("GET", "/", &query, &headers, &sha256_hex(b""));
        assert_eq!(
            canonical,
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let scope = scope("20150830", "us-east-1", "service");
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "service",
        );
        let signature = signature(
            &key,
            &string_to_sign("20150830T123600Z", &scope, &canonical),
        );
        assert_eq!(
            signature,
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        );
    }
}
