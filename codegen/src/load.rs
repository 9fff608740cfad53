//! Stage 1: the Smithy JSON AST document → [`ast::Model`], with every trait the generator uses
//! parsed and checked. Problems are collected, each naming its shape, rather than stopping at
//! the first.

use serde_json::{Map, Value};

use crate::ast::{
    Acceptor, AcceptorState, AwsService, Bounds, Comparator, EnumValue, EnumValueTrait, Fault,
    IntEnumValue, JsonProtocol, Matcher, Member, Model, Paginated, Shape, ShapeKind, SimpleType,
    TimestampFormat, Traits, Waiter, PRELUDE_NAMESPACE,
};
use crate::error::ModelError;

/// Loads a Smithy 2.0 (or 1.0) JSON AST document.
pub fn load(document: &Value) -> Result<Model, Vec<ModelError>> {
    let mut errors = Vec::new();
    let Some(root) = document.as_object() else {
        return Err(vec![ModelError::new(
            "(model)",
            "the document is not a JSON object",
        )]);
    };
    match root.get("smithy").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.") || version.starts_with("2.") => {}
        Some(version) => errors.push(ModelError::new(
            "(model)",
            format!("unsupported Smithy version `{version}`"),
        )),
        None => errors.push(ModelError::new(
            "(model)",
            "missing the `smithy` version string",
        )),
    }
    let mut model = Model::default();
    match root.get("shapes") {
        Some(Value::Object(shapes)) => {
            for (id, value) in shapes {
                let mut reader = ShapeReader {
                    id,
                    errors: &mut errors,
                };
                if let Some(shape) = reader.shape(value) {
                    model.shapes.insert(id.clone(), shape);
                }
            }
        }
        Some(_) => errors.push(ModelError::new("(model)", "`shapes` is not an object")),
        None => errors.push(ModelError::new("(model)", "missing the `shapes` object")),
    }
    add_prelude(&mut model);
    if errors.is_empty() {
        Ok(model)
    } else {
        Err(errors)
    }
}

/// The simple shapes of the Smithy prelude, which models target without defining them.
const PRELUDE: &[(&str, SimpleType)] = &[
    ("Blob", SimpleType::Blob),
    ("Boolean", SimpleType::Boolean),
    ("String", SimpleType::String),
    ("Byte", SimpleType::Byte),
    ("Short", SimpleType::Short),
    ("Integer", SimpleType::Integer),
    ("Long", SimpleType::Long),
    ("Float", SimpleType::Float),
    ("Double", SimpleType::Double),
    ("BigInteger", SimpleType::BigInteger),
    ("BigDecimal", SimpleType::BigDecimal),
    ("Timestamp", SimpleType::Timestamp),
    ("Document", SimpleType::Document),
    ("PrimitiveBoolean", SimpleType::Boolean),
    ("PrimitiveByte", SimpleType::Byte),
    ("PrimitiveShort", SimpleType::Short),
    ("PrimitiveInteger", SimpleType::Integer),
    ("PrimitiveLong", SimpleType::Long),
    ("PrimitiveFloat", SimpleType::Float),
    ("PrimitiveDouble", SimpleType::Double),
];

fn add_prelude(model: &mut Model) {
    for (name, simple) in PRELUDE {
        let id = format!("{PRELUDE_NAMESPACE}#{name}");
        model.shapes.entry(id.clone()).or_insert(Shape {
            id,
            kind: ShapeKind::Simple(*simple),
            traits: Traits::default(),
        });
    }
}

/// Reads one shape, recording problems against its id.
struct ShapeReader<'a> {
    id: &'a str,
    errors: &'a mut Vec<ModelError>,
}

