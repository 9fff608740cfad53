//! Evaluation of a parsed rule set against parameters.

use std::collections::BTreeMap;

use crate::error::ResolveEndpointError;
use crate::functions;
use crate::partitions;
use crate::ruleset::{Call, Expr, Function, PathStep, Rule, RuleKind, RuleSet, TemplatePart};
use crate::value::{Endpoint, EndpointParams, Value};

/// The variables in scope: parameters, then values assigned by conditions.
type Scope = BTreeMap<String, Value>;

/// Why a rule could not be evaluated (its location is added by the caller).
type Failure = String;

impl RuleSet {
    /// Resolves the endpoint for `params`: parameters left out take their defaults, the rules
    /// run in order, and the first rule whose conditions hold gives the endpoint or the error.
    pub fn resolve(&self, params: &EndpointParams) -> Result<Endpoint, ResolveEndpointError> {
        let mut scope = Scope::new();
        for parameter in &self.parameters {
            let value = params.get(&parameter.name).or(parameter.default.as_ref());
            match value {
                Some(value) if parameter.accepts(value) => {
                    scope.insert(parameter.name.clone(), value.clone());
                }
                Some(value) => {
                    return Err(ResolveEndpointError::Parameter {
                        name: parameter.name.clone(),
                        reason: format!(
                            "expected a {}, got a {}",
                            parameter.ty.name(),
                            value.type_name()
                        ),
                    })
                }
                None if parameter.required => {
                    return Err(ResolveEndpointError::Parameter {
                        name: parameter.name.clone(),
                        reason: "is required but has no value".to_owned(),
                    })
                }
                None => {}
            }
        }
        evaluate_rules(&self.rules, &scope)?.ok_or(ResolveEndpointError::NoMatch)
    }
}

/// The endpoint of the first matching rule, or its error; `None` when no rule matches.
fn evaluate_rules(rules: &[Rule], scope: &Scope) -> Result<Option<Endpoint>, ResolveEndpointError> {
    for rule in rules {
        if let Some(outcome) = evaluate_rule(rule, scope)? {
            return Ok(Some(outcome));
        }
    }
    Ok(None)
}

fn evaluate_rule(rule: &Rule, scope: &Scope) -> Result<Option<Endpoint>, ResolveEndpointError> {
    let failed = |reason: Failure| ResolveEndpointError::Evaluation {
        rule: describe(rule),
        reason,
    };
    let mut scope = scope.clone();
    for condition in &rule.conditions {
        let value = call(&condition.call, &scope).map_err(failed)?;
        let holds = match &value {
            None | Some(Value::Bool(false)) => false,
            Some(_) => true,
        };
        if !holds {
            return Ok(None);
        }
        if let (Some(name), Some(value)) = (&condition.assign, value) {
            scope.insert(name.clone(), value);
        }
    }
    match &rule.kind {
        RuleKind::Endpoint(template) => {
            let url = string(&template.url, &scope, "the endpoint URL").map_err(failed)?;
            let mut endpoint = Endpoint::new(url);
            for (name, values) in &template.headers {
                for value in values {
                    let value = string(value, &scope, "a header value").map_err(failed)?;
                    endpoint = endpoint.with_header(name.clone(), value);
                }
            }
            for (name, value) in &template.properties {
                let value = expr(value, &scope)
                    .map_err(&failed)?
                    .ok_or_else(|| failed(format!("the property `{name}` has no value")))?;
                endpoint = endpoint.with_property(name.clone(), value);
            }
            Ok(Some(endpoint))
        }
        RuleKind::Error(message) => {
            let message = string(message, &scope, "the error message").map_err(failed)?;
            Err(ResolveEndpointError::Rule {
                rule: describe(rule),
                message,
            })
        }
        RuleKind::Tree(rules) => match evaluate_rules(rules, &scope)? {
            Some(endpoint) => Ok(Some(endpoint)),
            None => Err(failed(
                "its conditions hold but none of its rules matched".to_owned(),
            )),
        },
    }
}

/// `rules[1].rules[0]`, with the rule's documentation when it has some.
fn describe(rule: &Rule) -> String {
    match &rule.documentation {
        Some(doc) => format!("{} ({doc})", rule.path),
        None => rule.path.clone(),
    }
}

fn string(expression: &Expr, scope: &Scope, what: &str) -> Result<String, Failure> {
    match expr(expression, scope)? {
        Some(Value::String(text)) => Ok(text),
        Some(other) => Err(format!("{what} is a {}, not a string", other.type_name())),
        None => Err(format!("{what} has no value")),
    }
}

