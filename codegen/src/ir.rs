//! The typed intermediate representation between loading and emitting: a service, its
//! operations and the shapes they reach, with every Rust name already decided.
//!
//! Shapes refer to each other by shape id; every collection that reaches a file is sorted or
//! kept in model order, never in hash order.

use std::collections::BTreeMap;

pub use crate::ast::{
    Acceptor, AcceptorState, Bounds, Comparator, Fault, Matcher, ShapeId, SimpleType,
    TimestampFormat,
};

/// A service and everything its operations reach.
#[derive(Clone, Debug)]
pub struct Service {
    /// The service shape's id.
    pub id: ShapeId,
    /// The service shape's name: the `X-Amz-Target` prefix.
    pub name: String,
    /// The API version.
    pub version: String,
    /// The SDK id (`aws.api#service`), or the service name.
    pub sdk_id: String,
    /// The title (`smithy.api#title`), if any.
    pub title: Option<String>,
    /// The service documentation.
    pub docs: Option<String>,
    /// The wire protocol.
    pub protocol: Protocol,
    /// The SigV4 signing name.
    pub signing_name: String,
    /// The default endpoint's first host label.
    pub endpoint_prefix: String,
    /// The generated package name (`sso-admin`).
    pub crate_name: String,
    /// The library name that code outside the crate writes (`sso_admin`).
    pub library_name: String,
    /// The server-side trait with one method per operation (`SsoAdminService`).
    pub service_trait: String,
    /// The marker type that implements `ServiceShape` (`SsoAdmin`).
    pub marker: String,
    /// `awsQueryCompatible`: the Query error codes of the errors that declare one
    /// (`awsQueryError`), by error code; `None` when the service is not query-compatible.
    pub query_compatible: Option<BTreeMap<String, String>>,
    /// The operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Every shape an operation reaches, by id.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// The endpoint rule set, when the model has one (`smithy.rules#endpointRuleSet`, or
    /// botocore's `endpoint-rule-set-1.json`).
    pub endpoint_rules: Option<EndpointRules>,
}

impl Service {
    /// The shape with id `id`. Lowering guarantees that every id in the IR resolves.
    pub fn shape(&self, id: &str) -> &Shape {
        &self.shapes[id]
    }

    /// The operation whose input or output is `id`, if any.
    pub fn operation_of(&self, id: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|operation| operation.input == id || operation.output == id)
    }
}

/// The AWS JSON protocol version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `awsJson1_0`
    AwsJson1_0,
    /// `awsJson1_1`
    AwsJson1_1,
}

/// One operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The operation shape's id.
    pub id: ShapeId,
    /// The wire name (`CreatePermissionSet`), also the marker type's name.
    pub name: String,
    /// The Rust marker type name.
    pub marker: String,
    /// The module (and client method) name, `create_permission_set`.
    pub module: String,
    /// The documentation.
    pub docs: Option<String>,
    /// The input structure.
    pub input: ShapeId,
    /// The output structure.
    pub output: ShapeId,
    /// The error type name, `CreatePermissionSetError`.
    pub error: String,
    /// The client's fluent builder type, `CreatePermissionSetFluentBuilder`.
    pub fluent_builder: String,
    /// The errors the operation declares (its own, then the service's), in model order.
    pub errors: Vec<ErrorCase>,
    /// Pagination, if the operation is paginated.
    pub pagination: Option<Pagination>,
    /// Waiters that poll this operation, sorted by name.
    pub waiters: Vec<Waiter>,
    /// `Some(message)` when deprecated.
    pub deprecated: Option<Option<String>>,
    /// The encodings request bodies may be compressed in (`requestCompression`), in order of
    /// preference; empty for none.
    pub request_compression: Vec<String>,
    /// The endpoint trait's host prefix, whose `{Label}`s name `hostLabel` input members.
    pub host_prefix: Option<String>,
    /// The endpoint rule-set parameters the operation binds.
    pub endpoint_context: Vec<EndpointContextParam>,
}

/// One case of an operation's error enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorCase {
    /// The error structure.
    pub shape: ShapeId,
    /// The enum variant (the structure's Rust name, `ConflictException`).
    pub variant: String,
    /// The method that tests for this case, `is_conflict_exception`.
    pub is_method: String,
}

