//! Floats as the AWS JSON protocols write them: finite values as JSON numbers, and the values
//! JSON cannot hold as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
//!
//! Members holding `f32` or `f64` (themselves, as list items or as map values) carry
//! `#[serde(with = "::aws_json_runtime::float")]`; the helpers are generic over where the float
//! sits, as those of [`timestamp`](crate::timestamp) are.
//!
//! ```
//! #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
//! struct Reading {
//!     #[serde(with = "aws_json_runtime::float")]
//!     value: f64,
//!     #[serde(with = "aws_json_runtime::float", default)]
//!     history: Option<Vec<f32>>,
//! }
//!
//! let reading: Reading =
//!     serde_json::from_str(r#"{"value": "-Infinity", "history": [1.5, "NaN"]}"#).unwrap();
//! assert_eq!(reading.value, f64::NEG_INFINITY);
//! assert!(reading.history.as_ref().unwrap()[1].is_nan());
//! assert_eq!(
//!     serde_json::to_string(&reading).unwrap(),
//!     r#"{"value":"-Infinity","history":[1.5,"NaN"]}"#
//! );
//! ```

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Values that hold floats: `f32`, `f64` and the containers the model can put them in.
pub trait Floats: Sized {
    /// Serializes, writing non-finite floats as strings.
    fn serialize_floats<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Deserializes, reading floats from numbers or from `"NaN"`, `"Infinity"`, `"-Infinity"`.
    fn deserialize_floats<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// `#[serde(with)]`: serializes `value`, writing non-finite floats as strings.
pub fn serialize<T: Floats, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_floats(serializer)
}

/// `#[serde(with)]`: deserializes a value whose floats are numbers or `"NaN"`, `"Infinity"`,
/// `"-Infinity"`.
pub fn deserialize<'de, T: Floats, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_floats(deserializer)
}

/// The string a non-finite float is written as, if it is not finite.
fn special(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("Infinity")
    } else if value == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a number, "NaN", "Infinity" or "-Infinity""#)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<f64, E> {
        match text {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
        }
    }
}

impl Floats for f64 {
    fn serialize_floats<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match special(*self) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_f64(*self),
        }
    }

    fn deserialize_floats<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl Floats for f32 {
    fn serialize_floats<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match special(f64::from(*self)) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_f32(*self),
        }
    }

    fn deserialize_floats<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A JSON number read as f64, then narrowed as the model's `float` is.
        deserializer
            .deserialize_any(FloatVisitor)
            .map(|value| value as f32)
    }
}

struct As<'a, T>(&'a T);

impl<T: Floats> Serialize for As<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_floats(serializer)
    }
}

struct From<T>(T);

impl<'de, T: Floats> Deserialize<'de> for From<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_floats(deserializer).map(From)
    }
}

impl<T: Floats> Floats for Option<T> {
    fn serialize_floats<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&As(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize_floats<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<From<T>>::deserialize(deserializer)?.map(|value| value.0))
    }
}

impl<T: Floats> Floats for Box<T> {
    fn serialize_floats<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_floats(serializer)
    }

    fn deserialize_floats<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_floats(deserializer).map(Box::new)
    }
}

impl<T: Floats> Floats for Vec<T> {
    fn serialize_floats<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(As))
    }

    fn deserialize_floats<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<From<T>>::deserialize(deserializer)?
            .into_iter()
            .map(|value| value.0)
            .collect())
    }
}

impl<T: Floats> Floats for HashMap<String, T> {
    fn serialize_floats<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(key, value)| (key, As(value))))
    }

    fn deserialize_floats<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(HashMap::<String, From<T>>::deserialize(deserializer)?
            .into_iter()
            .map(|(key, value)| (key, value.0))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug)]
    struct Values {
        #[serde(with = "super")]
        double: f64,
        #[serde(with = "super")]
        float: Option<f32>,
        #[serde(with = "super")]
        map: HashMap<String, Vec<f64>>,
        #[serde(with = "super", default)]
        boxed: Option<Box<f64>>,
    }

    #[test]
    fn special_values_travel_as_strings_and_numbers_as_numbers() {
        let values: Values = serde_json::from_str(
            r#"{"double": "NaN", "float": "Infinity", "map": {"a": [1, 2.5, "-Infinity"]}}"#,
        )
        .unwrap();
        assert!(values.double.is_nan());
        assert_eq!(values.float, Some(f32::INFINITY));
        assert_eq!(values.map["a"][2], f64::NEG_INFINITY);
        assert_eq!(values.boxed, None);
        let text = serde_json::to_string(&values).unwrap();
        assert!(text.contains(r#""double":"NaN""#), "{text}");
        assert!(text.contains(r#""float":"Infinity""#), "{text}");
        assert!(text.contains(r#"[1.0,2.5,"-Infinity"]"#), "{text}");
    }

    #[test]
    fn other_strings_are_refused() {
        let error = serde_json::from_str::<Values>(r#"{"double": "nan", "map": {}}"#).unwrap_err();
        assert!(error.to_string().contains("\"NaN\""), "{error}");
    }
}
