//! A rules engine for Smithy endpoint rule sets (the `smithy.rules#endpointRuleSet` trait,
//! botocore's `endpoint-rule-set-1.json`): parameters with built-ins, defaults and
//! `required`, `endpoint` / `error` / `tree` rules, conditions with `assign`, template strings,
//! the standard library (`isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`,
//! `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`) and the AWS one
//! (`aws.partition` over [`partitions::PARTITIONS`], `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`).
//!
//! ```
//! use aws_json_endpoints::{EndpointParams, RuleSet};
//! let rules = RuleSet::parse(r#"{
//!     "version": "1.0",
//!     "parameters": {"Region": {"type": "string", "builtIn": "AWS::Region"}},
//!     "rules": [
//!         {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
//!          "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}, "type": "endpoint"},
//!         {"conditions": [], "error": "Missing Region", "type": "error"}
//!     ]
//! }"#)?;
//! let endpoint = rules.resolve(&EndpointParams::new().with("Region", "cn-north-1"))?;
//! assert_eq!(endpoint.url(), "https://svc.cn-north-1.amazonaws.com.cn");
//! let error = rules.resolve(&EndpointParams::new()).unwrap_err();
//! assert_eq!(error.message(), "Missing Region");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A rule set is parsed and checked once ([`RuleSet::parse`]); generated crates hold theirs
//! as text in a [`StaticRuleSet`], parsed on first use.

#![warn(missing_docs)]

pub mod context;
pub mod endpoint_tests;
mod error;
mod eval;
pub mod functions;
pub mod partitions;
mod region_pattern;
mod resolver;
mod ruleset;
mod value;

pub use context::{ContextParam, StaticValue};
pub use error::{ResolveEndpointError, RuleSetError};
pub use resolver::{ResolveEndpoint, SharedEndpointResolver, StaticRuleSet};
pub use ruleset::{Parameter, ParameterType, RuleSet};
pub use value::{AuthScheme, Endpoint, EndpointParams, Value};
