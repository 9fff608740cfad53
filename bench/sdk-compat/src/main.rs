//! Runs the compatibility programs against the service at the endpoint URL given as the only
//! argument (or `SSO_ADMIN_ENDPOINT`) and prints what they saw. Exits non-zero on the first
//! failure.

use std::process::ExitCode;

use sdk_compat::{client, create_and_assign, errors, instance_arn, list_permission_sets, BoxError};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let endpoint = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("SSO_ADMIN_ENDPOINT").ok());
    let Some(endpoint) = endpoint else {
        eprintln!("usage: sdk-compat ENDPOINT_URL (or set SSO_ADMIN_ENDPOINT)");
        return ExitCode::from(2);
    };
    match run(&endpoint).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sdk-compat ({}): {error}", flavor());
            ExitCode::FAILURE
        }
    }
}

fn flavor() -> &'static str {
    if cfg!(feature = "sdk") {
        "aws-sdk-ssoadmin"
    } else {
        "sso_admin"
    }
}

async fn run(endpoint: &str) -> Result<(), BoxError> {
    println!("# compiled against {}", flavor());
    let client = client(endpoint);
    let instance = instance_arn(&client).await?;
    println!("instance: found");
    let name = format!("compat-{}", if cfg!(feature = "sdk") { "sdk" } else { "ours" });
    let (_arn, report) = create_and_assign(&client, &instance, &name).await?;
    for line in report {
        println!("create and assign: {line}");
    }
    for line in list_permission_sets(&client, &instance).await? {
        println!("list: {line}");
    }
    for line in errors(&client, &instance, &name).await? {
        println!("errors: {line}");
    }
    println!("all programs passed");
    Ok(())
}
