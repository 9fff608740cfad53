//! Botocore's params and results into the wire form that the generated types deserialize.
//!
//! Botocore writes values the way a Python caller passes them: blobs as raw strings (which
//! travel base64-encoded), timestamps as epoch seconds, floats that JSON cannot hold as the
//! strings `"NaN"`, `"Infinity"` and `"-Infinity"`. Timestamps (the generated types accept epoch
//! seconds in every format) and the special floats (the AWS JSON protocols write them as those
//! very strings) need nothing; blobs are encoded here, following the suite's shapes.

use base64::Engine as _;
use serde_json::{Map, Value};

/// `value`, of the suite shape `shape`, in its wire form.
pub fn to_wire(value: &Value, shape: &str, shapes: &Value) -> Value {
    let definition = &shapes[shape];
    match (definition["type"].as_str(), value) {
        (Some("structure"), Value::Object(members)) => Value::Object(
            members
                .iter()
                .map(|(name, member)| {
                    let converted = match definition["members"][name]["shape"].as_str() {
                        Some(target) => to_wire(member, target, shapes),
                        None => member.clone(),
                    };
                    (name.clone(), converted)
                })
                .collect::<Map<_, _>>(),
        ),
        (Some("list"), Value::Array(items)) => match definition["member"]["shape"].as_str() {
            Some(target) => Value::Array(
                items
                    .iter()
                    .map(|item| to_wire(item, target, shapes))
                    .collect(),
            ),
            None => value.clone(),
        },
        (Some("map"), Value::Object(entries)) => match definition["value"]["shape"].as_str() {
            Some(target) => Value::Object(
                entries
                    .iter()
                    .map(|(key, item)| (key.clone(), to_wire(item, target, shapes)))
                    .collect(),
            ),
            None => value.clone(),
        },
        (Some("blob"), Value::String(raw)) => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(raw.as_bytes()))
        }
        _ => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn blobs_are_encoded_through_structures_lists_and_maps() {
        let shapes = json!({
            "S": {"type": "structure", "members": {
                "B": {"shape": "Blob"}, "L": {"shape": "L"}, "M": {"shape": "M"},
                "T": {"shape": "Time"}, "F": {"shape": "Float"}
            }},
            "L": {"type": "list", "member": {"shape": "Blob"}},
            "M": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Blob"}},
            "Blob": {"type": "blob"}, "Str": {"type": "string"},
            "Time": {"type": "timestamp"}, "Float": {"type": "float"}
        });
        let params = json!({"B": "foo", "L": ["foo"], "M": {"k": "foo"}, "T": 1, "F": "NaN"});
        assert_eq!(
            to_wire(&params, "S", &shapes),
            json!({"B": "Zm9v", "L": ["Zm9v"], "M": {"k": "Zm9v"}, "T": 1, "F": "NaN"})
        );
    }
}
