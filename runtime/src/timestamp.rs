//! Timestamp wire formats other than the default epoch seconds, for members the model marks
//! with `timestampFormat`: `#[serde(with = "::aws_json_runtime::timestamp::date_time")]` (RFC
//! 3339) or `…::http_date` (RFC 7231 IMF-fixdate). The helpers are generic over where the
//! timestamp sits, so one attribute serves a [`DateTime`], an `Option`, a `Vec`, a `HashMap`
//! with string keys or a `Box` of them, nested as deep as the model goes.
//!
//! Reading is lenient: every format also accepts epoch seconds (a JSON number).
//!
//! ```
//! use aws_json_runtime::DateTime;
//!
//! #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
//! struct Job {
//!     #[serde(with = "aws_json_runtime::timestamp::date_time")]
//!     created: DateTime,
//!     #[serde(with = "aws_json_runtime::timestamp::http_date", default)]
//!     expires: Option<Vec<DateTime>>,
//! }
//!
//! let job: Job = serde_json::from_str(
//!     r#"{"created": "2020-09-10T12:00:00.5Z", "expires": ["Thu, 10 Sep 2020 12:00:00 GMT"]}"#,
//! ).unwrap();
//! assert_eq!(job.created.epoch_millis(), 1_599_739_200_500);
//! assert_eq!(
//!     serde_json::to_string(&job).unwrap(),
//!     r#"{"created":"2020-09-10T12:00:00.500Z","expires":["Thu, 10 Sep 2020 12:00:00 GMT"]}"#
//! );
//! ```

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::DateTime;

/// A textual timestamp format.
pub trait Format {
    /// What the format expects, for error messages.
    const EXPECTING: &'static str;
    /// The text of `time`.
    fn format(time: DateTime) -> String;
    /// The instant `text` denotes, if it is in the format.
    fn parse(text: &str) -> Option<DateTime>;
}

/// `date-time`: RFC 3339 in UTC (`2020-09-10T12:00:00Z`, milliseconds when not zero); any
/// offset and up to nanoseconds (truncated to milliseconds) are read.
#[derive(Clone, Copy, Debug)]
pub struct DateTimeFormat;

impl Format for DateTimeFormat {
    const EXPECTING: &'static str = "an RFC 3339 date-time";

    fn format(time: DateTime) -> String {
        // `Display` writes RFC 3339 in UTC, milliseconds (three digits) when not zero.
        time.to_string()
    }

    fn parse(text: &str) -> Option<DateTime> {
        parse_rfc3339(text)
    }
}

/// `http-date`: RFC 7231 IMF-fixdate (`Thu, 10 Sep 2020 12:00:00 GMT`); milliseconds, when not
/// zero, are written as a fraction of the second (`12:00:00.250 GMT`) and read back.
#[derive(Clone, Copy, Debug)]
pub struct HttpDateFormat;

impl Format for HttpDateFormat {
    const EXPECTING: &'static str = "an RFC 7231 http-date";

    fn format(time: DateTime) -> String {
        format_http_date(time)
    }

    fn parse(text: &str) -> Option<DateTime> {
        parse_http_date(text)
    }
}

/// Values that hold timestamps: [`DateTime`] and the containers the model can put it in.
pub trait Timestamps: Sized {
    /// Serializes with every timestamp in the format `F`.
    fn serialize_as<F: Format, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Deserializes with every timestamp in the format `F` (or epoch seconds).
    fn deserialize_as<'de, F: Format, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error>;
}

struct As<'a, F, T>(&'a T, PhantomData<F>);

impl<F: Format, T: Timestamps> Serialize for As<'_, F, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_as::<F, S>(serializer)
    }
}

struct From<F, T>(T, PhantomData<F>);

impl<'de, F: Format, T: Timestamps> Deserialize<'de> for From<F, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_as::<F, D>(deserializer).map(|value| From(value, PhantomData))
    }
}

impl Timestamps for DateTime {
    fn serialize_as<F: Format, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&F::format(*self))
    }

    fn deserialize_as<'de, F: Format, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor::<F>(PhantomData))
    }
}

impl<T: Timestamps> Timestamps for Option<T> {
    fn serialize_as<F: Format, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&As::<F, T>(value, PhantomData)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize_as<'de, F: Format, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        Ok(Option::<From<F, T>>::deserialize(deserializer)?.map(|value| value.0))
    }
}

impl<T: Timestamps> Timestamps for Box<T> {
    fn serialize_as<F: Format, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_as::<F, S>(serializer)
    }

    fn deserialize_as<'de, F: Format, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        T::deserialize_as::<F, D>(deserializer).map(Box::new)
    }
}

impl<T: Timestamps> Timestamps for Vec<T> {
    fn serialize_as<F: Format, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|value| As::<F, T>(value, PhantomData)))
    }

    fn deserialize_as<'de, F: Format, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        Ok(Vec::<From<F, T>>::deserialize(deserializer)?
            .into_iter()
            .map(|value| value.0)
            .collect())
    }
}

