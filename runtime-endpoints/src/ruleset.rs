//! A rule set, parsed from its JSON form (the value of the `smithy.rules#endpointRuleSet`
//! trait, or botocore's `endpoint-rule-set-1.json`) and checked: every function is known and
//! has the right number of arguments, every reference names a parameter or a variable
//! assigned by an enclosing condition, every template is well formed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json};

use crate::error::RuleSetError;
use crate::value::Value;

/// A parsed endpoint rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSet {
    pub(crate) version: String,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
}

/// The type of a rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterType {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

impl ParameterType {
    fn accepts(self, value: &Value) -> bool {
        match (self, value) {
            (Self::String, Value::String(_)) | (Self::Boolean, Value::Bool(_)) => true,
            (Self::StringArray, Value::Array(items)) => {
                items.iter().all(|item| matches!(item, Value::String(_)))
            }
            _ => false,
        }
    }

    /// The type's name in rule sets.
    pub fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::StringArray => "stringArray",
        }
    }
}

/// A parameter of a rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub(crate) name: String,
    pub(crate) ty: ParameterType,
    pub(crate) built_in: Option<String>,
    pub(crate) default: Option<Value>,
    pub(crate) required: bool,
    pub(crate) documentation: Option<String>,
}

impl Parameter {
    /// The parameter's name, e.g. `UseFIPS`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its type.
    pub fn ty(&self) -> ParameterType {
        self.ty
    }

    /// The built-in it is bound to, e.g. `AWS::UseFIPS`.
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }

    /// Its default value.
    pub fn default_value(&self) -> Option<&Value> {
        self.default.as_ref()
    }

    /// Whether resolution fails when it has no value (after its default).
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// Its documentation.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    pub(crate) fn accepts(&self, value: &Value) -> bool {
        self.ty.accepts(value)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rule {
    /// Where the rule sits, e.g. `rules[1].rules[0]`, for error messages.
    pub(crate) path: String,
    pub(crate) documentation: Option<String>,
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RuleKind {
    Endpoint(EndpointTemplate),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EndpointTemplate {
    pub(crate) url: Expr,
    pub(crate) headers: BTreeMap<String, Vec<Expr>>,
    pub(crate) properties: BTreeMap<String, Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Condition {
    pub(crate) call: Call,
    pub(crate) assign: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Call {
    pub(crate) function: Function,
    pub(crate) args: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    Template(Vec<TemplatePart>),
    Bool(bool),
    Integer(i64),
    Array(Vec<Expr>),
    Record(BTreeMap<String, Expr>),
    Ref(String),
    Call(Box<Call>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TemplatePart {
    Text(String),
    Ref(String),
    Attr(String, Vec<PathStep>),
}

/// One step of a `getAttr` path (`name`, `[0]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathStep {
    Key(String),
    Index(usize),
}

/// The functions of the standard library and of the AWS library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "isSet" => Self::IsSet,
            "not" => Self::Not,
            "booleanEquals" => Self::BooleanEquals,
            "stringEquals" => Self::StringEquals,
            "getAttr" => Self::GetAttr,
            "substring" => Self::Substring,
            "uriEncode" => Self::UriEncode,
            "parseURL" => Self::ParseUrl,
            "isValidHostLabel" => Self::IsValidHostLabel,
            "aws.partition" => Self::Partition,
            "aws.parseArn" => Self::ParseArn,
            "aws.isVirtualHostableS3Bucket" => Self::IsVirtualHostableS3Bucket,
            _ => return None,
        })
    }

    /// The function's name in rule sets.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::IsSet => "isSet",
            Self::Not => "not",
            Self::BooleanEquals => "booleanEquals",
            Self::StringEquals => "stringEquals",
            Self::GetAttr => "getAttr",
            Self::Substring => "substring",
            Self::UriEncode => "uriEncode",
            Self::ParseUrl => "parseURL",
            Self::IsValidHostLabel => "isValidHostLabel",
            Self::Partition => "aws.partition",
            Self::ParseArn => "aws.parseArn",
            Self::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }

    fn arity(self) -> usize {
        match self {
            Self::IsSet | Self::Not | Self::UriEncode | Self::ParseUrl => 1,
            Self::Partition | Self::ParseArn => 1,
            Self::BooleanEquals | Self::StringEquals | Self::GetAttr => 2,
            Self::IsValidHostLabel | Self::IsVirtualHostableS3Bucket => 2,
            Self::Substring => 4,
        }
    }
}

