//! Decoding an operation's input from a request body, with AWS's error classification.

use aws_json_runtime::validate::{item_path, member_path};
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::{Path, Segment};

use crate::error::{ErrorCode, Rejection};

/// Decodes `T` from a JSON body; an empty (or blank) body stands for `{}`.
///
/// - a body that is not JSON, is not an object, or has a member of the wrong type gives a
///   `SerializationException` naming the member;
/// - a missing (or `null`) required member gives a `ValidationException` worded as AWS does:
///   `1 validation error detected: Value null at 'instanceArn' failed to satisfy constraint:
///   Member must not be null`.
pub(crate) fn decode_input<T: DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    // The common case in one pass: an object that decodes as it stands. Anything else takes
    // the path through a `Value` below, which gives the same input when there is one (a
    // duplicate member, which the direct pass refuses, is decoded there with the last value
    // winning) and classifies errors as AWS does.
    if body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{') {
        if let Ok(input) = serde_json::from_slice(body) {
            return Ok(input);
        }
    }
    decode_through_value(body)
}

/// [`decode_input`] through a [`Value`], which tells what is wrong with a body.
fn decode_through_value<T: DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(body).map_err(|error| {
            Rejection::bad_request(
                ErrorCode::Serialization,
                format!("Could not parse the request body as JSON: {error}"),
            )
        })?
    };
    if !value.is_object() {
        return Err(Rejection::bad_request(
            ErrorCode::Serialization,
            "The request body must be a JSON object",
        ));
    }
    serde_path_to_error::deserialize::<_, T>(&value).map_err(|error| {
        let path = error.path().clone();
        let message = error.into_inner().to_string();
        if let Some(field) = missing_field(&message) {
            return not_null(&member_path(&aws_path(&path), field));
        }
        if matches!(lookup(&value, &path), Some(Value::Null)) {
            return not_null(&aws_path(&path));
        }
        let message = if path.iter().next().is_none() {
            message
        } else {
            format!("Invalid value for member '{path}': {message}")
        };
        Rejection::bad_request(ErrorCode::Serialization, message)
    })
}

/// The `ValidationException` for a required member that is absent or `null`.
fn not_null(path: &str) -> Rejection {
    Rejection::bad_request(
        ErrorCode::Validation,
        format!(
            "1 validation error detected: Value null at '{path}' failed to satisfy constraint: \
             Member must not be null"
        ),
    )
}

/// The field named by serde's `missing field `name`` error, if that is the error.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    let end = rest.find('`')?;
    Some(&rest[..end])
}

/// The value at `path` inside `value`, if there is one.
fn lookup<'v>(value: &'v Value, path: &Path) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, segment| match segment {
        Segment::Seq { index } => value.get(*index),
        Segment::Map { key } => value.get(key.as_str()),
        Segment::Enum { variant } => value.get(variant.as_str()),
        _ => Some(value),
    })
}

/// The path in AWS's validation style: `tags.1.member.key`.
fn aws_path(path: &Path) -> String {
    path.iter()
        .fold(String::new(), |parent, segment| match segment {
            Segment::Seq { index } => item_path(&parent, *index),
            Segment::Map { key } => member_path(&parent, key),
            Segment::Enum { variant } => member_path(&parent, variant),
            _ => parent,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Tag {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Value", default)]
        value: Option<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Input {
        #[serde(rename = "InstanceArn")]
        instance_arn: String,
        #[serde(rename = "Tags", default)]
        tags: Option<Vec<Tag>>,
        #[serde(rename = "Count", default)]
        count: Option<i32>,
    }

    fn reject(body: &str) -> Rejection {
        decode_input::<Input>(body.as_bytes()).expect_err("the body is invalid")
    }

    #[test]
    fn missing_and_null_members_are_validation_errors() {
        let expected = "1 validation error detected: Value null at 'instanceArn' failed to satisfy constraint: Member must not be null";
        for body in ["", "  ", "{}", r#"{"InstanceArn":null}"#] {
            let rejection = reject(body);
            assert_eq!(rejection.code, ErrorCode::Validation, "{body}");
            assert_eq!(rejection.message, expected, "{body}");
        }
        let nested = reject(r#"{"InstanceArn":"a","Tags":[{"Key":"k"},{"Value":"v"}]}"#);
        assert_eq!(nested.code, ErrorCode::Validation);
        assert!(
            nested.message.contains("Value null at 'tags.2.member.key'"),
            "{}",
            nested.message
        );
    }

    #[test]
    fn wrong_types_are_serialization_errors_naming_the_member() {
        let rejection = reject(r#"{"InstanceArn":"a","Tags":[{"Key":5}]}"#);
        assert_eq!(rejection.code, ErrorCode::Serialization);
        assert!(
            rejection.message.contains("Tags[0].Key"),
            "{}",
            rejection.message
        );
        let rejection = reject(r#"{"InstanceArn":"a","Count":"many"}"#);
        assert!(
            rejection.message.contains("'Count'"),
            "{}",
            rejection.message
        );
        assert_eq!(reject("[]").code, ErrorCode::Serialization);
        assert_eq!(reject("{").code, ErrorCode::Serialization);
        assert_eq!(reject("{} x").code, ErrorCode::Serialization);
    }

    #[test]
    fn the_direct_pass_decodes_what_the_value_pass_does() {
        for body in [
            r#"{"InstanceArn":"a"}"#,
            r#" {"InstanceArn":"a\u00e9\n","Count":7,"Tags":[{"Key":"k","Value":null}]} "#,
            r#"{"InstanceArn":"a","Count":null,"Tags":null,"Other":{"x":[1,2]}}"#,
            r#"{"InstanceArn":"first","InstanceArn":"last"}"#,
        ] {
            let direct: Input = decode_input(body.as_bytes()).expect("decodes");
            let through_value: Input =
                decode_through_value(body.as_bytes()).expect("decodes through a Value");
            assert_eq!(
                format!("{direct:?}"),
                format!("{through_value:?}"),
                "{body}"
            );
        }
        let duplicate: Input =
            decode_input(br#"{"InstanceArn":"first","InstanceArn":"last"}"#).expect("decodes");
        assert_eq!(duplicate.instance_arn, "last");
        // A structure decodes from an array in serde, but a request body must be an object.
        assert_eq!(reject(r#"["a"]"#).code, ErrorCode::Serialization);
    }

    #[test]
    fn unknown_members_are_ignored() {
        let input: Input = decode_input(br#"{"InstanceArn":"a","Other":1}"#).expect("decodes");
        assert_eq!(input.instance_arn, "a");
    }
}
