//! The Smithy JSON AST as loaded: shapes by id with their typed traits, before validation.

use std::collections::BTreeMap;

/// The absolute id of a shape, `namespace#Name`.
pub type ShapeId = String;

/// The shape ids of the Smithy prelude that models target without defining them.
pub const PRELUDE_NAMESPACE: &str = "smithy.api";

/// The name part of a shape id (after `#`).
pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// A loaded model: every shape the document defines, sorted by id.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// The shapes, keyed by absolute shape id.
    pub shapes: BTreeMap<ShapeId, Shape>,
}

/// One shape of the model.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The absolute id.
    pub id: ShapeId,
    /// What kind of shape it is, with its members.
    pub kind: ShapeKind,
    /// Its traits.
    pub traits: Traits,
}

/// The simple (scalar) shape types of Smithy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimpleType {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string`
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bigInteger`
    BigInteger,
    /// `bigDecimal`
    BigDecimal,
    /// `timestamp`
    Timestamp,
    /// `document`
    Document,
}

impl SimpleType {
    /// The simple type named `name` in the JSON AST (`"type": "string"`).
    pub fn from_ast_name(name: &str) -> Option<Self> {
        Some(match name {
            "blob" => Self::Blob,
            "boolean" => Self::Boolean,
            "string" => Self::String,
            "byte" => Self::Byte,
            "short" => Self::Short,
            "integer" => Self::Integer,
            "long" => Self::Long,
            "float" => Self::Float,
            "double" => Self::Double,
            "bigInteger" => Self::BigInteger,
            "bigDecimal" => Self::BigDecimal,
            "timestamp" => Self::Timestamp,
            "document" => Self::Document,
            _ => return None,
        })
    }
}

/// The kind of a shape and its references to other shapes.
// Members carry their traits inline; a model is loaded once, so the size spread costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum ShapeKind {
    /// A scalar.
    Simple(SimpleType),
    /// `list` (and Smithy 1.0 `set`).
    List {
        /// The element.
        member: Member,
    },
    /// `map`.
    Map {
        /// The key (a string shape).
        key: Member,
        /// The value.
        value: Member,
    },
    /// `structure`.
    Structure {
        /// The members, in model order.
        members: Vec<Member>,
    },
    /// `union`: exactly one member is set.
    Union {
        /// The members, in model order.
        members: Vec<Member>,
    },
    /// `enum` (or a `string` with the Smithy 1.0 `enum` trait): a closed set of string values.
    Enum {
        /// The values, in model order.
        values: Vec<EnumValue>,
    },
    /// `intEnum`: a closed set of integer values.
    IntEnum {
        /// The values, in model order.
        values: Vec<IntEnumValue>,
    },
    /// `operation`.
    Operation {
        /// The input structure, if any.
        input: Option<ShapeId>,
        /// The output structure, if any.
        output: Option<ShapeId>,
        /// The errors the operation declares.
        errors: Vec<ShapeId>,
    },
    /// `service`.
    Service {
        /// The API version.
        version: String,
        /// The operations bound directly to the service.
        operations: Vec<ShapeId>,
        /// The resources bound to the service.
        resources: Vec<ShapeId>,
        /// Errors every operation of the service may return.
        errors: Vec<ShapeId>,
    },
    /// `resource`: only its operations matter here.
    Resource {
        /// Every operation the resource binds (lifecycle and plain).
        operations: Vec<ShapeId>,
        /// Child resources.
        resources: Vec<ShapeId>,
    },
}

/// A member of an aggregate shape.
#[derive(Clone, Debug)]
pub struct Member {
    /// The member name (the wire name in AWS JSON protocols).
    pub name: String,
    /// The shape it targets.
    pub target: ShapeId,
    /// The member's own traits.
    pub traits: Traits,
}

/// One value of a string enum.
#[derive(Clone, Debug)]
pub struct EnumValue {
    /// The member name.
    pub name: String,
    /// The value on the wire.
    pub value: String,
    /// Its documentation.
    pub documentation: Option<String>,
}

/// One value of an integer enum.
#[derive(Clone, Debug)]
pub struct IntEnumValue {
    /// The member name.
    pub name: String,
    /// The value on the wire.
    pub value: i64,
    /// Its documentation.
    pub documentation: Option<String>,
}

/// The traits the generator understands, parsed and checked; unknown traits are ignored.
#[derive(Clone, Debug, Default)]
pub struct Traits {
    /// `smithy.api#documentation`
    pub documentation: Option<String>,
    /// `smithy.api#required`
    pub required: bool,
    /// `smithy.api#sensitive`
    pub sensitive: bool,
    /// `smithy.api#length`
    pub length: Option<Bounds<u64>>,
    /// `smithy.api#range`
    pub range: Option<Bounds<f64>>,
    /// `smithy.api#pattern`
    pub pattern: Option<String>,
    /// `smithy.api#error`
    pub error: Option<Fault>,
    /// `smithy.api#httpError`
    pub http_error: Option<u16>,
    /// `smithy.api#retryable`: `Some(throttling)`.
    pub retryable: Option<bool>,
    /// `smithy.api#paginated`
    pub paginated: Option<Paginated>,
    /// `smithy.api#enumValue` on a string enum member.
    pub enum_value: Option<EnumValueTrait>,
    /// `smithy.api#enum` (Smithy 1.0 string enums).
    pub legacy_enum: Option<Vec<EnumValue>>,
    /// `smithy.api#timestampFormat`
    pub timestamp_format: Option<TimestampFormat>,
    /// `smithy.api#deprecated`: the message, if any.
    pub deprecated: Option<Option<String>>,
    /// `smithy.api#idempotencyToken`
    pub idempotency_token: bool,
    /// `smithy.api#title`
    pub title: Option<String>,
    /// `aws.api#service`
    pub aws_service: Option<AwsService>,
    /// `aws.auth#sigv4`: the signing name.
    pub sigv4: Option<String>,
    /// `aws.protocols#awsJson1_0` / `aws.protocols#awsJson1_1`.
    pub protocol: Option<JsonProtocol>,
    /// `aws.protocols#awsQueryCompatible` (botocore: `metadata.awsQueryCompatible`).
    pub aws_query_compatible: bool,
    /// `aws.protocols#awsQueryError`: the error's Query code (botocore: `error.code`).
    pub aws_query_error: Option<String>,
    /// `smithy.waiters#waitable`: the operation's waiters, by name.
    pub waitable: BTreeMap<String, Waiter>,
    /// `smithy.api#requestCompression`: the encodings, in order of preference (botocore:
    /// `requestcompression.encodings`).
    pub request_compression: Vec<String>,
    /// `smithy.api#endpoint`: the host prefix (botocore: `endpoint.hostPrefix`).
    pub endpoint_host_prefix: Option<String>,
    /// `smithy.api#hostLabel` (botocore: `hostLabel` on a member).
    pub host_label: bool,
    /// `smithy.rules#endpointRuleSet`: the service's endpoint rule set, as JSON (checked when
    /// lowered, by the rules engine).
    pub endpoint_rule_set: Option<serde_json::Value>,
    /// `smithy.rules#staticContextParams` on an operation: each parameter's fixed value, in
    /// model order.
    pub static_context_params: Vec<(String, serde_json::Value)>,
    /// `smithy.rules#contextParam` on an input member: the parameter it sets.
    pub context_param: Option<String>,
}

