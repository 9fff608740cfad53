//! Model-independent runtime for crates generated from AWS JSON-protocol service models.
//!
//! Generated crates stay declarative: they describe their shapes and operations and lean on
//! this crate for everything that does not depend on the model, starting with the
//! [`Operation`] trait through which one generic code path serves every operation.

#![warn(missing_docs)]

mod blob;
pub mod calendar;
mod date_time;
pub mod document;
mod enums;
pub mod error;
pub mod float;
pub mod ids;
pub mod json;
mod operation;
pub mod sensitive;
#[cfg(feature = "sigv4")]
pub mod sigv4;
pub mod timestamp;
pub mod union;
#[cfg(feature = "validate")]
pub mod validate;
pub mod wire_error;

/// The endpoint rules engine: rule sets, their parameters, resolvers and resolved endpoints.
pub use aws_json_endpoints as endpoints;

pub use blob::Blob;
pub use date_time::DateTime;
pub use enums::UnknownVariantValue;
pub use error::{
    BuildError, ErrorDetails, ErrorFault, ErrorMeta, ModeledError, OperationError,
    ProvideErrorMetadata, RetryTraits, UnhandledError,
};
pub use operation::{Operation, OperationVisitor, Protocol, ServiceMetadata, ServiceShape};

/// An untyped JSON value, for members that target a Smithy `document` shape.
pub type Document = serde_json::Value;