impl RuleSet {
    /// Parses and checks a rule set from its JSON text.
    pub fn parse(text: &str) -> Result<Self, RuleSetError> {
        let document: Json = serde_json::from_str(text)
            .map_err(|error| RuleSetError::new("the rule set", format!("invalid JSON: {error}")))?;
        Self::from_json(&document)
    }

    /// Parses and checks a rule set from its JSON value.
    pub fn from_json(document: &Json) -> Result<Self, RuleSetError> {
        let root = object(document, "the rule set")?;
        let version = match root.get("version") {
            Some(Json::String(version)) => version.clone(),
            Some(_) => {
                return Err(RuleSetError::new(
                    "the rule set",
                    "`version` is not a string",
                ))
            }
            None => return Err(RuleSetError::new("the rule set", "`version` is missing")),
        };
        let mut parameters = Vec::new();
        if let Some(params) = root.get("parameters") {
            for (name, param) in object(params, "`parameters`")? {
                parameters.push(parse_parameter(name, param)?);
            }
        }
        let rules = match root.get("rules") {
            Some(Json::Array(rules)) => rules,
            _ => return Err(RuleSetError::new("the rule set", "`rules` is not an array")),
        };
        let scope: BTreeSet<String> = parameters.iter().map(|p| p.name.clone()).collect();
        let rules = rules
            .iter()
            .enumerate()
            .map(|(index, rule)| parse_rule(rule, format!("rules[{index}]"), &scope))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            version,
            parameters,
            rules,
        })
    }

    /// The rule set's `version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Its parameters, in the order of the document.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }
}

fn object<'a>(value: &'a Json, what: &str) -> Result<&'a Map<String, Json>, RuleSetError> {
    value
        .as_object()
        .ok_or_else(|| RuleSetError::new(what, "is not an object"))
}

fn parse_parameter(name: &str, value: &Json) -> Result<Parameter, RuleSetError> {
    let at = format!("parameter `{name}`");
    let fields = object(value, &at)?;
    let ty = match fields.get("type").and_then(Json::as_str) {
        Some(ty) if ty.eq_ignore_ascii_case("string") => ParameterType::String,
        Some(ty) if ty.eq_ignore_ascii_case("boolean") => ParameterType::Boolean,
        Some(ty) if ty.eq_ignore_ascii_case("stringArray") => ParameterType::StringArray,
        Some(ty) => return Err(RuleSetError::new(&at, format!("unknown type `{ty}`"))),
        None => return Err(RuleSetError::new(&at, "`type` is missing")),
    };
    let text = |key: &str| -> Result<Option<String>, RuleSetError> {
        match fields.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(RuleSetError::new(&at, format!("`{key}` is not a string"))),
        }
    };
    let default = match fields.get("default") {
        None | Some(Json::Null) => None,
        Some(json) => {
            let value = literal_value(json)
                .filter(|value| ty.accepts(value))
                .ok_or_else(|| {
                    RuleSetError::new(&at, format!("the default is not a {}", ty.name()))
                })?;
            Some(value)
        }
    };
    let required = match fields.get("required") {
        None => false,
        Some(Json::Bool(required)) => *required,
        Some(_) => return Err(RuleSetError::new(&at, "`required` is not a boolean")),
    };
    Ok(Parameter {
        name: name.to_owned(),
        ty,
        built_in: text("builtIn")?,
        default,
        required,
        documentation: text("documentation")?,
    })
}

/// A default value: a string, boolean or array of strings, taken literally.
fn literal_value(json: &Json) -> Option<Value> {
    match json {
        Json::String(text) => Some(Value::String(text.clone())),
        Json::Bool(value) => Some(Value::Bool(*value)),
        Json::Array(items) => items
            .iter()
            .map(literal_value)
            .collect::<Option<_>>()
            .map(Value::Array),
        _ => None,
    }
}

