//! The credential providers, the cache and the default chain against local stand-ins for STS,
//! SSO, SSO OIDC, the container endpoint and IMDS (scripted servers on 127.0.0.1:0), each test
//! with its own fake HOME and environment (the real `~/.aws` is never read).

mod common;
mod scratch;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_json_client::credentials::{
    future, ContainerCredentialsProvider, Credentials, CredentialsError, CredentialsErrorKind,
    DefaultCredentialsChain, EnvironmentVariableCredentialsProvider, ImdsCredentialsProvider,
    LazyCredentialsCache, ProfileFileCredentialsProvider, ProvideCredentials, TimeSource,
    WebIdentityTokenCredentialsProvider,
};
use aws_json_client::{Client, Config, TimeoutConfig};
use common::{Canned, GetThing, GetThingInput, Recorded, TestServer};
use scratch::Scratch;

const LIMIT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// Helpers.

/// `time` as RFC 3339 (UTC, seconds).
fn rfc3339(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Civil date from days since the epoch (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

fn in_secs(seconds: u64) -> SystemTime {
    SystemTime::now() + Duration::from_secs(seconds)
}

/// Decodes a form body.
fn form(recorded: &Recorded) -> HashMap<String, String> {
    let decode = |text: &str| {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 3;
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                byte => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    };
    std::str::from_utf8(&recorded.body)
        .unwrap()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// The access key id a SigV4 `Authorization` header was signed with.
fn signing_key(recorded: &Recorded) -> String {
    let authorization = recorded.header("authorization").expect("signed");
    let credential = authorization
        .split("Credential=")
        .nth(1)
        .expect("a Credential");
    credential.split('/').next().unwrap().to_owned()
}

fn sts_answer(action: &str, key: &str, secret: &str, token: &str, expiry: SystemTime) -> Canned {
    Canned::ok(format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <Credentials>
      <AccessKeyId>{key}</AccessKeyId>
      <SecretAccessKey>{secret}</SecretAccessKey>
      <SessionToken>{token}</SessionToken>
      <Expiration>{}</Expiration>
    </Credentials>
  </{action}Result>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</{action}Response>"#,
        rfc3339(expiry)
    ))
    .header("content-type", "text/xml")
}

fn sts_error(code: &str, message: &str) -> Canned {
    Canned::new(
        403,
        format!(
            r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-2</RequestId></ErrorResponse>"#
        ),
    )
}

fn json_credentials(key: &str, expiry: SystemTime) -> Canned {
    Canned::ok(format!(
        r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"{key}","SecretAccessKey":"secret-{key}","Token":"token-{key}","Expiration":"{}"}}"#,
        rfc3339(expiry)
    ))
}

async fn provide(provider: &dyn ProvideCredentials) -> Result<Credentials, CredentialsError> {
    tokio::time::timeout(LIMIT, provider.provide_credentials())
        .await
        .expect("the provider answers in time")
}

// ---------------------------------------------------------------------------------------------
// The cache.

/// A clock the test moves.
#[derive(Clone, Debug)]
struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(
            UNIX_EPOCH + Duration::from_secs(1_900_000_000),
        )))
    }
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl TimeSource for ManualClock {
    fn now(&self) -> SystemTime {
        ManualClock::now(self)
    }
}

/// Credentials `key-<n>` valid for `validity` from the clock's now, counting loads; fails when
/// told to.
#[derive(Debug)]
struct Counting {
    clock: ManualClock,
    validity: Duration,
    loads: AtomicUsize,
    failing: Mutex<bool>,
    delay: Duration,
}

impl Counting {
    fn new(clock: &ManualClock, validity: Duration, delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            clock: clock.clone(),
            validity,
            loads: AtomicUsize::new(0),
            failing: Mutex::new(false),
            delay,
        })
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let n = self.loads.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            if *self.failing.lock().unwrap() {
                return Err(CredentialsError::provider_error("the source is down"));
            }
            Ok(
                Credentials::new(format!("key-{n}"), "secret", Some("token".to_owned()))
                    .with_expiry(self.clock.now() + self.validity),
            )
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_calls_on_expired_credentials_share_one_refresh() {
    let clock = ManualClock::new();
    let source = Counting::new(&clock, Duration::from_secs(3600), Duration::from_millis(50));
    let cache = Arc::new(
        LazyCredentialsCache::builder()
            .time_source(clock.clone())
            .build(Arc::clone(&source)),
    );
    assert_eq!(
        provide(cache.as_ref()).await.unwrap().access_key_id(),
        "key-1"
    );
    assert_eq!(
        provide(cache.as_ref()).await.unwrap().access_key_id(),
        "key-1"
    );
    assert_eq!(source.loads.load(Ordering::SeqCst), 1);

    clock.advance(Duration::from_secs(3601));
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    for call in calls {
        let credentials = tokio::time::timeout(LIMIT, call).await.unwrap().unwrap();
        assert_eq!(credentials.unwrap().access_key_id(), "key-2");
    }
    assert_eq!(
        source.loads.load(Ordering::SeqCst),
        2,
        "one refresh for 100 calls"
    );
}

