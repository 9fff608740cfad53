//! Stage 1 for botocore models: a `service-2.json` document (and its `paginators-1.json`, when
//! there is one) → the same [`ast::Model`](crate::ast::Model) the Smithy loader produces, so
//! validation, lowering and emitting are shared.
//!
//! The mapping:
//! - `metadata`: `protocol` must be `json`; `jsonVersion` picks awsJson1_0 / awsJson1_1;
//!   `targetPrefix` names the service shape; `awsQueryCompatible` and each error's `error.code`
//!   become `aws.protocols#awsQueryCompatible` and `aws.protocols#awsQueryError`; the namespace is `com.amazonaws.` + `serviceId`
//!   lower-cased without spaces and dashes; `signingName` (default `endpointPrefix`) is the SigV4
//!   name; `apiVersion`, `serviceFullName` and the top-level `documentation` become the
//!   version, title and docs.
//! - `shapes`: each becomes `namespace#Name`, its botocore fields mapped to Smithy traits
//!   (`required` list, `exception`/`fault`/`error.httpStatusCode`/`retryable`, `enum`,
//!   `min`/`max` as length or range, `pattern`, `sensitive`, `deprecated`, `timestampFormat`,
//!   `hostLabel`, `document` and `union` structures).
//! - `operations`: each becomes an operation shape bound to the service; `requestcompression`
//!   and `endpoint.hostPrefix` become `requestCompression` and `endpoint`.
//! - `paginators-1.json`: `input_token`, `output_token`, `result_key`, `limit_key` become
//!   `paginated` on the operation; a paginator whose tokens are paths
//!   (`StreamDescription.Shards[-1].ShardId`) or not strings (DynamoDB's map keys) is not
//!   modeled, with a note.
//! - `pattern`s are Java regular expressions that AWS applies to the whole value: each is
//!   anchored at both ends (`^…$`, [`crate::validate::anchor_pattern`]); the generated validation
//!   enforces those that are ECMA-262 once a leading inline flag group is translated
//!   ([`crate::validate::ecma_pattern`]); any other is documentation only, with a note.
//! - Event streams (`eventstream` structures) load as unions, and every operation whose input
//!   or output streams (an event stream member or a `streaming` blob) is skipped, with a note:
//!   the AWS JSON protocols here send one JSON document each way.
//!
//! Documentation is HTML in botocore and is converted to Markdown by [`crate::html`].
//! Problems are collected, each naming its shape (`namespace#Name`, `namespace#Name$member`,
//! or `(model)`); approximations that still load are returned as [`Loaded::notes`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::ast::{
    AwsService, Bounds, EnumValue, Fault, JsonProtocol, Member, Model, Paginated, Shape, ShapeKind,
    SimpleType, TimestampFormat, Traits,
};
use crate::error::ModelError;
use crate::html;

/// The shape id used for problems of the document as a whole.
const MODEL: &str = "(model)";

/// A loaded botocore model, with notes on what was modeled approximately.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The model, ready for [`crate::validate::model`].
    pub model: Model,
    /// Approximations (for example a paginator with several result keys, of which the first is
    /// kept), each naming its shape.
    pub notes: Vec<ModelError>,
}

/// Whether `document` looks like a botocore service model (`metadata`, `operations`, `shapes`).
pub fn is_botocore(document: &Value) -> bool {
    ["metadata", "operations", "shapes"]
        .iter()
        .all(|key| document.get(key).is_some_and(Value::is_object))
}

/// The Smithy namespace of a botocore service: `com.amazonaws.` + the `serviceId` lower-cased,
/// without spaces and dashes (`SSO Admin` → `com.amazonaws.ssoadmin`).
pub fn namespace(service_id: &str) -> String {
    let name: String = service_id
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    format!("com.amazonaws.{name}")
}

/// Loads a botocore `service-2.json` document and, if given, its `paginators-1.json`.
pub fn load(service: &Value, paginators: Option<&Value>) -> Result<Loaded, Vec<ModelError>> {
    load_with_rules(service, paginators, None)
}