impl<T: Timestamps> Timestamps for HashMap<String, T> {
    fn serialize_as<F: Format, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.iter()
                .map(|(key, value)| (key, As::<F, T>(value, PhantomData))),
        )
    }

    fn deserialize_as<'de, F: Format, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        Ok(HashMap::<String, From<F, T>>::deserialize(deserializer)?
            .into_iter()
            .map(|(key, value)| (key, value.0))
            .collect())
    }
}

struct TextVisitor<F>(PhantomData<F>);

impl<F: Format> Visitor<'_> for TextVisitor<F> {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} or epoch seconds", F::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime, E> {
        F::parse(text).ok_or_else(|| {
            E::custom(format!(
                "`{text}` is not {} in years 0000 to 9999",
                F::EXPECTING
            ))
        })
    }

    fn visit_i64<E: de::Error>(self, secs: i64) -> Result<DateTime, E> {
        DateTime::from_secs(secs)
            .ok_or_else(|| E::custom(format!("timestamp {secs} is outside years 0000 to 9999")))
    }

    fn visit_u64<E: de::Error>(self, secs: u64) -> Result<DateTime, E> {
        i64::try_from(secs)
            .ok()
            .and_then(DateTime::from_secs)
            .ok_or_else(|| E::custom(format!("timestamp {secs} is outside years 0000 to 9999")))
    }

    fn visit_f64<E: de::Error>(self, secs: f64) -> Result<DateTime, E> {
        DateTime::from_secs_f64(secs)
            .ok_or_else(|| E::custom(format!("timestamp {secs} is outside years 0000 to 9999")))
    }
}

macro_rules! format_module {
    ($module:ident, $format:ty, $doc:literal) => {
        #[doc = $doc]
        pub mod $module {
            use serde::{Deserializer, Serializer};

            use super::Timestamps;

            /// Serializes `value` with every timestamp in this format.
            pub fn serialize<T: Timestamps, S: Serializer>(
                value: &T,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                value.serialize_as::<$format, S>(serializer)
            }

            /// Deserializes a value with every timestamp in this format (or epoch seconds).
            pub fn deserialize<'de, T: Timestamps, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<T, D::Error> {
                T::deserialize_as::<$format, D>(deserializer)
            }
        }
    };
}

format_module!(
    date_time,
    super::DateTimeFormat,
    "`#[serde(with = \"aws_json_runtime::timestamp::date_time\")]`: RFC 3339 timestamps."
);
format_module!(
    http_date,
    super::HttpDateFormat,
    "`#[serde(with = \"aws_json_runtime::timestamp::http_date\")]`: RFC 7231 http-date timestamps."
);

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Builds an instant from UTC fields, checking each.
fn from_fields(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millis: u32,
) -> Option<DateTime> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > crate::calendar::days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // A leap second reads as the last millisecond-precise instant before the next minute.
    let (second, millis) = if second == 60 {
        (59, 999)
    } else {
        (second, millis)
    };
    let secs = crate::calendar::days_from_civil(year, month, day) * 86_400
        + i64::from(hour) * 3_600
        + i64::from(minute) * 60
        + i64::from(second);
    DateTime::from_millis(secs.checked_mul(1_000)?.checked_add(i64::from(millis))?)
}

/// A cursor over ASCII text.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Option<u32> {
        let (head, rest) = self.0.split_at_checked(count)?;
        if !head.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.0 = rest;
        Some(head.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    }

    fn byte(&mut self, expected: impl Fn(u8) -> bool) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        if !expected(first) {
            return None;
        }
        self.0 = rest;
        Some(first)
    }

    fn literal(&mut self, text: &str) -> Option<()> {
        self.0 = self.0.strip_prefix(text.as_bytes())?;
        Some(())
    }

    /// `.ddd…`, if present: milliseconds (further digits truncated).
    fn fraction(&mut self) -> Option<u32> {
        if self.byte(|b| b == b'.').is_none() {
            return Some(0);
        }
        let count = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        let digits = &self.0[..count];
        self.0 = &self.0[count..];
        let mut millis = 0;
        for index in 0..3 {
            millis = millis * 10 + digits.get(index).map_or(0, |d| u32::from(d - b'0'));
        }
        Some(millis)
    }
}

