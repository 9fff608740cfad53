//! The traits that tie a generated service together: one marker type per operation.

use crate::error::OperationError;

/// The AWS JSON protocol version a service speaks.
///
/// Both versions send `POST /` with an `X-Amz-Target: {prefix}.{operation}` header; they differ
/// only in the content type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`: content type `application/x-amz-json-1.0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: content type `application/x-amz-json-1.1`.
    AwsJson1_1,
}

impl Protocol {
    /// The `Content-Type` of requests and responses.
    pub const fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// What a client or server needs to know about a service, independent of its operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceMetadata {
    /// The Smithy shape id of the service, e.g. `com.amazonaws.ssoadmin#SWBExternalService`.
    pub shape_id: &'static str,
    /// The API version, e.g. `2020-07-20`.
    pub api_version: &'static str,
    /// The SDK identifier, e.g. `SSO Admin`.
    pub sdk_id: &'static str,
    /// The protocol the service speaks.
    pub protocol: Protocol,
    /// The prefix of the `X-Amz-Target` header: the service shape's name.
    pub target_prefix: &'static str,
    /// The SigV4 signing name, e.g. `sso`.
    pub signing_name: &'static str,
    /// The first label of the service's default endpoint host, e.g. `sso`.
    pub endpoint_prefix: &'static str,
    /// The service's endpoint rule set, when its model has one; without one, the endpoint is
    /// `https://{endpoint_prefix}.{region}.amazonaws.com`.
    pub endpoint_rules: Option<&'static crate::endpoints::StaticRuleSet>,
    /// Whether the service was migrated from the Query protocol (`awsQueryCompatible`): its
    /// clients send `x-amzn-query-mode: true` and read error codes from `x-amzn-query-error`,
    /// which its servers send ([`crate::wire_error`]).
    pub query_compatible: bool,
    /// The Query error codes of the errors that declare one (`awsQueryError`), as pairs of the
    /// error's code and its Query code, sorted.
    pub query_error_codes: &'static [(&'static str, &'static str)],
}

/// One operation of a service, implemented by a zero-sized marker type per operation.
///
/// The associated types name the operation's input, output and error, so a client or server
/// written once against this trait serves every operation of every generated service.
pub trait Operation: Send + Sync + 'static {
    /// The operation's name as it appears on the wire, e.g. `CreatePermissionSet`.
    const NAME: &'static str;
    /// The endpoint rule-set parameters the operation binds (`staticContextParams`, input
    /// members with `contextParam`); none by default.
    const ENDPOINT_CONTEXT: &'static [crate::endpoints::ContextParam] = &[];
    /// The service the operation belongs to.
    const SERVICE: &'static ServiceMetadata;
    /// The request payload. Generated inputs always implement `Serialize`, which clients
    /// require; with their `serde-all` feature `Deserialize` too, and with `validate`
    /// `validate::Validate`, which servers require.
    type Input: std::fmt::Debug + Clone + PartialEq + Send + Sync + 'static;
    /// The response payload. Generated outputs always implement `Deserialize`, which clients
    /// require; with their `serde-all` feature `Serialize` too, which servers require.
    type Output: std::fmt::Debug + Clone + PartialEq + Send + Sync + 'static;
    /// The errors the operation declares, plus an unhandled case.
    type Error: OperationError;
    /// The encodings the service accepts compressed request bodies in (`requestCompression`),
    /// in order of preference, e.g. `["gzip"]`; empty when requests are never compressed.
    const REQUEST_COMPRESSION: &'static [&'static str] = &[];
    /// The prefix added to the endpoint's host (`endpoint` trait, `hostPrefix`), e.g.
    /// `data.` or `{AccountId}.`: each `{Label}` is the value of the input member of that wire
    /// name (`hostLabel`). `None` when the host is used unchanged.
    const HOST_PREFIX: Option<&'static str> = None;
}

/// A generated service: something that can enumerate its operations.
pub trait ServiceShape {
    /// The service's metadata.
    const METADATA: ServiceMetadata;
    /// Calls `visitor.visit::<O>()` once for every operation of the service, sorted by name.
    fn visit_operations<V: OperationVisitor>(visitor: &mut V);
}

/// Generic code run once per operation by [`ServiceShape::visit_operations`].
pub trait OperationVisitor {
    /// Called with each operation's marker type.
    fn visit<O: Operation>(&mut self);
}
