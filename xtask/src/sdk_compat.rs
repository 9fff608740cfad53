//! `cargo xtask sdk-compat` (also the last step of `cargo xtask test`): builds the
//! compatibility programs of `bench/sdk-compat` against the generated `sso_admin` crate (never
//! against aws-sdk-ssoadmin: that build is `bench/sdk-compat/run.sh`'s), runs their unit test,
//! and runs them against a fresh emulator on a free loopback port.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::botocore_data::target_dir;
use crate::codegen_cmd::workspace_root;

/// Builds, tests and runs the `sso_admin` side of the compatibility programs.
pub fn run() -> Result<(), String> {
    let root = workspace_root();
    let manifest = root.join("bench/sdk-compat/Cargo.toml");
    let manifest = manifest.to_string_lossy().into_owned();
    // The root target directory, so that the dependencies the workspace already built are
    // reused.
    let target = target_dir();
    cargo(&root, &["build", "-p", "sso-admin-emulator"], &target)?;
    cargo(&root, &["test", "--manifest-path", &manifest], &target)?;
    cargo(&root, &["build", "--manifest-path", &manifest], &target)?;
    let mut emulator = Emulator::start(&target.join("debug/sso-admin-emulator"))?;
    println!("==> sdk-compat {}", emulator.url);
    let status = Command::new(target.join("debug/sdk-compat"))
        .arg(&emulator.url)
        .status()
        .map_err(|e| format!("cannot run sdk-compat: {e}"));
    emulator.stop();
    match status? {
        status if status.success() => Ok(()),
        status => Err(format!("the compatibility programs failed ({status})")),
    }
}

fn cargo(root: &Path, args: &[&str], target: &Path) -> Result<(), String> {
    println!("==> cargo {}", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

/// The emulator on a free port, stopped when dropped.
struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    /// Starts the emulator and waits for the line that names its address.
    fn start(binary: &Path) -> Result<Self, String> {
        let mut child = Command::new(binary)
            .args(["--port", "0", "--log-level", "warn"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut line = String::new();
        let read = child
            .stdout
            .take()
            .map(|stdout| BufReader::new(stdout).read_line(&mut line));
        let url = line.trim().strip_prefix("listening on ").map(str::to_owned);
        match (read, url) {
            (Some(Ok(_)), Some(url)) => Ok(Self { child, url }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "the emulator did not print its address (got {line:?})"
                ))
            }
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}
