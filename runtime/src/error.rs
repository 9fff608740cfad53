//! Errors shared by every generated crate: modeled errors, per-operation error enums, the
//! unhandled case, and builder failures.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::json::{self, DeserializeError};

/// Who is at fault for an error, from the Smithy `error` trait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorFault {
    /// The caller sent something wrong (HTTP 4xx).
    Client,
    /// The service failed (HTTP 5xx).
    Server,
}

/// An error structure of the model (a shape with the Smithy `error` trait).
pub trait ModeledError:
    std::error::Error + Serialize + DeserializeOwned + Clone + Send + Sync + 'static
{
    /// The error code on the wire (the shape's name), e.g. `ConflictException`.
    const CODE: &'static str;
    /// The HTTP status code a server answers with.
    const HTTP_STATUS: u16;
    /// Whether the caller or the service is at fault.
    const FAULT: ErrorFault;
    /// Whether a client may retry a request that failed with this error.
    const RETRYABLE: bool;
    /// Whether this error signals throttling (retry with backoff).
    const THROTTLING: bool;
    /// The human-readable message, if the error carries one.
    fn message(&self) -> Option<&str>;
}

/// The impls of a generated operation error enum, from one line per declared error.
///
/// A generated crate declares the enum itself (its variants documented from the model, plus
/// `Unhandled(UnhandledError)`) and then invokes this macro with, per declared error, the
/// variant, the modeled error type and the name of its `is_…` helper (all decided by the code
/// generator):
///
/// ```
/// # use aws_json_runtime::{ErrorFault, ModeledError};
/// # #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
/// # pub struct ConflictException { message: Option<String> }
/// # impl std::fmt::Display for ConflictException {
/// #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("ConflictException") }
/// # }
/// # impl std::error::Error for ConflictException {}
/// # impl ModeledError for ConflictException {
/// #     const CODE: &'static str = "ConflictException";
/// #     const HTTP_STATUS: u16 = 409;
/// #     const FAULT: ErrorFault = ErrorFault::Client;
/// #     const RETRYABLE: bool = false;
/// #     const THROTTLING: bool = false;
/// #     fn message(&self) -> Option<&str> { self.message.as_deref() }
/// # }
/// #[derive(Debug)]
/// pub enum DeleteThingError {
///     /// A conflict.
///     ConflictException(ConflictException),
///     /// Anything else.
///     Unhandled(aws_json_runtime::UnhandledError),
/// }
/// aws_json_runtime::operation_error!(DeleteThingError {
///     ConflictException(ConflictException) is_conflict_exception,
/// });
///
/// let error = DeleteThingError::from(ConflictException { message: None });
/// assert!(error.is_conflict_exception());
/// assert_eq!(aws_json_runtime::OperationError::code(&error), "ConflictException");
/// ```
///
/// It expands to:
/// - `is_<error>()` on the enum, one per declared error;
/// - `Display` (the inner error's) and `std::error::Error` (whose `source()` is the inner
///   error);
/// - `From<E>` for each declared error `E`, so `?` and `.into()` turn a modeled error into the
///   operation's;
/// - [`OperationError`]: `from_code` (the declared error whose [`ModeledError::CODE`] the code
///   is, read by [`parse_modeled`], else the unhandled case with the body's message),
///   `unhandled`, and `inner`, the one accessor every other method of the trait defaults
///   through.
///
/// Its methods are `#[inline]`: a program compiles them for the operations it calls, not the
/// generated crate for all of them.
#[macro_export]
macro_rules! operation_error {
    ($error:ident { $($variant:ident($modeled:ty) $is:ident,)* }) => {
        impl $error {
            $(
                #[doc = ::core::concat!("Whether the error is `", ::core::stringify!($variant), "`.")]
                #[inline]
                pub fn $is(&self) -> bool {
                    ::core::matches!(self, Self::$variant(_))
                }
            )*
        }

        impl ::core::fmt::Display for $error {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt($crate::OperationError::inner(self), f)
            }
        }

        impl ::std::error::Error for $error {
            #[inline]
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::core::option::Option::Some($crate::OperationError::inner(self).as_error())
            }
        }

        $(
            impl ::core::convert::From<$modeled> for $error {
                #[inline]
                fn from(error: $modeled) -> Self {
                    Self::$variant(error)
                }
            }
        )*

        impl $crate::OperationError for $error {
            #[inline]
            fn from_code(
                code: &str,
                body: &[u8],
            ) -> ::core::result::Result<Self, $crate::json::DeserializeError> {
                $(
                    if code == <$modeled as $crate::ModeledError>::CODE {
                        return $crate::error::parse_modeled(body).map(Self::$variant);
                    }
                )*
                ::core::result::Result::Ok(Self::Unhandled($crate::UnhandledError::from_body(code, body)))
            }

            #[inline]
            fn retry_traits(code: &str) -> ::core::option::Option<$crate::RetryTraits> {
                $(
                    if code == <$modeled as $crate::ModeledError>::CODE {
                        return ::core::option::Option::Some($crate::RetryTraits::of::<$modeled>());
                    }
                )*
                ::core::option::Option::None
            }

            #[inline]
            fn unhandled(error: $crate::UnhandledError) -> Self {
                Self::Unhandled(error)
            }

            #[inline]
            fn inner(&self) -> &dyn $crate::ErrorDetails {
                match self {
                    $(Self::$variant(error) => error,)*
                    Self::Unhandled(error) => error,
                }
            }
        }
    };
}