#[tokio::test]
async fn the_cache_refreshes_ahead_of_expiry_and_keeps_valid_credentials_when_a_refresh_fails() {
    let clock = ManualClock::new();
    let source = Counting::new(&clock, Duration::from_secs(600), Duration::ZERO);
    let cache = LazyCredentialsCache::builder()
        .time_source(clock.clone())
        .buffer(Duration::from_secs(300))
        .build(Arc::clone(&source));
    assert_eq!(provide(&cache).await.unwrap().access_key_id(), "key-1");

    // 4 minutes left: inside the 5-minute buffer, refreshed.
    clock.advance(Duration::from_secs(360));
    assert_eq!(provide(&cache).await.unwrap().access_key_id(), "key-2");

    // In the buffer again, and the source fails: the still-valid credentials are kept.
    clock.advance(Duration::from_secs(360));
    *source.failing.lock().unwrap() = true;
    assert_eq!(provide(&cache).await.unwrap().access_key_id(), "key-2");
    assert_eq!(source.loads.load(Ordering::SeqCst), 3);

    // Expired, and the source still fails: the error.
    clock.advance(Duration::from_secs(300));
    let error = provide(&cache).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    assert!(error.to_string().contains("the source is down"), "{error}");

    // The source is back.
    *source.failing.lock().unwrap() = false;
    assert_eq!(provide(&cache).await.unwrap().access_key_id(), "key-5");
}

/// `key-1`, valid for 10 minutes; every later load waits at `gate`, then fails.
#[derive(Debug)]
struct Gated {
    clock: ManualClock,
    loads: AtomicUsize,
    gate: tokio::sync::Semaphore,
}

impl ProvideCredentials for Gated {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            if self.loads.fetch_add(1, Ordering::SeqCst) > 0 {
                let _permit = self.gate.acquire().await;
                return Err(CredentialsError::provider_error(
                    "the source is slow, then down",
                ));
            }
            Ok(Credentials::new("key-1", "secret", None)
                .with_expiry(self.clock.now() + Duration::from_secs(600)))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_refresh_of_still_valid_credentials_holds_up_only_the_caller_that_refreshes() {
    let clock = ManualClock::new();
    let source = Arc::new(Gated {
        clock: clock.clone(),
        loads: AtomicUsize::new(0),
        gate: tokio::sync::Semaphore::new(0),
    });
    let cache = Arc::new(
        LazyCredentialsCache::builder()
            .time_source(clock.clone())
            .buffer(Duration::from_secs(300))
            .build(Arc::clone(&source)),
    );
    assert_eq!(
        provide(cache.as_ref()).await.unwrap().access_key_id(),
        "key-1"
    );
    // 4 minutes left: due for a refresh, still valid.
    clock.advance(Duration::from_secs(360));
    let refresher = {
        let cache = Arc::clone(&cache);
        tokio::spawn(async move { cache.provide_credentials().await })
    };
    tokio::time::timeout(LIMIT, async {
        while source.loads.load(Ordering::SeqCst) < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the refresh starts");
    // While that refresh hangs, the other callers go on with the valid credentials.
    let calls: Vec<_> = (0..99)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    for call in calls {
        let credentials = tokio::time::timeout(LIMIT, call)
            .await
            .expect("not held up by the refresh")
            .unwrap();
        assert_eq!(credentials.unwrap().access_key_id(), "key-1");
    }
    assert_eq!(source.loads.load(Ordering::SeqCst), 2);
    // The refresh fails: its caller keeps the valid credentials too.
    source.gate.add_permits(1);
    let kept = tokio::time::timeout(LIMIT, refresher)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.unwrap().access_key_id(), "key-1");
}

// ---------------------------------------------------------------------------------------------
// Environment.

#[tokio::test]
async fn environment_variables() {
    let scratch = Scratch::new("env");
    let provider = EnvironmentVariableCredentialsProvider::new(scratch.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_SESSION_TOKEN", "env-token"),
        ("AWS_CREDENTIAL_EXPIRATION", "2099-01-01T00:00:00Z"),
    ]));
    let credentials = provide(&provider).await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDENV");
    assert_eq!(credentials.session_token(), Some("env-token"));
    assert!(credentials.expiry().is_some());
    let debug = format!("{credentials:?}");
    assert!(
        !debug.contains("env-secret") && !debug.contains("env-token"),
        "{debug}"
    );

    let half = EnvironmentVariableCredentialsProvider::new(
        scratch.env(&[("AWS_ACCESS_KEY_ID", "AKIDENV")]),
    );
    let error = provide(&half).await.unwrap_err();
    assert!(error.is_not_loaded());
    assert!(
        error.to_string().contains("AWS_SECRET_ACCESS_KEY is not"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Web identity.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_identity_token_file_and_role() {
    let scratch = Scratch::new("web-identity");
    let token_file = scratch.write("token", "eyJ.oidc.token\n");
    let answers = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&answers);
    let sts = TestServer::start_with(move |request| {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        let form = form(request);
        if form.get("Action").map(String::as_str) != Some("AssumeRoleWithWebIdentity")
            || form.get("WebIdentityToken").map(String::as_str) != Some("eyJ.oidc.token")
        {
            return sts_error("InvalidParameterValue", "unexpected request");
        }
        if form.get("RoleArn").map(String::as_str) == Some("arn:aws:iam::1:role/denied") {
            return sts_error(
                "AccessDenied",
                "Not authorized to perform sts:AssumeRoleWithWebIdentity",
            );
        }
        // A minute of validity: inside the refresh buffer, so each load of a cache refreshes.
        sts_answer(
            "AssumeRoleWithWebIdentity",
            &format!("ASIAWEB{n}"),
            "web-secret",
            "web-token",
            in_secs(60),
        )
    })
    .await;
    let token_path = token_file.display().to_string();
    let env = scratch.env(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token_path),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/ci"),
        ("AWS_ROLE_SESSION_NAME", "ci-run"),
        ("AWS_ENDPOINT_URL_STS", &sts.url()),
        ("AWS_REGION", "eu-west-1"),
    ]);
    let cache = LazyCredentialsCache::new(WebIdentityTokenCredentialsProvider::new(env.clone()));
    let first = provide(&cache).await.unwrap();
    assert_eq!(first.access_key_id(), "ASIAWEB1");
    assert_eq!(first.session_token(), Some("web-token"));
    // Expiring within the buffer: the next load refreshes.
    assert_eq!(provide(&cache).await.unwrap().access_key_id(), "ASIAWEB2");
    let requests = sts.requests();
    let sent = form(&requests[0]);
    assert_eq!(sent["RoleArn"], "arn:aws:iam::1:role/ci");
    assert_eq!(sent["RoleSessionName"], "ci-run");
    assert_eq!(sent["Version"], "2011-06-15");
    assert_eq!(requests[0].method, "POST");
    assert!(requests[0].header("authorization").is_none(), "unsigned");

