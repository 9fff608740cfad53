//! The Python tools the tests drive (boto3, the AWS CLI, moto's server), pinned in
//! `tests/python/requirements.txt` and installed into `target/venv`.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::codegen_cmd::workspace_root;

/// The environment variable through which tests find the virtual environment.
pub const VENV_VARIABLE: &str = "AWS_JSON_TEST_VENV";

/// Creates or updates `target/venv` when the pinned requirements changed; returns its path.
pub fn ensure() -> Result<PathBuf, String> {
    let root = workspace_root();
    let requirements_path = root.join("tests/python/requirements.txt");
    let requirements = fs::read_to_string(&requirements_path)
        .map_err(|e| format!("cannot read {}: {e}", requirements_path.display()))?;
    let venv = root.join("target/venv");
    let stamp = venv.join(".installed-requirements.txt");
    if fs::read_to_string(&stamp).is_ok_and(|installed| installed == requirements) {
        return Ok(venv);
    }
    println!(
        "==> installing the pinned Python test tools into {}",
        venv.display()
    );
    run(Command::new("python3")
        .args(["-m", "venv", "--clear"])
        .arg(&venv))?;
    let pip = venv.join("bin/pip");
    run(Command::new(&pip)
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements_path))?;
    fs::write(&stamp, requirements)
        .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(venv)
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({status})"))
    }
}