fn parse_rule(json: &Json, path: String, scope: &BTreeSet<String>) -> Result<Rule, RuleSetError> {
    let at = format!("rule {path}");
    let fields = object(json, &at)?;
    let mut scope = scope.clone();
    let mut conditions = Vec::new();
    if let Some(list) = fields.get("conditions") {
        let list = list
            .as_array()
            .ok_or_else(|| RuleSetError::new(&at, "`conditions` is not an array"))?;
        for (index, condition) in list.iter().enumerate() {
            let where_ = format!("{at}, condition {index}");
            let call = parse_call(condition, &where_, &scope)?;
            let assign = match object(condition, &where_)?.get("assign") {
                None => None,
                Some(Json::String(name)) => {
                    if scope.contains(name) {
                        return Err(RuleSetError::new(
                            &where_,
                            format!("`{name}` is already defined"),
                        ));
                    }
                    scope.insert(name.clone());
                    Some(name.clone())
                }
                Some(_) => return Err(RuleSetError::new(&where_, "`assign` is not a string")),
            };
            conditions.push(Condition { call, assign });
        }
    }
    let documentation = fields
        .get("documentation")
        .and_then(Json::as_str)
        .map(str::to_owned);
    let kind = match fields.get("type").and_then(Json::as_str) {
        Some("endpoint") => {
            let endpoint = fields
                .get("endpoint")
                .ok_or_else(|| RuleSetError::new(&at, "`endpoint` is missing"))?;
            RuleKind::Endpoint(parse_endpoint(endpoint, &at, &scope)?)
        }
        Some("error") => {
            let error = fields
                .get("error")
                .ok_or_else(|| RuleSetError::new(&at, "`error` is missing"))?;
            RuleKind::Error(parse_expr(error, &format!("{at}, error"), &scope)?)
        }
        Some("tree") => {
            let rules = fields
                .get("rules")
                .and_then(Json::as_array)
                .ok_or_else(|| RuleSetError::new(&at, "`rules` is not an array"))?;
            RuleKind::Tree(
                rules
                    .iter()
                    .enumerate()
                    .map(|(index, rule)| parse_rule(rule, format!("{path}.rules[{index}]"), &scope))
                    .collect::<Result<_, _>>()?,
            )
        }
        Some(other) => {
            return Err(RuleSetError::new(
                &at,
                format!("unknown rule type `{other}`"),
            ))
        }
        None => return Err(RuleSetError::new(&at, "`type` is missing")),
    };
    Ok(Rule {
        path,
        documentation,
        conditions,
        kind,
    })
}

fn parse_endpoint(
    json: &Json,
    at: &str,
    scope: &BTreeSet<String>,
) -> Result<EndpointTemplate, RuleSetError> {
    let fields = object(json, &format!("{at}, endpoint"))?;
    let url = parse_expr(
        fields
            .get("url")
            .ok_or_else(|| RuleSetError::new(at, "the endpoint has no `url`"))?,
        &format!("{at}, url"),
        scope,
    )?;
    let mut headers = BTreeMap::new();
    if let Some(map) = fields.get("headers") {
        for (name, values) in object(map, &format!("{at}, headers"))? {
            let where_ = format!("{at}, header `{name}`");
            let values = values
                .as_array()
                .ok_or_else(|| RuleSetError::new(&where_, "is not an array"))?
                .iter()
                .map(|value| parse_expr(value, &where_, scope))
                .collect::<Result<_, _>>()?;
            headers.insert(name.clone(), values);
        }
    }
    let mut properties = BTreeMap::new();
    if let Some(map) = fields.get("properties") {
        for (name, value) in object(map, &format!("{at}, properties"))? {
            let value = parse_expr(value, &format!("{at}, property `{name}`"), scope)?;
            properties.insert(name.clone(), value);
        }
    }
    Ok(EndpointTemplate {
        url,
        headers,
        properties,
    })
}

fn check_ref(name: &str, at: &str, scope: &BTreeSet<String>) -> Result<(), RuleSetError> {
    if scope.contains(name) {
        Ok(())
    } else {
        Err(RuleSetError::new(
            at,
            format!("`{name}` is neither a parameter nor assigned by an enclosing condition"),
        ))
    }
}

