//! Client configuration: region, credentials, endpoint, retries and timeouts, set explicitly or
//! loaded from the environment and the shared AWS files the way the AWS SDKs load them.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_json_runtime::ServiceMetadata;

use crate::compression::CompressionConfig;
use crate::credentials::{
    DefaultCredentialsChain, LazyCredentialsCache, ProvideCredentials, SharedCredentialsProvider,
};
use crate::env::{non_empty, Env, ProcessEnv};
use crate::profile::{Profile, ProfileFileKind, ProfileSet};

/// AWS credentials: an access key pair, with a session token and an expiry for temporary
/// credentials.
///
/// `Debug` shows only the access key id and the expiry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from an access key id, a secret access key and, for temporary credentials,
    /// a session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials, valid until `expiry`.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// When temporary credentials stop being valid; `None` for credentials that do not expire.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// The access key id, e.g. `AKIDEXAMPLE`.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// The retry strategy named by `AWS_RETRY_MODE` / `retry_mode`.
///
/// This client implements the *standard* strategy (exponential backoff with jitter and a retry
/// quota). `legacy` and `adaptive` are accepted so that shared configuration written for other
/// SDKs loads, and behave as `standard` (no client-side rate limiting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryMode {
    /// The AWS standard retry strategy.
    Standard,
    /// Accepted for compatibility; behaves as [`RetryMode::Standard`].
    Legacy,
    /// Accepted for compatibility; behaves as [`RetryMode::Standard`].
    Adaptive,
}

impl FromStr for RetryMode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "standard" => Ok(Self::Standard),
            "legacy" => Ok(Self::Legacy),
            "adaptive" => Ok(Self::Adaptive),
            _ => Err("expected `standard`, `legacy` or `adaptive`".to_owned()),
        }
    }
}

/// How failed attempts are retried.
///
/// The delay before retry `n` (counting from 1) is `random(0..1) × initial_backoff × 2^(n-1)`,
/// capped at `max_backoff`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryConfig {
    /// The AWS standard defaults: 3 attempts, 1 s initial backoff, at most 20 s between attempts.
    pub fn standard() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// A single attempt, never retried.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// The same configuration with another mode.
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// The same configuration with at most `max_attempts` attempts (the first one included);
    /// 0 is taken as 1.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The same configuration with another base for the exponential backoff.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// The same configuration with another cap on the delay between attempts.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The retry mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// The maximum number of attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The base of the exponential backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The cap on the delay between attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

/// Time limits of a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
}

impl TimeoutConfig {
    /// The defaults of the AWS SDKs: a 3.1 s connect timeout and no other limit.
    pub fn new() -> Self {
        Self {
            connect_timeout: Some(Duration::from_millis(3_100)),
            attempt_timeout: None,
            operation_timeout: None,
        }
    }

    /// No time limit at all.
    pub fn disabled() -> Self {
        Self {
            connect_timeout: None,
            attempt_timeout: None,
            operation_timeout: None,
        }
    }

    /// The same configuration with another limit on establishing a connection (TCP and TLS).
    pub fn with_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The same configuration with another limit on one attempt: sending the request and
    /// reading the whole response. An attempt that runs out of time is retried.
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The same configuration with another limit on the whole call, retries and backoff
    /// included.
    pub fn with_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation_timeout = timeout;
        self
    }

    /// The limit on establishing a connection.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// The limit on one attempt.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The limit on the whole call.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// A configuration value that could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// A setting has a value that is not allowed.
    InvalidValue {
        /// Where the value came from: `AWS_MAX_ATTEMPTS`, or `` `max_attempts` in the shared
        /// config``.
        setting: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A shared file exists but could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidValue { setting, reason } => {
                write!(f, "invalid value for {setting}: {reason}")
            }
            Self::Io { path, .. } => write!(f, "cannot read {}", path.display()),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidValue { .. } => None,
            Self::Io { error, .. } => Some(error),
        }
    }
}

