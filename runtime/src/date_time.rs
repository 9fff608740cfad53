use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const MILLIS_PER_SECOND: i64 = 1_000;
/// Years 0000 to 9999 in milliseconds: far inside what an `f64` of seconds carries exactly to
/// the millisecond, so every value in range survives the wire unchanged.
const MIN_MILLIS: i64 = -62_167_219_200_000;
const MAX_MILLIS: i64 = 253_402_300_799_999;

/// A point in time with millisecond precision, the precision of AWS JSON timestamps.
///
/// On the wire it is epoch seconds: an integer when the value is whole seconds, otherwise a
/// number with a fraction (`1599739200.123`). Years 0000 to 9999 are representable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    epoch_millis: i64,
}

impl DateTime {
    /// The earliest representable instant, 0000-01-01T00:00:00Z.
    pub const MIN: DateTime = DateTime {
        epoch_millis: MIN_MILLIS,
    };
    /// The latest representable instant, 9999-12-31T23:59:59.999Z.
    pub const MAX: DateTime = DateTime {
        epoch_millis: MAX_MILLIS,
    };

    /// The instant `millis` milliseconds after the Unix epoch, or `None` outside years 0000 to 9999.
    pub const fn from_millis(millis: i64) -> Option<Self> {
        if millis < MIN_MILLIS || millis > MAX_MILLIS {
            None
        } else {
            Some(Self {
                epoch_millis: millis,
            })
        }
    }

    /// The instant `secs` seconds after the Unix epoch, or `None` outside years 0000 to 9999.
    pub const fn from_secs(secs: i64) -> Option<Self> {
        match secs.checked_mul(MILLIS_PER_SECOND) {
            Some(millis) => Self::from_millis(millis),
            None => None,
        }
    }

    /// Epoch seconds with a fraction, rounded to the millisecond; `None` when not finite or out of range.
    pub fn from_secs_f64(secs: f64) -> Option<Self> {
        let millis = (secs * MILLIS_PER_SECOND as f64).round();
        if millis.is_finite() && millis >= MIN_MILLIS as f64 && millis <= MAX_MILLIS as f64 {
            Self::from_millis(millis as i64)
        } else {
            None
        }
    }

    /// The current time.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// Milliseconds since the Unix epoch.
    pub const fn epoch_millis(self) -> i64 {
        self.epoch_millis
    }

    /// Whole seconds since the Unix epoch (rounded towards negative infinity).
    pub const fn epoch_secs(self) -> i64 {
        self.epoch_millis.div_euclid(MILLIS_PER_SECOND)
    }

    /// The milliseconds past [`epoch_secs`](Self::epoch_secs), 0 to 999.
    pub const fn subsec_millis(self) -> u32 {
        self.epoch_millis.rem_euclid(MILLIS_PER_SECOND) as u32
    }

    /// Epoch seconds as a floating-point number.
    pub fn as_secs_f64(self) -> f64 {
        self.epoch_millis as f64 / MILLIS_PER_SECOND as f64
    }
}

impl From<SystemTime> for DateTime {
    /// Truncates to the millisecond and saturates outside years 0000 to 9999.
    fn from(time: SystemTime) -> Self {
        let millis = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |m| -m),
        };
        Self {
            epoch_millis: millis.clamp(MIN_MILLIS, MAX_MILLIS),
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(time: DateTime) -> Self {
        let magnitude = Duration::from_millis(time.epoch_millis.unsigned_abs());
        if time.epoch_millis >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }
}

impl fmt::Display for DateTime {
    /// RFC 3339 in UTC, with milliseconds when they are not zero: `2020-09-10T12:00:00.123Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.epoch_secs();
        let (year, month, day) = crate::calendar::civil_from_days(secs.div_euclid(86_400));
        let second_of_day = secs.rem_euclid(86_400);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            second_of_day / 3_600,
            second_of_day % 3_600 / 60,
            second_of_day % 60
        )?;
        match self.subsec_millis() {
            0 => f.write_str("Z"),
            millis => write!(f, ".{millis:03}Z"),
        }
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.subsec_millis() == 0 {
            serializer.serialize_i64(self.epoch_secs())
        } else {
            serializer.serialize_f64(self.as_secs_f64())
        }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EpochSecondsVisitor)
    }
}

struct EpochSecondsVisitor;

impl EpochSecondsVisitor {
    fn out_of_range<E: de::Error>(value: impl fmt::Display) -> E {
        E::custom(format!("timestamp {value} is outside years 0000 to 9999"))
    }
}

impl Visitor<'_> for EpochSecondsVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp in epoch seconds")
    }

    fn visit_i64<E: de::Error>(self, secs: i64) -> Result<DateTime, E> {
        DateTime::from_secs(secs).ok_or_else(|| Self::out_of_range(secs))
    }

    fn visit_u64<E: de::Error>(self, secs: u64) -> Result<DateTime, E> {
        i64::try_from(secs)
            .ok()
            .and_then(DateTime::from_secs)
            .ok_or_else(|| Self::out_of_range(secs))
    }

    fn visit_f64<E: de::Error>(self, secs: f64) -> Result<DateTime, E> {
        DateTime::from_secs_f64(secs).ok_or_else(|| Self::out_of_range(secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(
            DateTime::from_secs(0).unwrap().to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            DateTime::from_millis(1_599_739_200_123)
                .unwrap()
                .to_string(),
            "2020-09-10T12:00:00.123Z"
        );
        assert_eq!(DateTime::MIN.to_string(), "0000-01-01T00:00:00Z");
        assert_eq!(DateTime::MAX.to_string(), "9999-12-31T23:59:59.999Z");
        assert_eq!(
            DateTime::from_millis(-1).unwrap().to_string(),
            "1969-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn whole_seconds_are_integers_on_the_wire() {
        let whole = DateTime::from_secs(1_599_739_200).unwrap();
        assert_eq!(serde_json::to_string(&whole).unwrap(), "1599739200");
        let fractional = DateTime::from_millis(1_599_739_200_750).unwrap();
        assert_eq!(serde_json::to_string(&fractional).unwrap(), "1599739200.75");
    }

    #[test]
    fn every_extreme_survives_the_wire() {
        for millis in [
            MIN_MILLIS,
            MIN_MILLIS + 1,
            -1,
            0,
            1,
            999,
            MAX_MILLIS - 1,
            MAX_MILLIS,
        ] {
            let time = DateTime::from_millis(millis).unwrap();
            let json = serde_json::to_string(&time).unwrap();
            assert_eq!(
                serde_json::from_str::<DateTime>(&json).unwrap(),
                time,
                "{json}"
            );
        }
    }

    #[test]
    fn rejects_out_of_range_and_non_numbers() {
        assert!(serde_json::from_str::<DateTime>("1e300").is_err());
        assert!(serde_json::from_str::<DateTime>("\"2020-01-01\"").is_err());
        assert!(DateTime::from_secs(i64::MAX).is_none());
    }

    #[test]
    fn converts_to_and_from_system_time() {
        let time = DateTime::from_millis(-1_500).unwrap();
        assert_eq!(DateTime::from(SystemTime::from(time)), time);
    }
}
