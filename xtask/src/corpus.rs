//! Generating from the botocore corpus:
//!
//! - `cargo xtask botocore-service NAME [--version V]`: one service into
//!   `target/botocore-crates/NAME/`, then `cargo build`, `cargo clippy -- -D warnings` and
//!   `cargo test` of it (its property tests) with the workspace's target directory; for a service
//!   with a hand-written test in `xtask/fixtures/` (see [`SERVICE_TESTS`]), that test is copied
//!   into the crate and the three run with `--all-features` (client and server);
//! - `cargo xtask botocore-corpus [--version V] [--only A,B] [--limit N]`: every service whose
//!   protocol is `json` into one throwaway workspace `target/botocore-corpus/` (one lock file,
//!   one target directory), `cargo check --workspace --keep-going`, and a report of
//!   `N of M services` with the cause of each failure;
//! - `cargo xtask bench-corpus [--version V]`: how long generating the whole JSON corpus takes in
//!   memory (load → emit → format), over every core.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use codegen::{EmitOptions, GeneratedFile};

use crate::botocore_data::{self, target_dir, BotocoreService};
use crate::codegen_cmd::{runtime_path, workspace_root};

/// The services of a release whose protocol is `json`, sorted by name.
pub fn json_services(version: &str) -> Result<(String, Vec<BotocoreService>), String> {
    let (release, services) = botocore_data::release(version)?;
    let mut json = Vec::new();
    for service in services {
        if service.protocol()?.as_deref() == Some("json") {
            json.push(service);
        }
    }
    Ok((release, json))
}

/// A service's generated crate, or why it could not be generated.
fn generate(service: &BotocoreService, out: &Path) -> Result<Vec<GeneratedFile>, String> {
    let (model, paginators) = service.read()?;
    let rules = service.endpoint_rule_set()?;
    let options = EmitOptions {
        runtime_path: runtime_path(out),
    };
    codegen::generate_model_file_with_rules(
        &model,
        paginators.as_deref(),
        rules.as_deref(),
        &options,
    )
    .map(|generated| generated.value)
    .map_err(|e| e.to_string())
}

pub(crate) fn write_files(out: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    for file in files {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, &file.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// A throwaway workspace of `members` in `root`, locked like the project (so dependencies resolve
/// to the versions already built).
pub(crate) fn write_workspace(root: &Path, members: &[String]) -> Result<(), String> {
    let members: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "# Written by cargo xtask: a throwaway workspace of generated crates.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    fs::write(root.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write {}: {e}", root.display()))?;
    let lock = root.join("Cargo.lock");
    if !lock.is_file() {
        fs::copy(workspace_root().join("Cargo.lock"), &lock)
            .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    }
    Ok(())
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

fn run_cargo(root: &Path, args: &[&str], target: &Path) -> Result<(), String> {
    println!("==> cargo {}", args.join(" "));
    let status = cargo()
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

/// A hand-written test that `botocore-service` adds to the crate it generates for a service.
pub struct ServiceTest {
    /// The botocore service.
    pub service: &'static str,
    /// The test, a Rust file under `xtask/fixtures/`.
    pub fixture: &'static str,
    /// Where it goes in the generated crate, relative to its root.
    pub destination: &'static str,
    /// The `cargo add --dev` arguments of the dev-dependencies it needs beyond the template's.
    pub dev_dependencies: &'static [&'static str],
    /// The operations it calls: without all of them (an older release) it is skipped.
    pub operations: &'static [&'static str],
}

/// The hand-written tests of generated crates.
pub const SERVICE_TESTS: &[ServiceTest] = &[ServiceTest {
    service: "sso-admin",
    // The generated client against the generated server stub over loopback, for operations
    // added to SSO Admin since its first release (27 operations).
    fixture: "sso_admin_latest_loopback.rs",
    destination: "tests/loopback.rs",
    dev_dependencies: &["tokio@1", "--features", "macros,rt-multi-thread,net,sync"],
    operations: &[
        "CreateApplication",
        "DescribeApplication",
        "ListApplications",
        "DeleteApplication",
        "PutApplicationAssignmentConfiguration",
        "GetApplicationAssignmentConfiguration",
        "ListTrustedTokenIssuers",
    ],
}];

