//! The errors of parsing a rule set and of resolving an endpoint with it.

use std::fmt;

/// A rule set that cannot be used: malformed JSON, an unknown function, a reference to
/// nothing, a malformed template. Names the part of the rule set at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetError {
    at: String,
    reason: String,
}

impl RuleSetError {
    pub(crate) fn new(at: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            at: at.into(),
            reason: reason.into(),
        }
    }

    /// The part of the rule set at fault, e.g. `rule rules[1].rules[0], condition 0`.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid endpoint rule set: {}: {}", self.at, self.reason)
    }
}

impl std::error::Error for RuleSetError {}

/// Why no endpoint could be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveEndpointError {
    /// An `error` rule matched: the parameters describe no valid endpoint, e.g.
    /// `Invalid Configuration: Missing Region`.
    Rule {
        /// The rule, e.g. `rules[2]`.
        rule: String,
        /// The rule's message.
        message: String,
    },
    /// A parameter has a value of the wrong type, or a required one has none.
    Parameter {
        /// The parameter.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// Evaluating a rule failed: a type mismatch, a template over an unset value, a tree
    /// whose rules all failed to match.
    Evaluation {
        /// The rule.
        rule: String,
        /// What went wrong.
        reason: String,
    },
    /// No rule matched the parameters.
    NoMatch,
    /// The rule set itself is invalid.
    RuleSet(RuleSetError),
    /// A resolver written by the user failed.
    Custom(String),
}

impl ResolveEndpointError {
    /// A required parameter without a value.
    pub fn missing_parameter(name: impl Into<String>) -> Self {
        Self::Parameter {
            name: name.into(),
            reason: "is required but has no value".to_owned(),
        }
    }

    /// A failure of a user-written resolver.
    pub fn custom(message: impl Into<String>) -> Self {
        Self::Custom(message.into())
    }

    /// The message of an `error` rule, or of a custom failure, without the rule's location.
    pub fn message(&self) -> String {
        match self {
            Self::Rule { message, .. } => message.clone(),
            Self::Custom(message) => message.clone(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for ResolveEndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rule { rule, message } => write!(f, "{message} (endpoint rule {rule})"),
            Self::Parameter { name, reason } => {
                write!(f, "endpoint parameter `{name}`: {reason}")
            }
            Self::Evaluation { rule, reason } => {
                write!(f, "endpoint rule {rule} failed: {reason}")
            }
            Self::NoMatch => f.write_str("no endpoint rule matched the parameters"),
            Self::RuleSet(error) => error.fmt(f),
            Self::Custom(message) => write!(f, "the endpoint resolver failed: {message}"),
        }
    }
}

impl std::error::Error for ResolveEndpointError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::RuleSet(error) => Some(error),
            _ => None,
        }
    }
}
