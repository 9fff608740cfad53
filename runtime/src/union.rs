//! Reading unions leniently, as the AWS JSON protocols require: a union's object may carry a
//! `__type` member and members set to `null` besides the one member that is set; both are
//! ignored.
//!
//! Generated unions derive serde's externally tagged form (`{"Member": value}`) and implement
//! [`Union`]; members holding unions (themselves, as list items or as map values) carry
//! `#[serde(deserialize_with = "::aws_json_runtime::union::deserialize")]`.
//!
//! ```
//! #[derive(serde::Deserialize, Debug, PartialEq)]
//! enum Shape {
//!     #[serde(rename = "circle")]
//!     Circle(f64),
//!     #[serde(rename = "square")]
//!     Square(f64),
//! }
//! impl aws_json_runtime::union::Union for Shape {}
//!
//! #[derive(serde::Deserialize, Debug, PartialEq)]
//! struct Drawing {
//!     #[serde(deserialize_with = "aws_json_runtime::union::deserialize", default)]
//!     shape: Option<Shape>,
//! }
//!
//! let drawing: Drawing = serde_json::from_str(
//!     r#"{"shape": {"__type": "ns#Shape", "circle": null, "square": 2.0}}"#,
//! ).unwrap();
//! assert_eq!(drawing.shape, Some(Shape::Square(2.0)));
//! ```

use std::collections::HashMap;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A generated union: read through [`deserialize`], which drops `__type` and `null` members.
pub trait Union: DeserializeOwned {}

/// Values that hold unions: a [`Union`] and the containers the model can put it in.
pub trait Unions: Sized {
    /// Deserializes, ignoring `__type` and `null` members of every union.
    fn deserialize_unions<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// `#[serde(deserialize_with)]`: reads a value whose unions may carry `__type` and `null`
/// members.
pub fn deserialize<'de, T: Unions, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_unions(deserializer)
}

/// Reads one union: its object without `__type` and without `null` members.
fn union<'de, T: Union, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let value = match Value::deserialize(deserializer)? {
        Value::Object(mut members) => {
            members.retain(|name, value| name != "__type" && !value.is_null());
            Value::Object(members)
        }
        other => other,
    };
    T::deserialize(value).map_err(D::Error::custom)
}

struct From<T>(T);

impl<'de, T: Unions> Deserialize<'de> for From<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_unions(deserializer).map(From)
    }
}

impl<T: Union> Unions for T {
    fn deserialize_unions<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        union(deserializer)
    }
}

impl<T: Unions> Unions for Option<T> {
    fn deserialize_unions<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<From<T>>::deserialize(deserializer)?.map(|value| value.0))
    }
}

impl<T: Unions> Unions for Vec<T> {
    fn deserialize_unions<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<From<T>>::deserialize(deserializer)?
            .into_iter()
            .map(|value| value.0)
            .collect())
    }
}

impl<T: Unions> Unions for HashMap<String, T> {
    fn deserialize_unions<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(HashMap::<String, From<T>>::deserialize(deserializer)?
            .into_iter()
            .map(|(key, value)| (key, value.0))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    enum Choice {
        #[serde(rename = "a")]
        A(String),
        #[serde(rename = "b")]
        B(i64),
    }
    impl Union for Choice {}

    #[derive(Deserialize, Debug, PartialEq)]
    struct Holder {
        #[serde(deserialize_with = "super::deserialize")]
        one: Choice,
        #[serde(deserialize_with = "super::deserialize", default)]
        many: Option<HashMap<String, Vec<Choice>>>,
    }

    #[test]
    fn type_and_null_members_are_ignored_everywhere() {
        let holder: Holder = serde_json::from_str(
            r#"{"one": {"__type": "ns#Choice", "a": null, "b": 1},
                "many": {"k": [{"a": "x", "b": null}]}}"#,
        )
        .unwrap();
        assert_eq!(holder.one, Choice::B(1));
        assert_eq!(holder.many.unwrap()["k"], [Choice::A("x".to_owned())]);
    }

    #[test]
    fn exactly_one_member_must_be_set() {
        for body in [
            r#"{"one": {"a": "x", "b": 1}}"#,
            r#"{"one": {"__type": "ns#Choice"}}"#,
            r#"{"one": {"c": 1}}"#,
        ] {
            assert!(serde_json::from_str::<Holder>(body).is_err(), "{body}");
        }
    }
}
