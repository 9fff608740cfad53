//! Per-call customization, shaped as in the AWS SDK for Rust: a fluent builder's
//! `.customize()` gives a [`CustomizableOperation`] that mutates the request before it is
//! signed and overrides the configuration for this call, then `.send()`s.
//!
//! ```no_run
//! # async fn example<B: aws_json_client::IntoCall>(builder: B) {
//! use aws_json_client::{Config, CustomizableOperation};
//!
//! let output = CustomizableOperation::new(builder) // what `builder.customize()` returns
//!     .mutate_request(|request| {
//!         request.headers_mut().insert("x-trace", http::HeaderValue::from_static("on"));
//!     })
//!     .config_override(Config::builder().region("eu-west-1"))
//!     .send()
//!     .await;
//! # let _ = output;
//! # }
//! ```

use std::fmt;
use std::sync::{Arc, Mutex};

use aws_json_runtime::{BuildError, Operation};

use crate::ClientOperation;
use bytes::Bytes;

use crate::{Client, ConfigBuilder, ConstructionError, SdkError};

/// The unsigned request of one attempt, as a request mutator sees it: method, URI, headers
/// and the JSON body, before SigV4 signs them (so the signature covers the changes).
pub type HttpRequest = http::Request<Bytes>;

type Mutator = Arc<Mutex<dyn FnMut(&mut HttpRequest) + Send>>;

/// What a customized call changes: request mutators, run in order before each attempt is
/// signed, and a configuration override.
#[derive(Clone, Default)]
pub struct Customizations {
    mutators: Vec<Mutator>,
    config_override: Option<ConfigBuilder>,
}

impl fmt::Debug for Customizations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customizations")
            .field("mutators", &self.mutators.len())
            .field("config_override", &self.config_override)
            .finish()
    }
}

impl Customizations {
    /// Runs every mutator on `request`, in the order they were added.
    pub(crate) fn mutate(&self, request: &mut HttpRequest) {
        for mutator in &self.mutators {
            // A mutator that panicked once still runs: its state is the caller's business.
            let mut mutator = mutator
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            (*mutator)(request);
        }
    }

    /// The configuration override, if any.
    pub(crate) fn config_override(&self) -> Option<&ConfigBuilder> {
        self.config_override.as_ref()
    }
}

/// A fluent builder that can be sent: the client and the input it has built, or why the input
/// cannot be built. Generated fluent builders implement it; [`CustomizableOperation::send`]
/// sends through it.
pub trait IntoCall: Sized {
    /// The operation the builder calls.
    type Operation: ClientOperation;

    /// The client, and the input or the required member it lacks.
    fn into_parts(
        self,
    ) -> (
        Client,
        Result<<Self::Operation as Operation>::Input, BuildError>,
    );

    /// The client and the input, or the construction failure of an incomplete input.
    #[allow(clippy::type_complexity)]
    fn into_call(
        self,
    ) -> Result<
        (Client, <Self::Operation as Operation>::Input),
        SdkError<<Self::Operation as Operation>::Error>,
    > {
        let (client, input) = self.into_parts();
        let input = input.map_err(|error| {
            SdkError::Construction(ConstructionError::with_source(
                "the input is incomplete",
                error,
            ))
        })?;
        Ok((client, input))
    }
}

/// A fluent builder with per-call customizations: `.customize()` returns one.
#[derive(Debug)]
pub struct CustomizableOperation<B> {
    builder: B,
    customizations: Customizations,
}

impl<B: IntoCall> CustomizableOperation<B> {
    /// `builder`, not customized yet.
    pub fn new(builder: B) -> Self {
        Self {
            builder,
            customizations: Customizations::default(),
        }
    }

    /// Changes the request of every attempt before it is signed: add a header, say. Mutators
    /// run in the order they were added.
    pub fn mutate_request<F>(mut self, mutator: F) -> Self
    where
        F: FnMut(&mut HttpRequest) + Send + Sync + 'static,
    {
        self.customizations
            .mutators
            .push(Arc::new(Mutex::new(mutator)));
        self
    }

    /// Overrides the client's configuration for this call: the settings `config` changed
    /// replace the client's (see [`ConfigBuilder::override_of`]); a whole
    /// [`Config`](crate::Config) replaces all of them. A later override replaces an earlier one.
    pub fn config_override(mut self, config: impl Into<ConfigBuilder>) -> Self {
        self.customizations.config_override = Some(config.into());
        self
    }

    /// Sends the request with the customizations.
    pub async fn send(
        self,
    ) -> Result<<B::Operation as Operation>::Output, SdkError<<B::Operation as Operation>::Error>>
    {
        let (client, input) = self.builder.into_call()?;
        client
            .call_customized::<B::Operation>(input, &self.customizations)
            .await
    }
}
