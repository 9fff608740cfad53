//! The real AWS tools against the running binary: boto3 through every operation
//! (`tests/python/boto3_scenario.py`), with and without SigV4 verification, and the AWS CLI.
//!
//! They come from the pinned venv (`cargo xtask install-test-tools`); without it these tests
//! fail, saying how to install it.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{venv_bin, Server, INSTANCE};

const ACCESS_KEY: &str = "AKIDEMULATORTEST";
const SECRET: &str = "emulator/secret+key";

/// Runs the boto3 scenario script against `server` in `mode` with the given keys.
fn boto3(server: &Server, key: &str, secret: &str, mode: &[&str]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/boto3_scenario.py");
    Command::new(venv_bin("python"))
        .arg(script)
        .args([&server.endpoint(), key, secret])
        .args(mode)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("the venv's python runs")
}

fn assert_passed(output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("all checks passed"),
        "the boto3 scenario failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn boto3_drives_all_27_operations() {
    let server = Server::start(&["--list-tags-page-size", "2"]);
    assert_passed(&boto3(&server, "AKIDANY", "any-secret", &["scenario"]));
}

#[test]
fn boto3_with_sigv4_verification() {
    let credentials = format!("{ACCESS_KEY}:{SECRET}");
    let server = Server::start(&[
        "--list-tags-page-size",
        "2",
        "--credentials",
        "AKIDOTHER:other-secret",
        "--credentials",
        &credentials,
    ]);
    assert_passed(&boto3(&server, ACCESS_KEY, SECRET, &["scenario"]));
    assert_passed(&boto3(
        &server,
        ACCESS_KEY,
        "not-the-secret",
        &["auth-fails", "InvalidSignatureException"],
    ));
    assert_passed(&boto3(
        &server,
        "AKIDUNKNOWN",
        SECRET,
        &["auth-fails", "UnrecognizedClientException"],
    ));
}

/// Runs `aws sso-admin ARGS` against `server` and parses its JSON output.
fn aws(server: &Server, args: &[&str]) -> Result<serde_json::Value, String> {
    let output = Command::new(venv_bin("aws"))
        .args([
            "--endpoint-url",
            &server.endpoint(),
            "--region",
            "us-east-1",
        ])
        .args(["--output", "json", "sso-admin"])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .expect("the venv's aws runs");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    serde_json::from_slice(&output.stdout).map_err(|error| {
        format!(
            "aws printed something other than JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn the_aws_cli_signs_creates_and_describes() {
    let credentials = format!("{ACCESS_KEY}:{SECRET}");
    let server = Server::start(&["--credentials", &credentials]);

    let instances = aws(&server, &["list-instances"]).expect("list-instances");
    assert_eq!(instances["Instances"][0]["InstanceArn"], INSTANCE);

    let created = aws(
        &server,
        &[
            "create-permission-set",
            "--instance-arn",
            INSTANCE,
            "--name",
            "CliOperators",
            "--description",
            "Created by the AWS CLI",
            "--session-duration",
            "PT2H",
            "--tags",
            "Key=team,Value=ops",
        ],
    )
    .expect("create-permission-set");
    let permission_set = &created["PermissionSet"];
    let arn = permission_set["PermissionSetArn"].as_str().expect("an ARN");
    assert!(arn.starts_with("arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-"));
    assert_eq!(permission_set["Name"], "CliOperators");
    assert_eq!(permission_set["SessionDuration"], "PT2H");

    let described = aws(
        &server,
        &[
            "describe-permission-set",
            "--instance-arn",
            INSTANCE,
            "--permission-set-arn",
            arn,
        ],
    )
    .expect("describe-permission-set");
    assert_eq!(described["PermissionSet"], *permission_set);
    assert_eq!(
        described["PermissionSet"]["Description"],
        "Created by the AWS CLI"
    );

    let error = aws(
        &server,
        &[
            "create-permission-set",
            "--instance-arn",
            INSTANCE,
            "--name",
            "CliOperators",
        ],
    )
    .expect_err("a duplicate name fails");
    assert!(error.contains("ConflictException"), "{error}");
    assert!(
        error.contains("PermissionSet with name CliOperators already exists."),
        "{error}"
    );
}