/// Endpoint settings found in the environment and the profile, resolved per service at call
/// time (the service-specific settings depend on the service). The generated client's calls and
/// the credential providers' calls to STS, SSO and SSO OIDC use the same rules.
#[derive(Clone, Default)]
pub(crate) struct ConfiguredEndpoints {
    /// Looks up `AWS_ENDPOINT_URL_<SERVICE>` at call time: the variable depends on the service
    /// and the `Env` trait cannot enumerate variables.
    env: Option<Arc<dyn Env>>,
    /// `AWS_ENDPOINT_URL`.
    global: Option<String>,
    /// The `[services NAME]` section the profile selects with `services = NAME`.
    services: Option<Profile>,
    /// The profile's `endpoint_url`.
    profile: Option<String>,
}

/// The built-ins `AWS::UseFIPS` and `AWS::UseDualStack`, and the user's resolver.
#[derive(Clone, Debug, Default)]
struct EndpointConfig {
    use_fips: bool,
    use_dual_stack: bool,
    resolver: Option<crate::endpoint::SharedEndpointResolver>,
}

impl ConfiguredEndpoints {
    /// The settings of `env` and of `profile` (one of `profiles`); none when
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's `ignore_configured_endpoint_urls`)
    /// is `true`.
    pub(crate) fn load(
        env: &Arc<dyn Env>,
        profiles: &ProfileSet,
        profile: &Profile,
    ) -> Result<Self, ConfigError> {
        let ignore = match setting(
            env.as_ref(),
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            profile,
            "ignore_configured_endpoint_urls",
        ) {
            None => false,
            Some((source, text)) => parse_bool(&text).ok_or_else(|| ConfigError::InvalidValue {
                setting: source,
                reason: format!("`{text}` is not `true` or `false`"),
            })?,
        };
        if ignore {
            return Ok(Self::default());
        }
        Ok(Self {
            env: Some(Arc::clone(env)),
            global: non_empty(env.as_ref(), "AWS_ENDPOINT_URL"),
            services: profile
                .get_non_empty("services")
                .and_then(|name| profiles.services(name))
                .cloned(),
            profile: profile.get_non_empty("endpoint_url").map(str::to_owned),
        })
    }

    /// The endpoint URL configured for the service with SDK id `sdk_id`, as the AWS SDKs
    /// resolve it: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then `endpoint_url`
    /// under the service's key (the SDK id lower-cased, spaces replaced by `_`, e.g. `sso_oidc`)
    /// in the profile's `[services]` section, then the profile's `endpoint_url`.
    pub(crate) fn url(&self, sdk_id: &str) -> Option<String> {
        self.env
            .as_deref()
            .and_then(|env| non_empty(env, &service_endpoint_variable(sdk_id)))
            .or_else(|| self.global.clone())
            .or_else(|| {
                let key = sdk_id.trim().to_ascii_lowercase().replace(' ', "_");
                self.services
                    .as_ref()?
                    .sub_property(&key, "endpoint_url")
                    .map(str::to_owned)
            })
            .or_else(|| self.profile.clone())
    }
}

/// Everything a [`Client`](crate::Client) needs to know besides the operation.
///
/// Build one explicitly with [`Config::builder`], or load one with [`Config::from_env`]; adjust
/// a loaded one with [`Config::to_builder`].
#[derive(Clone)]
pub struct Config {
    region: Option<String>,
    credentials: Option<Credentials>,
    /// Where credentials come from when none are set: cached, asked at each call.
    credentials_provider: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    configured_endpoints: ConfiguredEndpoints,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    compression: CompressionConfig,
    /// Fixed addresses of host names, by lower-case name.
    resolve: BTreeMap<String, IpAddr>,
    /// Endpoint resolution: FIPS, dual-stack, and a resolver replacing the rule set.
    endpoints: EndpointConfig,
    /// Why [`Config::from_env`] could not load the shared configuration; every call then fails
    /// with it, as in the AWS SDKs, whose configuration loading never fails up front.
    load_error: Option<Arc<ConfigError>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("credentials_provider", &self.credentials_provider)
            .field("endpoint_url", &self.endpoint_url)
            .field("env_endpoint_url", &self.configured_endpoints.global)
            .field("profile_endpoint_url", &self.configured_endpoints.profile)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("compression", &self.compression)
            .field("resolve", &self.resolve)
            .field("endpoints", &self.endpoints)
            .field("load_error", &self.load_error)
            .finish()
    }
}

