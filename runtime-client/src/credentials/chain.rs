//! The default credential chain of the AWS SDKs.

use std::fmt;
use std::sync::Arc;

use super::container::ContainerCredentialsProvider;
use super::environment::EnvironmentVariableCredentialsProvider;
use super::http::Http;
use super::imds::ImdsCredentialsProvider;
use super::profile::{selected_profile, ProfileFileCredentialsProvider};
use super::web_identity::WebIdentityTokenCredentialsProvider;
use super::{future, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{load_profiles, ConfigError, ConfiguredEndpoints};
use crate::env::Env;
use crate::profile::{Profile, ProfileSet};

/// Environment → web identity → profile → container → IMDSv2, asked in this order at each
/// load (put a [`LazyCredentialsCache`](super::LazyCredentialsCache) in front, as
/// [`Config::from_env`](crate::Config::from_env) does).
///
/// A provider whose source is not configured hands over to the next one; any other failure ends
/// the chain with that provider's error. When no provider has credentials, the error names
/// every provider and why it gave up.
pub struct DefaultCredentialsChain {
    providers: Vec<(&'static str, Box<dyn ProvideCredentials>)>,
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.providers.iter().map(|(name, _)| name))
            .finish()
    }
}

impl DefaultCredentialsChain {
    /// The chain for `env` and the shared files it points to (read once, here; nothing is
    /// asked over the network until credentials are needed).
    pub fn from_env_with(env: impl Env) -> Result<Self, ConfigError> {
        let env: Arc<dyn Env> = Arc::new(env);
        let profiles = load_profiles(env.as_ref())?;
        let name = selected_profile(env.as_ref());
        let region = crate::env::non_empty(env.as_ref(), "AWS_REGION")
            .or_else(|| crate::env::non_empty(env.as_ref(), "AWS_DEFAULT_REGION"))
            .or_else(|| {
                profiles
                    .get(&name)
                    .and_then(|profile| profile.get_non_empty("region"))
                    .map(str::to_owned)
            });
        let endpoints = ConfiguredEndpoints::load(
            &env,
            &profiles,
            profiles.get(&name).unwrap_or(&Profile::default()),
        )?;
        Ok(Self::from_parts(
            env,
            Arc::new(profiles),
            name,
            region,
            endpoints,
        ))
    }

    pub(crate) fn from_parts(
        env: Arc<dyn Env>,
        profiles: Arc<ProfileSet>,
        profile_name: String,
        region: Option<String>,
        endpoints: ConfiguredEndpoints,
    ) -> Self {
        let http = Arc::new(Http::default());
        let profile_key = |key: &str| {
            profiles
                .get(&profile_name)
                .and_then(|profile| profile.get_non_empty(key))
                .map(str::to_owned)
        };
        let imds = ImdsCredentialsProvider::from_shared(
            Arc::clone(&env),
            Arc::clone(&http),
            profile_key("ec2_metadata_service_endpoint"),
            profile_key("ec2_metadata_service_endpoint_mode"),
        );
        let providers: Vec<(&'static str, Box<dyn ProvideCredentials>)> = vec![
            (
                "environment",
                Box::new(EnvironmentVariableCredentialsProvider::from_shared(
                    Arc::clone(&env),
                )),
            ),
            (
                "web identity",
                Box::new(WebIdentityTokenCredentialsProvider::from_shared(
                    Arc::clone(&env),
                    Arc::clone(&http),
                    region.clone(),
                    endpoints.clone(),
                )),
            ),
            (
                "profile",
                Box::new(ProfileFileCredentialsProvider::from_parts(
                    Arc::clone(&env),
                    Arc::clone(&http),
                    Arc::clone(&profiles),
                    profile_name,
                    region,
                    endpoints,
                )),
            ),
            (
                "container",
                Box::new(ContainerCredentialsProvider::from_shared(
                    Arc::clone(&env),
                    Arc::clone(&http),
                )),
            ),
            ("IMDS", Box::new(imds)),
        ];
        Self { providers }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut reasons = Vec::with_capacity(self.providers.len());
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(provider = name, "credentials loaded");
                    return Ok(credentials);
                }
                Err(error) if error.is_not_loaded() => {
                    tracing::debug!(provider = name, reason = %error.full_message(), "no credentials");
                    reasons.push(format!("{name}: {}", error.full_message()));
                }
                Err(error) => return Err(error.context(format!("{name} credentials"))),
            }
        }
        Err(CredentialsError::not_loaded(format!(
            "no credentials in the default chain; tried {}",
            reasons.join("; ")
        )))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.load())
    }
}
