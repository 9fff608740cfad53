//! Identifiers and small value checks: random ids shaped like AWS's, ISO-8601 session
//! durations, IAM managed policy ARNs.

/// `len` random lower-case hex digits (`len` even).
pub(crate) fn random_hex(len: usize) -> String {
    debug_assert!(len.is_multiple_of(2), "two hex digits a byte");
    let bytes: Vec<u8> = (0..len / 2).map(|_| fastrand::u8(..)).collect();
    aws_json_runtime::ids::hex(&bytes)
}

/// A fresh random UUID (version 4), hyphenated and lower-case, as the service's request ids
/// are: the same ids the protocol layer puts in `x-amzn-RequestId`.
pub(crate) fn request_id() -> String {
    aws_json_server::new_request_id()
}

/// The seconds an ISO-8601 duration (`PT1H`, `PT90M`, `P1DT2H`, ...) spans, or `None` if it is
/// not one. Years count 365 days and months 30, which only matters for rejecting them.
pub(crate) fn duration_seconds(text: &str) -> Option<f64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => {
            if time.is_empty() {
                return None;
            }
            (date, Some(time))
        }
        None => (rest, None),
    };
    if date.is_empty() && time.is_none() {
        return None;
    }
    let mut total = 0.0;
    total += components(
        date,
        &[
            ('Y', 365.0 * 86400.0),
            ('M', 30.0 * 86400.0),
            ('D', 86400.0),
            ('W', 7.0 * 86400.0),
        ],
    )?;
    if let Some(time) = time {
        total += components(time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
    }
    Some(if negative { -total } else { total })
}

/// Sums `<number><unit>` groups whose units appear in `units` order, each at most once.
fn components(mut text: &str, units: &[(char, f64)]) -> Option<f64> {
    let mut total = 0.0;
    let mut next_unit = 0;
    while !text.is_empty() {
        let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (number, rest) = text.split_at(end);
        if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        let unit = rest.chars().next()?;
        let position = units[next_unit..].iter().position(|(u, _)| *u == unit)? + next_unit;
        total += value * units[position].1;
        next_unit = position + 1;
        text = &rest[unit.len_utf8()..];
    }
    Some(total)
}

/// Whether `arn` names an IAM managed policy: `arn:<partition>:iam::aws:policy/<path/name>` (AWS
/// managed) or `arn:<partition>:iam::<12 digits>:policy/<path/name>` (customer managed).
pub(crate) fn is_managed_policy_arn(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let partition_ok = matches!(
        partition,
        "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b"
    );
    let account_ok =
        account == "aws" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = resource
        .strip_prefix("policy/")
        .and_then(|path| path.rsplit('/').next())
        .is_some_and(|name| !name.is_empty());
    partition_ok && account_ok && name_ok
}

/// The policy name of a managed policy ARN: its last path segment.
pub(crate) fn managed_policy_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_v4() {
        let id = request_id();
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'));
        assert_ne!(id, request_id());
    }

    #[test]
    fn durations() {
        assert_eq!(duration_seconds("PT1H"), Some(3600.0));
        assert_eq!(duration_seconds("PT12H"), Some(43200.0));
        assert_eq!(duration_seconds("PT90M"), Some(5400.0));
        assert_eq!(duration_seconds("PT1H30M"), Some(5400.0));
        assert_eq!(duration_seconds("P1D"), Some(86400.0));
        assert_eq!(duration_seconds("PT0.5S"), Some(0.5));
        assert_eq!(duration_seconds("-PT1H"), Some(-3600.0));
        assert_eq!(duration_seconds("PT"), None);
        assert_eq!(duration_seconds("P"), None);
        assert_eq!(duration_seconds("1H"), None);
        assert_eq!(duration_seconds("PT1M1H"), None);
    }

    #[test]
    fn managed_policy_arns() {
        assert!(is_managed_policy_arn(
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        ));
        assert!(is_managed_policy_arn(
            "arn:aws:iam::aws:policy/service-role/AWSConfigRole"
        ));
        assert!(is_managed_policy_arn(
            "arn:aws:iam::123456789012:policy/Mine"
        ));
        assert!(!is_managed_policy_arn("arn:aws:iam::12345:policy/Mine"));
        assert!(!is_managed_policy_arn("arn:aws:s3:::bucket/policy"));
        assert!(!is_managed_policy_arn("arn:aws:iam::aws:role/Admin"));
        assert!(!is_managed_policy_arn("arn:aws:iam::aws:policy/"));
        assert_eq!(
            managed_policy_name("arn:aws:iam::aws:policy/service-role/AWSConfigRole"),
            "AWSConfigRole"
        );
    }
}