impl Config {
    /// A builder with nothing set: no region, no credentials, the default endpoint, standard
    /// retries and default timeouts.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
            changed: Changed::default(),
        }
    }

    /// Loads the configuration from the process environment and the shared AWS files, like
    /// `aws_config::load_from_env().await`: it never fails here; when the files cannot be read
    /// or hold invalid values, every call made with the configuration fails with
    /// [`SdkError::Construction`](crate::SdkError::Construction) saying why. Use
    /// [`Config::try_from_env`] to see the problem at once.
    ///
    /// See [`Config::from_env_with`] for what is read.
    pub async fn from_env() -> Config {
        Self::try_from_env().unwrap_or_else(|error| {
            tracing::warn!(%error, "the AWS configuration could not be loaded");
            let mut config = Config::builder().build();
            config.load_error = Some(Arc::new(error));
            config
        })
    }

    /// Loads the configuration from the process environment and the shared AWS files, or says
    /// why it cannot.
    ///
    /// See [`Config::from_env_with`] for what is read.
    pub fn try_from_env() -> Result<Config, ConfigError> {
        Self::from_env_with(ProcessEnv)
    }

    /// Why loading the configuration failed, for a configuration from [`Config::from_env`].
    pub fn load_error(&self) -> Option<&ConfigError> {
        self.load_error.as_deref()
    }

    /// Loads the configuration from `env` and the shared AWS files it points to, as the AWS
    /// SDKs do:
    ///
    /// - profile: `AWS_PROFILE`, default `default`; read from the shared config file
    ///   (`AWS_CONFIG_FILE`, default `~/.aws/config`) and the shared credentials file
    ///   (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`, which wins where both
    ///   set a property); `~` is `HOME` (or `USERPROFILE`); missing files are skipped;
    /// - region: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`;
    /// - credentials: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`)
    ///   when both are set, else the profile's `aws_access_key_id`, `aws_secret_access_key`
    ///   and `aws_session_token` when the profile has nothing else and no web identity token
    ///   is configured (then [`Config::credentials`] returns them); otherwise the
    ///   [`DefaultCredentialsChain`] behind a [`LazyCredentialsCache`], asked at the first
    ///   call (no request is made here);
    /// - endpoint, per service at call time: `AWS_ENDPOINT_URL_<SERVICE_ID>` (the SDK id upper
    ///   cased, spaces replaced by `_`, e.g. `AWS_ENDPOINT_URL_SSO_ADMIN`), then
    ///   `AWS_ENDPOINT_URL`, then the service's `endpoint_url` in the profile's `[services]`
    ///   section, then the profile's `endpoint_url`; none of them when
    ///   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
    ///   `ignore_configured_endpoint_urls`) is `true`;
    /// - retries: `AWS_MAX_ATTEMPTS` / `max_attempts` and `AWS_RETRY_MODE` / `retry_mode`;
    /// - FIPS and dual-stack endpoints: `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint` and
    ///   `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint` (`true` or `false`);
    /// - request compression: `AWS_DISABLE_REQUEST_COMPRESSION` /
    ///   `disable_request_compression` and `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` /
    ///   `request_min_compression_size_bytes` ([`CompressionConfig`]).
    ///
    /// Empty values count as unset. A missing region or missing credentials are not errors
    /// here: a call then fails with [`SdkError::Construction`](crate::SdkError::Construction).
    pub fn from_env_with(env: impl Env) -> Result<Config, ConfigError> {
        let shared_env: Arc<dyn Env> = Arc::new(env);
        let env = shared_env.as_ref();
        let profile_name = non_empty(env, "AWS_PROFILE").unwrap_or_else(|| "default".to_owned());
        let profiles = Arc::new(load_profiles(env)?);
        let empty = Profile::default();
        let profile = match profiles.get(&profile_name) {
            Some(profile) => profile,
            None => {
                if non_empty(env, "AWS_PROFILE").is_some() {
                    tracing::warn!(profile = %profile_name, "the selected profile is not defined in the shared AWS files");
                }
                &empty
            }
        };
        let from_profile = |key: &str| profile.get_non_empty(key).map(str::to_owned);
        let configured_endpoints = ConfiguredEndpoints::load(&shared_env, &profiles, profile)?;

        let region = non_empty(env, "AWS_REGION")
            .or_else(|| non_empty(env, "AWS_DEFAULT_REGION"))
            .or_else(|| from_profile("region"));

        let credentials = match (
            non_empty(env, "AWS_ACCESS_KEY_ID"),
            non_empty(env, "AWS_SECRET_ACCESS_KEY"),
        ) {
            (Some(id), Some(secret)) => Some(Credentials::new(
                id,
                secret,
                non_empty(env, "AWS_SESSION_TOKEN"),
            )),
            // Static keys of the profile, when the chain would surely pick them.
            _ if non_empty(env, "AWS_WEB_IDENTITY_TOKEN_FILE").is_none() => {
                crate::credentials::profile_static_keys(&profiles, &profile_name)
            }
            _ => None,
        };
        let credentials_provider = match credentials {
            Some(_) => None,
            None => Some(SharedCredentialsProvider::new(LazyCredentialsCache::new(
                DefaultCredentialsChain::from_parts(
                    Arc::clone(&shared_env),
                    Arc::clone(&profiles),
                    profile_name.clone(),
                    region.clone(),
                    configured_endpoints.clone(),
                ),
            ))),
        };

        let mut retry = RetryConfig::standard();
        if let Some((source, text)) = setting(env, "AWS_MAX_ATTEMPTS", profile, "max_attempts") {
            let attempts = text
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| ConfigError::InvalidValue {
                    setting: source.clone(),
                    reason: format!("`{text}` is not a whole number of at least 1"),
                })?;
            retry = retry.with_max_attempts(attempts);
        }
        if let Some((source, text)) = setting(env, "AWS_RETRY_MODE", profile, "retry_mode") {
            let mode = text
                .parse::<RetryMode>()
                .map_err(|reason| ConfigError::InvalidValue {
                    setting: source.clone(),
                    reason: format!("`{text}`: {reason}"),
                })?;
            retry = retry.with_mode(mode);
        }

        let flag = |var: &str, key: &str| match setting(env, var, profile, key) {
            None => Ok(false),
            Some((source, text)) => parse_bool(&text).ok_or_else(|| ConfigError::InvalidValue {
                setting: source,
                reason: format!("`{text}` is not `true` or `false`"),
            }),
        };
        let endpoints = EndpointConfig {
            use_fips: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?,
            use_dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")?,
            resolver: None,
        };

        Ok(Config {
            region,
            credentials,
            credentials_provider,
            endpoint_url: None,
            configured_endpoints,
            retry,
            timeouts: TimeoutConfig::new(),
            compression: CompressionConfig::from_settings(|var, key| {
                setting(env, var, profile, key)
            })?,
            resolve: BTreeMap::new(),
            endpoints,
            load_error: None,
        })
    }

    /// The region, if one is configured.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The credentials, if fixed credentials are configured (see
    /// [`Config::credentials_provider`] for the others).
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The provider asked for credentials at each call when no fixed credentials are set.
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials_provider.as_ref()
    }

    /// The endpoint URL set explicitly with [`ConfigBuilder::endpoint_url`].
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether calls go to FIPS endpoints (the `AWS::UseFIPS` built-in).
    pub fn use_fips(&self) -> bool {
        self.endpoints.use_fips
    }

    /// Whether calls go to dual-stack endpoints (the `AWS::UseDualStack` built-in).
    pub fn use_dual_stack(&self) -> bool {
        self.endpoints.use_dual_stack
    }

    /// The resolver set with [`ConfigBuilder::endpoint_resolver`], which replaces the
    /// service's rule set.
    pub fn endpoint_resolver(&self) -> Option<&crate::endpoint::SharedEndpointResolver> {
        self.endpoints.resolver.as_ref()
    }

    /// The retry configuration.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// Request compression.
    pub fn compression_config(&self) -> &CompressionConfig {
        &self.compression
    }

    /// The host names resolved to fixed addresses ([`ConfigBuilder::resolve`]), lower case.
    pub fn resolve_overrides(&self) -> &BTreeMap<String, IpAddr> {
        &self.resolve
    }

    /// The endpoint URL a call to `service` goes to, when one is configured: the explicit
    /// endpoint, then `AWS_ENDPOINT_URL_<SERVICE_ID>`, then `AWS_ENDPOINT_URL`, then
    /// `endpoint_url` under the service's key in the profile's `[services]` section, then the
    /// profile's `endpoint_url`. `None` means the default endpoint,
    /// `https://{endpoint_prefix}.{region}.amazonaws.com`.
    pub fn configured_endpoint_url(&self, service: &ServiceMetadata) -> Option<String> {
        if let Some(url) = &self.endpoint_url {
            return Some(url.clone());
        }
        self.configured_endpoints.url(service.sdk_id)
    }
}

