//! The client side of the AWS JSON protocols (`awsJson1_0` and `awsJson1_1`), generic over the
//! operations of generated crates.
//!
//! One code path, [`Client::call`], serves every [`Operation`](aws_json_runtime::Operation): it
//! serializes the input, sends `POST /` with the `X-Amz-Target` header, signs with SigV4,
//! retries throttling and transient failures with exponential backoff, and deserializes the
//! output or the operation's error. Generated crates add thin fluent builders on top.
//!
//! ```no_run
//! # use aws_json_client::{Client, Config, Credentials};
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // Explicit configuration...
//! let config = Config::builder()
//!     .region("us-east-1")
//!     .credentials(Credentials::new("AKID", "SECRET", None))
//!     .build();
//! // ...or the environment and ~/.aws/config, as every AWS SDK loads them.
//! let config = Config::from_env().await;
//! let client = Client::new(config);
//! // let output = client.call::<DescribePermissionSet>(input).await?;
//! # Ok(()) }
//! ```
//!
//! Besides the client: [`Paginator`] and [`Waiter`], the model-independent halves of
//! paginators and waiters, [`profile`], a parser for the shared AWS configuration files, and
//! [`credentials`], the standard credential chain with its cache.
//!
//! Every call runs in a `tracing` span (`aws_json_call`, with the service and operation) with
//! a child span per attempt; events report each response's status and request id, and each
//! retry. Request and response bodies are never logged: they may hold sensitive members.

#![warn(missing_docs)]

mod client;
pub mod compression;
mod config;
pub mod credentials;
pub mod customize;
pub mod endpoint;
pub mod env;
mod error;
mod paginator;
pub mod profile;
pub mod protocol;
mod reply;
mod resolve;
pub mod retry;
mod sdk_names;
mod signing;
mod waiter;

pub use client::{Client, ClientOperation};
pub use compression::CompressionConfig;
pub use config::{
    service_endpoint_variable, Config, ConfigBuilder, ConfigError, Credentials, RetryConfig,
    RetryMode, TimeoutConfig,
};
pub use customize::{CustomizableOperation, IntoCall};
pub use env::{Env, ProcessEnv};
pub use error::{
    ConstructionError, DispatchError, ErrorMetadata, RawResponse, ResponseError, SdkError,
    SigningError, TimeoutError, TimeoutKind,
};
/// The stream trait that [`PageStream`] implements, for generated code and its users.
pub use futures_util::Stream;
pub use paginator::{PageStream, Paginator};
pub use sdk_names::{BehaviorVersion, Region};
pub use waiter::{AcceptorState, FinalPoll, Waiter, WaiterError};