/// [`load`], with the service's `endpoint-rule-set-1.json`, which becomes the
/// `smithy.rules#endpointRuleSet` trait of the service shape.
pub fn load_with_rules(
    service: &Value,
    paginators: Option<&Value>,
    endpoint_rules: Option<&Value>,
) -> Result<Loaded, Vec<ModelError>> {
    let Some(root) = service.as_object() else {
        return Err(vec![ModelError::new(
            MODEL,
            "the document is not a JSON object",
        )]);
    };
    let metadata = Metadata::read(root)?;
    let mut loader = Loader {
        namespace: namespace(&metadata.service_id),
        model: Model::default(),
        errors: Vec::new(),
        notes: Vec::new(),
        streaming: BTreeMap::new(),
    };
    loader.shapes(root.get("shapes"));
    let mut operations = loader.operations(root.get("operations"));
    if let Some(paginators) = paginators {
        loader.paginators(paginators);
    }
    loader.skip_streaming(&mut operations);
    loader.service(
        &metadata,
        operations,
        root.get("documentation"),
        endpoint_rules,
    );
    if loader.errors.is_empty() {
        Ok(Loaded {
            model: loader.model,
            notes: loader.notes,
        })
    } else {
        Err(loader.errors)
    }
}

/// What the service shape needs from `metadata`.
struct Metadata {
    protocol: JsonProtocol,
    target_prefix: String,
    service_id: String,
    endpoint_prefix: Option<String>,
    signing_name: Option<String>,
    api_version: String,
    full_name: Option<String>,
    query_compatible: bool,
}

impl Metadata {
    /// Reads `metadata`; every problem is reported at once, since shape ids depend on it.
    fn read(root: &Map<String, Value>) -> Result<Self, Vec<ModelError>> {
        let Some(metadata) = root.get("metadata").and_then(Value::as_object) else {
            return Err(vec![ModelError::new(
                MODEL,
                "missing the `metadata` object",
            )]);
        };
        let text = |key: &str| metadata.get(key).and_then(Value::as_str).map(str::to_owned);
        let mut errors = Vec::new();
        let mut require = |key: &str| {
            let value = text(key);
            if value.is_none() {
                errors.push(ModelError::new(
                    MODEL,
                    format!("`metadata.{key}` is missing or not a string"),
                ));
            }
            value.unwrap_or_default()
        };
        let service_id = require("serviceId");
        let target_prefix = require("targetPrefix");
        let protocol = match text("protocol").as_deref() {
            Some("json") => protocol(text("jsonVersion").as_deref()),
            Some(other) => Err(format!(
                "protocol `{other}` is not supported: only the AWS JSON protocols (`json`) are"
            )),
            None => Err("`metadata.protocol` is missing: only the AWS JSON protocols (`json`) are supported".to_owned()),
        };
        let protocol = protocol.map_err(|problem| errors.push(ModelError::new(MODEL, problem)));
        match protocol {
            Ok(protocol) if errors.is_empty() => Ok(Self {
                protocol,
                target_prefix,
                service_id,
                endpoint_prefix: text("endpointPrefix"),
                signing_name: text("signingName"),
                api_version: text("apiVersion").unwrap_or_default(),
                full_name: text("serviceFullName"),
                query_compatible: metadata.contains_key("awsQueryCompatible"),
            }),
            _ => Err(errors),
        }
    }
}

/// The AWS JSON protocol of a `jsonVersion`.
fn protocol(json_version: Option<&str>) -> Result<JsonProtocol, String> {
    match json_version {
        Some("1.0") => Ok(JsonProtocol::AwsJson1_0),
        Some("1.1") => Ok(JsonProtocol::AwsJson1_1),
        Some(other) => Err(format!(
            "`metadata.jsonVersion` `{other}` is not supported (\"1.0\" or \"1.1\")"
        )),
        None => Err("`metadata.jsonVersion` is missing (\"1.0\" or \"1.1\")".to_owned()),
    }
}