fn expr(expression: &Expr, scope: &Scope) -> Result<Option<Value>, Failure> {
    Ok(match expression {
        Expr::Template(parts) => Some(Value::String(template(parts, scope)?)),
        Expr::Bool(value) => Some(Value::Bool(*value)),
        Expr::Integer(value) => Some(Value::Integer(*value)),
        Expr::Array(items) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                values.push(expr(item, scope)?.ok_or("an array element has no value")?);
            }
            Some(Value::Array(values))
        }
        Expr::Record(fields) => {
            let mut values = BTreeMap::new();
            for (key, value) in fields {
                let value = expr(value, scope)?
                    .ok_or_else(|| format!("the record field `{key}` has no value"))?;
                values.insert(key.clone(), value);
            }
            Some(Value::Record(values))
        }
        Expr::Ref(name) => scope.get(name).cloned(),
        Expr::Call(inner) => call(inner, scope)?,
    })
}

fn template(parts: &[TemplatePart], scope: &Scope) -> Result<String, Failure> {
    let mut text = String::new();
    for part in parts {
        let value = match part {
            TemplatePart::Text(literal) => {
                text.push_str(literal);
                continue;
            }
            TemplatePart::Ref(name) => scope.get(name).cloned(),
            TemplatePart::Attr(name, path) => scope.get(name).and_then(|v| get_attr(v, path)),
        };
        match value {
            Some(Value::String(piece)) => text.push_str(&piece),
            Some(other) => {
                return Err(format!(
                    "a template inserts a {}, not a string",
                    other.type_name()
                ))
            }
            None => return Err("a template inserts a value that is not set".to_owned()),
        }
    }
    Ok(text)
}

fn get_attr(value: &Value, path: &[PathStep]) -> Option<Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (PathStep::Key(key), Value::Record(fields)) => fields.get(key)?,
            (PathStep::Index(index), Value::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(current.clone())
}

/// Evaluates the arguments of a call; `None` for an argument that is not set.
fn args(call: &Call, scope: &Scope) -> Result<Vec<Option<Value>>, Failure> {
    call.args.iter().map(|arg| expr(arg, scope)).collect()
}

fn call(call: &Call, scope: &Scope) -> Result<Option<Value>, Failure> {
    let name = call.function.name();
    if call.function == Function::GetAttr {
        let target = expr(&call.args[0], scope)?;
        let path = match &call.args[1] {
            Expr::Template(parts) => template(parts, scope)?,
            _ => return Err("the `getAttr` path is not a string".to_owned()),
        };
        let path = crate::ruleset::parse_path(&path)?;
        return Ok(target.and_then(|target| get_attr(&target, &path)));
    }
    let values = args(call, scope)?;
    if call.function == Function::IsSet {
        return Ok(Some(Value::Bool(values[0].is_some())));
    }
    // Every other function needs every argument: an unset one makes the result empty.
    let Some(values) = values.into_iter().collect::<Option<Vec<Value>>>() else {
        return Ok(None);
    };
    let text = |index: usize| -> Result<&str, Failure> {
        values[index]
            .as_str()
            .ok_or_else(|| mismatch(name, index, "string", &values[index]))
    };
    let flag = |index: usize| -> Result<bool, Failure> {
        values[index]
            .as_bool()
            .ok_or_else(|| mismatch(name, index, "boolean", &values[index]))
    };
    let index = |position: usize| -> Result<usize, Failure> {
        match values[position] {
            Value::Integer(value) => usize::try_from(value)
                .map_err(|_| format!("argument {position} of `{name}` is negative")),
            ref other => Err(mismatch(name, position, "integer", other)),
        }
    };
    Ok(match call.function {
        Function::Not => Some(Value::Bool(!flag(0)?)),
        Function::BooleanEquals => Some(Value::Bool(flag(0)? == flag(1)?)),
        Function::StringEquals => Some(Value::Bool(text(0)? == text(1)?)),
        Function::Substring => {
            functions::substring(text(0)?, index(1)?, index(2)?, flag(3)?).map(Value::String)
        }
        Function::UriEncode => Some(Value::String(functions::uri_encode(text(0)?))),
        Function::ParseUrl => functions::parse_url(text(0)?),
        Function::IsValidHostLabel => Some(Value::Bool(functions::is_valid_host_label(
            text(0)?,
            flag(1)?,
        ))),
        Function::Partition => Some(partitions::partition(text(0)?).to_value()),
        Function::ParseArn => functions::parse_arn(text(0)?),
        Function::IsVirtualHostableS3Bucket => Some(Value::Bool(
            functions::is_virtual_hostable_s3_bucket(text(0)?, flag(1)?),
        )),
        Function::IsSet | Function::GetAttr => None,
    })
}

fn mismatch(name: &str, index: usize, expected: &str, got: &Value) -> Failure {
    format!(
        "argument {index} of `{name}` should be a {expected}, is a {}",
        got.type_name()
    )
}
