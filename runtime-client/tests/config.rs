//! Loading configuration from an injected environment and temporary profile files.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_json_client::{service_endpoint_variable, Client, Config, ConfigError, RetryMode};
use common::*;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "aws-json-client-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// An environment whose home has no `.aws` files, so nothing leaks in from the machine.
fn isolated(dir: &TempDir, pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut map = env(pairs);
    map.entry("HOME".into())
        .or_insert_with(|| dir.0.to_string_lossy().into_owned());
    map
}

const CONFIG: &str = "\
[default]
region = us-west-1
endpoint_url = http://default-profile.example

[profile dev]
region = eu-central-1 ; comment
endpoint_url = http://dev-profile.example
max_attempts = 7
retry_mode = adaptive

[profile keys-in-config]
aws_access_key_id = CONFIGAKID
aws_secret_access_key = CONFIGSECRET
";

const CREDENTIALS: &str = "\
# shared credentials
[default]
aws_access_key_id = DEFAULTAKID
aws_secret_access_key = DEFAULTSECRET

[dev]
aws_access_key_id = DEVAKID
aws_secret_access_key = DEVSECRET
aws_session_token = DEVTOKEN
";

#[test]
fn loads_everything_from_environment_variables() {
    let dir = TempDir::new();
    let config = Config::from_env_with(isolated(
        &dir,
        &[
            ("AWS_REGION", "ap-southeast-2"),
            ("AWS_DEFAULT_REGION", "ignored-1"),
            ("AWS_ACCESS_KEY_ID", "ENVAKID"),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
            ("AWS_SESSION_TOKEN", "ENVTOKEN"),
            ("AWS_MAX_ATTEMPTS", "5"),
            ("AWS_RETRY_MODE", "standard"),
        ],
    ))
    .unwrap();
    assert_eq!(config.region(), Some("ap-southeast-2"));
    let credentials = config.credentials().unwrap();
    assert_eq!(credentials.access_key_id(), "ENVAKID");
    assert_eq!(credentials.secret_access_key(), "ENVSECRET");
    assert_eq!(credentials.session_token(), Some("ENVTOKEN"));
    assert_eq!(config.retry_config().max_attempts(), 5);
    assert_eq!(config.retry_config().mode(), RetryMode::Standard);
    assert_eq!(config.configured_endpoint_url(&SERVICE), None);
}

#[test]
fn default_region_is_the_fallback_and_empty_values_are_unset() {
    let dir = TempDir::new();
    let config = Config::from_env_with(isolated(
        &dir,
        &[
            ("AWS_REGION", ""),
            ("AWS_DEFAULT_REGION", "sa-east-1"),
            ("AWS_ACCESS_KEY_ID", "ONLYHALF"),
        ],
    ))
    .unwrap();
    assert_eq!(config.region(), Some("sa-east-1"));
    assert!(
        config.credentials().is_none(),
        "half a key pair is no credentials"
    );
    assert_eq!(config.retry_config().max_attempts(), 3);
}

#[test]
fn loads_the_default_profile_from_the_home_directory() {
    let dir = TempDir::new();
    dir.write(".aws/config", CONFIG);
    dir.write(".aws/credentials", CREDENTIALS);
    let config = Config::from_env_with(isolated(&dir, &[])).unwrap();
    assert_eq!(config.region(), Some("us-west-1"));
    let credentials = config.credentials().unwrap();
    assert_eq!(credentials.access_key_id(), "DEFAULTAKID");
    assert_eq!(credentials.session_token(), None);
    assert_eq!(
        config.configured_endpoint_url(&SERVICE).as_deref(),
        Some("http://default-profile.example")
    );
}