impl ShapeReader<'_> {
    fn fail(&mut self, problem: impl Into<String>) {
        self.errors.push(ModelError::new(self.id, problem));
    }

    fn fail_at(&mut self, member: &str, problem: impl Into<String>) {
        self.errors
            .push(ModelError::new(format!("{}${member}", self.id), problem));
    }

    fn shape(&mut self, value: &Value) -> Option<Shape> {
        if !self.id.contains('#') {
            self.fail("the shape id is not absolute (`namespace#Name`)");
            return None;
        }
        let Some(object) = value.as_object() else {
            self.fail("the shape is not a JSON object");
            return None;
        };
        let Some(type_name) = object.get("type").and_then(Value::as_str) else {
            self.fail("the shape has no `type`");
            return None;
        };
        let traits = self.traits(None, object.get("traits"));
        let kind = self.kind(type_name, object, &traits)?;
        Some(Shape {
            id: self.id.to_owned(),
            kind,
            traits,
        })
    }

    fn kind(
        &mut self,
        type_name: &str,
        object: &Map<String, Value>,
        traits: &Traits,
    ) -> Option<ShapeKind> {
        if let Some(values) = traits.legacy_enum.clone() {
            return Some(ShapeKind::Enum { values });
        }
        if let Some(simple) = SimpleType::from_ast_name(type_name) {
            return Some(ShapeKind::Simple(simple));
        }
        Some(match type_name {
            "list" | "set" => ShapeKind::List {
                member: self.member("member", object.get("member"))?,
            },
            "map" => ShapeKind::Map {
                key: self.member("key", object.get("key"))?,
                value: self.member("value", object.get("value"))?,
            },
            "structure" => ShapeKind::Structure {
                members: self.members(object)?,
            },
            "union" => ShapeKind::Union {
                members: self.members(object)?,
            },
            "enum" => ShapeKind::Enum {
                values: self.enum_values(object)?,
            },
            "intEnum" => ShapeKind::IntEnum {
                values: self.int_enum_values(object)?,
            },
            "operation" => ShapeKind::Operation {
                input: self.optional_ref(object, "input"),
                output: self.optional_ref(object, "output"),
                errors: self.refs(object, "errors"),
            },
            "service" => ShapeKind::Service {
                version: object
                    .get("version")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                operations: self.refs(object, "operations"),
                resources: self.refs(object, "resources"),
                errors: self.refs(object, "errors"),
            },
            "resource" => {
                let mut operations = Vec::new();
                for key in ["create", "put", "read", "update", "delete", "list"] {
                    operations.extend(self.optional_ref(object, key));
                }
                operations.extend(self.refs(object, "operations"));
                operations.extend(self.refs(object, "collectionOperations"));
                ShapeKind::Resource {
                    operations,
                    resources: self.refs(object, "resources"),
                }
            }
            other => {
                self.fail(format!("unknown shape type `{other}`"));
                return None;
            }
        })
    }

    fn member(&mut self, name: &str, value: Option<&Value>) -> Option<Member> {
        let Some(object) = value.and_then(Value::as_object) else {
            self.fail_at(name, "the member is missing or not an object");
            return None;
        };
        let Some(target) = object.get("target").and_then(Value::as_str) else {
            self.fail_at(name, "the member has no `target`");
            return None;
        };
        let traits = self.traits(Some(name), object.get("traits"));
        Some(Member {
            name: name.to_owned(),
            target: target.to_owned(),
            traits,
        })
    }

    fn members(&mut self, object: &Map<String, Value>) -> Option<Vec<Member>> {
        match object.get("members") {
            None => Some(Vec::new()),
            Some(Value::Object(members)) => members
                .iter()
                .map(|(name, value)| self.member(name, Some(value)))
                .collect(),
            Some(_) => {
                self.fail("`members` is not an object");
                None
            }
        }
    }

    fn enum_values(&mut self, object: &Map<String, Value>) -> Option<Vec<EnumValue>> {
        let members = self.members(object)?;
        let mut values = Vec::new();
        for member in members {
            let value = match member.traits.enum_value {
                Some(EnumValueTrait::String(value)) => value,
                Some(EnumValueTrait::Int(_)) => {
                    self.fail_at(
                        &member.name,
                        "`smithy.api#enumValue` of an enum must be a string",
                    );
                    continue;
                }
                None => member.name.clone(),
            };
            values.push(EnumValue {
                name: member.name,
                value,
                documentation: member.traits.documentation,
            });
        }
        Some(values)
    }

    fn int_enum_values(&mut self, object: &Map<String, Value>) -> Option<Vec<IntEnumValue>> {
        let members = self.members(object)?;
        let mut values = Vec::new();
        for member in members {
            match member.traits.enum_value {
                Some(EnumValueTrait::Int(value)) => values.push(IntEnumValue {
                    name: member.name,
                    value,
                    documentation: member.traits.documentation,
                }),
                _ => self.fail_at(
                    &member.name,
                    "an intEnum member needs an integer `smithy.api#enumValue`",
                ),
            }
        }
        Some(values)
    }

    fn optional_ref(&mut self, object: &Map<String, Value>, key: &str) -> Option<String> {
        let value = object.get(key)?;
        match value.get("target").and_then(Value::as_str) {
            Some(target) => Some(target.to_owned()),
            None => {
                self.fail(format!(
                    "`{key}` is not a shape reference (`{{\"target\": ...}}`)"
                ));
                None
            }
        }
    }

    fn refs(&mut self, object: &Map<String, Value>, key: &str) -> Vec<String> {
        match object.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| match item.get("target").and_then(Value::as_str) {
                    Some(target) => Some(target.to_owned()),
                    None => {
                        self.fail(format!("an entry of `{key}` is not a shape reference"));
                        None
                    }
                })
                .collect(),
            Some(_) => {
                self.fail(format!("`{key}` is not a list of shape references"));
                Vec::new()
            }
        }
    }

    fn traits(&mut self, member: Option<&str>, value: Option<&Value>) -> Traits {
        let mut traits = Traits::default();
        let Some(value) = value else { return traits };
        let Some(map) = value.as_object() else {
            self.trait_error(member, "traits", "is not an object");
            return traits;
        };
        for (name, value) in map {
            if let Err(problem) = apply_trait(&mut traits, name, value) {
                self.trait_error(member, name, &problem);
            }
        }
        traits
    }

    fn trait_error(&mut self, member: Option<&str>, name: &str, problem: &str) {
        let problem = format!("malformed trait `{name}`: {problem}");
        match member {
            Some(member) => self.fail_at(member, problem),
            None => self.fail(problem),
        }
    }
}