/// The name of the environment variable that sets the endpoint of the service with SDK id
/// `sdk_id`: `AWS_ENDPOINT_URL_` followed by the id upper-cased, spaces replaced by `_`.
pub fn service_endpoint_variable(sdk_id: &str) -> String {
    let mut name = String::from("AWS_ENDPOINT_URL_");
    name.extend(sdk_id.trim().chars().map(|c| {
        if c == ' ' {
            '_'
        } else {
            c.to_ascii_uppercase()
        }
    }));
    name
}

/// A setting from the environment variable `var`, else from the profile's `key`, with a
/// description of where it came from.
fn setting(env: &dyn Env, var: &str, profile: &Profile, key: &str) -> Option<(String, String)> {
    non_empty(env, var)
        .map(|value| (var.to_owned(), value))
        .or_else(|| {
            profile
                .get_non_empty(key)
                .map(|value| (format!("`{key}` in the shared config"), value.to_owned()))
        })
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The home directory according to `env`.
pub(crate) fn home_dir(env: &dyn Env) -> Option<PathBuf> {
    non_empty(env, "HOME")
        .or_else(|| non_empty(env, "USERPROFILE"))
        .or_else(
            || match (non_empty(env, "HOMEDRIVE"), non_empty(env, "HOMEPATH")) {
                (Some(drive), Some(path)) => Some(format!("{drive}{path}")),
                _ => None,
            },
        )
        .map(PathBuf::from)
}

/// The path set by `var`, or `default` below the home directory; a leading `~` is expanded.
fn shared_file_path(env: &dyn Env, var: &str, default: &str) -> Option<PathBuf> {
    match non_empty(env, var) {
        Some(path) => {
            if let Some(rest) = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
                home_dir(env).map(|home| home.join(rest))
            } else if path == "~" {
                home_dir(env)
            } else {
                Some(PathBuf::from(path))
            }
        }
        None => home_dir(env).map(|home| home.join(".aws").join(default)),
    }
}