/// A waiter: polls its operation until an acceptor decides.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// The waiter's name (`AccountAssignmentCreated`).
    pub name: String,
    /// The client method that runs it (`wait_until_account_assignment_created`).
    pub method: String,
    /// The waiter's Rust type (`AccountAssignmentCreatedWaiter`).
    pub type_name: String,
    /// The documentation.
    pub docs: Option<String>,
    /// Seconds before the first retry.
    pub min_delay: u64,
    /// The longest wait between attempts, in seconds.
    pub max_delay: u64,
    /// The acceptors, in model order.
    pub acceptors: Vec<Acceptor>,
}

/// How a paginated operation pages: the members of its input and output that carry the token,
/// the items and the page size, resolved when lowering (a name that is not a member is a model
/// error there, never a guess here).
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The paginator type (`ListInstancesPaginator`).
    pub paginator: String,
    /// The item stream type (`ListInstancesPaginatorItems`), when the operation names its items.
    pub items_paginator: String,
    /// The input member carrying the token.
    pub input_token: Member,
    /// The output member carrying the next token.
    pub output_token: Member,
    /// The output list member holding the items, with the list's element shape.
    pub items: Option<(Member, ShapeId)>,
    /// The input member that limits the page size, if any.
    pub page_size: Option<Member>,
}

/// Where a generated type lives in the crate.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Module {
    /// `crate::types`
    Types,
    /// `crate::types::error`
    Errors,
    /// `crate::operation::<module>`: an operation's input or output.
    Operation(String),
}

/// A shape of the service.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The shape id.
    pub id: ShapeId,
    /// The Rust type name (meaningful for structures, unions and enums).
    pub name: String,
    /// The module the type lives in.
    pub module: Module,
    /// The documentation.
    pub docs: Option<String>,
    /// Whether values of this shape are secret.
    pub sensitive: bool,
    /// `Some(message)` when deprecated.
    pub deprecated: Option<Option<String>>,
    /// The kind and its details.
    pub kind: ShapeKind,
}

/// The kinds of shape.
#[derive(Clone, Debug)]
pub enum ShapeKind {
    /// A structure (also inputs, outputs and errors).
    Structure(Structure),
    /// A union: one member is set.
    Union(Vec<Member>),
    /// A string enum.
    Enum(Vec<EnumVariant>),
    /// An integer enum.
    IntEnum(Vec<IntEnumVariant>),
    /// A list.
    List {
        /// The element shape.
        member: ShapeId,
        /// The `length` constraint.
        length: Option<Bounds<u64>>,
    },
    /// A map with string keys.
    Map {
        /// The key shape (a string).
        key: ShapeId,
        /// The value shape.
        value: ShapeId,
        /// The `length` constraint.
        length: Option<Bounds<u64>>,
    },
    /// A scalar.
    Simple {
        /// Its type.
        ty: SimpleType,
        /// Its constraints.
        constraints: Constraints,
        /// For timestamps, the wire format.
        timestamp_format: TimestampFormat,
    },
}

/// A structure.
#[derive(Clone, Debug)]
pub struct Structure {
    /// Its members, in model order.
    pub members: Vec<Member>,
    /// For error structures, how the error is reported.
    pub error: Option<ErrorInfo>,
    /// The serde impls a build without the `serde-all` feature derives: the directions a
    /// client needs (see `lower::decide_client_serde`). `serde-all` adds the others.
    pub client_serde: SerdeDirections,
}

/// Which of `Serialize` and `Deserialize` a type implements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SerdeDirections {
    /// `Serialize`: the type is written as JSON.
    pub serialize: bool,
    /// `Deserialize`: the type is read from JSON.
    pub deserialize: bool,
}

impl SerdeDirections {
    /// Both directions.
    pub const BOTH: Self = Self {
        serialize: true,
        deserialize: true,
    };
    /// `Serialize` only.
    pub const SERIALIZE: Self = Self {
        serialize: true,
        deserialize: false,
    };
    /// `Deserialize` only.
    pub const DESERIALIZE: Self = Self {
        serialize: false,
        deserialize: true,
    };

