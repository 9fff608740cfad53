//! Lowering of a service's endpoint rule set: checked by the rules engine that will evaluate
//! it (so a rule set the runtime would reject fails generation, naming the service), kept as
//! compact JSON, and its parameters given their Rust names.

use std::collections::BTreeMap;

use aws_json_endpoints::{ParameterType, RuleSet, Value};

use crate::ast::{Member, Traits};
use crate::error::ModelError;
use crate::ir::{
    EndpointContextParam, EndpointDefault, EndpointParameter, EndpointParameterType, EndpointRules,
};
use crate::naming;

/// The IR of the rule set `document` of the service `service_id`.
pub fn lower(service_id: &str, document: &serde_json::Value) -> Result<EndpointRules, ModelError> {
    let rules = RuleSet::from_json(document).map_err(|error| {
        ModelError::new(
            service_id,
            format!("`smithy.rules#endpointRuleSet`: {error}"),
        )
    })?;
    let mut fields: BTreeMap<String, &str> = BTreeMap::new();
    let mut parameters = Vec::new();
    for parameter in rules.parameters() {
        let field = naming::endpoint::field(parameter.name());
        if let Some(other) = fields.insert(field.clone(), parameter.name()) {
            return Err(ModelError::new(
                service_id,
                format!(
                    "the endpoint parameters `{other}` and `{}` both become the field `{field}`",
                    parameter.name()
                ),
            ));
        }
        let ty = match parameter.ty() {
            ParameterType::String => EndpointParameterType::String,
            ParameterType::Boolean => EndpointParameterType::Boolean,
            ParameterType::StringArray => EndpointParameterType::StringArray,
        };
        parameters.push(EndpointParameter {
            name: parameter.name().to_owned(),
            setter: naming::endpoint::setter(parameter.name()),
            field,
            ty,
            built_in: parameter.built_in().map(str::to_owned),
            default: parameter.default_value().and_then(default),
            required: parameter.is_required(),
            docs: parameter.documentation().map(str::to_owned),
        });
    }
    let json = serde_json::to_string(document)
        .map_err(|error| ModelError::new(service_id, format!("the endpoint rule set: {error}")))?;
    Ok(EndpointRules { json, parameters })
}

fn default(value: &Value) -> Option<EndpointDefault> {
    match value {
        Value::String(text) => Some(EndpointDefault::String(text.clone())),
        Value::Bool(value) => Some(EndpointDefault::Boolean(*value)),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(EndpointDefault::StringArray),
        Value::Integer(_) | Value::Record(_) => None,
    }
}

/// Reads `staticContextParams` (`{"Name": {"value": v}}`), the same in Smithy and botocore:
/// each value a string, boolean or list of strings.
pub fn static_context_params(
    value: &serde_json::Value,
) -> Result<Vec<(String, serde_json::Value)>, String> {
    let params = value.as_object().ok_or("must be an object")?;
    params
        .iter()
        .map(|(name, param)| {
            let value = param
                .get("value")
                .filter(|value| json_default(value).is_some())
                .ok_or_else(|| {
                    format!("`{name}` needs a `value` that is a string, boolean or list of strings")
                })?;
            Ok((name.clone(), value.clone()))
        })
        .collect()
}

/// Reads `contextParam` (`{"name": "Param"}`).
pub fn context_param(value: &serde_json::Value) -> Result<String, String> {
    value
        .get("name")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "needs a string `name`".to_owned())
}

/// The parameters an operation binds: its static ones, then its input members'.
pub fn operation_context(operation: &Traits, input: &[Member]) -> Vec<EndpointContextParam> {
    let statics = operation
        .static_context_params
        .iter()
        .filter_map(|(param, value)| {
            Some(EndpointContextParam::Static {
                param: param.clone(),
                value: json_default(value)?,
            })
        });
    let members = input.iter().filter_map(|member| {
        Some(EndpointContextParam::Member {
            param: member.traits.context_param.clone()?,
            member: member.name.clone(),
        })
    });
    statics.chain(members).collect()
}

fn json_default(value: &serde_json::Value) -> Option<EndpointDefault> {
    match value {
        serde_json::Value::String(text) => Some(EndpointDefault::String(text.clone())),
        serde_json::Value::Bool(value) => Some(EndpointDefault::Boolean(*value)),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(EndpointDefault::StringArray),
        _ => None,
    }
}