fn read_profile_file(path: &Path, kind: ProfileFileKind) -> Result<ProfileSet, ConfigError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Ok(ProfileSet::parse(&text, kind))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(ProfileSet::default()),
        Err(error) => Err(ConfigError::Io {
            path: path.to_owned(),
            error,
        }),
    }
}

/// The profiles of the shared config and credentials files, the latter winning.
pub(crate) fn load_profiles(env: &dyn Env) -> Result<ProfileSet, ConfigError> {
    let mut profiles = match shared_file_path(env, "AWS_CONFIG_FILE", "config") {
        Some(path) => read_profile_file(&path, ProfileFileKind::Config)?,
        None => ProfileSet::default(),
    };
    if let Some(path) = shared_file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials") {
        profiles.merge(read_profile_file(&path, ProfileFileKind::Credentials)?);
    }
    Ok(profiles)
}

/// Builds a [`Config`].
///
/// It also remembers which settings its setters changed, so that it can serve as a per-call
/// override (`.customize().config_override(builder)` on a fluent builder): only those replace
/// the client's.
#[derive(Clone, Debug)]
pub struct ConfigBuilder {
    config: Config,
    changed: Changed,
}

/// The settings a [`ConfigBuilder`]'s setters changed.
#[derive(Clone, Copy, Debug, Default)]
struct Changed {
    region: bool,
    credentials: bool,
    endpoint_url: bool,
    use_fips: bool,
    use_dual_stack: bool,
    endpoint_resolver: bool,
    retry: bool,
    timeouts: bool,
    compression: bool,
    resolve: bool,
}