/// What a modeled error's traits say about retrying a request that failed with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetryTraits {
    /// The error has the `retryable` trait.
    pub retryable: bool,
    /// The error has the `retryable` trait with `throttling`.
    pub throttling: bool,
}

impl RetryTraits {
    /// The traits of the modeled error `M`.
    pub const fn of<M: ModeledError>() -> Self {
        Self {
            retryable: M::RETRYABLE,
            throttling: M::THROTTLING,
        }
    }
}

/// What every error an operation returns can say about itself: its code, message, status and
/// retry class. Object-safe, so that an operation's error enum needs only one generated
/// accessor, [`OperationError::inner`], for all of its behaviour.
///
/// Implemented for every [`ModeledError`] (from its constants) and for [`UnhandledError`].
pub trait ErrorDetails: std::error::Error + Send + Sync + 'static {
    /// The error code on the wire.
    fn code(&self) -> &str;
    /// The human-readable message, if any.
    fn message(&self) -> Option<&str>;
    /// The HTTP status code a server answers with.
    fn http_status(&self) -> u16;
    /// Whether a client may retry the request.
    fn is_retryable(&self) -> bool;
    /// Whether the error signals throttling.
    fn is_throttling(&self) -> bool;
    /// The JSON body a server sends for this error, without the `__type` member.
    fn to_json(&self) -> serde_json::Value;
    /// Whether this is an error the operation does not declare.
    fn is_unhandled(&self) -> bool {
        false
    }
    /// The error as a `std::error::Error`, for `source()` chains.
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static);
}

impl<E: ModeledError> ErrorDetails for E {
    fn code(&self) -> &str {
        E::CODE
    }
    fn message(&self) -> Option<&str> {
        ModeledError::message(self)
    }
    fn http_status(&self) -> u16 {
        E::HTTP_STATUS
    }
    fn is_retryable(&self) -> bool {
        E::RETRYABLE
    }
    fn is_throttling(&self) -> bool {
        E::THROTTLING
    }
    fn to_json(&self) -> serde_json::Value {
        modeled_to_json(self)
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
}

/// The error type of one operation: one case per error the operation declares, plus an
/// unhandled case for anything else.
///
/// A generated enum writes [`from_code`](Self::from_code), [`unhandled`](Self::unhandled) and
/// the one accessor [`inner`](Self::inner); everything else comes from the default methods,
/// which ask the error inside.
pub trait OperationError: std::error::Error + Send + Sync + 'static {
    /// Builds the error from a response's error code and JSON body. An unknown code gives the
    /// unhandled case; a known code whose body does not parse is an error.
    fn from_code(code: &str, body: &[u8]) -> Result<Self, DeserializeError>
    where
        Self: Sized;
    /// The retry traits of the declared error with this code, from its type alone (no body is
    /// parsed); `None` for a code the operation does not declare.
    fn retry_traits(code: &str) -> Option<RetryTraits>
    where
        Self: Sized;
    /// Wraps an error that the operation does not declare.
    fn unhandled(error: UnhandledError) -> Self
    where
        Self: Sized;
    /// The error inside, whatever the case.
    fn inner(&self) -> &dyn ErrorDetails;
    /// Whether this is the unhandled case: an error the operation does not declare.
    fn is_unhandled(&self) -> bool {
        self.inner().is_unhandled()
    }
    /// The error code on the wire.
    fn code(&self) -> &str {
        self.inner().code()
    }
    /// The human-readable message, if any.
    fn message(&self) -> Option<&str> {
        self.inner().message()
    }
    /// The HTTP status code a server answers with.
    fn http_status(&self) -> u16 {
        self.inner().http_status()
    }
    /// Whether a client may retry the request.
    fn is_retryable(&self) -> bool {
        self.inner().is_retryable()
    }
    /// Whether the error signals throttling.
    fn is_throttling(&self) -> bool {
        self.inner().is_throttling()
    }
    /// The JSON body a server sends for this error, without the `__type` member.
    fn to_json(&self) -> serde_json::Value {
        self.inner().to_json()
    }
}

