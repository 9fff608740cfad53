//! The server side of the AWS JSON protocols (`awsJson1_0` and `awsJson1_1`), generic over the
//! operations of any service generated against [`aws_json_runtime`].
//!
//! A service implementation registers one handler per operation on a [`ServiceBuilder`]; the
//! resulting [`AwsJsonService`] is a cloneable [`tower_service::Service`] over
//! [`http::Request`]s that runs the same protocol steps for every operation:
//!
//! 1. a fresh request id (`x-amzn-RequestId` on every response) and a tracing span;
//! 2. optional [SigV4 authentication](sigv4) of the request;
//! 3. `POST` only, routing on `X-Amz-Target: {target_prefix}.{Operation}`, the protocol's
//!    `Content-Type`, a bounded body;
//! 4. decoding of the input (an empty body is `{}`), then [`Validate`] of the model's
//!    constraints;
//! 5. the handler, whose panics are caught and answered with HTTP 500;
//! 6. the output, or the operation's error with its `__type`, as AWS services answer them.
//!
//! Every rejection carries a JSON body with `__type` and `message`, the way real AWS services
//! answer, so AWS SDKs (botocore included) surface them as ordinary service errors:
//!
//! | rejection | status | `__type` |
//! | --- | --- | --- |
//! | no `Authorization` header (when authenticating) | 403 | `MissingAuthenticationTokenException` |
//! | malformed `Authorization` header | 403 | `IncompleteSignatureException` |
//! | unknown access key or session token | 403 | `UnrecognizedClientException` |
//! | wrong signature, or a date more than 15 minutes off | 403 | `InvalidSignatureException` |
//! | body larger than the limit (1 MiB by default) | 413 | `RequestEntityTooLargeException` |
//! | a method other than `POST` | 405 | `UnknownOperationException` |
//! | missing or unknown `X-Amz-Target`, wrong `Content-Type` | 400 | `UnknownOperationException` |
//! | body that is not JSON, or a member of the wrong type | 400 | `SerializationException` |
//! | missing required member, broken constraint | 400 | `ValidationException` |
//! | a handler that panicked | 500 | `InternalServerException` |
//! | body not received within the body-read timeout ([`ServerLimits`]) | 408 | `RequestTimeoutException` |
//! | malformed HTTP/1.1 (request line, header, `Content-Length`), answered by hyper | 400 | `BadRequestException` |
//! | URI longer than 64 KiB / head larger than the limit, answered by hyper | 414 / 431 | `BadRequestException` |
//!
//! Choices where AWS services differ or are not documented:
//!
//! - A body over the limit is answered with HTTP 413 (as AWS's front ends do) rather than a
//!   400, so clients do not retry it as a malformed request; it is refused as soon as the
//!   limit is passed, or up front when `Content-Length` announces more.
//! - A `Content-Type` other than the protocol's (parameters such as `; charset=utf-8` are
//!   ignored, as Smithy's protocol tests require) is answered as an unknown operation: AWS
//!   services select the protocol by content type, so they do not find the operation either.
//!   `application/json` is refused.
//! - Unknown members of an input are ignored, as AWS services do; a required member that is
//!   `null` counts as missing.
//! - Request ids are random version-4 UUIDs from a fast, non-cryptographic generator.
//! - The refusals hyper makes while parsing a request, before the service sees it, are
//!   rewritten by [`serve`] into the same envelope with a request id (AWS documents no code
//!   for them; `BadRequestException` is the one several AWS services use).
//!
//! [`serve`] applies the [`ServerLimits`] set on the builder: header-read, body-read and idle
//! timeouts, a cap on connections, back-off when `accept` fails, and a bounded graceful
//! shutdown; see [`ServerLimits`] for the production defaults.
//!
//! Each request gets a tracing span `aws_json_request` (service, request id, operation) with
//! one event when it completes (status, error code, duration); bodies and credentials are
//! never logged.
//!
//! The service is a plain `tower` service answering `http::Response<Full<Bytes>>` with
//! `Infallible` errors, so it can be mounted in other servers too, for instance as an axum
//! `route_service("/", service)`.
//!
//! # Example
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use aws_json_server::{serve, ServiceBuilder};
//! # async fn run<O: aws_json_runtime::validate::ValidatedOperation>(metadata: &'static aws_json_runtime::ServiceMetadata)
//! # where O::Output: Default {
//! struct State;
//! let service = ServiceBuilder::new(metadata, Arc::new(State))
//!     .operation::<O, _, _>(|_state, _input, _context| async { Ok(O::Output::default()) })
//!     .build()
//!     .expect("every operation is registered once");
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
//! serve(listener, service, std::future::pending()).await.unwrap();
//! # }
//! ```
//!
//! [`Validate`]: aws_json_runtime::validate::Validate

#![warn(missing_docs)]

mod body;
mod connection;
mod context;
mod decode;
mod error;
mod limits;
mod request_id;
mod serve;
mod service;
pub mod sigv4;

pub use context::{Caller, RequestContext};
pub use error::{BuildError, ErrorCode};
pub use limits::ServerLimits;
pub use request_id::new_request_id;
pub use serve::serve;
pub use service::{AwsJsonService, ResponseBody, ServiceBuilder, DEFAULT_MAX_BODY_SIZE};