impl From<Config> for ConfigBuilder {
    /// A builder of `config` in which every setting counts as changed: as an override, it
    /// replaces the whole configuration.
    fn from(config: Config) -> Self {
        ConfigBuilder {
            config,
            changed: Changed {
                region: true,
                credentials: true,
                endpoint_url: true,
                use_fips: true,
                use_dual_stack: true,
                endpoint_resolver: true,
                retry: true,
                timeouts: true,
                compression: true,
                resolve: true,
            },
        }
    }
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        Self {
            config: Config {
                region: None,
                credentials: None,
                credentials_provider: None,
                endpoint_url: None,
                configured_endpoints: ConfiguredEndpoints::default(),
                retry: RetryConfig::standard(),
                timeouts: TimeoutConfig::new(),
                compression: CompressionConfig::new(),
                resolve: BTreeMap::new(),
                endpoints: EndpointConfig::default(),
                load_error: None,
            },
            changed: Changed::default(),
        }
    }
}

impl ConfigBuilder {
    /// Sets the region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self.changed.region = true;
        self
    }

    /// Sets or clears the region.
    pub fn set_region(mut self, region: Option<String>) -> Self {
        self.config.region = region;
        self.changed.region = true;
        self
    }

    /// Sets fixed credentials (replacing any credentials provider).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(credentials);
        self.config.credentials_provider = None;
        self.changed.credentials = true;
        self
    }

    /// Sets or clears the fixed credentials.
    pub fn set_credentials(mut self, credentials: Option<Credentials>) -> Self {
        if credentials.is_some() {
            self.config.credentials_provider = None;
        }
        self.config.credentials = credentials;
        self.changed.credentials = true;
        self
    }

    /// Gets credentials from `provider` (replacing any fixed credentials), through a
    /// [`LazyCredentialsCache`]: asked at the first call, again shortly before they expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = None;
        self.config.credentials_provider = Some(SharedCredentialsProvider::new(
            LazyCredentialsCache::new(provider),
        ));
        self.changed.credentials = true;
        self
    }

    /// Sets or clears the credentials provider, used as it is (no cache is added).
    pub fn set_credentials_provider(mut self, provider: Option<SharedCredentialsProvider>) -> Self {
        if provider.is_some() {
            self.config.credentials = None;
        }
        self.config.credentials_provider = provider;
        self.changed.credentials = true;
        self
    }

    /// Sends every call to this URL (`http://` or `https://`, optionally with a path),
    /// overriding any endpoint from the environment or the profile.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self.changed.endpoint_url = true;
        self
    }

    /// Sets or clears the explicit endpoint URL.
    pub fn set_endpoint_url(mut self, url: Option<String>) -> Self {
        self.config.endpoint_url = url;
        self.changed.endpoint_url = true;
        self
    }

    /// Sends calls to FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`); resolution fails where the
    /// service's rule set has none.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.config.endpoints.use_fips = use_fips;
        self.changed.use_fips = true;
        self
    }

    /// Sends calls to dual-stack (IPv4 and IPv6) endpoints (`AWS_USE_DUALSTACK_ENDPOINT`);
    /// resolution fails where the service's rule set has none.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.config.endpoints.use_dual_stack = use_dual_stack;
        self.changed.use_dual_stack = true;
        self
    }

    /// Resolves endpoints with `resolver` instead of the service's rule set. It receives the
    /// rule set's parameters (`Region`, `UseFIPS`, `UseDualStack`, `Endpoint`, …) and its
    /// endpoint's `authSchemes` choose the signing name and region.
    pub fn endpoint_resolver(
        mut self,
        resolver: impl crate::endpoint::ResolveEndpoint + 'static,
    ) -> Self {
        self.config.endpoints.resolver =
            Some(crate::endpoint::SharedEndpointResolver::new(resolver));
        self.changed.endpoint_resolver = true;
        self
    }

    /// Sets the retry configuration.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self.changed.retry = true;
        self
    }

    /// Sets the timeouts.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.config.timeouts = timeouts;
        self.changed.timeouts = true;
        self
    }

    /// Sets request compression.
    pub fn compression_config(mut self, compression: CompressionConfig) -> Self {
        self.config.compression = compression;
        self.changed.compression = true;
        self
    }

    /// Connects to `addr` for the host name `host` instead of asking the system resolver
    /// (like curl's `--resolve`); the port stays the endpoint's. For tests and for networks
    /// whose DNS does not know the service's hosts.
    pub fn resolve(mut self, host: impl Into<String>, addr: IpAddr) -> Self {
        self.config
            .resolve
            .insert(host.into().trim_end_matches('.').to_ascii_lowercase(), addr);
        self.changed.resolve = true;
        self
    }

    /// Builds the configuration.
    pub fn build(self) -> Config {
        self.config
    }

    /// `base` with the settings this builder changed replacing its own: what a per-call
    /// override makes of the client's configuration. Fixed addresses ([`resolve`](Self::resolve))
    /// are added to the client's.
    pub fn override_of(&self, base: &Config) -> Config {
        let (changed, from) = (self.changed, &self.config);
        let mut config = base.clone();
        if changed.region {
            config.region.clone_from(&from.region);
        }
        if changed.credentials {
            config.credentials.clone_from(&from.credentials);
            config
                .credentials_provider
                .clone_from(&from.credentials_provider);
        }
        if changed.endpoint_url {
            config.endpoint_url.clone_from(&from.endpoint_url);
        }
        if changed.use_fips {
            config.endpoints.use_fips = from.endpoints.use_fips;
        }
        if changed.use_dual_stack {
            config.endpoints.use_dual_stack = from.endpoints.use_dual_stack;
        }
        if changed.endpoint_resolver {
            config
                .endpoints
                .resolver
                .clone_from(&from.endpoints.resolver);
        }
        if changed.retry {
            config.retry = from.retry.clone();
        }
        if changed.timeouts {
            config.timeouts = from.timeouts.clone();
        }
        if changed.compression {
            config.compression = from.compression;
        }
        if changed.resolve {
            config.resolve.extend(
                from.resolve
                    .iter()
                    .map(|(host, addr)| (host.clone(), *addr)),
            );
        }
        config
    }
}