/// Parses one trait into `traits`; `Err` says what is malformed.
fn apply_trait(traits: &mut Traits, name: &str, value: &Value) -> Result<(), String> {
    match name {
        "smithy.api#documentation" => traits.documentation = documentation(value)?,
        "smithy.api#title" => traits.title = Some(string(value)?),
        "smithy.api#required" => traits.required = marker(value)?,
        "smithy.api#sensitive" => traits.sensitive = marker(value)?,
        "smithy.api#idempotencyToken" => traits.idempotency_token = marker(value)?,
        "smithy.api#length" => {
            traits.length = Some(bounds(value, Value::as_u64, "non-negative integers")?)
        }
        "smithy.api#range" => traits.range = Some(bounds(value, Value::as_f64, "numbers")?),
        "smithy.api#pattern" => traits.pattern = Some(pattern(value)?),
        "smithy.api#error" => {
            traits.error = Some(match value.as_str() {
                Some("client") => Fault::Client,
                Some("server") => Fault::Server,
                _ => return Err("must be \"client\" or \"server\"".into()),
            })
        }
        "smithy.api#httpError" => {
            let status = value.as_u64().filter(|status| (400..600).contains(status));
            traits.http_error =
                Some(status.ok_or("must be an HTTP status code from 400 to 599")? as u16);
        }
        "smithy.api#retryable" => {
            let object = value.as_object().ok_or("must be an object")?;
            let throttling = match object.get("throttling") {
                None => false,
                Some(flag) => flag.as_bool().ok_or("`throttling` must be a boolean")?,
            };
            traits.retryable = Some(throttling);
        }
        "smithy.api#paginated" => traits.paginated = Some(paginated(value)?),
        "smithy.api#enumValue" => {
            traits.enum_value = Some(match value {
                Value::String(text) => EnumValueTrait::String(text.clone()),
                Value::Number(number) => {
                    EnumValueTrait::Int(number.as_i64().ok_or("must be a string or an integer")?)
                }
                _ => return Err("must be a string or an integer".into()),
            })
        }
        "smithy.api#enum" => traits.legacy_enum = Some(legacy_enum(value)?),
        "smithy.api#timestampFormat" => {
            traits.timestamp_format = Some(match value.as_str() {
                Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                Some("date-time") => TimestampFormat::DateTime,
                Some("http-date") => TimestampFormat::HttpDate,
                _ => return Err("must be \"epoch-seconds\", \"date-time\" or \"http-date\"".into()),
            })
        }
        "smithy.api#deprecated" => {
            let object = value.as_object().ok_or("must be an object")?;
            traits.deprecated = Some(
                object
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            );
        }
        "aws.api#service" => traits.aws_service = Some(aws_service(value)?),
        "aws.auth#sigv4" => {
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .ok_or("needs a string `name`")?;
            traits.sigv4 = Some(name.to_owned());
        }
        "aws.protocols#awsJson1_0" => {
            traits.protocol = Some(object_marker(value, JsonProtocol::AwsJson1_0)?)
        }
        "aws.protocols#awsJson1_1" => {
            traits.protocol = Some(object_marker(value, JsonProtocol::AwsJson1_1)?)
        }
        "aws.protocols#awsQueryCompatible" => {
            traits.aws_query_compatible = object_marker(value, true)?
        }
        "aws.protocols#awsQueryError" => {
            let code = value
                .get("code")
                .and_then(Value::as_str)
                .ok_or("needs a string `code`")?;
            traits.aws_query_error = Some(code.to_owned());
        }
        "smithy.waiters#waitable" => traits.waitable = waitable(value)?,
        "smithy.api#requestCompression" => {
            traits.request_compression = encodings(value.get("encodings"))?
        }
        "smithy.api#endpoint" => {
            let prefix = value
                .get("hostPrefix")
                .and_then(Value::as_str)
                .ok_or("needs a string `hostPrefix`")?;
            traits.endpoint_host_prefix = Some(prefix.to_owned());
        }
        "smithy.api#hostLabel" => traits.host_label = marker(value)?,
        "smithy.rules#staticContextParams" => {
            traits.static_context_params = crate::endpoint_rules::static_context_params(value)?
        }
        "smithy.rules#contextParam" => {
            traits.context_param = Some(crate::endpoint_rules::context_param(value)?)
        }
        "smithy.rules#endpointRuleSet" => {
            if !value.is_object() {
                return Err("must be an object".into());
            }
            traits.endpoint_rule_set = Some(value.clone());
        }
        _ => {}
    }
    Ok(())
}

