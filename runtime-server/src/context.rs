//! What a handler learns about the request besides its input.

/// The authenticated principal that sent a request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Caller {
    /// The access key id whose signature the request carried, verified against its secret.
    pub access_key_id: String,
}

impl Caller {
    /// A caller identified by the access key id it signed with.
    pub fn new(access_key_id: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
        }
    }
}

/// Per-request information handed to every handler alongside the operation's input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestContext {
    /// The id of the request, also sent back in the `x-amzn-RequestId` response header.
    pub request_id: String,
    /// The verified caller; `None` when the service does not authenticate requests.
    pub caller: Option<Caller>,
}

impl RequestContext {
    /// A context for an unauthenticated request with the given id (handy in handler tests).
    pub fn new(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            caller: None,
        }
    }

    /// The same context, with the given verified caller.
    pub fn with_caller(mut self, caller: Caller) -> Self {
        self.caller = Some(caller);
        self
    }
}
