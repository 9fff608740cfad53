//! Endpoint resolution with the service's rule set (or the user's resolver): the built-ins
//! `AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack` and `SDK::Endpoint` from the
//! configuration, the resolved URL, and the signing name and region of its `authSchemes`.

use aws_json_runtime::ServiceMetadata;

use crate::config::Config;
use crate::error::ConstructionError;

pub use aws_json_runtime::endpoints::{
    ContextParam, Endpoint, EndpointParams, ResolveEndpoint, ResolveEndpointError,
    SharedEndpointResolver, StaticRuleSet,
};

/// The built-ins, by name, with the parameter names the AWS rule sets give them; used for a
/// user's resolver when the service has no rule set to name its parameters.
const STANDARD_BUILT_INS: &[(&str, &str)] = &[
    ("AWS::Region", "Region"),
    ("AWS::UseFIPS", "UseFIPS"),
    ("AWS::UseDualStack", "UseDualStack"),
    ("SDK::Endpoint", "Endpoint"),
];

/// A resolved endpoint, as the client uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub(crate) url: String,
    pub(crate) signing_name: Option<String>,
    pub(crate) signing_region: Option<String>,
    pub(crate) headers: http::HeaderMap,
}

impl Resolved {
    /// The URL calls go to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `signingName` of the endpoint's SigV4 scheme, if it names one.
    pub fn signing_name(&self) -> Option<&str> {
        self.signing_name.as_deref()
    }

    /// The `signingRegion` of the endpoint's SigV4 scheme, if it names one.
    pub fn signing_region(&self) -> Option<&str> {
        self.signing_region.as_deref()
    }

    /// The headers the endpoint asks calls to send.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }
}

/// The endpoint a call to `service` in `region` goes to, resolved as the client resolves it
/// (without calling): by the configured resolver or the service's rule set, with the
/// configuration's built-ins. `None` when there is neither resolver nor rule set: the client
/// then calls the configured URL, or `https://{endpoint_prefix}.{region}.amazonaws.com`.
pub fn resolve(
    config: &Config,
    service: &ServiceMetadata,
    region: &str,
) -> Result<Option<Resolved>, ConstructionError> {
    resolve_call(config, service, region, &[], b"")
}

/// [`resolve`] for one call: with the parameters the operation binds (`context`), read from
/// its serialized `input` where they are members.
pub(crate) fn resolve_call(
    config: &Config,
    service: &ServiceMetadata,
    region: &str,
    context: &[ContextParam],
    input: &[u8],
) -> Result<Option<Resolved>, ConstructionError> {
    let resolver: &dyn ResolveEndpoint = match (config.endpoint_resolver(), service.endpoint_rules)
    {
        (Some(custom), _) => custom,
        (None, Some(rules)) => rules,
        (None, None) => return Ok(None),
    };
    let mut params = params(config, service, region)?;
    aws_json_runtime::endpoints::context::apply(context, input, &mut params);
    let endpoint = resolver.resolve_endpoint(&params).map_err(|error| {
        ConstructionError::with_source(
            format!("cannot resolve the endpoint of {}: {error}", service.sdk_id),
            error,
        )
    })?;
    let (signing_name, signing_region) = signing(&endpoint)?;
    let mut headers = http::HeaderMap::new();
    for (name, values) in endpoint.headers() {
        let header = http::HeaderName::try_from(name.as_str()).map_err(|error| {
            ConstructionError::with_source(
                format!("the endpoint header `{name}` is invalid"),
                error,
            )
        })?;
        for value in values {
            let value = http::HeaderValue::try_from(value.as_str()).map_err(|error| {
                ConstructionError::with_source(
                    format!("the value of the endpoint header `{name}` is invalid"),
                    error,
                )
            })?;
            headers.append(header.clone(), value);
        }
    }
    Ok(Some(Resolved {
        url: endpoint.url().to_owned(),
        signing_name,
        signing_region,
        headers,
    }))
}

/// The parameters of a call: each built-in the rule set binds, from the configuration.
fn params(
    config: &Config,
    service: &ServiceMetadata,
    region: &str,
) -> Result<EndpointParams, ConstructionError> {
    let bound: Vec<(String, String)> = match service.endpoint_rules.map(StaticRuleSet::rule_set) {
        Some(Ok(rules)) => rules
            .parameters()
            .iter()
            .filter_map(|p| Some((p.built_in()?.to_owned(), p.name().to_owned())))
            .collect(),
        Some(Err(error)) => {
            return Err(ConstructionError::with_source(
                format!(
                    "the endpoint rule set of {} is invalid: {error}",
                    service.sdk_id
                ),
                error.clone(),
            ))
        }
        None => STANDARD_BUILT_INS
            .iter()
            .map(|(built_in, name)| ((*built_in).to_owned(), (*name).to_owned()))
            .collect(),
    };
    let mut params = EndpointParams::new();
    for (built_in, name) in bound {
        match built_in.as_str() {
            "AWS::Region" => {
                params.set(name, region);
            }
            "AWS::UseFIPS" => {
                params.set(name, config.use_fips());
            }
            "AWS::UseDualStack" => {
                params.set(name, config.use_dual_stack());
            }
            "SDK::Endpoint" => {
                params.set_opt(name, config.configured_endpoint_url(service));
            }
            // Account-id built-ins and others the configuration has no value for: the rule
            // set's default applies.
            _ => {}
        }
    }
    Ok(params)
}

/// The signing name and region of the endpoint's `sigv4` auth scheme.
fn signing(endpoint: &Endpoint) -> Result<(Option<String>, Option<String>), ConstructionError> {
    let schemes = endpoint.auth_schemes();
    if schemes.is_empty() {
        return Ok((None, None));
    }
    match schemes.iter().find(|scheme| scheme.name == "sigv4") {
        Some(scheme) => Ok((
            scheme.signing_name.map(str::to_owned),
            scheme.signing_region.map(str::to_owned),
        )),
        None => {
            let names: Vec<&str> = schemes.iter().map(|scheme| scheme.name).collect();
            Err(ConstructionError::new(format!(
                "the endpoint {} requires the auth scheme(s) {}, but this client signs only with sigv4",
                endpoint.url(),
                names.join(", ")
            )))
        }
    }
}
