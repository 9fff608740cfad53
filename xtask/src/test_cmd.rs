//! `cargo xtask test`: the one command that runs every check and test, locally and in CI.

use std::process::Command;

use crate::codegen_cmd::{self, workspace_root, Job};

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
    cargo(&["test", "--workspace"])?;
    Ok(())
}

fn cargo(args: &[&str]) -> Result<(), String> {
    println!("==> cargo {}", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}