fn parse_rfc3339(text: &str) -> Option<DateTime> {
    let mut c = Cursor(text.as_bytes());
    let year = c.digits(4)?;
    c.literal("-")?;
    let month = c.digits(2)?;
    c.literal("-")?;
    let day = c.digits(2)?;
    c.byte(|b| b == b'T' || b == b't' || b == b' ')?;
    let hour = c.digits(2)?;
    c.literal(":")?;
    let minute = c.digits(2)?;
    c.literal(":")?;
    let second = c.digits(2)?;
    let millis = c.fraction()?;
    let offset_minutes = match c.byte(|b| matches!(b, b'Z' | b'z' | b'+' | b'-'))? {
        b'Z' | b'z' => 0,
        sign => {
            let hours = c.digits(2)?;
            c.literal(":")?;
            let minutes = c.digits(2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = i64::from(hours * 60 + minutes);
            if sign == b'-' {
                -offset
            } else {
                offset
            }
        }
    };
    if !c.0.is_empty() {
        return None;
    }
    let local = from_fields(i64::from(year), month, day, hour, minute, second, millis)?;
    DateTime::from_millis(local.epoch_millis() - offset_minutes * 60_000)
}

fn format_http_date(time: DateTime) -> String {
    let secs = time.epoch_secs();
    let days = secs.div_euclid(86_400);
    let second_of_day = secs.rem_euclid(86_400);
    // Reuse the RFC 3339 text for the calendar fields: `YYYY-MM-DDTHH:MM:SS…`.
    let rfc3339 = time.to_string();
    let (year, month, day) = (&rfc3339[0..4], &rfc3339[5..7], &rfc3339[8..10]);
    let month: usize = month.parse().unwrap_or(1);
    let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
    let mut text = format!(
        "{weekday}, {day} {} {year} {:02}:{:02}:{:02}",
        MONTHS[month - 1],
        second_of_day / 3_600,
        second_of_day % 3_600 / 60,
        second_of_day % 60
    );
    if time.subsec_millis() != 0 {
        text.push_str(&format!(".{:03}", time.subsec_millis()));
    }
    text.push_str(" GMT");
    text
}

fn parse_http_date(text: &str) -> Option<DateTime> {
    let mut c = Cursor(text.as_bytes());
    let weekday = text.get(0..3)?;
    if !WEEKDAYS.contains(&weekday) {
        return None;
    }
    c.0 = &c.0[3..];
    c.literal(", ")?;
    let day = c.digits(2)?;
    c.literal(" ")?;
    let month_name = std::str::from_utf8(c.0.get(0..3)?).ok()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    c.0 = &c.0[3..];
    c.literal(" ")?;
    let year = c.digits(4)?;
    c.literal(" ")?;
    let hour = c.digits(2)?;
    c.literal(":")?;
    let minute = c.digits(2)?;
    c.literal(":")?;
    let second = c.digits(2)?;
    let millis = c.fraction()?;
    c.literal(" GMT")?;
    if !c.0.is_empty() {
        return None;
    }
    from_fields(i64::from(year), month, day, hour, minute, second, millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(millis: i64) -> DateTime {
        DateTime::from_millis(millis).unwrap()
    }

    #[test]
    fn rfc3339_round_trips_and_reads_offsets() {
        for millis in [
            0,
            1_599_739_200_123,
            -1,
            DateTime::MIN.epoch_millis(),
            DateTime::MAX.epoch_millis(),
        ] {
            let text = DateTimeFormat::format(time(millis));
            assert_eq!(DateTimeFormat::parse(&text), Some(time(millis)), "{text}");
        }
        assert_eq!(
            parse_rfc3339("2020-09-10T14:00:00.123456+02:00"),
            Some(time(1_599_739_200_123))
        );
        assert_eq!(
            parse_rfc3339("2020-09-10t12:00:00z"),
            Some(time(1_599_739_200_000))
        );
        for bad in [
            "2020-09-10",
            "2020-13-10T00:00:00Z",
            "2020-02-30T00:00:00Z",
            "2020-09-10T12:00:00",
            "x",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn http_date_round_trips() {
        assert_eq!(
            format_http_date(time(784_111_777_000)),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(time(784_111_777_000))
        );
        for millis in [
            0,
            1_599_739_200_250,
            -1,
            DateTime::MIN.epoch_millis(),
            DateTime::MAX.epoch_millis(),
        ] {
            let text = format_http_date(time(millis));
            assert_eq!(parse_http_date(&text), Some(time(millis)), "{text}");
        }
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37"), None);
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Holder {
        #[serde(with = "date_time")]
        one: DateTime,
        #[serde(with = "http_date", default, skip_serializing_if = "Option::is_none")]
        many: Option<Vec<HashMap<String, Box<DateTime>>>>,
    }

    #[test]
    fn containers_carry_the_format_and_numbers_are_accepted() {
        let json = r#"{"one":1599739200,"many":[{"a":"Thu, 10 Sep 2020 12:00:00 GMT"}]}"#;
        let holder: Holder = serde_json::from_str(json).unwrap();
        assert_eq!(holder.one, time(1_599_739_200_000));
        assert_eq!(
            serde_json::to_string(&holder).unwrap(),
            r#"{"one":"2020-09-10T12:00:00Z","many":[{"a":"Thu, 10 Sep 2020 12:00:00 GMT"}]}"#
        );
        let absent: Holder = serde_json::from_str(r#"{"one":"2020-09-10T12:00:00Z"}"#).unwrap();
        assert_eq!(absent.many, None);
        assert!(serde_json::from_str::<Holder>(r#"{"one":"yesterday"}"#).is_err());
    }
}