    let mut denied = env.clone();
    denied.insert("AWS_ROLE_ARN".into(), "arn:aws:iam::1:role/denied".into());
    let error = provide(&WebIdentityTokenCredentialsProvider::new(denied))
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("AccessDenied") && message.contains("status 403"),
        "{message}"
    );
    assert!(!message.contains("eyJ.oidc.token"), "{message}");

    let mut no_role = env;
    no_role.remove("AWS_ROLE_ARN");
    let error = provide(&WebIdentityTokenCredentialsProvider::new(no_role))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("AWS_ROLE_ARN is not"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Profiles.

/// An STS stand-in for `AssumeRole` and `AssumeRoleWithWebIdentity`: role `…/NAME` answers
/// `ASIA<NAME>` / `secret-<NAME>` / `token-<NAME>`, whoever signs.
async fn assume_role_server() -> TestServer {
    TestServer::start_with(|request| {
        let form = form(request);
        let action = form.get("Action").cloned().unwrap_or_default();
        if action != "AssumeRole" && action != "AssumeRoleWithWebIdentity" {
            return sts_error("InvalidAction", "expected AssumeRole");
        }
        let arn = form.get("RoleArn").cloned().unwrap_or_default();
        let name = arn.rsplit('/').next().unwrap_or("").to_ascii_uppercase();
        if name == "DENIED" {
            return sts_error(
                "AccessDenied",
                "User is not authorized to perform: sts:AssumeRole",
            );
        }
        sts_answer(
            &action,
            &format!("ASIA{name}"),
            &format!("secret-{name}"),
            &format!("token-{name}"),
            in_secs(3600),
        )
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_hop_role_chain() {
    let scratch = Scratch::new("role-chain");
    scratch.write(
        "home/.aws/config",
        "\
[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = jump
role_session_name = deploy-session
external_id = ext-42
duration_seconds = 900
region = eu-central-1

[profile jump]
role_arn = arn:aws:iam::444455556666:role/jump
source_profile = base
",
    );
    scratch.write(
        "home/.aws/credentials",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    let sts = assume_role_server().await;
    let provider = ProfileFileCredentialsProvider::from_env_with(scratch.env(&[
        ("AWS_PROFILE", "deploy"),
        ("AWS_ENDPOINT_URL_STS", &sts.url()),
    ]))
    .unwrap();
    let credentials = provide(&provider).await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIADEPLOY");
    assert_eq!(credentials.session_token(), Some("token-DEPLOY"));
    assert!(credentials.expiry().is_some());

    let requests = sts.requests();
    assert_eq!(requests.len(), 2);
    // First hop: signed with the base keys.
    let jump = form(&requests[0]);
    assert_eq!(jump["RoleArn"], "arn:aws:iam::444455556666:role/jump");
    assert_eq!(signing_key(&requests[0]), "AKIDBASE");
    assert!(requests[0].header("x-amz-security-token").is_none());
    let authorization = requests[0].header("authorization").unwrap();
    assert!(
        authorization.contains("/eu-central-1/sts/aws4_request"),
        "{authorization}"
    );
    // Second hop: signed with the first hop's temporary credentials.
    let deploy = form(&requests[1]);
    assert_eq!(deploy["RoleArn"], "arn:aws:iam::111122223333:role/deploy");
    assert_eq!(deploy["RoleSessionName"], "deploy-session");
    assert_eq!(deploy["ExternalId"], "ext-42");
    assert_eq!(deploy["DurationSeconds"], "900");
    assert_eq!(signing_key(&requests[1]), "ASIAJUMP");
    assert_eq!(
        requests[1].header("x-amz-security-token"),
        Some("token-JUMP")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sts_follows_the_profiles_services_section_and_endpoint_url() {
    let scratch = Scratch::new("sts-endpoints");
    let sts = assume_role_server().await;
    let other = assume_role_server().await;
    scratch.write(
        "home/.aws/config",
        &format!(
            "\
[profile services]
role_arn = arn:aws:iam::111122223333:role/viaservices
source_profile = base
services = local
endpoint_url = http://127.0.0.1:9

[profile global]
role_arn = arn:aws:iam::111122223333:role/viaglobal
source_profile = base
endpoint_url = {sts}

[profile ignoring]
role_arn = arn:aws:iam::111122223333:role/ignoring
source_profile = base
ignore_configured_endpoint_urls = true
region = no such region

[services local]
sso_admin =
  endpoint_url = http://127.0.0.1:9
sts =
  endpoint_url = {sts}

[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret
",
            sts = sts.url()
        ),
    );
    let provider = |pairs: &[(&str, &str)]| {
        ProfileFileCredentialsProvider::from_env_with(scratch.env(pairs)).unwrap()
    };
    // The service's entry of the `[services]` section wins over the profile's endpoint_url.
    let credentials = provide(&provider(&[("AWS_PROFILE", "services")]))
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAVIASERVICES");
    // The profile's endpoint_url applies when the section has no entry.
    let credentials = provide(&provider(&[("AWS_PROFILE", "global")]))
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAVIAGLOBAL");
    assert_eq!(sts.requests().len(), 2);
    // The variables win over the shared config.
    let credentials = provide(&provider(&[
        ("AWS_PROFILE", "services"),
        ("AWS_ENDPOINT_URL_STS", &other.url()),
    ]))
    .await
    .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAVIASERVICES");
    assert_eq!(other.requests().len(), 1);
    assert_eq!(sts.requests().len(), 2);
    // ignore_configured_endpoint_urls in the profile turns the variables off too: STS is then
    // the regional endpoint (of a region that makes it an invalid URL, so that nothing leaves
    // this machine).
    let error = provide(&provider(&[
        ("AWS_PROFILE", "ignoring"),
        ("AWS_ENDPOINT_URL_STS", &other.url()),
        ("AWS_ENDPOINT_URL", &other.url()),
    ]))
    .await
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("https://sts.no such region.amazonaws.com"),
        "{error}"
    );
    assert_eq!(other.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_errors_name_the_problem() {
    let scratch = Scratch::new("profile-errors");
    scratch.write(
        "home/.aws/config",
        "\
[profile loop-a]
role_arn = arn:aws:iam::1:role/a
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::1:role/b
source_profile = loop-a
[profile mfa]
role_arn = arn:aws:iam::1:role/m
source_profile = base
mfa_serial = arn:aws:iam::1:mfa/me
[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret
[profile denied]
role_arn = arn:aws:iam::1:role/denied
source_profile = base
[profile dangling]
role_arn = arn:aws:iam::1:role/d
source_profile = nowhere
[profile env-source]
role_arn = arn:aws:iam::1:role/fromenv
credential_source = Environment
[profile empty]
region = us-east-1
",
    );
    let sts = assume_role_server().await;
    let message = |profile: &'static str| {
        let env = scratch.env(&[
            ("AWS_PROFILE", profile),
            ("AWS_ENDPOINT_URL_STS", &sts.url()),
        ]);
        async move {
            let provider = ProfileFileCredentialsProvider::from_env_with(env).unwrap();
            provide(&provider).await.unwrap_err()
        }
    };
    let error = message("loop-a").await;
    assert!(
        error
            .to_string()
            .contains("loop: loop-a -> loop-b -> loop-a"),
        "{error}"
    );
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    let error = message("mfa").await;
    assert!(
        error.to_string().contains("MFA is not supported"),
        "{error}"
    );
    let error = message("denied").await;
    assert!(error.to_string().contains("AccessDenied"), "{error}");
    assert!(!error.to_string().contains("base-secret"), "{error}");
    let error = message("dangling").await;
    assert!(
        error
            .to_string()
            .contains("source_profile `nowhere`, which is not defined"),
        "{error}"
    );
    let error = message("empty").await;
    assert!(error.is_not_loaded(), "{error}");
    let error = message("missing").await;
    assert!(
        error.is_not_loaded() && error.to_string().contains("not defined"),
        "{error}"
    );
    // credential_source = Environment, with no keys in the environment.
    let error = message("env-source").await;
    assert!(
        error
            .to_string()
            .contains("credential_source `Environment`"),
        "{error}"
    );
    assert!(!error.is_not_loaded());

    // credential_source = Environment with keys: one AssumeRole signed with them.
    let provider = ProfileFileCredentialsProvider::from_env_with(scratch.env(&[
        ("AWS_PROFILE", "env-source"),
        ("AWS_ENDPOINT_URL_STS", &sts.url()),
        ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ]))
    .unwrap();
    assert_eq!(
        provide(&provider).await.unwrap().access_key_id(),
        "ASIAFROMENV"
    );
    let last = sts.requests().pop().unwrap();
    assert_eq!(signing_key(&last), "AKIDFROMENV");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_with_a_web_identity_or_a_container_source() {
    let scratch = Scratch::new("profile-sources");
    let token_file = scratch.write("oidc-token", "profile-oidc-token");
    scratch.write(
        "home/.aws/config",
        &format!(
            "\
[profile ci]
role_arn = arn:aws:iam::1:role/ci
web_identity_token_file = {}
role_session_name = ci-session
[profile ecs]
role_arn = arn:aws:iam::1:role/task
credential_source = EcsContainer
",
            token_file.display()
        ),
    );
    let sts = assume_role_server().await;
    let container =
        TestServer::start_with(|_| json_credentials("ASIACONTAINER", in_secs(3600))).await;
    let url = format!("{}/creds", container.url());
    let env = |profile: &str| {
        scratch.env(&[
            ("AWS_PROFILE", profile),
            ("AWS_ENDPOINT_URL_STS", &sts.url()),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ])
    };
    let ci = ProfileFileCredentialsProvider::from_env_with(env("ci")).unwrap();
    assert_eq!(provide(&ci).await.unwrap().access_key_id(), "ASIACI");
    let sent = form(&sts.requests()[0]);
    assert_eq!(sent["Action"], "AssumeRoleWithWebIdentity");
    assert_eq!(sent["WebIdentityToken"], "profile-oidc-token");
    assert_eq!(sent["RoleSessionName"], "ci-session");

    let ecs = ProfileFileCredentialsProvider::from_env_with(env("ecs")).unwrap();
    assert_eq!(provide(&ecs).await.unwrap().access_key_id(), "ASIATASK");
    let last = sts.requests().pop().unwrap();
    assert_eq!(signing_key(&last), "ASIACONTAINER");
    assert_eq!(
        last.header("x-amz-security-token"),
        Some("token-ASIACONTAINER")
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_process_scripts() {
    let scratch = Scratch::new("process");
    let good = scratch.write(
        "good.sh",
        &format!(
            "#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"proc-secret\", \"SessionToken\": \"proc-token\", \"Expiration\": \"{}\"}}'\n",
            rfc3339(in_secs(3600))
        ),
    );
    let bad = scratch.write(
        "bad.sh",
        "#!/bin/sh\necho 'token expired, log in again' >&2\nexit 3\n",
    );
    let wrong = scratch.write("wrong.sh", "#!/bin/sh\necho '{\"Version\": 2}'\n");
    scratch.write(
        "home/.aws/config",
        &format!(
            "[profile good]\ncredential_process = sh {}\n[profile bad]\ncredential_process = sh {}\n[profile wrong]\ncredential_process = sh {}\n",
            good.display(),
            bad.display(),
            wrong.display()
        ),
    );
    let provider = |name: &str| {
        ProfileFileCredentialsProvider::from_env_with(scratch.env(&[("AWS_PROFILE", name)]))
            .unwrap()
    };
    let credentials = provide(&provider("good")).await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDPROC");
    assert_eq!(credentials.secret_access_key(), "proc-secret");
    assert_eq!(credentials.session_token(), Some("proc-token"));
    assert!(credentials
        .expiry()
        .is_some_and(|expiry| expiry > SystemTime::now()));

    let error = provide(&provider("bad")).await.unwrap_err().to_string();
    assert!(
        error.contains("token expired, log in again") && error.contains("exit status: 3"),
        "{error}"
    );
    let error = provide(&provider("wrong")).await.unwrap_err().to_string();
    assert!(error.contains("Version 2"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_process_sees_the_injected_environment_and_keeps_its_arguments_secret() {
    let scratch = Scratch::new("process-env");
    // The key comes from a variable only the injected environment has; the expiry carries an
    // offset and fractional seconds.
    let script = scratch.write(
        "env.sh",
        "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"s\", \"Expiration\": \"2999-05-01T14:00:00.5+02:00\"}' \"$PROC_KEY_FROM_ENV\"\n",
    );
    let failing = scratch.write("fail.sh", "#!/bin/sh\necho 'denied' >&2\nexit 1\n");
    scratch.write(
        "home/.aws/config",
        &format!(
            "[profile env]\ncredential_process = sh {}\n[profile secret]\ncredential_process = sh {} --password hunter2\n",
            script.display(),
            failing.display()
        ),
    );
    assert!(std::env::var_os("PROC_KEY_FROM_ENV").is_none());
    let provider = ProfileFileCredentialsProvider::from_env_with(scratch.env(&[
        ("AWS_PROFILE", "env"),
        ("PROC_KEY_FROM_ENV", "AKIDINJECTED"),
    ]))
    .unwrap();
    let credentials = provide(&provider).await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDINJECTED");
    let expected = UNIX_EPOCH + Duration::from_secs(32_482_555_200) + Duration::from_millis(500);
    assert_eq!(credentials.expiry(), Some(expected));

    let provider =
        ProfileFileCredentialsProvider::from_env_with(scratch.env(&[("AWS_PROFILE", "secret")]))
            .unwrap();
    let error = provide(&provider).await.unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(text.contains("denied"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// SSO.

/// SHA-1 hex of `key`, as the AWS CLI names its cache files (computed here independently of the
/// client with `sha1sum`, when available, else the known value below).
fn cli_cache_name(key: &str) -> String {
    let output = std::process::Command::new("sha1sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(key.as_bytes())?;
            child.wait_with_output()
        })
        .expect("sha1sum runs");
    let text = String::from_utf8(output.stdout).unwrap();
    text.split_whitespace().next().unwrap().to_owned()
}

/// SSO and SSO OIDC stand-ins on one server: `GET /federation/credentials` wants
/// `valid_token`; `POST /token` trades `refresh-1` for `fresh-token` / `refresh-2`.
async fn sso_server(valid_token: &'static str) -> TestServer {
    TestServer::start_with(move |request| match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/federation/credentials") => {
            if request.header("x-amz-sso_bearer_token") != Some(valid_token) {
                return Canned::new(401, r#"{"message":"Session token not found or invalid"}"#)
                    .header("x-amzn-errortype", "UnauthorizedException");
            }
            if request.query.as_deref() != Some("account_id=111122223333&role_name=Admin") {
                return Canned::new(403, r#"{"message":"No access"}"#);
            }
            let expiration = in_secs(3600).duration_since(UNIX_EPOCH).unwrap().as_millis();
            Canned::ok(format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-token","expiration":{expiration}}}}}"#
            ))
        }
        ("POST", "/token") => {
            let body = request.json();
            if body["grantType"] != "refresh_token"
                || body["refreshToken"] != "refresh-1"
                || body["clientId"] != "client-id-1"
                || body["clientSecret"] != "client-secret-1"
            {
                return Canned::new(400, r#"{"error":"invalid_grant","error_description":"bad refresh token"}"#);
            }
            Canned::ok(r#"{"accessToken":"fresh-token","expiresIn":28800,"refreshToken":"refresh-2","tokenType":"Bearer"}"#)
        }
        _ => Canned::new(404, "{}"),
    })
    .await
}

const SSO_CONFIG: &str = "\
[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = us-west-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = Admin
";

/// A token cache file as `aws sso login --sso-session corp` writes it.
fn cli_token_file(access_token: &str, expires_at: SystemTime) -> String {
    format!(
        r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "{access_token}", "expiresAt": "{}", "clientId": "client-id-1", "clientSecret": "client-secret-1", "registrationExpiresAt": "{}", "refreshToken": "refresh-1"}}"#,
        rfc3339(expires_at),
        rfc3339(in_secs(90 * 24 * 3600))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_session_with_a_valid_cached_token() {
    let scratch = Scratch::new("sso-valid");
    scratch.write("home/.aws/config", SSO_CONFIG);
    let cache = format!("home/.aws/sso/cache/{}.json", cli_cache_name("corp"));
    scratch.write(&cache, &cli_token_file("cached-token", in_secs(3600)));
    let server = sso_server("cached-token").await;
    let provider = ProfileFileCredentialsProvider::from_env_with(scratch.env(&[
        ("AWS_PROFILE", "sso"),
        ("AWS_ENDPOINT_URL_SSO", &server.url()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9"),
    ]))
    .unwrap();
    let credentials = provide(&provider).await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    assert_eq!(credentials.session_token(), Some("sso-token"));
    assert!(credentials
        .expiry()
        .is_some_and(|expiry| expiry > SystemTime::now()));
    assert_eq!(server.requests().len(), 1, "no refresh of a valid token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_sso_token_is_refreshed_and_written_back() {
    let scratch = Scratch::new("sso-refresh");
    scratch.write("home/.aws/config", SSO_CONFIG);
    let cache = format!("home/.aws/sso/cache/{}.json", cli_cache_name("corp"));
    let path = scratch.write(
        &cache,
        &cli_token_file("stale-token", in_secs(0) - Duration::from_secs(60)),
    );
    let server = sso_server("fresh-token").await;
    let provider = ProfileFileCredentialsProvider::from_env_with(
        scratch.env(&[("AWS_PROFILE", "sso"), ("AWS_ENDPOINT_URL", &server.url())]),
    )
    .unwrap();
    let credentials = provide(&provider).await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    let paths: Vec<_> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/token", "/federation/credentials"]);

    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["accessToken"], "fresh-token");
    assert_eq!(written["refreshToken"], "refresh-2");
    assert_eq!(written["clientId"], "client-id-1");
    assert_eq!(written["startUrl"], "https://corp.awsapps.com/start");
    // It holds secrets: only its owner may read it, as the CLI writes it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let expires_at = written["expiresAt"].as_str().unwrap();
    assert!(
        expires_at.ends_with('Z') && expires_at > rfc3339(in_secs(7 * 3600)).as_str(),
        "{expires_at}"
    );

    // The written token is used as it is by the next load.
    provide(&provider).await.unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_and_sso_oidc_follow_the_profiles_services_section() {
    let scratch = Scratch::new("sso-services");
    let server = sso_server("fresh-token").await;
    let oidc = sso_server("unused").await;
    let config = SSO_CONFIG.replace(
        "region = us-west-2\n",
        &format!(
            "region = us-west-2\nservices = local\nendpoint_url = {}\n\n[services local]\nsso =\n  endpoint_url = {}\n",
            oidc.url(),
            server.url()
        ),
    );
    scratch.write("home/.aws/config", &config);
    let cache = format!("home/.aws/sso/cache/{}.json", cli_cache_name("corp"));
    scratch.write(
        &cache,
        &cli_token_file("stale-token", in_secs(0) - Duration::from_secs(60)),
    );
    let provider =
        ProfileFileCredentialsProvider::from_env_with(scratch.env(&[("AWS_PROFILE", "sso")]))
            .unwrap();
    let credentials = provide(&provider).await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    // SSO OIDC has no entry in the section: the profile's endpoint_url.
    let paths: Vec<_> = oidc.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/token"]);
    let paths: Vec<_> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/federation/credentials"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_answers_with_times_out_of_range_are_errors_not_panics() {
    let scratch = Scratch::new("sso-range");
    scratch.write("home/.aws/config", SSO_CONFIG);
    let cache = format!("home/.aws/sso/cache/{}.json", cli_cache_name("corp"));
    scratch.write(
        &cache,
        &cli_token_file("stale-token", in_secs(0) - Duration::from_secs(60)),
    );
    let server = TestServer::start_with(|request| match request.path.as_str() {
        "/token" => Canned::ok(
            r#"{"accessToken":"fresh-token","expiresIn":18446744073709551615,"tokenType":"Bearer"}"#,
        ),
        _ => Canned::new(404, "{}"),
    })
    .await;
    let provider = ProfileFileCredentialsProvider::from_env_with(
        scratch.env(&[("AWS_PROFILE", "sso"), ("AWS_ENDPOINT_URL", &server.url())]),
    )
    .unwrap();
    let error = provide(&provider).await.unwrap_err().to_string();
    assert!(error.contains("expiresIn out of range"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_failures_say_what_to_do() {
    let scratch = Scratch::new("sso-fail");
    scratch.write("home/.aws/config", SSO_CONFIG);
    let server = sso_server("fresh-token").await;
    let env = scratch.env(&[
        ("AWS_PROFILE", "legacy"),
        ("AWS_ENDPOINT_URL", &server.url()),
    ]);

    // No cache file.
    let provider = ProfileFileCredentialsProvider::from_env_with(env.clone()).unwrap();
    let error = provide(&provider).await.unwrap_err().to_string();
    assert!(error.contains("aws sso login"), "{error}");

    // The legacy form is keyed by the start URL; expired, no refresh token.
    let cache = format!(
        "home/.aws/sso/cache/{}.json",
        cli_cache_name("https://legacy.awsapps.com/start")
    );
    scratch.write(
        &cache,
        &format!(
            r#"{{"startUrl": "https://legacy.awsapps.com/start", "region": "us-east-1", "accessToken": "old", "expiresAt": "{}"}}"#,
            rfc3339(in_secs(0) - Duration::from_secs(60))
        ),
    );
    let error = provide(&provider).await.unwrap_err().to_string();
    assert!(
        error.contains("expired") && error.contains("aws sso login"),
        "{error}"
    );
    assert!(!error.contains("\"old\""), "{error}");

    // A valid token the portal rejects.
    scratch.write(
        &cache,
        &format!(
            r#"{{"startUrl": "https://legacy.awsapps.com/start", "region": "us-east-1", "accessToken": "revoked", "expiresAt": "{}"}}"#,
            rfc3339(in_secs(3600))
        ),
    );
    let error = provide(&provider).await.unwrap_err().to_string();
    assert!(
        error.contains("status 401") && error.contains("Session token not found"),
        "{error}"
    );
    assert!(!error.contains("revoked"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Container and IMDS.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_credentials() {
    let scratch = Scratch::new("container");
    let token_file = scratch.write("eks-token", "pod-identity-token\n");
    let loads = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&loads);
    let server = TestServer::start_with(move |request| {
        if request.header("authorization") != Some("pod-identity-token") {
            return Canned::new(401, r#"{"code":"AccessDenied","message":"bad token"}"#);
        }
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        if n == 2 {
            // One transient failure: retried.
            return Canned::new(503, "busy");
        }
        json_credentials(&format!("ASIACONTAINER{n}"), in_secs(60))
    })
    .await;
    let url = format!("{}/v1/credentials", server.url());
    let token_path = token_file.display().to_string();
    let env = scratch.env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token_path),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ignored-when-the-file-is-set",
        ),
    ]);
    let cache = LazyCredentialsCache::new(ContainerCredentialsProvider::new(env.clone()));
    let first = provide(&cache).await.unwrap();
    assert_eq!(first.access_key_id(), "ASIACONTAINER1");
    assert_eq!(first.session_token(), Some("token-ASIACONTAINER1"));
    // A minute left: refreshed, through the retried 503.
    assert_eq!(
        provide(&cache).await.unwrap().access_key_id(),
        "ASIACONTAINER3"
    );
    assert_eq!(server.requests()[0].path, "/v1/credentials");

    let mut wrong = env.clone();
    wrong.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    let error = provide(&ContainerCredentialsProvider::new(wrong))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("status 401"), "{error}");

    let error = provide(&ContainerCredentialsProvider::new(scratch.env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://192.168.1.10/creds",
    )])))
    .await
    .unwrap_err();
    assert!(
        error.to_string().contains("plain http is only allowed"),
        "{error}"
    );
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        provide(&ContainerCredentialsProvider::new(scratch.env(&[])))
            .await
            .unwrap_err()
            .is_not_loaded()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imds_v2() {
    let scratch = Scratch::new("imds");
    let credential_loads = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&credential_loads);
    let server = TestServer::start_with(move |request| {
        match (request.method.as_str(), request.path.as_str()) {
            ("PUT", "/latest/api/token") => {
                if request.header("x-aws-ec2-metadata-token-ttl-seconds") != Some("21600") {
                    return Canned::new(400, "missing TTL");
                }
                Canned::ok("imds-session-token")
            }
            (_, path)
                if request.header("x-aws-ec2-metadata-token") != Some("imds-session-token") =>
            {
                Canned::new(401, format!("no token for {path}"))
            }
            ("GET", "/latest/meta-data/iam/security-credentials/") => Canned::ok("web-role\n"),
            ("GET", "/latest/meta-data/iam/security-credentials/web-role") => {
                let n = count.fetch_add(1, Ordering::SeqCst) + 1;
                json_credentials(&format!("ASIAIMDS{n}"), in_secs(60))
            }
            _ => Canned::new(404, "not found"),
        }
    })
    .await;
    let env = scratch.env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
    ]);
    let cache = LazyCredentialsCache::new(ImdsCredentialsProvider::new(env));
    assert_eq!(provide(&cache).await.unwrap().access_key_id(), "ASIAIMDS1");
    assert_eq!(provide(&cache).await.unwrap().access_key_id(), "ASIAIMDS2");
    let puts = server
        .requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .count();
    assert_eq!(puts, 1, "the session token is reused within its TTL");

    let disabled = ImdsCredentialsProvider::new(
        scratch.env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url())]),
    );
    let error = provide(&disabled).await.unwrap_err();
    assert!(error.is_not_loaded() && error.to_string().contains("AWS_EC2_METADATA_DISABLED"));

    let bad_mode = ImdsCredentialsProvider::new(scratch.env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"),
    ]));
    let error = provide(&bad_mode).await.unwrap_err();
    assert!(error.to_string().contains("IPv5"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// The chain and the client.

/// A loopback port with nothing behind it.
fn dead_endpoint() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_error_names_every_provider() {
    let scratch = Scratch::new("chain-empty");
    let chain = DefaultCredentialsChain::from_env_with(scratch.env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &dead_endpoint()),
    ]))
    .unwrap();
    let error = provide(&chain).await.unwrap_err();
    assert!(error.is_not_loaded());
    let message = error.to_string();
    for part in [
        "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
        "profile: profile `default` is not defined",
        "container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "IMDS: no instance metadata service answered",
    ] {
        assert!(message.contains(part), "`{part}` missing from: {message}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_goes_in_sdk_order() {
    let scratch = Scratch::new("chain-order");
    scratch.write(
        "home/.aws/config",
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n[profile half]\naws_access_key_id = AKIDHALF\n",
    );
    let container =
        TestServer::start_with(|_| json_credentials("ASIACONTAINER", in_secs(3600))).await;
    let url = format!("{}/creds", container.url());
    let both = scratch.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "e"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
    ]);
    let chain = DefaultCredentialsChain::from_env_with(both).unwrap();
    assert_eq!(provide(&chain).await.unwrap().access_key_id(), "AKIDENV");
    let chain = DefaultCredentialsChain::from_env_with(
        scratch.env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)]),
    )
    .unwrap();
    assert_eq!(
        provide(&chain).await.unwrap().access_key_id(),
        "AKIDPROFILE"
    );
    let chain = DefaultCredentialsChain::from_env_with(scratch.env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_PROFILE", "other"),
    ]))
    .unwrap();
    assert_eq!(
        provide(&chain).await.unwrap().access_key_id(),
        "ASIACONTAINER"
    );
    assert_eq!(container.requests().len(), 1);
    // A profile with half of its keys is an error, not a reason to go on to the container.
    let chain = DefaultCredentialsChain::from_env_with(scratch.env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_PROFILE", "half"),
    ]))
    .unwrap();
    let error = provide(&chain).await.unwrap_err().to_string();
    assert!(
        error.contains("profile `half` sets some of its static keys but not aws_secret_access_key"),
        "{error}"
    );
    assert_eq!(container.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_from_env_assumes_the_role_lazily_and_signs_calls_with_it() {
    let scratch = Scratch::new("config-role");
    scratch.write(
        "home/.aws/config",
        "[profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = base\nregion = us-east-1\n[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    let sts = assume_role_server().await;
    let service = TestServer::start(vec![
        Canned::ok(r#"{"Value":"one"}"#),
        Canned::ok(r#"{"Value":"two"}"#),
    ])
    .await;
    let config = Config::from_env_with(scratch.env(&[
        ("AWS_PROFILE", "app"),
        ("AWS_ENDPOINT_URL_STS", &sts.url()),
        ("AWS_ENDPOINT_URL_TEST_SERVICE", &service.url()),
    ]))
    .unwrap();
    assert!(config.credentials().is_none());
    assert!(config.credentials_provider().is_some());
    assert!(sts.requests().is_empty(), "no request at construction");

    let client = Client::new(
        config
            .to_builder()
            .timeout_config(TimeoutConfig::new().with_operation_timeout(Some(LIMIT)))
            .build(),
    );
    for _ in 0..2 {
        client
            .call::<GetThing>(GetThingInput {
                name: "x".to_owned(),
            })
            .await
            .unwrap();
    }
    assert_eq!(sts.requests().len(), 1, "the assumed role is cached");
    for request in service.requests() {
        assert_eq!(signing_key(&request), "ASIAAPP");
        assert_eq!(request.header("x-amz-security-token"), Some("token-APP"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_provider_on_the_builder_and_a_failing_one() {
    #[derive(Debug)]
    struct Failing;
    impl ProvideCredentials for Failing {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(Err(CredentialsError::provider_error(
                "vault is sealed",
            )))
        }
    }
    let service = TestServer::start(vec![Canned::ok("{}")]).await;
    let clock = ManualClock::new();
    let source = Counting::new(&clock, Duration::from_secs(3600), Duration::ZERO);
    let client = Client::new(
        service
            .config()
            .credentials_provider(Arc::clone(&source))
            .build(),
    );
    client
        .call::<GetThing>(GetThingInput {
            name: "x".to_owned(),
        })
        .await
        .unwrap();
    assert_eq!(signing_key(&service.requests()[0]), "key-1");

    let client = Client::new(service.config().credentials_provider(Failing).build());
    let error = client
        .call::<GetThing>(GetThingInput {
            name: "x".to_owned(),
        })
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("vault is sealed")
            || format!("{error:?}").contains("vault is sealed"),
        "{error:?}"
    );
    assert_eq!(
        service.requests().len(),
        1,
        "no request without credentials"
    );
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let credentials = Credentials::new("AKIDVISIBLE", "very-secret", Some("very-token".to_owned()))
        .with_expiry(in_secs(60));
    let config = Config::builder().credentials(credentials.clone()).build();
    for text in [format!("{credentials:?}"), format!("{config:?}")] {
        assert!(text.contains("AKIDVISIBLE"), "{text}");
        assert!(
            !text.contains("very-secret") && !text.contains("very-token"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn loading_credentials_counts_against_the_operation_timeout() {
    #[derive(Debug)]
    struct Hanging;
    impl ProvideCredentials for Hanging {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(std::future::pending())
        }
    }
    let service = TestServer::start(vec![Canned::ok("{}")]).await;
    let client = Client::new(
        service
            .config()
            .credentials_provider(Hanging)
            .timeout_config(
                TimeoutConfig::new().with_operation_timeout(Some(Duration::from_millis(200))),
            )
            .build(),
    );
    let error = tokio::time::timeout(
        LIMIT,
        client.call::<GetThing>(GetThingInput {
            name: "x".to_owned(),
        }),
    )
    .await
    .expect("the operation timeout ends the call")
    .unwrap_err();
    assert!(
        matches!(error, aws_json_client::SdkError::Timeout(_)),
        "{error:?}"
    );
    assert!(service.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imds_as_a_credential_source_with_a_token_that_expires_early() {
    let scratch = Scratch::new("imds-source");
    let issued = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&issued);
    // Each PUT issues `token-<n>`; only the latest is accepted, and the first one is revoked at
    // once, so the provider must fetch a second token after a 401.
    let imds = TestServer::start_with(move |request| {
        if request.method == "PUT" {
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            return Canned::ok(format!("token-{n}"));
        }
        let current = format!("token-{}", count.load(Ordering::SeqCst));
        if request.header("x-aws-ec2-metadata-token") != Some(current.as_str())
            || current == "token-1"
        {
            return Canned::new(401, "");
        }
        match request.path.as_str() {
            "/latest/meta-data/iam/security-credentials/" => Canned::ok("instance-role"),
            "/latest/meta-data/iam/security-credentials/instance-role" => {
                json_credentials("ASIAINSTANCE", in_secs(3600))
            }
            _ => Canned::new(404, ""),
        }
    })
    .await;
    let sts = assume_role_server().await;
    scratch.write(
        "home/.aws/config",
        &format!(
            "[profile ec2]\nrole_arn = arn:aws:iam::1:role/onec2\ncredential_source = Ec2InstanceMetadata\nec2_metadata_service_endpoint = {}\n",
            imds.url()
        ),
    );
    let provider = ProfileFileCredentialsProvider::from_env_with(scratch.env(&[
        ("AWS_PROFILE", "ec2"),
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_ENDPOINT_URL_STS", &sts.url()),
    ]))
    .unwrap();
    assert_eq!(
        provide(&provider).await.unwrap().access_key_id(),
        "ASIAONEC2"
    );
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let last = sts.requests().pop().unwrap();
    assert_eq!(signing_key(&last), "ASIAINSTANCE");
}