/// Smithy documentation is CommonMark, but AWS publishes its models with HTML documentation:
/// HTML becomes Markdown here, so the AST always holds Markdown.
fn documentation(value: &Value) -> Result<Option<String>, String> {
    let text = string(value)?;
    let is_html = text.trim_start().starts_with('<') && text.contains("</");
    Ok(if is_html {
        crate::html::to_markdown(&text)
    } else {
        Some(text)
    })
}

/// The `encodings` of `requestCompression`: a list of strings.
pub(crate) fn encodings(value: Option<&Value>) -> Result<Vec<String>, String> {
    value
        .and_then(Value::as_array)
        .and_then(|items| {
            items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| "`encodings` must be a list of strings".to_owned())
}

fn string(value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "must be a string".to_owned())
}

fn marker(value: &Value) -> Result<bool, String> {
    if value.is_object() {
        Ok(true)
    } else {
        Err("must be an empty object `{}`".to_owned())
    }
}

fn object_marker<T>(value: &Value, result: T) -> Result<T, String> {
    value
        .as_object()
        .map(|_| result)
        .ok_or_else(|| "must be an object".to_owned())
}

fn bounds<T>(
    value: &Value,
    read: fn(&Value) -> Option<T>,
    expected: &str,
) -> Result<Bounds<T>, String>
where
    T: PartialOrd + Copy,
{
    let object = value
        .as_object()
        .ok_or("must be an object with `min` and/or `max`")?;
    let bound = |key: &str| match object.get(key) {
        None => Ok(None),
        Some(value) => read(value)
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be {expected}")),
    };
    let bounds = Bounds {
        min: bound("min")?,
        max: bound("max")?,
    };
    if bounds.min.is_none() && bounds.max.is_none() {
        return Err("needs `min` or `max`".to_owned());
    }
    if let (Some(min), Some(max)) = (bounds.min, bounds.max) {
        if min > max {
            return Err("`min` is greater than `max`".to_owned());
        }
    }
    Ok(bounds)
}

/// Smithy patterns are ECMA-262 regular expressions; one that does not compile is malformed.
/// Unicode mode comes first (for `\p{..}` classes); models also use identity escapes such as
/// `\ ` that only the non-Unicode grammar (Annex B) allows, so that is the fallback.
fn pattern(value: &Value) -> Result<String, String> {
    let pattern = string(value)?;
    regress::Regex::with_flags(&pattern, "u")
        .or_else(|_| regress::Regex::new(&pattern))
        .map_err(|error| format!("`{pattern}` is not an ECMA-262 regular expression: {error}"))?;
    Ok(pattern)
}

