//! The botocore service models, downloaded from PyPI once per release into
//! `target/botocore-cache/<version>/` (as `codegen/tests/botocore.rs` does for 1.17.59): the
//! wheel is fetched with `pip download`, and every service's newest API version is extracted
//! with Python's `zipfile` (newer releases gzip `service-2.json`, which is decompressed here).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::codegen_cmd::workspace_root;

/// One service of a botocore release: its directory name and model files.
#[derive(Clone, Debug)]
pub struct BotocoreService {
    /// The directory name under `botocore/data` (`sso-admin`).
    pub name: String,
    /// The newest API version directory (`2020-07-20`).
    pub api_version: String,
    /// `service-2.json`.
    pub model: PathBuf,
}

/// The sdist's endpoint test cases of a release, one file per service.
#[derive(Clone, Debug)]
pub struct EndpointTests {
    /// `<cache>/<release>/endpoint-tests/`, holding `<service>.json`.
    pub dir: PathBuf,
}

impl EndpointTests {
    /// The test cases of the service with this directory name, if botocore ships any.
    pub fn read(&self, service: &str) -> Result<Option<String>, String> {
        let path = self.dir.join(format!("{service}.json"));
        if path.is_file() {
            read(&path).map(Some)
        } else {
            Ok(None)
        }
    }
}

impl BotocoreService {
    /// The model text and its paginators, if any.
    pub fn read(&self) -> Result<(String, Option<String>), String> {
        let model = read(&self.model)?;
        let paginators = self.model.with_file_name("paginators-1.json");
        let paginators = if paginators.is_file() {
            Some(read(&paginators)?)
        } else {
            None
        };
        Ok((model, paginators))
    }