/// Builds the model, collecting problems and notes.
struct Loader {
    namespace: String,
    model: Model,
    errors: Vec<ModelError>,
    notes: Vec<ModelError>,
    /// Shapes that are event streams or carry a streaming member, with the reason.
    streaming: BTreeMap<String, &'static str>,
}

impl Loader {
    fn id(&self, name: &str) -> String {
        format!("{}#{name}", self.namespace)
    }

    fn insert(&mut self, shape: Shape) {
        if self.model.shapes.contains_key(&shape.id) {
            self.errors.push(ModelError::new(
                &shape.id,
                "defined twice: an operation or the service has the name of a shape",
            ));
        } else {
            self.model.shapes.insert(shape.id.clone(), shape);
        }
    }

    fn shapes(&mut self, shapes: Option<&Value>) {
        let Some(shapes) = shapes.and_then(Value::as_object) else {
            self.errors
                .push(ModelError::new(MODEL, "missing the `shapes` object"));
            return;
        };
        for (name, value) in shapes {
            let mut reader = ShapeReader {
                namespace: &self.namespace,
                id: self.id(name),
                errors: &mut self.errors,
                notes: &mut self.notes,
                streaming: &mut self.streaming,
            };
            if let Some(shape) = reader.shape(value) {
                self.insert(shape);
            }
        }
    }

    /// Adds every operation; returns their ids in file order.
    fn operations(&mut self, operations: Option<&Value>) -> Vec<String> {
        let Some(operations) = operations.and_then(Value::as_object) else {
            self.errors
                .push(ModelError::new(MODEL, "missing the `operations` object"));
            return Vec::new();
        };
        let mut ids = Vec::new();
        for (name, value) in operations {
            let mut reader = ShapeReader {
                namespace: &self.namespace,
                id: self.id(name),
                errors: &mut self.errors,
                notes: &mut self.notes,
                streaming: &mut self.streaming,
            };
            if let Some(shape) = reader.operation(value) {
                ids.push(shape.id.clone());
                self.insert(shape);
            }
        }
        ids
    }

