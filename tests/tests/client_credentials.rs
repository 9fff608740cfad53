//! The credential chain end to end:
//!
//! - moto's server as STS: a profile with `role_arn` + `source_profile` assumes a role through
//!   moto's `AssumeRole`, and the temporary credentials call moto's SSO Admin;
//! - a profile that assumes a role through a local STS stand-in answering known temporary
//!   credentials, then calls the emulator, which verifies the SigV4 signature of the temporary key
//!   *and* its session token (a wrong token is refused).

mod client_support;
#[path = "../../runtime-client/tests/scratch/mod.rs"]
mod scratch;

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_json_client::credentials::{ProfileFileCredentialsProvider, ProvideCredentials};
use aws_json_server::sigv4::{Credential, SigV4Config};
use bytes::Bytes;
use client_support::*;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use scratch::Scratch;
use sso_admin_emulator::Emulator;

const LIMIT: Duration = Duration::from_secs(60);
const TEMPORARY_KEY: &str = "ASIATEMPORARYKEY";
const TEMPORARY_SECRET: &str = "temporary-secret";
const TEMPORARY_TOKEN: &str = "temporary-session-token";

const ROLE_PROFILE: &str = "\
[profile app]
role_arn = arn:aws:iam::123456789012:role/app
source_profile = base
role_session_name = end-to-end
region = us-east-1

[profile base]
aws_access_key_id = AKIDBASEPROFILE
aws_secret_access_key = base-profile-secret
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_assumed_through_motos_sts() {
    let moto = MotoServer::start();
    let scratch = Scratch::new("moto");
    scratch.write("home/.aws/config", ROLE_PROFILE);
    let env = scratch.env(&[
        ("AWS_PROFILE", "app"),
        ("AWS_ENDPOINT_URL_STS", &moto.endpoint),
        ("AWS_ENDPOINT_URL_SSO_ADMIN", &moto.endpoint),
    ]);
    let provider = ProfileFileCredentialsProvider::from_env_with(env.clone()).unwrap();
    let credentials = bounded(LIMIT, provider.provide_credentials())
        .await
        .expect("moto's AssumeRole answers");
    assert!(
        credentials.access_key_id().starts_with("ASIA"),
        "{credentials:?}"
    );
    assert!(credentials
        .session_token()
        .is_some_and(|token| !token.is_empty()));
    assert!(credentials
        .expiry()
        .is_some_and(|expiry| expiry > SystemTime::now()));

    // The same chain through the configuration: the call to moto's SSO Admin is signed with
    // moto's temporary credentials.
    let config = sso_admin::Config::from_env_with(env).unwrap();
    let client = sso_admin::Client::new(&config);
    let instances = bounded(LIMIT, client.list_instances().send())
        .await
        .expect("ListInstances with the assumed role")
        .instances
        .unwrap_or_default();
    assert_eq!(instances.len(), 1);
}

/// A local STS: answers every `AssumeRole` with the known temporary credentials and records the
/// form bodies.
async fn sts_stand_in() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&bodies);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let recorded = Arc::clone(&recorded);
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let recorded = Arc::clone(&recorded);
                    async move {
                        let body = request.into_body().collect().await.unwrap().to_bytes();
                        recorded
                            .lock()
                            .unwrap()
                            .push(String::from_utf8_lossy(&body).into_owned());
                        let xml = format!(
                            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials><AccessKeyId>{TEMPORARY_KEY}</AccessKeyId><SecretAccessKey>{TEMPORARY_SECRET}</SecretAccessKey><SessionToken>{TEMPORARY_TOKEN}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"
                        );
                        Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from(xml))))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (format!("http://{address}"), bodies)
}

/// The emulator, verifying SigV4 against the temporary key with `session_token`.
async fn emulator_expecting(session_token: &str) -> LocalServer {
    let store = HashMap::from([(
        TEMPORARY_KEY.to_owned(),
        Credential::new(TEMPORARY_SECRET).with_session_token(session_token),
    )]);
    let service =
        sso_admin::server::service_builder(Arc::new(Emulator::with_instance(INSTANCE, STORE)))
            .sigv4(SigV4Config::new(store).with_region(REGION))
            .build()
            .expect("every operation is registered");
    LocalServer::serve(service).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_role_then_the_emulator_sees_the_temporary_key_and_its_token() {
    let (sts, bodies) = sts_stand_in().await;
    let emulator = emulator_expecting(TEMPORARY_TOKEN).await;
    let scratch = Scratch::new("emulator");
    scratch.write("home/.aws/config", ROLE_PROFILE);
    let env = scratch.env(&[
        ("AWS_PROFILE", "app"),
        ("AWS_ENDPOINT_URL_STS", &sts),
        ("AWS_ENDPOINT_URL_SSO_ADMIN", &emulator.endpoint),
    ]);
    let config = sso_admin::Config::from_env_with(env.clone()).unwrap();
    let client = sso_admin::Client::new(&config);
    let instances = bounded(LIMIT, client.list_instances().send())
        .await
        .expect("the emulator accepts the temporary key and its session token")
        .instances
        .unwrap_or_default();
    assert_eq!(
        instances[0].instance_arn.as_deref(),
        Some(INSTANCE),
        "{instances:?}"
    );
    let sent = bodies.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].contains("Action=AssumeRole")
            && sent[0].contains("RoleSessionName=end-to-end")
            && sent[0].contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp"),
        "{}",
        sent[0]
    );

    // An emulator expecting another session token refuses the same call: the token it saw is
    // the one STS handed out.
    let strict = emulator_expecting("another-token").await;
    let mut other = env;
    other.insert("AWS_ENDPOINT_URL_SSO_ADMIN".into(), strict.endpoint.clone());
    let client = sso_admin::Client::new(&sso_admin::Config::from_env_with(other).unwrap());
    let error = bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap_err();
    let text = format!("{error:?}");
    assert!(text.contains("UnrecognizedClient"), "{text}");
}
