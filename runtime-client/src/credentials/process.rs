//! `credential_process`: a command that prints credentials as JSON (version 1).

use std::fmt;
use std::process::{Command, Stdio};

use super::time::parse_rfc3339;
use super::{Credentials, CredentialsError};
use crate::env::Env;

/// Runs `command` through the shell (`sh -c`, or `cmd.exe /C` on Windows) on a thread of its own
/// and reads its output:
///
/// ```json
/// {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…",
///  "Expiration": "2024-05-01T12:00:00Z"}
/// ```
///
/// The command sees the variables of `env` (all of them, and only them, when `env` can list
/// them: see [`Env::vars`]). A non-zero exit is reported with the command's standard error.
/// Messages name only the program: its arguments may hold secrets, as in the AWS SDK for Rust.
pub(crate) async fn run(command: &str, env: &dyn Env) -> Result<Credentials, CredentialsError> {
    let (send, receive) = tokio::sync::oneshot::channel();
    let mut child = shell(command);
    if let Some(vars) = env.vars() {
        child.env_clear().envs(vars);
    }
    let shown = Redacted(command);
    std::thread::Builder::new()
        .name("credential_process".to_owned())
        .spawn(move || {
            let _ = send.send(child.output());
        })
        .map_err(|error| {
            CredentialsError::provider_error("cannot start a thread for credential_process")
                .with_source(error)
        })?;
    let output = receive
        .await
        .map_err(|_| CredentialsError::provider_error("credential_process did not finish"))?
        .map_err(|error| {
            CredentialsError::provider_error(format!("cannot run credential_process `{shown}`"))
                .with_source(error)
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr: String = stderr.trim().chars().take(500).collect();
        return Err(CredentialsError::provider_error(format!(
            "credential_process `{shown}` failed ({}): {stderr}",
            output.status
        )));
    }
    parse(&output.stdout).map_err(|reason| {
        CredentialsError::provider_error(format!("credential_process `{shown}`: {reason}"))
    })
}

/// A command line shown by its first word only.
struct Redacted<'a>(&'a str);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut words = self.0.split_whitespace();
        f.write_str(words.next().unwrap_or(""))?;
        if words.next().is_some() {
            f.write_str(" ** arguments redacted **")?;
        }
        Ok(())
    }
}

#[cfg(not(windows))]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(command);
    shell
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    shell
}

#[cfg(windows)]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("cmd.exe");
    shell.arg("/C").arg(command);
    shell
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    shell
}

/// The credentials of a version 1 answer. The reasons never quote the output (it holds
/// secrets).
fn parse(stdout: &[u8]) -> Result<Credentials, String> {
    let document: serde_json::Value = serde_json::from_slice(stdout)
        .map_err(|error| format!("the output is not JSON ({error})"))?;
    match document.get("Version").and_then(serde_json::Value::as_u64) {
        Some(1) => {}
        Some(other) => return Err(format!("unsupported Version {other} (expected 1)")),
        None => return Err("the output has no numeric Version (expected 1)".to_owned()),
    }
    let field = |name: &str| {
        document
            .get(name)
            .and_then(serde_json::Value::as_str)
            .filter(|text| !text.is_empty())
    };
    let id = field("AccessKeyId").ok_or("the output has no AccessKeyId")?;
    let secret = field("SecretAccessKey").ok_or("the output has no SecretAccessKey")?;
    let credentials = Credentials::new(id, secret, field("SessionToken").map(str::to_owned));
    match field("Expiration") {
        None => Ok(credentials),
        Some(text) => parse_rfc3339(text)
            .map(|expiry| credentials.clone().with_expiry(expiry))
            .ok_or_else(|| format!("Expiration `{text}` is not an RFC 3339 timestamp")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_version_1() {
        let credentials = parse(
            br#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"S","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(credentials.session_token(), Some("T"));
        assert!(credentials.expiry().is_some());
        assert!(parse(br#"{"Version":2}"#)
            .unwrap_err()
            .contains("Version 2"));
        assert!(parse(br#"{"Version":1,"AccessKeyId":"A"}"#)
            .unwrap_err()
            .contains("SecretAccessKey"));
        assert!(parse(b"oops").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn messages_show_only_the_program() {
        assert_eq!(
            Redacted("fetch-creds --token hunter2").to_string(),
            "fetch-creds ** arguments redacted **"
        );
        assert_eq!(Redacted("  fetch-creds ").to_string(), "fetch-creds");
    }
}
