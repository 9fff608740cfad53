//! `cargo xtask test`: the one command that runs every check and test, locally and in CI.

use std::process::Command;

use crate::codegen_cmd::{self, workspace_root, Job};
use crate::conformance;
use crate::python_env;
use crate::sdk_compat;

/// Runs the checks in order of cost, stopping at the first failure.
pub fn run() -> Result<(), String> {
    println!("==> generated/ is up to date");
    codegen_cmd::run(&Job::new(None, None), true)?;
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    // A client-only build, as users of the client have it: the workspace's servers turn on
    // validation and gzip for every crate, so the client's own feature set is checked alone.
    cargo(&[
        "clippy",
        "-p",
        "sso-admin",
        "-p",
        "aws-json-client",
        "-p",
        "aws-json-runtime",
        "-p",
        "aws-json-endpoints",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "-p", "aws-json-client", "--lib"])?;
    // The snapshot crate's property tests round-trip through both serde directions, which
    // nothing in the workspace turns on for it.
    cargo(&[
        "test",
        "-p",
        "inventory",
        "--lib",
        "--features",
        "serde-all",
    ])?;
    // Every public item of the generated crate has rustdoc, and rustdoc has nothing to warn about.
    cargo_with(
        &[
            "doc",
            "--no-deps",
            "--all-features",
            "-p",
            "sso-admin",
            "-p",
            "aws-json-runtime",
        ],
        &[("RUSTDOCFLAGS", "-D warnings".to_owned())],
    )?;
    let venv = python_env::ensure()?;
    cargo_with(
        &["test", "--workspace"],
        &[(python_env::VENV_VARIABLE, venv.display().to_string())],
    )?;
    println!("==> botocore's JSON protocol suites (cargo xtask conformance)");
    conformance::run_suites()?;
    println!("==> the SDK compatibility programs against sso_admin (cargo xtask sdk-compat)");
    sdk_compat::run()?;
    Ok(())
}

fn cargo(args: &[&str]) -> Result<(), String> {
    cargo_with(args, &[])
}

fn cargo_with(args: &[&str], env: &[(&str, String)]) -> Result<(), String> {
    println!("==> cargo {}", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().map(|(key, value)| (*key, value.as_str())))
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}
