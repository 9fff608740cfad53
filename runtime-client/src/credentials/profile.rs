//! Credentials of a profile of the shared files: static keys, role chains, `credential_process`,
//! IAM Identity Center (SSO), web identity.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use super::container::ContainerCredentialsProvider;
use super::http::Http;
use super::imds::ImdsCredentialsProvider;
use super::sso::{Sso, SsoProfile};
use super::sts::{default_session_name, AssumeRole, Sts};
use super::web_identity::assume_with_token_file;
use super::{future, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{home_dir, load_profiles, ConfigError, ConfiguredEndpoints};
use crate::env::{non_empty, Env};
use crate::profile::{Profile, ProfileSet};

/// Credentials of the selected profile (`AWS_PROFILE`, default `default`) of the shared config
/// and credentials files:
///
/// - `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`;
/// - `role_arn` with `source_profile` (a chain of any length; a loop is an error; a source
///   profile with static keys uses them, also when it names itself) or `credential_source`
///   (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), with `external_id`,
///   `role_session_name` and `duration_seconds`: STS `AssumeRole` for each role of the chain;
///   `mfa_serial` is an error (MFA is not supported);
/// - `role_arn` with `web_identity_token_file` (and `role_session_name`): STS
///   `AssumeRoleWithWebIdentity`;
/// - `sso_session` (with its `[sso-session]` section's `sso_start_url` and `sso_region`) or the
///   legacy `sso_start_url` and `sso_region`, with `sso_account_id` and `sso_role_name`: the
///   token cached by `aws sso login`, then SSO `GetRoleCredentials`;
/// - `credential_process`: a command printing version 1 JSON.
///
/// STS is called in the configured region (`us-east-1` when there is none).
pub struct ProfileFileCredentialsProvider {
    env: Arc<dyn Env>,
    http: Arc<Http>,
    profiles: Arc<ProfileSet>,
    profile_name: String,
    region: Option<String>,
    endpoints: ConfiguredEndpoints,
}

impl fmt::Debug for ProfileFileCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileFileCredentialsProvider")
            .field("profile", &self.profile_name)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// Where the base credentials of a chain come from.
#[derive(Debug)]
enum Base {
    Static(Credentials),
    Process(String),
    Sso(SsoProfile),
    WebIdentity {
        token_file: String,
        role: AssumeRole,
    },
    /// `credential_source`.
    Source(String),
}

/// The base credentials and the roles to assume with them, in order.
#[derive(Debug)]
struct Plan {
    base: Base,
    roles: Vec<AssumeRole>,
}

impl ProfileFileCredentialsProvider {
    /// The provider of the profile `env` selects, in the shared files `env` points to (read
    /// once, here).
    pub fn from_env_with(env: impl Env) -> Result<Self, ConfigError> {
        let env: Arc<dyn Env> = Arc::new(env);
        let profiles = load_profiles(env.as_ref())?;
        let profile_name = selected_profile(env.as_ref());
        let region = non_empty(env.as_ref(), "AWS_REGION")
            .or_else(|| non_empty(env.as_ref(), "AWS_DEFAULT_REGION"))
            .or_else(|| {
                profiles
                    .get(&profile_name)
                    .and_then(|profile| profile.get_non_empty("region"))
                    .map(str::to_owned)
            });
        let endpoints = ConfiguredEndpoints::load(
            &env,
            &profiles,
            profiles.get(&profile_name).unwrap_or(&Profile::default()),
        )?;
        Ok(Self::from_parts(
            env,
            Arc::default(),
            Arc::new(profiles),
            profile_name,
            region,
            endpoints,
        ))
    }

    pub(crate) fn from_parts(
        env: Arc<dyn Env>,
        http: Arc<Http>,
        profiles: Arc<ProfileSet>,
        profile_name: String,
        region: Option<String>,
        endpoints: ConfiguredEndpoints,
    ) -> Self {
        Self {
            env,
            http,
            profiles,
            profile_name,
            region,
            endpoints,
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let plan = plan(&self.profiles, &self.profile_name)?;
        let env = self.env.as_ref();
        let region = self.region.as_deref().unwrap_or("us-east-1");
        let sts = Sts {
            http: &self.http,
            endpoints: &self.endpoints,
            region,
        };
        let mut credentials = match plan.base {
            Base::Static(credentials) => credentials,
            Base::Process(command) => super::process::run(&command, env).await?,
            Base::Sso(profile) => {
                let sso = Sso {
                    http: &self.http,
                    endpoints: &self.endpoints,
                    home: home_dir(env),
                };
                sso.credentials(&profile).await?
            }
            Base::WebIdentity { token_file, role } => {
                assume_with_token_file(&sts, &role, Path::new(&token_file)).await?
            }
            Base::Source(source) => self.credential_source(&source).await?,
        };
        for role in &plan.roles {
            credentials = sts.assume_role(&credentials, role).await?;
        }
        Ok(credentials)
    }

    async fn credential_source(&self, source: &str) -> Result<Credentials, CredentialsError> {
        let missing = |error: CredentialsError| {
            if error.is_not_loaded() {
                CredentialsError::invalid_configuration(format!(
                    "credential_source `{source}` yields no credentials"
                ))
                .with_source(error)
            } else {
                error
            }
        };
        match source {
            "Environment" => super::environment::load(self.env.as_ref()).map_err(missing),
            "Ec2InstanceMetadata" => {
                let profile = self.profiles.get(&self.profile_name);
                let key = |name: &str| {
                    profile
                        .and_then(|profile| profile.get_non_empty(name))
                        .map(str::to_owned)
                };
                ImdsCredentialsProvider::from_shared(
                    Arc::clone(&self.env),
                    Arc::clone(&self.http),
                    key("ec2_metadata_service_endpoint"),
                    key("ec2_metadata_service_endpoint_mode"),
                )
                .provide_credentials()
                .await
                .map_err(missing)
            }
            "EcsContainer" => {
                ContainerCredentialsProvider::from_shared(
                    Arc::clone(&self.env),
                    Arc::clone(&self.http),
                )
                .provide_credentials()
                .await
                .map_err(missing)
            }
            other => Err(CredentialsError::invalid_configuration(format!(
                "credential_source `{other}` is not `Environment`, `Ec2InstanceMetadata` or `EcsContainer`"
            ))),
        }
    }
}

/// The static keys of the profile `name`, when they are what its provider would use (no role,
/// SSO or `credential_process` comes first).
pub(crate) fn profile_static_keys(profiles: &ProfileSet, name: &str) -> Option<Credentials> {
    match plan(profiles, name) {
        Ok(Plan {
            base: Base::Static(credentials),
            roles,
        }) if roles.is_empty() => Some(credentials),
        _ => None,
    }
}

/// `AWS_PROFILE`, else `default`.
pub(crate) fn selected_profile(env: &dyn Env) -> String {
    non_empty(env, "AWS_PROFILE").unwrap_or_else(|| "default".to_owned())
}

/// The static keys of a profile, if it has both; an error if it has only one of them, as in the
/// AWS SDKs (a half-written profile is not skipped in favour of another source).
fn required_static_keys(
    name: &str,
    profile: &Profile,
) -> Result<Option<Credentials>, CredentialsError> {
    let key = |key: &str| profile.get_non_empty(key).is_some();
    let missing = match (key("aws_access_key_id"), key("aws_secret_access_key")) {
        (true, true) => return Ok(static_keys(profile)),
        (true, false) => "aws_secret_access_key",
        (false, true) => "aws_access_key_id",
        (false, false) if key("aws_session_token") => "aws_access_key_id",
        (false, false) => return Ok(None),
    };
    Err(CredentialsError::invalid_configuration(format!(
        "profile `{name}` sets some of its static keys but not {missing}"
    )))
}

/// The static keys of a profile, if it has both.
fn static_keys(profile: &Profile) -> Option<Credentials> {
    let id = profile.get_non_empty("aws_access_key_id")?;
    let secret = profile.get_non_empty("aws_secret_access_key")?;
    Some(Credentials::new(
        id,
        secret,
        profile
            .get_non_empty("aws_session_token")
            .map(str::to_owned),
    ))
}

/// The role of a profile with `role_arn`.
fn role(name: &str, profile: &Profile, role_arn: &str) -> Result<AssumeRole, CredentialsError> {
    let duration_seconds = match profile.get_non_empty("duration_seconds") {
        None => None,
        Some(text) => Some(text.trim().parse::<u32>().map_err(|_| {
            CredentialsError::invalid_configuration(format!(
                "profile `{name}`: duration_seconds `{text}` is not a whole number of seconds"
            ))
        })?),
    };
    Ok(AssumeRole {
        role_arn: role_arn.to_owned(),
        session_name: profile
            .get_non_empty("role_session_name")
            .map(str::to_owned)
            .unwrap_or_else(|| default_session_name("aws-json-client")),
        external_id: profile.get_non_empty("external_id").map(str::to_owned),
        duration_seconds,
    })
}

/// The SSO settings of a profile, if it has any.
fn sso(
    profiles: &ProfileSet,
    name: &str,
    profile: &Profile,
) -> Result<Option<SsoProfile>, CredentialsError> {
    let session_name = profile.get_non_empty("sso_session");
    let keys = [
        "sso_session",
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
    ];
    if keys.iter().all(|key| profile.get_non_empty(key).is_none()) {
        return Ok(None);
    }
    let required = |key: &str| {
        profile
            .get_non_empty(key)
            .map(str::to_owned)
            .ok_or_else(|| {
                CredentialsError::invalid_configuration(format!(
                    "profile `{name}` uses SSO but has no `{key}`"
                ))
            })
    };
    let account_id = required("sso_account_id")?;
    let role_name = required("sso_role_name")?;
    let (start_url, region) = match session_name {
        Some(session_name) => {
            let session = profiles.sso_session(session_name).ok_or_else(|| {
                CredentialsError::invalid_configuration(format!(
                    "profile `{name}` names sso_session `{session_name}`, but there is no [sso-session {session_name}] section"
                ))
            })?;
            let key = |key: &str| {
                let value = session.get_non_empty(key).ok_or_else(|| {
                    CredentialsError::invalid_configuration(format!(
                        "[sso-session {session_name}] has no `{key}`"
                    ))
                })?;
                // The profile may repeat the session's value, not contradict it (as botocore).
                match profile.get_non_empty(key) {
                    Some(own) if own != value => Err(CredentialsError::invalid_configuration(
                        format!(
                            "profile `{name}` sets {key} `{own}`, but its [sso-session {session_name}] sets `{value}`"
                        ),
                    )),
                    _ => Ok(value.to_owned()),
                }
            };
            (key("sso_start_url")?, key("sso_region")?)
        }
        None => (required("sso_start_url")?, required("sso_region")?),
    };
    Ok(Some(SsoProfile {
        account_id,
        role_name,
        region,
        start_url,
        session_name: session_name.map(str::to_owned),
    }))
}

/// The credentials a profile has without assuming a role, in the order of the AWS SDK for Rust:
/// SSO, then `credential_process`, then static keys.
fn own_base(
    profiles: &ProfileSet,
    name: &str,
    profile: &Profile,
) -> Result<Option<Base>, CredentialsError> {
    if let Some(sso) = sso(profiles, name, profile)? {
        return Ok(Some(Base::Sso(sso)));
    }
    if let Some(command) = profile.get_non_empty("credential_process") {
        return Ok(Some(Base::Process(command.to_owned())));
    }
    Ok(required_static_keys(name, profile)?.map(Base::Static))
}

/// Follows `source_profile` from the profile `name` to the base credentials.
fn plan(profiles: &ProfileSet, name: &str) -> Result<Plan, CredentialsError> {
    let mut visited: Vec<String> = Vec::new();
    let mut roles = Vec::new();
    let mut current = name.to_owned();
    let finish = |base: Base, mut roles: Vec<AssumeRole>| {
        // Collected from the selected profile down; assumed from the base up.
        roles.reverse();
        Ok(Plan { base, roles })
    };
    loop {
        let Some(profile) = profiles.get(&current) else {
            return Err(match visited.last() {
                None => CredentialsError::not_loaded(format!(
                    "profile `{current}` is not defined in the shared files"
                )),
                Some(previous) => CredentialsError::invalid_configuration(format!(
                    "profile `{previous}` names source_profile `{current}`, which is not defined"
                )),
            });
        };
        if visited.contains(&current) {
            // A profile may name itself as its source to use its own credentials (static keys,
            // SSO, credential_process), as in the AWS SDKs.
            if visited.last() == Some(&current) {
                return match own_base(profiles, &current, profile)? {
                    Some(base) => finish(base, roles),
                    None => Err(CredentialsError::invalid_configuration(format!(
                        "profile `{current}` names itself as source_profile but has no credentials of its own"
                    ))),
                };
            }
            visited.push(current);
            return Err(CredentialsError::invalid_configuration(format!(
                "the source_profile chain has a loop: {}",
                visited.join(" -> ")
            )));
        }
        let is_source = !visited.is_empty();
        visited.push(current.clone());
        if is_source {
            if let Some(credentials) = static_keys(profile) {
                return finish(Base::Static(credentials), roles);
            }
        }
        let role_arn = profile.get_non_empty("role_arn");
        if role_arn.is_none() && profile.get_non_empty("web_identity_token_file").is_some() {
            return Err(CredentialsError::invalid_configuration(format!(
                "profile `{current}` sets web_identity_token_file but not role_arn"
            )));
        }
        if let Some(role_arn) = role_arn {
            let assume = role(&current, profile, role_arn)?;
            if let Some(token_file) = profile.get_non_empty("web_identity_token_file") {
                return finish(
                    Base::WebIdentity {
                        token_file: token_file.to_owned(),
                        role: assume,
                    },
                    roles,
                );
            }
            if profile.get_non_empty("mfa_serial").is_some() {
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{current}` sets mfa_serial: MFA is not supported by this client; assume the role elsewhere (e.g. `aws sts assume-role` with --serial-number) and pass the temporary credentials"
                )));
            }
            roles.push(assume);
            match (
                profile.get_non_empty("source_profile"),
                profile.get_non_empty("credential_source"),
            ) {
                (Some(_), Some(_)) => {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "profile `{current}` sets both source_profile and credential_source"
                    )))
                }
                (Some(source), None) => {
                    current = source.to_owned();
                    continue;
                }
                (None, Some(source)) => return finish(Base::Source(source.to_owned()), roles),
                (None, None) => {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "profile `{current}` sets role_arn but neither source_profile nor credential_source"
                    )))
                }
            }
        }
        if let Some(base) = own_base(profiles, &current, profile)? {
            return finish(base, roles);
        }
        return Err(if is_source {
            CredentialsError::invalid_configuration(format!(
                "profile `{current}`, the source_profile of `{}`, has no credentials",
                visited[visited.len() - 2]
            ))
        } else {
            CredentialsError::not_loaded(format!(
                "profile `{current}` has no credentials (no keys, role_arn, sso_session, sso_start_url or credential_process)"
            ))
        });
    }
}

impl ProvideCredentials for ProfileFileCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProfileFileKind;

    fn plan_of(text: &str, name: &str) -> Result<Plan, CredentialsError> {
        plan(&ProfileSet::parse(text, ProfileFileKind::Config), name)
    }

    #[test]
    fn chains_loops_and_mfa() {
        let text = "\
[profile a]
role_arn = arn:aws:iam::1:role/a
source_profile = b
external_id = ext
duration_seconds = 900
[profile b]
role_arn = arn:aws:iam::1:role/b
source_profile = c
[profile c]
aws_access_key_id = AKID
aws_secret_access_key = S
role_arn = arn:aws:iam::1:role/ignored
[profile self]
role_arn = arn:aws:iam::1:role/self
source_profile = self
aws_access_key_id = SELF
aws_secret_access_key = S
[profile x]
role_arn = arn:aws:iam::1:role/x
source_profile = y
[profile y]
role_arn = arn:aws:iam::1:role/y
source_profile = x
[profile mfa]
role_arn = arn:aws:iam::1:role/m
source_profile = c
mfa_serial = arn:aws:iam::1:mfa/u
";
        let plan = plan_of(text, "a").unwrap();
        assert!(matches!(&plan.base, Base::Static(c) if c.access_key_id() == "AKID"));
        let arns: Vec<_> = plan.roles.iter().map(|r| r.role_arn.as_str()).collect();
        assert_eq!(arns, ["arn:aws:iam::1:role/b", "arn:aws:iam::1:role/a"]);
        assert_eq!(plan.roles[1].external_id.as_deref(), Some("ext"));
        assert_eq!(plan.roles[1].duration_seconds, Some(900));

        let plan = plan_of(text, "self").unwrap();
        assert!(matches!(&plan.base, Base::Static(c) if c.access_key_id() == "SELF"));
        assert_eq!(plan.roles.len(), 1);

        let error = plan_of(text, "x").unwrap_err().to_string();
        assert!(error.contains("loop: x -> y -> x"), "{error}");
        let error = plan_of(text, "mfa").unwrap_err().to_string();
        assert!(error.contains("MFA is not supported"), "{error}");

        let text = "\
[profile half]
aws_access_key_id = AKID
[profile role]
role_arn = arn:aws:iam::1:role/r
source_profile = half
[profile token]
web_identity_token_file = /tmp/token
";
        let error = plan_of(text, "half").unwrap_err();
        assert!(!error.is_not_loaded());
        assert!(
            error.to_string().contains("not aws_secret_access_key"),
            "{error}"
        );
        let error = plan_of("[profile t]\naws_session_token = T\n", "t").unwrap_err();
        assert!(
            error.to_string().contains("not aws_access_key_id"),
            "{error}"
        );
        let error = plan_of(text, "role").unwrap_err().to_string();
        assert!(error.contains("not aws_secret_access_key"), "{error}");
        let error = plan_of(text, "token").unwrap_err().to_string();
        assert!(
            error.contains("web_identity_token_file but not role_arn"),
            "{error}"
        );
        assert!(plan_of(text, "missing").unwrap_err().is_not_loaded());
    }

    #[test]
    fn sso_settings_and_self_references() {
        let text = "\
[profile partial]
sso_account_id = 111122223333
sso_role_name = Admin
[profile conflicting]
sso_session = corp
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = Admin
[profile repeating]
sso_session = corp
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = Admin
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[profile selfprocess]
role_arn = arn:aws:iam::1:role/p
source_profile = selfprocess
credential_process = /bin/creds --flag
[profile selfsso]
role_arn = arn:aws:iam::1:role/s
source_profile = selfsso
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
[profile selfnothing]
role_arn = arn:aws:iam::1:role/n
source_profile = selfnothing
";
        // Any sso_* key makes it an SSO profile: a missing one is an error, not a fall-through.
        let error = plan_of(text, "partial").unwrap_err();
        assert!(!error.is_not_loaded());
        assert!(error.to_string().contains("no `sso_start_url`"), "{error}");
        let error = plan_of(text, "conflicting").unwrap_err().to_string();
        assert!(error.contains("sets sso_region `eu-west-1`"), "{error}");
        let plan = plan_of(text, "repeating").unwrap();
        assert!(matches!(&plan.base, Base::Sso(sso) if sso.region == "us-east-1"));

        let plan = plan_of(text, "selfprocess").unwrap();
        assert!(matches!(&plan.base, Base::Process(command) if command == "/bin/creds --flag"));
        assert_eq!(plan.roles.len(), 1);
        let plan = plan_of(text, "selfsso").unwrap();
        assert!(matches!(&plan.base, Base::Sso(sso) if sso.account_id == "111122223333"));
        assert_eq!(plan.roles.len(), 1);
        let error = plan_of(text, "selfnothing").unwrap_err().to_string();
        assert!(error.contains("names itself as source_profile"), "{error}");
    }
}