/// Copies `test` into the crate at `out` and adds its dev-dependencies with `cargo add`.
fn add_service_test(test: &ServiceTest, out: &Path) -> Result<(), String> {
    let fixture = workspace_root()
        .join("xtask")
        .join("fixtures")
        .join(test.fixture);
    let destination = out.join(test.destination);
    if let Some(parent) = destination.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::copy(&fixture, &destination).map_err(|e| {
        format!(
            "cannot copy {} to {}: {e}",
            fixture.display(),
            destination.display()
        )
    })?;
    println!("==> {} -> {}", fixture.display(), destination.display());
    let manifest = out.join("Cargo.toml");
    let mut args = vec!["add", "--quiet", "--manifest-path"];
    args.push(manifest.to_str().ok_or("the crate's path is not UTF-8")?);
    args.push("--dev");
    args.extend(test.dev_dependencies);
    println!("==> cargo {}", args.join(" "));
    let status = cargo()
        .args(&args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

/// `cargo xtask botocore-service NAME`.
pub fn service(name: &str, version: &str, features: Option<&str>) -> Result<(), String> {
    let (release, services) = botocore_data::release(version)?;
    let service = services
        .iter()
        .find(|service| service.name == name)
        .ok_or_else(|| format!("botocore {release} has no service `{name}`"))?;
    let root = target_dir().join("botocore-crates");
    let out = root.join(name);
    let (model, paginators) = service.read()?;
    let rules = service.endpoint_rule_set()?;
    let options = EmitOptions {
        runtime_path: runtime_path(&out),
    };
    let lowered =
        codegen::lower_model_file_with_rules(&model, paginators.as_deref(), rules.as_deref())
            .map_err(|e| format!("{name}: {e}"))?;
    for note in &lowered.notes {
        eprintln!("note: {name}: {note}");
    }
    let ir = &lowered.value;
    let named = ir
        .shapes
        .values()
        .filter(|shape| {
            matches!(
                shape.kind,
                codegen::ir::ShapeKind::Structure(_)
                    | codegen::ir::ShapeKind::Union(_)
                    | codegen::ir::ShapeKind::Enum(_)
                    | codegen::ir::ShapeKind::IntEnum(_)
            )
        })
        .count();
    let document: serde_json::Value =
        serde_json::from_str(&model).map_err(|e| format!("{name}: {e}"))?;
    let model_shapes = document["shapes"].as_object().map_or(0, |s| s.len());
    let model_operations = document["operations"].as_object().map_or(0, |s| s.len());
    let files = codegen::emit::emit(ir, &options).map_err(|e| format!("{name}: {e}"))?;
    write_files(&out, &files)?;
    let mut members: Vec<String> = fs::read_dir(&root)
        .map_err(|e| format!("cannot read {}: {e}", root.display()))?
        .flatten()
        .filter(|entry| entry.path().join("Cargo.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    members.sort();
    write_workspace(&root, &members)?;
    println!(
        "botocore {release}, {name} (API {}): {model_operations} operations and {model_shapes} shapes in the model; {} operations and {} shapes reached, {named} Rust types, {} files in {}",
        service.api_version,
        ir.operations.len(),
        ir.shapes.len(),
        files.len(),
        out.display()
    );
    let mut features = features;
    let mut tested = None;
    if let Some(test) = SERVICE_TESTS.iter().find(|test| test.service == name) {
        let missing: Vec<&str> = test
            .operations
            .iter()
            .copied()
            .filter(|operation| !ir.operations.iter().any(|op| op.name == *operation))
            .collect();
        if !missing.is_empty() {
            eprintln!(
                "note: {name}: skipping {}: botocore {release} lacks {}",
                test.fixture,
                missing.join(", ")
            );
        } else if features == Some("--no-default-features") {
            eprintln!(
                "note: {name}: skipping {}: it needs the client and the server",
                test.fixture
            );
        } else {
            add_service_test(test, &out)?;
            features = Some("--all-features");
            tested = Some(test.destination);
        }
    }
    let package = ir.crate_name.as_str();
    let target = target_dir();
    let with = |args: &[&'static str]| -> Vec<&str> {
        let mut all = vec![args[0], "-p", package];
        all.extend(features);
        all.extend(&args[1..]);
        all
    };
    // `clippy -- -D warnings` also denies every rustc warning of the crate (RUSTFLAGS would
    // rebuild every dependency in the shared target directory).
    run_cargo(&root, &with(&["build"]), &target)?;
    run_cargo(
        &root,
        &with(&["clippy", "--all-targets", "--", "-D", "warnings"]),
        &target,
    )?;
    run_cargo(&root, &with(&["test"]), &target)?;
    match tested {
        Some(test) => println!(
            "{name}: builds, lints clean and passes its property tests and {test} (client and server)"
        ),
        None => println!("{name}: builds, lints clean and passes its property tests"),
    }
    Ok(())
}

/// Options of `cargo xtask botocore-corpus`.
pub struct CorpusOptions {
    pub version: String,
    pub only: Vec<String>,
    pub limit: Option<usize>,
    pub jobs: Option<usize>,
    /// Extra `cargo check` arguments (`--no-default-features`, `--all-features`).
    pub cargo_args: Vec<String>,
}

/// `cargo xtask botocore-corpus`.
pub fn corpus(options: &CorpusOptions) -> Result<(), String> {
    let (release, mut services) = json_services(&options.version)?;
    if !options.only.is_empty() {
        services.retain(|service| options.only.contains(&service.name));
    }
    if let Some(limit) = options.limit {
        services.truncate(limit);
    }
    let total = services.len();
    let root = target_dir().join("botocore-corpus");
    fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    // Clear crates of earlier runs (the lock file and the target directory stay).
    for entry in fs::read_dir(&root).into_iter().flatten().flatten() {
        if entry.path().join("Cargo.toml").is_file() {
            fs::remove_dir_all(entry.path()).map_err(|e| format!("cannot clear: {e}"))?;
        }
    }
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut packages: BTreeMap<String, String> = BTreeMap::new();
    let mut members = Vec::new();
    let started = Instant::now();
    for service in &services {
        let out = root.join(&service.name);
        match generate(service, &out) {
            Ok(files) => {
                let package = package_name(&files).unwrap_or_default();
                if let Some(other) = packages.get(&package) {
                    failures.insert(
                        service.name.clone(),
                        format!("generation: package `{package}` is also generated by `{other}`"),
                    );
                    continue;
                }
                write_files(&out, &files)?;
                packages.insert(package, service.name.clone());
                members.push(service.name.clone());
            }
            Err(error) => {
                failures.insert(service.name.clone(), format!("generation: {error}"));
            }
        }
    }
    println!(
        "botocore {release}: generated {} of {total} JSON services in {:.1} s",
        members.len(),
        started.elapsed().as_secs_f64()
    );
    write_workspace(&root, &members)?;
    let started = Instant::now();
    let compile = check_workspace(&root, options.jobs, &options.cargo_args)?;
    println!(
        "cargo check --workspace --keep-going: {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let mut compiled = 0;
    for (package, service) in &packages {
        match compile.errors.get(package) {
            Some(error) => {
                failures.insert(service.clone(), format!("compile: {error}"));
            }
            None if compile.built.contains_key(package) => compiled += 1,
            None => {
                failures.insert(
                    service.clone(),
                    "compile: not built (a dependency failed?)".to_owned(),
                );
            }
        }
    }
    println!("\n{compiled} of {total} services (botocore {release}, protocol `json`) generate and compile");
    if !failures.is_empty() {
        println!("\nFailures:");
        for (service, cause) in &failures {
            let first_line = cause.lines().next().unwrap_or_default();
            println!("- {service}: {first_line}");
        }
        let report = root.join("failures.txt");
        let text: String = failures
            .iter()
            .map(|(service, cause)| format!("== {service}\n{cause}\n\n"))
            .collect();
        fs::write(&report, text).map_err(|e| format!("cannot write {}: {e}", report.display()))?;
        println!("\nFull messages: {}", report.display());
        return Err(format!("{} of {total} services fail", failures.len()));
    }
    Ok(())
}

/// The `name = "..."` of the generated `Cargo.toml`.
fn package_name(files: &[GeneratedFile]) -> Option<String> {
    let manifest = files.iter().find(|file| file.path == "Cargo.toml")?;
    manifest.contents.lines().find_map(|line| {
        line.strip_prefix("name = \"")
            .and_then(|rest| rest.strip_suffix('"'))
            .map(str::to_owned)
    })
}

/// What `cargo check` said, per package name.
struct CheckResult {
    /// The first error of each package that failed.
    errors: BTreeMap<String, String>,
    /// Packages whose library was checked.
    built: BTreeMap<String, ()>,
}

fn check_workspace(
    root: &Path,
    jobs: Option<usize>,
    extra: &[String],
) -> Result<CheckResult, String> {
    let target = root.join("target");
    let mut command = cargo();
    command
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .arg("--target-dir")
        .arg(&target)
        .args(extra)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(jobs) = jobs {
        command.arg("--jobs").arg(jobs.to_string());
    }
    println!(
        "==> cargo check --workspace --keep-going {} (in {})",
        extra.join(" "),
        root.display()
    );
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut result = CheckResult {
        errors: BTreeMap::new(),
        built: BTreeMap::new(),
    };
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let package = package_of(message["package_id"].as_str().unwrap_or_default());
        match message["reason"].as_str() {
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                // The first error leads; the others follow it in the full report.
                let errors = result.errors.entry(package).or_default();
                if !errors.is_empty() {
                    errors.push_str("\n--- and then:\n");
                }
                errors.push_str(&rendered);
            }
            Some("compiler-artifact") => {
                result.built.insert(package, ());
            }
            _ => {}
        }
    }
    child.wait().map_err(|e| e.to_string())?;
    Ok(result)
}

/// The package name in a package id: `path+file:///…/sso-admin#0.1.0` or
/// `path+file:///…/dir#name@0.1.0` → the name.
fn package_of(id: &str) -> String {
    let Some((path, fragment)) = id.rsplit_once('#') else {
        return id.split(' ').next().unwrap_or(id).to_owned();
    };
    match fragment.split_once('@') {
        Some((name, _)) => name.to_owned(),
        None => path.rsplit('/').next().unwrap_or(path).to_owned(),
    }
}

/// One service's generation: its name, how long it took, and its file count and bytes.
type Timing = (String, Duration, Result<(usize, usize), String>);

/// `cargo xtask bench-corpus`.
pub fn bench(version: &str, threads: Option<usize>) -> Result<(), String> {
    let (release, services) = json_services(version)?;
    let inputs: Vec<(String, String, Option<String>)> = services
        .iter()
        .map(|service| {
            let (model, paginators) = service.read()?;
            Ok((service.name.clone(), model, paginators))
        })
        .collect::<Result<_, String>>()?;
    // The largest models first, so that no thread is left with a big one at the end.
    let mut inputs = inputs;
    inputs.sort_by_key(|(name, model, _)| (std::cmp::Reverse(model.len()), name.clone()));
    let bytes: usize = inputs.iter().map(|(_, model, _)| model.len()).sum();
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .max(1);
    let options = EmitOptions {
        runtime_path: "../runtime".to_owned(),
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Timing>> = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some((name, model, paginators)) = inputs.get(index) else {
                    break;
                };
                let start = Instant::now();
                let result = codegen::generate_model_file(model, paginators.as_deref(), &options)
                    .map(|generated| {
                        let files = generated.value;
                        (files.len(), files.iter().map(|f| f.contents.len()).sum())
                    })
                    .map_err(|e| e.to_string());
                let elapsed = start.elapsed();
                results
                    .lock()
                    .expect("no panics while holding the lock")
                    .push((name.clone(), elapsed, result));
            });
        }
    });
    let wall = started.elapsed();
    let mut results = results.into_inner().expect("no panics");
    results.sort_by_key(|timing| std::cmp::Reverse(timing.1));
    let generated: Vec<_> = results.iter().filter(|r| r.2.is_ok()).collect();
    let files: usize = generated
        .iter()
        .filter_map(|r| r.2.as_ref().ok())
        .map(|r| r.0)
        .sum();
    let out_bytes: usize = generated
        .iter()
        .filter_map(|r| r.2.as_ref().ok())
        .map(|r| r.1)
        .sum();
    let cpu: Duration = results.iter().map(|r| r.1).sum();
    println!(
        "botocore {release}: {} JSON services ({:.1} MB of models), {} generated ({files} files, {:.1} MB of code), {threads} threads",
        results.len(),
        bytes as f64 / 1e6,
        generated.len(),
        out_bytes as f64 / 1e6
    );
    println!("  wall time            {:>8.2} s", wall.as_secs_f64());
    println!("  sum over services    {:>8.2} s", cpu.as_secs_f64());
    println!("  slowest services:");
    for (name, elapsed, _) in results.iter().take(5) {
        println!("    {name:<32} {:>8.3} s", elapsed.as_secs_f64());
    }
    for (name, _, result) in &results {
        if let Err(error) = result {
            println!("  failed: {name}: {error}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every hand-written test exists, and the SSO Admin one calls only operations that the
    /// first release (`model/sso-admin.json`) does not have.
    #[test]
    fn service_tests_exist_and_cover_new_operations() {
        let model: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(workspace_root().join("model/sso-admin.json"))
                .expect("the SSO Admin model"),
        )
        .expect("JSON");
        let first_release: Vec<&str> = model["shapes"]
            .as_object()
            .expect("shapes")
            .iter()
            .filter(|(_, shape)| shape["type"] == "operation")
            .filter_map(|(id, _)| id.rsplit_once('#').map(|(_, name)| name))
            .collect();
        assert_eq!(first_release.len(), 27);
        for test in SERVICE_TESTS {
            let fixture = workspace_root().join("xtask/fixtures").join(test.fixture);
            assert!(fixture.is_file(), "{} is missing", fixture.display());
            if test.service == "sso-admin" {
                for operation in test.operations {
                    assert!(!first_release.contains(operation), "{operation} is not new");
                }
            }
        }
    }
}
