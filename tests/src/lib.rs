//! Tests only: see `tests/`. This library holds what several test files share.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The botocore release whose test data the tests read (`cargo xtask endpoint-corpus` and
/// `cargo xtask conformance` default to it too).
pub const BOTOCORE_VERSION: &str = "1.44.8";

/// The workspace's target directory, where downloaded test data is cached.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The directory holding `paths` (files or folders of botocore's source distribution, such
/// as `tests/unit/auth/aws4_testsuite`) at their place in the distribution. The sdist is
/// downloaded from PyPI once into `target/botocore-cache/sdists/`, and each path extracted once.
pub fn botocore_source(paths: &[&str]) -> PathBuf {
    let cache = target_dir().join("botocore-cache");
    let root = cache.join(BOTOCORE_VERSION).join("source");
    let missing: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|path| !root.join(path).exists())
        .collect();
    if missing.is_empty() {
        return root;
    }
    let sdists = cache.join("sdists");
    let sdist = sdists.join(format!("botocore-{BOTOCORE_VERSION}.tar.gz"));
    if !sdist.is_file() {
        pip_download_botocore(BOTOCORE_VERSION, &sdists, true);
    }
    run(Command::new("python3")
        .args(["-c", EXTRACT])
        .arg(&sdist)
        .arg(&root)
        .arg(format!("botocore-{BOTOCORE_VERSION}"))
        .args(missing));
    root
}

/// Extracts each path (a member or a folder of members) under `prefix/` into `root`, through
/// a temporary folder and a rename, so that a test never sees half a folder.
const EXTRACT: &str = r#"
import os, shutil, sys, tarfile, tempfile
sdist, root, prefix, paths = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
os.makedirs(root, exist_ok=True)
with tarfile.open(sdist) as archive:
    members = archive.getmembers()
    for path in paths:
        full = prefix + "/" + path
        chosen = [m for m in members if m.isfile() and (m.name == full or m.name.startswith(full + "/"))]
        if not chosen:
            sys.exit("no " + full + " in " + sdist)
        scratch = tempfile.mkdtemp(dir=root)
        for member in chosen:
            target = os.path.join(scratch, member.name[len(prefix) + 1:])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(archive.extractfile(member).read())
        destination = os.path.join(root, path)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        try:
            os.rename(os.path.join(scratch, path), destination)
        except OSError:
            if not os.path.exists(destination):
                raise
        shutil.rmtree(scratch, ignore_errors=True)
"#;

/// The directory holding `members` (paths inside botocore's wheel, such as
/// `botocore/data/sso-admin/2020-07-20/service-2.json`) of botocore `version`: the wheel is
/// downloaded from PyPI once into `target/botocore-cache/<version>/`, and the members extracted
/// there beside it.
pub fn botocore_wheel_files(version: &str, members: &[&str]) -> PathBuf {
    let cache = target_dir().join("botocore-cache").join(version);
    if members.iter().all(|member| cache.join(member).is_file()) {
        return cache;
    }
    std::fs::create_dir_all(&cache).expect("create the botocore cache");
    let wheel = cache.join(format!("botocore-{version}-py2.py3-none-any.whl"));
    if !wheel.is_file() {
        pip_download_botocore(version, &cache, false);
    }
    let script =
        "import sys, zipfile\nzipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], sys.argv[3:])";
    run(Command::new("python3")
        .args(["-c", script])
        .arg(&wheel)
        .arg(&cache)
        .args(members));
    cache
}

/// Downloads botocore `version` from PyPI into `dir` with pip: its source distribution when
/// `source`, else its wheel.
fn pip_download_botocore(version: &str, dir: &Path, source: bool) {
    let mut command = Command::new("python3");
    command.args(["-m", "pip", "download", "--no-deps", "--quiet"]);
    command.arg("--disable-pip-version-check");
    if source {
        command.arg("--no-binary=:all:");
    }
    run(command
        .arg(format!("botocore=={version}"))
        .arg("-d")
        .arg(dir));
}

/// Runs `check` on every case, and fails naming each case that fails and why.
pub fn assert_every_case_passes<C>(
    cases: &[C],
    name: impl Fn(&C) -> String,
    check: impl Fn(&C) -> Result<(), String>,
) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case)
                .err()
                .map(|error| format!("{}: {error}", name(case)))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed (fetching botocore needs python3, pip and the network):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
