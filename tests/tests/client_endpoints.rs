//! Endpoint resolution of the client: the SSO Admin rule set picks the partition's endpoint
//! (China, GovCloud), FIPS and dual-stack variants from the config builder and the
//! environment, a user's resolver replaces the rule set, and its `authSchemes` choose the
//! signing name and region.

mod client_support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_json_client::endpoint::{
    self, Endpoint, EndpointParams, ResolveEndpoint, ResolveEndpointError,
};
use aws_json_runtime::endpoints::Value;
use aws_json_runtime::Operation;
use client_support::{bounded, Canned, ScriptedServer, ACCESS_KEY_ID, SECRET};
use sso_admin::client::Credentials;
use sso_admin::config::endpoint::{DefaultResolver, Params};
use sso_admin::operation::list_instances::ListInstances;

const LIMIT: Duration = Duration::from_secs(20);

fn url(params: Params) -> String {
    DefaultResolver::new()
        .resolve_endpoint(&params)
        .expect("resolves")
        .url()
        .to_owned()
}

#[test]
fn params_resolve_without_calling() {
    let cn = || Params::builder().region("cn-north-1");
    assert_eq!(
        url(cn().build().unwrap()),
        "https://sso.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        url(cn().use_fips(true).build().unwrap()),
        "https://sso-fips.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        url(cn().use_dual_stack(true).build().unwrap()),
        "https://sso.cn-north-1.api.amazonwebservices.com.cn"
    );
    assert_eq!(
        url(cn().use_fips(true).use_dual_stack(true).build().unwrap()),
        "https://sso-fips.cn-north-1.api.amazonwebservices.com.cn"
    );
    // GovCloud's FIPS endpoint keeps the plain host name.
    let gov = Params::builder()
        .region("us-gov-west-1")
        .use_fips(true)
        .build()
        .unwrap();
    assert_eq!(url(gov), "https://sso.us-gov-west-1.amazonaws.com");
    let params = Params::builder().region("eu-west-1").build().unwrap();
    assert_eq!(params.use_fips(), Some(false), "the default applies");
    assert_eq!(params.region(), Some("eu-west-1"));
    // An error rule names the rule and keeps the rule set's message.
    let error = DefaultResolver::new()
        .resolve_endpoint(
            &Params::builder()
                .endpoint("https://example.com")
                .use_fips(true)
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert_eq!(
        error.message(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    assert!(
        error
            .to_string()
            .contains("endpoint rule rules[0].rules[0]"),
        "{error}"
    );
}

fn config() -> aws_json_client::ConfigBuilder {
    sso_admin::Config::builder()
        .region("cn-north-1")
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET, None))
}

fn resolved(config: &sso_admin::Config) -> endpoint::Resolved {
    endpoint::resolve(config, ListInstances::SERVICE, config.region().unwrap())
        .expect("resolves")
        .expect("SSO Admin has a rule set")
}

#[test]
fn the_client_resolves_with_the_rule_set_and_its_configuration() {
    assert_eq!(
        resolved(&config().build()).url(),
        "https://sso.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        resolved(&config().use_fips(true).build()).url(),
        "https://sso-fips.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        resolved(&config().use_dual_stack(true).build()).url(),
        "https://sso.cn-north-1.api.amazonwebservices.com.cn"
    );
    // The endpoint URL override goes through the rule set as `SDK::Endpoint`...
    let custom = config().endpoint_url("http://127.0.0.1:9").build();
    assert_eq!(resolved(&custom).url(), "http://127.0.0.1:9");
    // ... which refuses it with FIPS, as the AWS SDKs do.
    let error = endpoint::resolve(
        &config()
            .endpoint_url("http://127.0.0.1:9")
            .use_fips(true)
            .build(),
        ListInstances::SERVICE,
        "cn-north-1",
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("FIPS and custom endpoint are not supported"),
        "{error}"
    );
}

#[test]
fn fips_and_dual_stack_load_from_the_environment_and_the_profile() {
    let dir = std::env::temp_dir().join(format!("endpoint-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_file = dir.join("config");
    std::fs::write(
        &config_file,
        "[default]\nregion = us-gov-east-1\nuse_dualstack_endpoint = true\n",
    )
    .unwrap();
    let env = |pairs: &[(&str, &str)]| {
        let mut env: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        env.insert(
            "AWS_CONFIG_FILE".to_owned(),
            config_file.display().to_string(),
        );
        env.insert(
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            dir.join("none").display().to_string(),
        );
        env
    };
    let loaded =
        sso_admin::Config::from_env_with(env(&[("AWS_USE_FIPS_ENDPOINT", "true")])).unwrap();
    assert!(loaded.use_fips());
    assert!(loaded.use_dual_stack(), "from the profile");
    assert_eq!(
        endpoint::resolve(&loaded, ListInstances::SERVICE, "us-gov-east-1")
            .unwrap()
            .unwrap()
            .url(),
        "https://sso-fips.us-gov-east-1.api.aws"
    );
    let plain =
        sso_admin::Config::from_env_with(env(&[("AWS_USE_DUALSTACK_ENDPOINT", "false")])).unwrap();
    assert!(
        !plain.use_fips() && !plain.use_dual_stack(),
        "the variable wins over the profile"
    );
    let invalid =
        sso_admin::Config::from_env_with(env(&[("AWS_USE_FIPS_ENDPOINT", "yes")])).unwrap_err();
    assert!(
        invalid.to_string().contains("AWS_USE_FIPS_ENDPOINT"),
        "{invalid}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Resolves with the rule set, records the URL it gives, and sends the call to a local server
/// instead, signing as a custom scheme says.
#[derive(Debug)]
struct Redirect {
    local: String,
    seen: Arc<Mutex<Vec<(String, EndpointParams)>>>,
}

impl ResolveEndpoint for Redirect {
    fn resolve_endpoint(&self, params: &EndpointParams) -> Result<Endpoint, ResolveEndpointError> {
        let real = DefaultResolver::new().resolve_endpoint(params)?;
        self.seen
            .lock()
            .unwrap()
            .push((real.url().to_owned(), params.clone()));
        let mut scheme = BTreeMap::new();
        scheme.insert("name".to_owned(), Value::from("sigv4"));
        scheme.insert("signingName".to_owned(), Value::from("sso-custom"));
        scheme.insert("signingRegion".to_owned(), Value::from("eu-west-3"));
        Ok(Endpoint::new(self.local.clone())
            .with_property("authSchemes", Value::Array(vec![Value::Record(scheme)])))
    }
}

#[tokio::test]
async fn a_custom_resolver_is_used_and_its_auth_scheme_signs() {
    let server = ScriptedServer::start(|_, _| Canned::ok(r#"{"Instances": []}"#)).await;
    let seen = Arc::default();
    let client = sso_admin::Client::from_conf(
        config()
            .use_fips(true)
            .endpoint_resolver(Redirect {
                local: server.endpoint.clone(),
                seen: Arc::clone(&seen),
            })
            .build(),
    );
    bounded(LIMIT, client.list_instances().send())
        .await
        .expect("the call succeeds");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (real, params) = &seen[0];
    assert_eq!(real, "https://sso-fips.cn-north-1.amazonaws.com.cn");
    assert_eq!(params.get_str("Region"), Some("cn-north-1"));
    assert_eq!(params.get_bool("UseFIPS"), Some(true));
    assert_eq!(params.get_bool("UseDualStack"), Some(false));
    assert_eq!(params.get_str("Endpoint"), None);
    let requests = server.requests();
    let authorization = requests[0].header("authorization");
    assert!(
        authorization.contains("/eu-west-3/sso-custom/aws4_request"),
        "{authorization}"
    );
}
