//! RFC 3339 timestamps, as STS, the container endpoint, IMDS, `credential_process` and the SSO
//! token cache write them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_json_runtime::timestamp::{DateTimeFormat, Format};
use aws_json_runtime::DateTime;

/// Parses `2024-05-01T12:00:00Z`, with fractional seconds (`12:00:00.123Z`) and offsets
/// (`14:00:00+02:00`) allowed as RFC 3339 allows them; also the older `2024-05-01T12:00:00UTC`
/// of some SSO cache files.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let normalized;
    let text = match text.strip_suffix("UTC") {
        Some(rest) => {
            normalized = format!("{rest}Z");
            normalized.as_str()
        }
        None => text,
    };
    DateTimeFormat::parse(text).map(SystemTime::from)
}

/// `2024-05-01T12:00:00Z`, to the second, as the AWS CLI writes the SSO token cache.
pub(crate) fn format_rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    DateTimeFormat::format(DateTime::from(UNIX_EPOCH + Duration::from_secs(seconds)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_accepts_the_cli_variants() {
        let time = UNIX_EPOCH + Duration::from_secs(1_714_564_800);
        assert_eq!(format_rfc3339(time), "2024-05-01T12:00:00Z");
        assert_eq!(parse_rfc3339("2024-05-01T12:00:00Z"), Some(time));
        assert_eq!(parse_rfc3339("2024-05-01T12:00:00UTC"), Some(time));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2024-05-01"), None);
    }

    #[test]
    fn accepts_offsets_and_fractional_seconds() {
        let time = UNIX_EPOCH + Duration::from_secs(1_714_564_800);
        assert_eq!(parse_rfc3339("2024-05-01T14:00:00+02:00"), Some(time));
        assert_eq!(parse_rfc3339("2024-05-01T07:30:00-04:30"), Some(time));
        assert_eq!(parse_rfc3339("2024-05-01T12:00:00+00:00"), Some(time));
        assert_eq!(
            parse_rfc3339("2024-05-01T12:00:00.250Z"),
            Some(time + Duration::from_millis(250))
        );
        assert_eq!(
            parse_rfc3339("2024-05-01T14:00:00.5+02:00"),
            Some(time + Duration::from_millis(500))
        );
        // Not a char boundary at byte 10 must not panic.
        assert_eq!(parse_rfc3339("2024-05-0éT12:00:00Z"), None);
    }
}
