//! Resolvers: the [`ResolveEndpoint`] trait, rule sets held by generated crates, and a
//! shareable resolver for configurations.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::error::{ResolveEndpointError, RuleSetError};
use crate::ruleset::RuleSet;
use crate::value::{Endpoint, EndpointParams};

/// Resolves the endpoint of a call from its parameters. Implement it to choose endpoints
/// yourself; generated crates implement it with their service's rule set
/// (`config::endpoint::DefaultResolver`).
pub trait ResolveEndpoint: Send + Sync + fmt::Debug {
    /// The endpoint for `params`, or why there is none.
    fn resolve_endpoint(&self, params: &EndpointParams) -> Result<Endpoint, ResolveEndpointError>;
}

impl<T: ResolveEndpoint + ?Sized> ResolveEndpoint for Arc<T> {
    fn resolve_endpoint(&self, params: &EndpointParams) -> Result<Endpoint, ResolveEndpointError> {
        (**self).resolve_endpoint(params)
    }
}

/// A rule set kept as its JSON text in a `static`, parsed and checked on first use.
pub struct StaticRuleSet {
    text: &'static str,
    parsed: OnceLock<Result<RuleSet, RuleSetError>>,
}

impl StaticRuleSet {
    /// A rule set from its JSON text; nothing is parsed yet.
    pub const fn new(text: &'static str) -> Self {
        Self {
            text,
            parsed: OnceLock::new(),
        }
    }

    /// The JSON text.
    pub fn text(&self) -> &'static str {
        self.text
    }

    /// The parsed rule set, or why the text is not a valid one.
    pub fn rule_set(&self) -> Result<&RuleSet, &RuleSetError> {
        self.parsed
            .get_or_init(|| RuleSet::parse(self.text))
            .as_ref()
    }
}

impl fmt::Debug for StaticRuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticRuleSet")
            .field("bytes", &self.text.len())
            .finish_non_exhaustive()
    }
}

/// Two rule sets are equal when their texts are.
impl PartialEq for StaticRuleSet {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for StaticRuleSet {}

impl ResolveEndpoint for StaticRuleSet {
    fn resolve_endpoint(&self, params: &EndpointParams) -> Result<Endpoint, ResolveEndpointError> {
        self.rule_set()
            .map_err(|error| ResolveEndpointError::RuleSet(error.clone()))?
            .resolve(params)
    }
}

/// A resolver behind an `Arc`, cheap to clone: what a configuration holds.
#[derive(Clone)]
pub struct SharedEndpointResolver(Arc<dyn ResolveEndpoint>);

impl SharedEndpointResolver {
    /// Shares `resolver`.
    pub fn new(resolver: impl ResolveEndpoint + 'static) -> Self {
        Self(Arc::new(resolver))
    }
}

impl fmt::Debug for SharedEndpointResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ResolveEndpoint for SharedEndpointResolver {
    fn resolve_endpoint(&self, params: &EndpointParams) -> Result<Endpoint, ResolveEndpointError> {
        self.0.resolve_endpoint(params)
    }
}