    /// Drops the operations whose input or output streams (an event stream member, or a
    /// `streaming` blob): the AWS JSON protocols here send one JSON document each way. Each
    /// dropped operation is noted.
    fn skip_streaming(&mut self, operations: &mut Vec<String>) {
        let streams = |model: &Model, streaming: &BTreeMap<String, &'static str>, id: &str| {
            if let Some(reason) = streaming.get(id) {
                return Some(format!("`{}` {reason}", shape_name_of(id)));
            }
            match model.shapes.get(id).map(|shape| &shape.kind) {
                Some(ShapeKind::Structure { members }) => members.iter().find_map(|member| {
                    streaming.get(&member.target).map(|reason| {
                        format!(
                            "member `{}` of `{}` {reason}",
                            member.name,
                            shape_name_of(id)
                        )
                    })
                }),
                _ => None,
            }
        };
        operations.retain(|id| {
            let Some(ShapeKind::Operation { input, output, .. }) =
                self.model.shapes.get(id).map(|shape| &shape.kind)
            else {
                return true;
            };
            let reason = input
                .iter()
                .chain(output)
                .find_map(|io| streams(&self.model, &self.streaming, io));
            match reason {
                Some(reason) => {
                    self.notes.push(ModelError::new(
                        id,
                        format!("the operation is skipped: {reason}, which the AWS JSON protocols here do not support"),
                    ));
                    self.model.shapes.remove(id);
                    false
                }
                None => true,
            }
        });
    }

    /// Applies `paginators-1.json` to the operations it names.
    fn paginators(&mut self, document: &Value) {
        let Some(pagination) = document.get("pagination").and_then(Value::as_object) else {
            self.errors.push(ModelError::new(
                MODEL,
                "the paginators document has no `pagination` object",
            ));
            return;
        };
        for (name, config) in pagination {
            let id = self.id(name);
            let paginated = self
                .paginated(&id, config)
                .and_then(|paginated| self.string_tokens(&id, paginated));
            match self.model.shapes.get_mut(&id) {
                Some(shape) if matches!(shape.kind, ShapeKind::Operation { .. }) => {
                    shape.traits.paginated = paginated;
                }
                _ => self.errors.push(ModelError::new(
                    &id,
                    "has a paginator but is not an operation of the model",
                )),
            }
        }
    }

    /// `paginated` if its tokens are strings, as Smithy requires; otherwise (DynamoDB pages
    /// with maps) the paginator is not modeled, with a note.
    fn string_tokens(&mut self, id: &str, paginated: Paginated) -> Option<Paginated> {
        let Some(ShapeKind::Operation { input, output, .. }) =
            self.model.shapes.get(id).map(|shape| &shape.kind)
        else {
            return Some(paginated);
        };
        let target = |structure: &Option<String>, member: &Option<String>| -> Option<String> {
            let shape = self.model.shapes.get(structure.as_ref()?)?;
            let ShapeKind::Structure { members } = &shape.kind else {
                return None;
            };
            let member = members.iter().find(|m| Some(&m.name) == member.as_ref())?;
            Some(member.target.clone())
        };
        let tokens = [
            (
                target(input, &paginated.input_token),
                &paginated.input_token,
            ),
            (
                target(output, &paginated.output_token),
                &paginated.output_token,
            ),
        ];
        for (target, name) in tokens {
            let Some(target) = target else { continue };
            let is_string = matches!(
                self.model.shapes.get(&target).map(|shape| &shape.kind),
                Some(ShapeKind::Simple(SimpleType::String))
            );
            if !is_string {
                self.notes.push(ModelError::new(
                    id,
                    format!(
                        "the paginator is not modeled: its token `{}` is not a string",
                        name.as_deref().unwrap_or_default()
                    ),
                ));
                return None;
            }
        }
        Some(paginated)
    }

    /// One paginator's configuration as `paginated`.
    fn paginated(&mut self, id: &str, config: &Value) -> Option<Paginated> {
        let Some(config) = config.as_object() else {
            self.errors
                .push(ModelError::new(id, "the paginator is not an object"));
            return None;
        };
        let mut field = |key: &str| self.paginator_field(id, config, key);
        let paginated = Paginated {
            input_token: field("input_token"),
            output_token: field("output_token"),
            items: field("result_key"),
            page_size: field("limit_key"),
        };
        // Botocore tokens may be JMESPath expressions (`StreamDescription.Shards[-1].ShardId`);
        // only member names are modeled.
        let paths: Vec<&str> = [
            &paginated.input_token,
            &paginated.output_token,
            &paginated.items,
            &paginated.page_size,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .filter(|name| !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect();
        if !paths.is_empty() {
            self.notes.push(ModelError::new(
                id,
                format!(
                    "the paginator is not modeled: `{}` is a path, not a member name",
                    paths.join("`, `")
                ),
            ));
            return None;
        }
        Some(paginated)
    }

    /// A paginator field: a string, or a list of which the first entry is kept (with a note).
    fn paginator_field(
        &mut self,
        id: &str,
        config: &Map<String, Value>,
        key: &str,
    ) -> Option<String> {
        match config.get(key)? {
            Value::String(text) => Some(text.clone()),
            Value::Array(items) => {
                let names: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                match names.as_deref() {
                    Some([first]) => Some((*first).to_owned()),
                    Some([first, rest @ ..]) => {
                        self.notes.push(ModelError::new(
                            id,
                            format!(
                                "paginator `{key}` lists {} entries; only the first, `{first}`, is modeled (also: {})",
                                rest.len() + 1,
                                rest.join(", ")
                            ),
                        ));
                        Some((*first).to_owned())
                    }
                    _ => {
                        self.errors.push(ModelError::new(
                            id,
                            format!(
                                "paginator `{key}` must be a string or a non-empty list of strings"
                            ),
                        ));
                        None
                    }
                }
            }
            _ => {
                self.errors.push(ModelError::new(
                    id,
                    format!("paginator `{key}` must be a string or a list of strings"),
                ));
                None
            }
        }
    }

    /// Adds the service shape, bound to every operation.
    fn service(
        &mut self,
        metadata: &Metadata,
        operations: Vec<String>,
        docs: Option<&Value>,
        endpoint_rules: Option<&Value>,
    ) {
        let id = self.id(&metadata.target_prefix);
        let traits = Traits {
            documentation: docs.and_then(Value::as_str).and_then(html::to_markdown),
            title: metadata.full_name.clone(),
            aws_service: Some(AwsService {
                sdk_id: metadata.service_id.clone(),
                endpoint_prefix: metadata.endpoint_prefix.clone(),
                arn_namespace: None,
            }),
            sigv4: metadata
                .signing_name
                .clone()
                .or_else(|| metadata.endpoint_prefix.clone()),
            protocol: Some(metadata.protocol),
            endpoint_rule_set: endpoint_rules.cloned(),
            aws_query_compatible: metadata.query_compatible,
            ..Traits::default()
        };
        self.insert(Shape {
            id,
            kind: ShapeKind::Service {
                version: metadata.api_version.clone(),
                operations,
                resources: Vec::new(),
                errors: Vec::new(),
            },
            traits,
        });
    }
}

/// Reads one shape or operation, recording problems against its id.
struct ShapeReader<'a> {
    namespace: &'a str,
    id: String,
    errors: &'a mut Vec<ModelError>,
    notes: &'a mut Vec<ModelError>,
    streaming: &'a mut BTreeMap<String, &'static str>,
}