fn parse_call(json: &Json, at: &str, scope: &BTreeSet<String>) -> Result<Call, RuleSetError> {
    let fields = object(json, at)?;
    let name = fields
        .get("fn")
        .and_then(Json::as_str)
        .ok_or_else(|| RuleSetError::new(at, "`fn` is missing"))?;
    let function = Function::from_name(name)
        .ok_or_else(|| RuleSetError::new(at, format!("unknown function `{name}`")))?;
    let argv = fields
        .get("argv")
        .and_then(Json::as_array)
        .ok_or_else(|| RuleSetError::new(at, format!("`{name}` has no `argv` array")))?;
    // `substring` may be called without its `reverse` flag only in hand-written rule sets;
    // every other function has a fixed number of arguments.
    if argv.len() != function.arity() {
        return Err(RuleSetError::new(
            at,
            format!(
                "`{name}` takes {} argument(s), given {}",
                function.arity(),
                argv.len()
            ),
        ));
    }
    let args = argv
        .iter()
        .enumerate()
        .map(|(index, arg)| {
            if function == Function::GetAttr && index == 1 {
                // The path is a plain string, checked here.
                let path = arg
                    .as_str()
                    .ok_or_else(|| RuleSetError::new(at, "the `getAttr` path is not a string"))?;
                parse_path(path).map_err(|reason| RuleSetError::new(at, reason))?;
                Ok(Expr::Template(vec![TemplatePart::Text(path.to_owned())]))
            } else {
                parse_expr(arg, at, scope)
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(Call { function, args })
}

fn parse_expr(json: &Json, at: &str, scope: &BTreeSet<String>) -> Result<Expr, RuleSetError> {
    match json {
        Json::String(text) => Ok(Expr::Template(parse_template(text, at, scope)?)),
        Json::Bool(value) => Ok(Expr::Bool(*value)),
        Json::Number(number) => number
            .as_i64()
            .map(Expr::Integer)
            .ok_or_else(|| RuleSetError::new(at, format!("`{number}` is not an integer"))),
        Json::Array(items) => Ok(Expr::Array(
            items
                .iter()
                .map(|item| parse_expr(item, at, scope))
                .collect::<Result<_, _>>()?,
        )),
        Json::Object(fields) if fields.contains_key("ref") => {
            let name = fields["ref"]
                .as_str()
                .ok_or_else(|| RuleSetError::new(at, "`ref` is not a string"))?;
            check_ref(name, at, scope)?;
            Ok(Expr::Ref(name.to_owned()))
        }
        Json::Object(fields) if fields.contains_key("fn") => {
            Ok(Expr::Call(Box::new(parse_call(json, at, scope)?)))
        }
        Json::Object(fields) => Ok(Expr::Record(
            fields
                .iter()
                .map(|(key, value)| Ok((key.clone(), parse_expr(value, at, scope)?)))
                .collect::<Result<_, RuleSetError>>()?,
        )),
        Json::Null => Err(RuleSetError::new(at, "`null` is not a value")),
    }
}

/// Splits a template string into text and `{name}` / `{name#path}` references; `{{` and
/// `}}` stand for braces.
fn parse_template(
    text: &str,
    at: &str,
    scope: &BTreeSet<String>,
) -> Result<Vec<TemplatePart>, RuleSetError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, next)| next) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|&(_, next)| next) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let rest = &text[start + 1..];
                let end = rest.find('}').ok_or_else(|| {
                    RuleSetError::new(at, format!("unclosed `{{` in template `{text}`"))
                })?;
                let inner = &rest[..end];
                for _ in 0..inner.chars().count() + 1 {
                    chars.next();
                }
                if !literal.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                }
                match inner.split_once('#') {
                    Some((name, path)) => {
                        check_ref(name, at, scope)?;
                        let path =
                            parse_path(path).map_err(|reason| RuleSetError::new(at, reason))?;
                        parts.push(TemplatePart::Attr(name.to_owned(), path));
                    }
                    None => {
                        if inner.is_empty() {
                            return Err(RuleSetError::new(
                                at,
                                format!("empty `{{}}` in template `{text}`"),
                            ));
                        }
                        check_ref(inner, at, scope)?;
                        parts.push(TemplatePart::Ref(inner.to_owned()));
                    }
                }
            }
            '}' => {
                return Err(RuleSetError::new(
                    at,
                    format!("unmatched `}}` in template `{text}`"),
                ));
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Text(literal));
    }
    Ok(parts)
}

/// Parses a `getAttr` path: `name`, `a.b`, `[0]`, `a[0].b`.
pub(crate) fn parse_path(path: &str) -> Result<Vec<PathStep>, String> {
    let mut steps = Vec::new();
    if path.is_empty() {
        return Err("empty `getAttr` path".to_owned());
    }
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(open) => (&part[..open], &part[open..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(PathStep::Key(key.to_owned()));
        } else if rest.is_empty() {
            return Err(format!("empty step in the `getAttr` path `{path}`"));
        }
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .filter(|_| rest.starts_with('['))
                .ok_or_else(|| format!("malformed index in the `getAttr` path `{path}`"))?;
            let index = rest[1..close]
                .parse::<usize>()
                .map_err(|_| format!("malformed index in the `getAttr` path `{path}`"))?;
            steps.push(PathStep::Index(index));
            rest = &rest[close + 1..];
        }
    }
    Ok(steps)
}