#[test]
fn loads_a_named_profile_from_files_named_by_the_environment() {
    let dir = TempDir::new();
    let config_file = dir.write("custom/config", CONFIG);
    let credentials_file = dir.write("custom/creds", CREDENTIALS);
    let config = Config::from_env_with(isolated(
        &dir,
        &[
            ("AWS_PROFILE", "dev"),
            ("AWS_CONFIG_FILE", &config_file),
            ("AWS_SHARED_CREDENTIALS_FILE", &credentials_file),
        ],
    ))
    .unwrap();
    assert_eq!(config.region(), Some("eu-central-1"));
    let credentials = config.credentials().unwrap();
    assert_eq!(credentials.access_key_id(), "DEVAKID");
    assert_eq!(credentials.secret_access_key(), "DEVSECRET");
    assert_eq!(credentials.session_token(), Some("DEVTOKEN"));
    assert_eq!(config.retry_config().max_attempts(), 7);
    assert_eq!(config.retry_config().mode(), RetryMode::Adaptive);

    // Keys may also sit in the config file; `~` expands to HOME.
    dir.write(".aws/elsewhere", CONFIG);
    let config = Config::from_env_with(isolated(
        &dir,
        &[
            ("AWS_PROFILE", "keys-in-config"),
            ("AWS_CONFIG_FILE", "~/.aws/elsewhere"),
        ],
    ))
    .unwrap();
    assert_eq!(config.credentials().unwrap().access_key_id(), "CONFIGAKID");
    assert_eq!(config.region(), None);
}

#[test]
fn environment_credentials_win_over_the_profile() {
    let dir = TempDir::new();
    dir.write(".aws/credentials", CREDENTIALS);
    let config = Config::from_env_with(isolated(
        &dir,
        &[
            ("AWS_ACCESS_KEY_ID", "ENVAKID"),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
        ],
    ))
    .unwrap();
    assert_eq!(config.credentials().unwrap().access_key_id(), "ENVAKID");
}

#[test]
fn endpoint_url_precedence() {
    let dir = TempDir::new();
    dir.write(".aws/config", CONFIG);
    let service_var = service_endpoint_variable(SERVICE.sdk_id);
    assert_eq!(service_var, "AWS_ENDPOINT_URL_TEST_SERVICE");
    assert_eq!(
        service_endpoint_variable("SSO Admin"),
        "AWS_ENDPOINT_URL_SSO_ADMIN"
    );

    let all = [
        (service_var.as_str(), "http://service.example"),
        ("AWS_ENDPOINT_URL", "http://global.example"),
    ];
    let config = Config::from_env_with(isolated(&dir, &all)).unwrap();
    assert_eq!(
        config.configured_endpoint_url(&SERVICE).as_deref(),
        Some("http://service.example")
    );
    // The service-specific variable applies to its service only.
    assert_eq!(
        config.configured_endpoint_url(&SERVICE_1_0).as_deref(),
        Some("http://global.example")
    );
    // Explicit configuration wins over everything.
    let explicit = config
        .to_builder()
        .endpoint_url("http://explicit.example")
        .build();
    assert_eq!(
        explicit.configured_endpoint_url(&SERVICE).as_deref(),
        Some("http://explicit.example")
    );

    let config = Config::from_env_with(isolated(&dir, &all[1..])).unwrap();
    assert_eq!(
        config.configured_endpoint_url(&SERVICE).as_deref(),
        Some("http://global.example")
    );

    let config = Config::from_env_with(isolated(&dir, &[("AWS_PROFILE", "dev")])).unwrap();
    assert_eq!(
        config.configured_endpoint_url(&SERVICE).as_deref(),
        Some("http://dev-profile.example")
    );

    let mut ignoring = all.to_vec();
    ignoring.push(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));
    let config = Config::from_env_with(isolated(&dir, &ignoring)).unwrap();
    assert_eq!(config.configured_endpoint_url(&SERVICE), None);
}