fn paginated(value: &Value) -> Result<Paginated, String> {
    let object = value.as_object().ok_or("must be an object")?;
    let field = |key: &str| match object.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("`{key}` must be a string")),
    };
    Ok(Paginated {
        input_token: field("inputToken")?,
        output_token: field("outputToken")?,
        items: field("items")?,
        page_size: field("pageSize")?,
    })
}

fn legacy_enum(value: &Value) -> Result<Vec<EnumValue>, String> {
    let definitions = value
        .as_array()
        .ok_or("must be a list of enum definitions")?;
    definitions
        .iter()
        .map(|definition| {
            let value = definition
                .get("value")
                .and_then(Value::as_str)
                .ok_or("every definition needs a string `value`")?;
            let name = definition
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(value);
            Ok(EnumValue {
                name: name.to_owned(),
                value: value.to_owned(),
                documentation: definition
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
        })
        .collect()
}

fn aws_service(value: &Value) -> Result<AwsService, String> {
    let object = value.as_object().ok_or("must be an object")?;
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(AwsService {
        sdk_id: text("sdkId").ok_or("needs a string `sdkId`")?,
        endpoint_prefix: text("endpointPrefix"),
        arn_namespace: text("arnNamespace"),
    })
}

fn waitable(value: &Value) -> Result<std::collections::BTreeMap<String, Waiter>, String> {
    let object = value
        .as_object()
        .ok_or("must be an object of waiters by name")?;
    object
        .iter()
        .map(|(name, waiter)| {
            Ok((
                name.clone(),
                self::waiter(waiter).map_err(|problem| format!("waiter `{name}`: {problem}"))?,
            ))
        })
        .collect()
}

fn waiter(value: &Value) -> Result<Waiter, String> {
    let delay = |key: &str, default: u64| match value.get(key) {
        None => Ok(default),
        Some(delay) => delay
            .as_u64()
            .filter(|d| *d >= 1)
            .ok_or(format!("`{key}` must be a positive integer")),
    };
    let acceptors = value
        .get("acceptors")
        .and_then(Value::as_array)
        .ok_or("needs a list of `acceptors`")?;
    let waiter = Waiter {
        documentation: value
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned),
        min_delay: delay("minDelay", 2)?,
        max_delay: delay("maxDelay", 120)?,
        acceptors: acceptors.iter().map(acceptor).collect::<Result<_, _>>()?,
    };
    if waiter.min_delay > waiter.max_delay {
        return Err("`minDelay` is greater than `maxDelay`".to_owned());
    }
    if waiter.acceptors.is_empty() {
        return Err("needs at least one acceptor".to_owned());
    }
    Ok(waiter)
}

fn acceptor(value: &Value) -> Result<Acceptor, String> {
    let state = match value.get("state").and_then(Value::as_str) {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        _ => {
            return Err(
                "an acceptor's `state` must be \"success\", \"failure\" or \"retry\"".to_owned(),
            )
        }
    };
    let matcher = value
        .get("matcher")
        .and_then(Value::as_object)
        .ok_or("an acceptor needs a `matcher` object")?;
    let matcher = if let Some(output) = matcher.get("output") {
        let text = |key: &str| {
            output
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(format!("an output matcher needs a string `{key}`"))
        };
        let comparator = match text("comparator")?.as_str() {
            "stringEquals" => Comparator::StringEquals,
            "booleanEquals" => Comparator::BooleanEquals,
            "allStringEquals" => Comparator::AllStringEquals,
            "anyStringEquals" => Comparator::AnyStringEquals,
            other => return Err(format!("unknown comparator `{other}`")),
        };
        Matcher::Output {
            path: text("path")?,
            expected: text("expected")?,
            comparator,
        }
    } else if let Some(success) = matcher.get("success") {
        Matcher::Success(
            success
                .as_bool()
                .ok_or("a success matcher must be a boolean")?,
        )
    } else if let Some(error) = matcher.get("errorType") {
        Matcher::ErrorType(
            error
                .as_str()
                .ok_or("an errorType matcher must be a string")?
                .to_owned(),
        )
    } else {
        return Err("supported matchers are `output`, `success` and `errorType`".to_owned());
    };
    Ok(Acceptor { state, matcher })
}