    /// `endpoint-rule-set-1.json` beside the model, if the service has one.
    pub fn endpoint_rule_set(&self) -> Result<Option<String>, String> {
        let path = self.model.with_file_name("endpoint-rule-set-1.json");
        if path.is_file() {
            read(&path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The `metadata.protocol` of the model (`json`, `rest-json`, …), read cheaply.
    pub fn protocol(&self) -> Result<Option<String>, String> {
        let (model, _) = self.read()?;
        let document: serde_json::Value =
            serde_json::from_str(&model).map_err(|e| format!("{}: {e}", self.model.display()))?;
        Ok(document["metadata"]["protocol"].as_str().map(str::to_owned))
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The target directory (`CARGO_TARGET_DIR` or `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// A botocore release's models, downloaded and extracted on first use. `version` is a release
/// (`1.44.8`) or `latest` (whatever PyPI serves now). Returns the release and its services,
/// sorted by name.
pub fn release(version: &str) -> Result<(String, Vec<BotocoreService>), String> {
    let cache = target_dir().join("botocore-cache");
    let wheels = cache.join("wheels");
    fs::create_dir_all(&wheels).map_err(|e| format!("cannot create {}: {e}", wheels.display()))?;
    let requirement = if version == "latest" {
        "botocore".to_owned()
    } else {
        format!("botocore=={version}")
    };
    let wheel = match find_wheel(&wheels, version) {
        Some(wheel) if version != "latest" => wheel,
        _ => {
            eprintln!("==> pip download {requirement}");
            run(Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--only-binary=:all:",
                ])
                .arg(&requirement)
                .arg("-d")
                .arg(&wheels))?;
            find_wheel(&wheels, version)
                .ok_or_else(|| format!("pip downloaded no wheel for {requirement}"))?
        }
    };
    let release = wheel_version(&wheel)
        .ok_or_else(|| format!("cannot read the version of {}", wheel.display()))?;
    let dir = cache.join(&release);
    // The stamp names what is extracted, so a cache from before rule sets were extracted is
    // refreshed.
    let stamp = dir.join(".extracted-with-rules");
    if !stamp.is_file() {
        eprintln!("==> extracting the service models of botocore {release}");
        run(Command::new("python3")
            .args(["-c", EXTRACT_SCRIPT])
            .arg(&wheel)
            .arg(&dir))?;
        fs::write(&stamp, "").map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok((release, services(&dir.join("botocore/data"))?))
}

/// Extracts `service-2.json`, `paginators-1.json` and `endpoint-rule-set-1.json` (gzipped or
/// not) of each service's newest API version.
const EXTRACT_SCRIPT: &str = r#"
import gzip, os, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
archive = zipfile.ZipFile(wheel)
newest = {}
for name in archive.namelist():
    parts = name.split("/")
    if len(parts) == 5 and parts[:2] == ["botocore", "data"] and parts[4].startswith("service-2.json"):
        service, version = parts[2], parts[3]
        if version > newest.get(service, ""):
            newest[service] = version
names = set(archive.namelist())
for service, version in newest.items():
    directory = os.path.join(out, "botocore", "data", service, version)
    os.makedirs(directory, exist_ok=True)
    for file in ("service-2.json", "paginators-1.json", "endpoint-rule-set-1.json"):
        for stored, unzip in ((file, False), (file + ".gz", True)):
            path = "/".join(["botocore", "data", service, version, stored])
            if path in names:
                data = archive.read(path)
                if unzip:
                    data = gzip.decompress(data)
                with open(os.path.join(directory, file), "wb") as target:
                    target.write(data)
                break
"#;

/// The endpoint test cases of a release (`tests/functional/endpoint-rules/` of its source
/// distribution, which the wheel lacks), downloaded with `pip download --no-binary` and
/// extracted on first use.
pub fn endpoint_tests(release: &str) -> Result<EndpointTests, String> {
    let cache = target_dir().join("botocore-cache");
    let dir = cache.join(release).join("endpoint-tests");
    let stamp = dir.join(".extracted");
    if stamp.is_file() {
        return Ok(EndpointTests { dir });
    }
    let sdists = cache.join("sdists");
    fs::create_dir_all(&sdists).map_err(|e| format!("cannot create {}: {e}", sdists.display()))?;
    let sdist = sdists.join(format!("botocore-{release}.tar.gz"));
    if !sdist.is_file() {
        eprintln!("==> pip download botocore=={release} (source distribution)");
        run(Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--disable-pip-version-check",
                "--no-binary=:all:",
            ])
            .arg(format!("botocore=={release}"))
            .arg("-d")
            .arg(&sdists))?;
    }
    eprintln!("==> extracting the endpoint tests of botocore {release}");
    run(Command::new("python3")
        .args(["-c", EXTRACT_TESTS_SCRIPT])
        .arg(&sdist)
        .arg(&dir))?;
    fs::write(&stamp, "").map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(EndpointTests { dir })
}

/// Extracts `tests/functional/endpoint-rules/<service>/endpoint-tests-1.json` of an sdist
/// into `<out>/<service>.json`.
const EXTRACT_TESTS_SCRIPT: &str = r#"
import os, sys, tarfile
sdist, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with tarfile.open(sdist) as archive:
    for member in archive:
        parts = member.name.split("/")
        if len(parts) == 6 and parts[1:4] == ["tests", "functional", "endpoint-rules"] and parts[5] == "endpoint-tests-1.json" and member.isfile():
            with open(os.path.join(out, parts[4] + ".json"), "wb") as target:
                target.write(archive.extractfile(member).read())
"#;

fn find_wheel(wheels: &Path, version: &str) -> Option<PathBuf> {
    let mut found: Vec<(Vec<u64>, PathBuf)> = fs::read_dir(wheels)
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .filter_map(|path| {
            let release = wheel_version(&path)?;
            (version == "latest" || release == version).then(|| (version_key(&release), path))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, path)| path)
}

/// `botocore-1.44.8-py3-none-any.whl` → `1.44.8`.
fn wheel_version(wheel: &Path) -> Option<String> {
    let name = wheel.file_name()?.to_str()?;
    let rest = name.strip_prefix("botocore-")?.strip_suffix(".whl")?;
    rest.split('-').next().map(str::to_owned)
}

fn version_key(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

fn services(data: &Path) -> Result<Vec<BotocoreService>, String> {
    let mut services = Vec::new();
    let entries = fs::read_dir(data).map_err(|e| format!("cannot read {}: {e}", data.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let mut versions: Vec<String> = fs::read_dir(entry.path())
            .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?
            .flatten()
            .filter(|version| version.path().join("service-2.json").is_file())
            .map(|version| version.file_name().to_string_lossy().into_owned())
            .collect();
        versions.sort();
        if let Some(api_version) = versions.pop() {
            services.push(BotocoreService {
                model: entry.path().join(&api_version).join("service-2.json"),
                name,
                api_version,
            });
        }
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(services)
}

/// Runs a command, failing with its stderr.
pub fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed ({}); fetching botocore needs python3, pip and the network:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