#[test]
fn the_services_section_sets_endpoints_per_service() {
    let dir = TempDir::new();
    dir.write(
        ".aws/config",
        "\
[profile svc]
services = local
endpoint_url = http://profile.example

[services local]
test_service =
  endpoint_url = http://section.example
",
    );
    let config = Config::from_env_with(isolated(&dir, &[("AWS_PROFILE", "svc")])).unwrap();
    // `Test Service` is `test_service` in the section; `Other` has no entry there.
    assert_eq!(
        config.configured_endpoint_url(&SERVICE).as_deref(),
        Some("http://section.example")
    );
    assert_eq!(
        config.configured_endpoint_url(&SERVICE_1_0).as_deref(),
        Some("http://profile.example")
    );
    // The environment wins over the section.
    let config = Config::from_env_with(isolated(
        &dir,
        &[
            ("AWS_PROFILE", "svc"),
            ("AWS_ENDPOINT_URL", "http://global.example"),
        ],
    ))
    .unwrap();
    assert_eq!(
        config.configured_endpoint_url(&SERVICE).as_deref(),
        Some("http://global.example")
    );
}

#[test]
fn profile_keys_are_fixed_credentials_only_when_the_chain_would_use_them() {
    let dir = TempDir::new();
    dir.write(
        ".aws/config",
        "\
[profile plain]
aws_access_key_id = PLAINAKID
aws_secret_access_key = s
[profile sso]
aws_access_key_id = SSOAKID
aws_secret_access_key = s
sso_account_id = 111122223333
sso_role_name = Admin
",
    );
    let config = Config::from_env_with(isolated(&dir, &[("AWS_PROFILE", "plain")])).unwrap();
    assert_eq!(config.credentials().unwrap().access_key_id(), "PLAINAKID");
    // SSO settings come first in the chain (here an incomplete one, which is an error there).
    let config = Config::from_env_with(isolated(&dir, &[("AWS_PROFILE", "sso")])).unwrap();
    assert!(config.credentials().is_none());
    assert!(config.credentials_provider().is_some());
}

#[test]
fn invalid_values_are_reported() {
    let dir = TempDir::new();
    for (name, value) in [
        ("AWS_MAX_ATTEMPTS", "0"),
        ("AWS_MAX_ATTEMPTS", "three"),
        ("AWS_RETRY_MODE", "aggressive"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "maybe"),
    ] {
        let error = Config::from_env_with(isolated(&dir, &[(name, value)])).unwrap_err();
        assert!(
            matches!(&error, ConfigError::InvalidValue { setting, .. } if setting == name),
            "{error:?}"
        );
        assert!(error.to_string().contains(name), "{error}");
    }
    dir.write(".aws/config", "[profile bad]\nmax_attempts = -1\n");
    let error = Config::from_env_with(isolated(&dir, &[("AWS_PROFILE", "bad")])).unwrap_err();
    assert!(error.to_string().contains("max_attempts"), "{error}");
}

#[test]
fn a_missing_profile_or_missing_files_are_not_errors() {
    let dir = TempDir::new();
    let config = Config::from_env_with(isolated(
        &dir,
        &[
            ("AWS_PROFILE", "nope"),
            ("AWS_CONFIG_FILE", "/definitely/not/here"),
        ],
    ))
    .unwrap();
    assert!(config.region().is_none() && config.credentials().is_none());
}

#[test]
fn an_unreadable_file_is_an_error() {
    let dir = TempDir::new();
    let error = Config::from_env_with(isolated(
        &dir,
        &[("AWS_CONFIG_FILE", &dir.0.to_string_lossy())],
    ))
    .unwrap_err();
    assert!(matches!(error, ConfigError::Io { .. }), "{error:?}");
}

#[tokio::test]
async fn a_loaded_configuration_calls_the_service_specific_endpoint() {
    let server = TestServer::start(vec![Canned::ok(r#"{"Value":"from env"}"#)]).await;
    let dir = TempDir::new();
    dir.write(".aws/credentials", CREDENTIALS);
    let config = Config::from_env_with(isolated(
        &dir,
        &[
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL_TEST_SERVICE", &server.url()),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
        ],
    ))
    .unwrap();
    let output = Client::new(config)
        .call::<GetThing>(input("x"))
        .await
        .unwrap();
    assert_eq!(output.value.as_deref(), Some("from env"));
    let request = &server.requests()[0];
    assert!(request
        .header("authorization")
        .unwrap()
        .contains("Credential=DEFAULTAKID/"));
}