impl ShapeReader<'_> {
    fn fail(&mut self, problem: impl Into<String>) {
        self.errors.push(ModelError::new(&self.id, problem));
    }

    fn fail_at(&mut self, member: &str, problem: impl Into<String>) {
        self.errors
            .push(ModelError::new(format!("{}${member}", self.id), problem));
    }

    fn target(&self, name: &str) -> String {
        format!("{}#{name}", self.namespace)
    }

    fn shape(&mut self, value: &Value) -> Option<Shape> {
        let Some(object) = value.as_object() else {
            self.fail("the shape is not a JSON object");
            return None;
        };
        let Some(type_name) = object.get("type").and_then(Value::as_str) else {
            self.fail("the shape has no string `type`");
            return None;
        };
        let mut traits = self.common_traits(None, object);
        let kind = self.kind(type_name, object, &mut traits)?;
        Some(Shape {
            id: self.id.clone(),
            kind,
            traits,
        })
    }

    /// The shape kind, adding the kind-specific traits (constraints, error, enum) to `traits`.
    fn kind(
        &mut self,
        type_name: &str,
        object: &Map<String, Value>,
        traits: &mut Traits,
    ) -> Option<ShapeKind> {
        let kind = match type_name {
            "structure" => self.structure(object, traits)?,
            "list" => ShapeKind::List {
                member: self.member("member", object.get("member"), false)?,
            },
            "map" => ShapeKind::Map {
                key: self.member("key", object.get("key"), false)?,
                value: self.member("value", object.get("value"), false)?,
            },
            "string" => self.string(object),
            "blob" => ShapeKind::Simple(SimpleType::Blob),
            "boolean" => ShapeKind::Simple(SimpleType::Boolean),
            "integer" => ShapeKind::Simple(SimpleType::Integer),
            "long" => ShapeKind::Simple(SimpleType::Long),
            "float" => ShapeKind::Simple(SimpleType::Float),
            "double" => ShapeKind::Simple(SimpleType::Double),
            "timestamp" => ShapeKind::Simple(SimpleType::Timestamp),
            other => {
                self.fail(format!("unknown shape type `{other}`"));
                return None;
            }
        };
        self.constraints(type_name, object, traits);
        if type_name == "timestamp" {
            traits.timestamp_format = self.timestamp_format(None, object);
        }
        Some(kind)
    }

    /// A structure, union or document; errors get their `error`, `httpError`, `retryable`.
    fn structure(&mut self, object: &Map<String, Value>, traits: &mut Traits) -> Option<ShapeKind> {
        if flag(object, "document") {
            return Some(ShapeKind::Simple(SimpleType::Document));
        }
        let members = self.members(object)?;
        if flag(object, "eventstream") {
            // Kept as a plain union so the model stays whole; the operations that stream it
            // are skipped (`Loader::skip_streaming`).
            self.streaming.insert(self.id.clone(), "is an event stream");
            return Some(ShapeKind::Union { members });
        }
        if flag(object, "union") {
            return Some(ShapeKind::Union { members });
        }
        if flag(object, "exception") {
            self.error_traits(object, traits);
        }
        Some(ShapeKind::Structure { members })
    }

    fn error_traits(&mut self, object: &Map<String, Value>, traits: &mut Traits) {
        traits.error = Some(if flag(object, "fault") {
            Fault::Server
        } else {
            Fault::Client
        });
        if let Some(status) = object.get("error").and_then(|e| e.get("httpStatusCode")) {
            match status.as_u64().filter(|s| (400..600).contains(s)) {
                Some(status) => traits.http_error = u16::try_from(status).ok(),
                None => self.fail("`error.httpStatusCode` must be an HTTP status from 400 to 599"),
            }
        }
        if let Some(code) = object.get("error").and_then(|e| e.get("code")) {
            match code.as_str() {
                Some(code) => traits.aws_query_error = Some(code.to_owned()),
                None => self.fail("`error.code` must be a string"),
            }
        }
        if let Some(retryable) = object.get("retryable") {
            match retryable.as_object().map(|r| r.get("throttling")) {
                Some(None) => traits.retryable = Some(false),
                Some(Some(Value::Bool(throttling))) => traits.retryable = Some(*throttling),
                _ => {
                    self.fail("`retryable` must be an object with an optional boolean `throttling`")
                }
            }
        }
    }

    /// A string, or an enum when it lists `enum` values (member names are the values).
    fn string(&mut self, object: &Map<String, Value>) -> ShapeKind {
        let Some(values) = object.get("enum") else {
            return ShapeKind::Simple(SimpleType::String);
        };
        let values: Option<Vec<&str>> = values
            .as_array()
            .and_then(|items| items.iter().map(Value::as_str).collect());
        match values {
            Some(values) => ShapeKind::Enum {
                values: values
                    .into_iter()
                    .map(|value| EnumValue {
                        name: value.to_owned(),
                        value: value.to_owned(),
                        documentation: None,
                    })
                    .collect(),
            },
            None => {
                self.fail("`enum` must be a list of strings");
                ShapeKind::Simple(SimpleType::String)
            }
        }
    }

    /// `min`/`max` as `length` (strings, blobs, lists, maps) or `range` (numbers); `pattern`.
    fn constraints(&mut self, type_name: &str, object: &Map<String, Value>, traits: &mut Traits) {
        let has_bounds = object.contains_key("min") || object.contains_key("max");
        match type_name {
            "string" | "blob" | "list" | "map" if has_bounds => {
                traits.length = self.bounds(object, Value::as_u64, "non-negative integers");
            }
            "integer" | "long" | "float" | "double" if has_bounds => {
                traits.range = self.bounds(object, Value::as_f64, "numbers");
            }
            _ if has_bounds => {
                self.fail(format!("`min`/`max` do not apply to a {type_name} shape"))
            }
            _ => {}
        }
        if let Some(pattern) = object.get("pattern") {
            match (type_name, pattern.as_str()) {
                ("string", Some(pattern)) => traits.pattern = self.pattern(pattern),
                ("string", None) => self.fail("`pattern` must be a string"),
                _ => self.fail(format!("`pattern` does not apply to a {type_name} shape")),
            }
        }
    }

    fn bounds<T: PartialOrd + Copy>(
        &mut self,
        object: &Map<String, Value>,
        read: fn(&Value) -> Option<T>,
        expected: &str,
    ) -> Option<Bounds<T>> {
        let mut bound = |key: &str| match object.get(key) {
            None => Some(None),
            Some(value) => match read(value) {
                Some(bound) => Some(Some(bound)),
                None => {
                    self.fail(format!("`{key}` must be {expected}"));
                    None
                }
            },
        };
        let (min, max) = (bound("min")?, bound("max")?);
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                self.fail("`min` is greater than `max`");
                return None;
            }
        }
        Some(Bounds { min, max })
    }

    /// A pattern, anchored at both ends ([`crate::validate::anchor_pattern`]): AWS applies it to
    /// the whole value. One that is not ECMA-262 (after translating a leading flag group, see
    /// [`crate::validate::ecma_pattern`]) is documentation only, with a note.
    fn pattern(&mut self, pattern: &str) -> Option<String> {
        let pattern = &crate::validate::anchor_pattern(pattern);
        if let Err(error) = crate::validate::ecma_pattern(pattern) {
            self.notes.push(ModelError::new(
                &self.id,
                format!("`pattern` `{pattern}` is not an ECMA-262 regular expression ({error}): it is kept as documentation but not enforced"),
            ));
        }
        Some(pattern.to_owned())
    }

    /// The members of a structure or union, in file order, `required` applied.
    fn members(&mut self, object: &Map<String, Value>) -> Option<Vec<Member>> {
        let required = self.required(object);
        let mut members = Vec::new();
        match object.get("members") {
            None => {}
            Some(Value::Object(entries)) => {
                for (name, value) in entries {
                    members.extend(self.member(
                        name,
                        Some(value),
                        required.contains(&name.as_str()),
                    ));
                }
            }
            Some(_) => {
                self.fail("`members` is not an object");
                return None;
            }
        }
        for name in required {
            if !members.iter().any(|member| member.name == name) {
                self.fail_at(name, "is listed in `required` but is not a member");
            }
        }
        Some(members)
    }

    fn required<'v>(&mut self, object: &'v Map<String, Value>) -> Vec<&'v str> {
        let Some(required) = object.get("required") else {
            return Vec::new();
        };
        let names: Option<Vec<&str>> = required
            .as_array()
            .and_then(|items| items.iter().map(Value::as_str).collect());
        names.unwrap_or_else(|| {
            self.fail("`required` must be a list of member names");
            Vec::new()
        })
    }

    /// A member (`{"shape": ..}` with its documentation and flags).
    fn member(&mut self, name: &str, value: Option<&Value>, required: bool) -> Option<Member> {
        let Some(object) = value.and_then(Value::as_object) else {
            self.fail_at(name, "the member is missing or not an object");
            return None;
        };
        let Some(target) = object.get("shape").and_then(Value::as_str) else {
            self.fail_at(name, "the member has no string `shape`");
            return None;
        };
        let mut traits = self.common_traits(Some(name), object);
        traits.required = required;
        traits.idempotency_token = flag(object, "idempotencyToken");
        traits.timestamp_format = self.timestamp_format(Some(name), object);
        traits.host_label = flag(object, "hostLabel");
        if flag(object, "streaming") {
            self.streaming
                .insert(self.id.clone(), "has a streaming member");
        }
        Some(Member {
            name: name.to_owned(),
            target: self.target(target),
            traits,
        })
    }

    /// Traits shapes and members share: `documentation`, `sensitive`, `deprecated`.
    fn common_traits(&mut self, member: Option<&str>, object: &Map<String, Value>) -> Traits {
        let mut traits = Traits::default();
        match object.get("documentation") {
            None => {}
            Some(Value::String(text)) => traits.documentation = html::to_markdown(text),
            Some(_) => self.fail_or_at(member, "`documentation` must be a string"),
        }
        traits.sensitive = flag(object, "sensitive");
        if let Some(value) = object.get("staticContextParams") {
            match crate::endpoint_rules::static_context_params(value) {
                Ok(params) => traits.static_context_params = params,
                Err(problem) => {
                    self.fail_or_at(member, &format!("`staticContextParams` {problem}"))
                }
            }
        }
        if let Some(value) = object.get("contextParam") {
            match crate::endpoint_rules::context_param(value) {
                Ok(name) => traits.context_param = Some(name),
                Err(problem) => self.fail_or_at(member, &format!("`contextParam` {problem}")),
            }
        }
        if flag(object, "deprecated") {
            traits.deprecated = Some(
                object
                    .get("deprecatedMessage")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            );
        }
        traits
    }

    fn fail_or_at(&mut self, member: Option<&str>, problem: &str) {
        match member {
            Some(member) => self.fail_at(member, problem),
            None => self.fail(problem),
        }
    }

    /// `timestampFormat`: iso8601 → date-time, unixTimestamp → epoch-seconds, rfc822 →
    /// http-date.
    fn timestamp_format(
        &mut self,
        member: Option<&str>,
        object: &Map<String, Value>,
    ) -> Option<TimestampFormat> {
        let format = object.get("timestampFormat")?;
        match format.as_str() {
            Some("iso8601") => Some(TimestampFormat::DateTime),
            Some("unixTimestamp") => Some(TimestampFormat::EpochSeconds),
            Some("rfc822") => Some(TimestampFormat::HttpDate),
            _ => {
                self.fail_or_at(
                    member,
                    "`timestampFormat` must be \"iso8601\", \"unixTimestamp\" or \"rfc822\"",
                );
                None
            }
        }
    }

    /// An operation: `input`, `output`, `errors`, `documentation`, `deprecated`,
    /// `requestcompression`, `endpoint`.
    fn operation(&mut self, value: &Value) -> Option<Shape> {
        let Some(object) = value.as_object() else {
            self.fail("the operation is not a JSON object");
            return None;
        };
        let mut traits = self.common_traits(None, object);
        if let Some(compression) = object.get("requestcompression") {
            match crate::load::encodings(compression.get("encodings")) {
                Ok(encodings) => traits.request_compression = encodings,
                Err(problem) => self.fail(format!("`requestcompression`: {problem}")),
            }
        }
        match object
            .get("endpoint")
            .map(|endpoint| endpoint.get("hostPrefix"))
        {
            None => {}
            Some(Some(Value::String(prefix))) => traits.endpoint_host_prefix = Some(prefix.clone()),
            Some(_) => self.fail("`endpoint` needs a string `hostPrefix`"),
        }
        let input = self.shape_ref(object.get("input"), "input");
        let output = self.shape_ref(object.get("output"), "output");
        let errors = match object.get("errors") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| self.shape_ref(Some(item), "errors"))
                .collect(),
            Some(_) => {
                self.fail("`errors` must be a list of shape references");
                Vec::new()
            }
        };
        Some(Shape {
            id: self.id.clone(),
            kind: ShapeKind::Operation {
                input,
                output,
                errors,
            },
            traits,
        })
    }

    /// A `{"shape": "Name"}` reference as a shape id.
    fn shape_ref(&mut self, value: Option<&Value>, key: &str) -> Option<String> {
        let value = value?;
        match value.get("shape").and_then(Value::as_str) {
            Some(name) => Some(self.target(name)),
            None => {
                self.fail(format!(
                    "`{key}` is not a shape reference (`{{\"shape\": ...}}`)"
                ));
                None
            }
        }
    }
}

/// The name part of a shape id.
fn shape_name_of(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// Whether `object[key]` is `true`.
fn flag(object: &Map<String, Value>, key: &str) -> bool {
    object.get(key).and_then(Value::as_bool).unwrap_or(false)
}