/// The code and message of an error, as the AWS SDK for Rust's `ProvideErrorMetadata` gives
/// them: implemented by every modeled error, every operation error and the client's
/// `SdkError`.
///
/// Import it (`use sso_admin::error::ProvideErrorMetadata;`) to call `code()`, `message()`
/// and `meta()` on any of them.
pub trait ProvideErrorMetadata {
    /// The error code, when there is one.
    fn code(&self) -> Option<&str>;
    /// The error message, when there is one.
    fn message(&self) -> Option<&str>;
    /// The code and message together.
    fn meta(&self) -> ErrorMeta<'_> {
        ErrorMeta {
            code: self.code(),
            message: self.message(),
        }
    }
}

impl<E: OperationError> ProvideErrorMetadata for E {
    fn code(&self) -> Option<&str> {
        Some(OperationError::code(self))
    }
    fn message(&self) -> Option<&str> {
        OperationError::message(self)
    }
}

impl ProvideErrorMetadata for UnhandledError {
    fn code(&self) -> Option<&str> {
        Some(&self.code)
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

/// An error's code and message, borrowed: what [`ProvideErrorMetadata::meta`] returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta<'a> {
    code: Option<&'a str>,
    message: Option<&'a str>,
}

impl<'a> ErrorMeta<'a> {
    /// The error code, when there is one.
    pub fn code(&self) -> Option<&'a str> {
        self.code
    }
    /// The error message, when there is one.
    pub fn message(&self) -> Option<&'a str> {
        self.message
    }
}

/// Builds a modeled error from a JSON error body.
///
/// Services may send the message twice, as `message` and `Message`: the modeled member accepts
/// either name, and serde refuses a member given twice, so only one is kept.
pub fn parse_modeled<E: ModeledError>(body: &[u8]) -> Result<E, DeserializeError> {
    if let Ok(serde_json::Value::Object(mut members)) = serde_json::from_slice(body) {
        if members.contains_key("message") && members.contains_key("Message") {
            members.remove("message");
            return json::from_slice(serde_json::Value::Object(members).to_string().as_bytes());
        }
    }
    json::from_slice(if body.is_empty() { b"{}" } else { body })
}

/// Serializes a modeled error into the JSON body a server sends.
pub fn modeled_to_json<E: ModeledError>(error: &E) -> serde_json::Value {
    serde_json::to_value(error)
        .unwrap_or_else(|_| serde_json::json!({ "message": error.message() }))
}

/// An error that the operation does not declare: its code and message are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnhandledError {
    code: String,
    message: Option<String>,
    http_status: u16,
}

impl UnhandledError {
    /// An unhandled error with the given code and message, answered with HTTP 500.
    pub fn new(code: impl Into<String>, message: Option<String>) -> Self {
        Self {
            code: code.into(),
            message,
            http_status: 500,
        }
    }

    /// Reads the message (`message`, `Message` or `errorMessage`) from a JSON error body, if any.
    pub fn from_body(code: &str, body: &[u8]) -> Self {
        let message = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|value| crate::wire_error::message(&value).map(str::to_owned));
        Self::new(code, message)
    }

    /// The same error with another HTTP status.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = status;
        self
    }

    /// The error code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status code.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The JSON body a server sends for this error.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.message {
            Some(message) => serde_json::json!({ "message": message }),
            None => serde_json::json!({}),
        }
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {}

impl ErrorDetails for UnhandledError {
    fn code(&self) -> &str {
        &self.code
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    fn http_status(&self) -> u16 {
        self.http_status
    }
    fn is_retryable(&self) -> bool {
        false
    }
    fn is_throttling(&self) -> bool {
        false
    }
    fn to_json(&self) -> serde_json::Value {
        UnhandledError::to_json(self)
    }
    fn is_unhandled(&self) -> bool {
        true
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
}

/// A builder was asked to build a value whose required member is not set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    member: &'static str,
}

impl BuildError {
    /// The required `member` of `shape` was not set.
    pub const fn missing(shape: &'static str, member: &'static str) -> Self {
        Self { shape, member }
    }

    /// The errors of the builder of `shape`, one per required member:
    /// `self.name.ok_or(missing("Name"))?` in a generated `build()`.
    pub fn missing_in(shape: &'static str) -> impl Fn(&'static str) -> BuildError {
        move |member| BuildError::missing(shape, member)
    }

    /// The name of the shape being built.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// The name of the missing member.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot build `{}`: required member `{}` is not set",
            self.shape, self.member
        )
    }
}

impl std::error::Error for BuildError {}
