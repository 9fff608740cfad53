//! Parameters an operation binds itself: `smithy.rules#staticContextParams` (a fixed value)
//! and `smithy.rules#contextParam` (an input member), declared by generated operations as a
//! `const` table and applied to a call's parameters by the client.

use serde_json::Value as Json;

use crate::value::{EndpointParams, Value};

/// One parameter an operation binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextParam {
    /// A fixed value (`staticContextParams`).
    Static {
        /// The rule-set parameter.
        param: &'static str,
        /// Its value.
        value: StaticValue,
    },
    /// The value of a top-level input member (`contextParam`), by its wire name.
    Member {
        /// The rule-set parameter.
        param: &'static str,
        /// The input member's wire name.
        member: &'static str,
    },
}

/// The value of a static context parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaticValue {
    /// A boolean.
    Bool(bool),
    /// A string.
    String(&'static str),
    /// An array of strings.
    StringArray(&'static [&'static str]),
}

impl StaticValue {
    fn to_value(self) -> Value {
        match self {
            Self::Bool(value) => Value::Bool(value),
            Self::String(text) => Value::from(text),
            Self::StringArray(items) => {
                Value::Array(items.iter().map(|item| Value::from(*item)).collect())
            }
        }
    }
}

/// Sets `bindings` on `params`: the static ones, then the members of `input` (the call's
/// serialized JSON input) that are set and are strings, booleans or arrays of strings.
pub fn apply(bindings: &[ContextParam], input: &[u8], params: &mut EndpointParams) {
    for binding in bindings {
        if let ContextParam::Static { param, value } = binding {
            params.set(*param, value.to_value());
        }
    }
    if !bindings
        .iter()
        .any(|binding| matches!(binding, ContextParam::Member { .. }))
    {
        return;
    }
    let Ok(Json::Object(members)) = serde_json::from_slice::<Json>(input) else {
        return;
    };
    for binding in bindings {
        if let ContextParam::Member { param, member } = binding {
            if let Some(value) = members.get(*member).and_then(member_value) {
                params.set(*param, value);
            }
        }
    }
}

fn member_value(json: &Json) -> Option<Value> {
    match json {
        Json::String(text) => Some(Value::String(text.clone())),
        Json::Bool(value) => Some(Value::Bool(*value)),
        Json::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(Value::from))
            .collect::<Option<Vec<_>>>()
            .map(Value::Array),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statics_then_members_of_the_input() {
        let bindings = [
            ContextParam::Static {
                param: "OperationType",
                value: StaticValue::String("control"),
            },
            ContextParam::Static {
                param: "Flag",
                value: StaticValue::Bool(true),
            },
            ContextParam::Member {
                param: "StreamARN",
                member: "StreamARN",
            },
            ContextParam::Member {
                param: "Missing",
                member: "Absent",
            },
            ContextParam::Member {
                param: "Count",
                member: "Count",
            },
        ];
        let mut params = EndpointParams::new();
        apply(
            &bindings,
            br#"{"StreamARN": "arn:aws:kinesis:us-east-1:123:stream/s", "Count": 3}"#,
            &mut params,
        );
        assert_eq!(params.get_str("OperationType"), Some("control"));
        assert_eq!(params.get_bool("Flag"), Some(true));
        assert_eq!(
            params.get_str("StreamARN"),
            Some("arn:aws:kinesis:us-east-1:123:stream/s")
        );
        assert_eq!(params.get("Missing"), None);
        assert_eq!(params.get("Count"), None, "numbers are not parameters");
        // An input that is not a JSON object binds only the statics.
        let mut params = EndpointParams::new();
        apply(&bindings, b"not json", &mut params);
        assert_eq!(params.iter().count(), 2);
    }
}