    /// The directions of either.
    pub fn union(self, other: Self) -> Self {
        Self {
            serialize: self.serialize || other.serialize,
            deserialize: self.deserialize || other.deserialize,
        }
    }
}

/// What makes a structure an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// Client or server.
    pub fault: Fault,
    /// The HTTP status (`httpError`, or 400/500 by fault).
    pub http_status: u16,
    /// Whether clients may retry.
    pub retryable: bool,
    /// Whether it signals throttling.
    pub throttling: bool,
}

/// Constraints on a value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `length`
    pub length: Option<Bounds<u64>>,
    /// `pattern`
    pub pattern: Option<String>,
    /// `range`
    pub range: Option<Bounds<f64>>,
}

/// A member of a structure or union.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The wire name.
    pub name: String,
    /// The Rust field name, also the structure's getter and the builder's main setter.
    pub field: String,
    /// The builder method that sets or clears the member (`set_instance_arn`).
    pub setter: String,
    /// The builder method that reads the member back (`get_instance_arn`).
    pub getter: String,
    /// The union variant name.
    pub variant: String,
    /// The target shape.
    pub target: ShapeId,
    /// Whether the member must be present.
    pub required: bool,
    /// The member's documentation, falling back to the target's.
    pub docs: Option<String>,
    /// Whether the value is secret (member or target `sensitive`).
    pub sensitive: bool,
    /// The member's own constraints, overriding the target's.
    pub constraints: Constraints,
    /// Whether the value needs a `Box` (the member closes a cycle of structures).
    pub boxed: bool,
    /// The wire format of the timestamps the member holds (itself, or as list items or map
    /// values), when it is not the default epoch seconds.
    pub timestamp_format: Option<TimestampFormat>,
    /// Whether the member holds floats (itself, or as list items or map values), which travel
    /// as numbers or as `"NaN"`, `"Infinity"` and `"-Infinity"`.
    pub holds_floats: bool,
    /// Whether the member holds unions (itself, or as list items or map values), read
    /// leniently: `__type` and `null` members ignored. Boxed members are read strictly.
    pub holds_unions: bool,
    /// `Some(message)` when deprecated.
    pub deprecated: Option<Option<String>>,
}

/// One value of a string enum.
#[derive(Clone, Debug)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The wire value.
    pub value: String,
    /// The documentation.
    pub docs: Option<String>,
}

/// One value of an integer enum.
#[derive(Clone, Debug)]
pub struct IntEnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The wire value.
    pub value: i64,
    /// The documentation.
    pub docs: Option<String>,
}

/// A service's endpoint rule set: its text, carried into the generated crate as data, and its
/// parameters, which become the fields of `config::endpoint::Params`.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointRules {
    /// The rule set as compact JSON, checked by the rules engine.
    pub json: String,
    /// The parameters, in the order of the rule set.
    pub parameters: Vec<EndpointParameter>,
}

impl EndpointRules {
    /// The rule set's JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

/// One parameter of an endpoint rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointParameter {
    /// The name in the rule set (`UseFIPS`).
    pub name: String,
    /// The Rust field, getter and setter name (`use_fips`).
    pub field: String,
    /// The builder's `set_` setter name (`set_use_fips`).
    pub setter: String,
    /// The type.
    pub ty: EndpointParameterType,
    /// The built-in it is bound to (`AWS::UseFIPS`).
    pub built_in: Option<String>,
    /// The default value.
    pub default: Option<EndpointDefault>,
    /// Whether the builder refuses to build without a value (after the default).
    pub required: bool,
    /// The documentation.
    pub docs: Option<String>,
}

/// An endpoint rule-set parameter an operation binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointContextParam {
    /// `smithy.rules#staticContextParams`: a fixed value.
    Static {
        /// The parameter.
        param: String,
        /// Its value.
        value: EndpointDefault,
    },
    /// `smithy.rules#contextParam`: the value of an input member.
    Member {
        /// The parameter.
        param: String,
        /// The member's wire name.
        member: String,
    },
}

/// The type of an endpoint rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointParameterType {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

/// The default value of an endpoint rule-set parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointDefault {
    /// A string.
    String(String),
    /// A boolean.
    Boolean(bool),
    /// An array of strings.
    StringArray(Vec<String>),
}