/// A waiter of `smithy.waiters#waitable`: poll the operation until an acceptor matches.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// Its documentation.
    pub documentation: Option<String>,
    /// Seconds to wait before the first retry (default 2).
    pub min_delay: u64,
    /// The longest wait between attempts, in seconds (default 120).
    pub max_delay: u64,
    /// Checked in order after each attempt; the first that matches decides.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor of a waiter.
#[derive(Clone, Debug, PartialEq)]
pub struct Acceptor {
    /// What a match means.
    pub state: AcceptorState,
    /// What must match.
    pub matcher: Matcher,
}

/// The state a matching acceptor moves the waiter to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// Stop: the wait succeeded.
    Success,
    /// Stop: the wait failed.
    Failure,
    /// Poll again.
    Retry,
}

/// What an acceptor matches.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// A member of the output, by a dotted path, compared with a string.
    Output {
        /// The path, e.g. `Status.State` (a JMESPath of field names).
        path: String,
        /// The value to compare with.
        expected: String,
        /// How to compare.
        comparator: Comparator,
    },
    /// `true`: the call succeeded; `false`: it failed with any error.
    Success(bool),
    /// The call failed with this error code.
    ErrorType(String),
}

/// How an output matcher compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// The value is this string.
    StringEquals,
    /// The value is this boolean (`"true"` / `"false"`).
    BooleanEquals,
    /// Every element of the list value is this string.
    AllStringEquals,
    /// Some element of the list value is this string.
    AnyStringEquals,
}

/// Optional lower and upper bounds (`length`, `range`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bounds<T> {
    /// The inclusive minimum.
    pub min: Option<T>,
    /// The inclusive maximum.
    pub max: Option<T>,
}

/// The fault of an error (`smithy.api#error`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `client`
    Client,
    /// `server`
    Server,
}

/// `smithy.api#paginated`; on an operation every field must be resolved against the service's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paginated {
    /// The input member that carries the token.
    pub input_token: Option<String>,
    /// The output member (path) that carries the next token.
    pub output_token: Option<String>,
    /// The output member (path) holding the page's items.
    pub items: Option<String>,
    /// The input member that limits the page size.
    pub page_size: Option<String>,
}

/// The value of `smithy.api#enumValue`.
#[derive(Clone, Debug, PartialEq)]
pub enum EnumValueTrait {
    /// On an `enum` member.
    String(String),
    /// On an `intEnum` member.
    Int(i64),
}

/// `smithy.api#timestampFormat`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `epoch-seconds`, the default of the AWS JSON protocols.
    EpochSeconds,
    /// `date-time` (RFC 3339).
    DateTime,
    /// `http-date` (RFC 7231 IMF-fixdate).
    HttpDate,
}

/// `aws.api#service`
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsService {
    /// `sdkId`
    pub sdk_id: String,
    /// `endpointPrefix`
    pub endpoint_prefix: Option<String>,
    /// `arnNamespace`
    pub arn_namespace: Option<String>,
}

/// The AWS JSON protocol trait on the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonProtocol {
    /// `aws.protocols#awsJson1_0`
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`
    AwsJson1_1,
}
