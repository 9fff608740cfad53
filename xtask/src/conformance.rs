//! `cargo xtask conformance`: botocore's JSON protocol test suites against crates generated
//! from them.
//!
//! 1. Botocore's source distribution (pinned: [`BOTOCORE_VERSION`]) is downloaded with pip into
//!    `target/botocore-cache/sdist/` once, and its suites
//!    `tests/unit/protocols/{input,output}/json*.json` are extracted beside it.
//! 2. Each suite (a botocore model without some service metadata, and its cases) becomes a
//!    botocore `service-2.json` document: its metadata, completed with what the suites leave
//!    out (a unique `serviceId`, the endpoint prefix, signing name and version), its shapes, and
//!    the operation of its cases. The botocore loader generates one crate from it, into
//!    `target/conformance/suites/<suite>/`.
//! 3. A small binary, `target/conformance/harness/`, hands every suite's service marker to
//!    `aws_json_conformance::main`, which runs the cases (see `conformance/src/lib.rs`).
//!    The suites and the binary form one throwaway workspace that shares the project's lock file
//!    and target directory, so nothing already built is built again.
//! 4. The run passes when every case passes or is listed in `conformance/expected-failures.txt`,
//!    and no listed case passes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::naming::ident;
use codegen::EmitOptions;
use proc_macro2::Literal;
use quote::quote;
use serde_json::{json, Value};

use crate::botocore_data::{run, target_dir};
use crate::codegen_cmd::{runtime_path, workspace_root};
use crate::corpus::{cargo, write_files, write_workspace};

/// The botocore release whose suites run: 46 JSON suites, 168 cases.
pub const BOTOCORE_VERSION: &str = "1.44.8";

/// The suite files, under `tests/unit/protocols/`.
pub const SUITE_FILES: &[&str] = &[
    "input/json.json",
    "input/json_1_0.json",
    "input/json_1_0-query-compatible.json",
    "output/json.json",
    "output/json_1_0.json",
    "output/json_1_0-query-compatible.json",
];

/// `tests/unit/protocols` of the pinned botocore, downloaded and extracted on first use.
fn protocols_dir() -> Result<PathBuf, String> {
    let cache = target_dir().join("botocore-cache").join("sdist");
    let protocols = cache.join(format!("protocols-{BOTOCORE_VERSION}"));
    let stamp = protocols.join(".extracted");
    if stamp.is_file() {
        return Ok(protocols);
    }
    fs::create_dir_all(&cache).map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    let sdist = cache.join(format!("botocore-{BOTOCORE_VERSION}.tar.gz"));
    if !sdist.is_file() {
        eprintln!("==> pip download botocore=={BOTOCORE_VERSION} (source distribution)");
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
            .arg(format!("botocore=={BOTOCORE_VERSION}"))
            .arg("-d")
            .arg(&cache))?;
    }
    eprintln!("==> extracting the protocol suites of botocore {BOTOCORE_VERSION}");
    run(Command::new("python3")
        .args(["-c", EXTRACT_SCRIPT])
        .arg(&sdist)
        .arg(&protocols)
        .args(SUITE_FILES))?;
    fs::write(&stamp, "").map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(protocols)
}

/// Extracts `tests/unit/protocols/<file>` for each file named after the archive and target.
const EXTRACT_SCRIPT: &str = r#"
import os, sys, tarfile
sdist, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
with tarfile.open(sdist) as archive:
    for member in archive.getmembers():
        parts = member.name.split("/", 1)
        if len(parts) != 2 or not parts[1].startswith("tests/unit/protocols/"):
            continue
        relative = parts[1][len("tests/unit/protocols/"):]
        if relative in files:
            target = os.path.join(out, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with archive.extractfile(member) as source, open(target, "wb") as sink:
                sink.write(source.read())
missing = [f for f in files if not os.path.isfile(os.path.join(out, f))]
if missing:
    sys.exit("the source distribution has no " + ", ".join(missing))
"#;

/// The directory name of a suite's crate: `input-json-1-0-03`.
fn suite_name(file: &str, index: usize) -> String {
    let stem = file.trim_end_matches(".json").replace(['/', '_', '.'], "-");
    format!("{stem}-{index:02}")
}

/// A suite as a botocore `service-2.json` document.
fn document(suite: &Value, name: &str) -> Result<Value, String> {
    let mut metadata = suite["metadata"].clone();
    let fields = metadata
        .as_object_mut()
        .ok_or_else(|| format!("{name}: the suite has no metadata"))?;
    // A unique service id gives each suite its own crate name.
    fields.insert("serviceId".into(), json!(format!("Conformance {name}")));
    let prefix = fields
        .get("endpointPrefix")
        .cloned()
        .unwrap_or_else(|| json!("conformance"));
    fields.entry("endpointPrefix").or_insert(prefix.clone());
    fields.entry("signingName").or_insert(prefix);
    fields.entry("signatureVersion").or_insert(json!("v4"));
    fields
        .entry("serviceFullName")
        .or_insert_with(|| suite["description"].clone());
    let mut operations = serde_json::Map::new();
    for case in suite["cases"].as_array().into_iter().flatten() {
        let given = &case["given"];
        let operation = given["name"]
            .as_str()
            .ok_or_else(|| format!("{name}: a case without an operation name"))?;
        operations.insert(operation.to_owned(), given.clone());
    }
    Ok(json!({
        "version": "2.0",
        "metadata": metadata,
        "documentation": suite["description"],
        "operations": operations,
        "shapes": suite["shapes"],
    }))
}

/// One generated suite: its file, index, package and marker.
struct Generated {
    file: &'static str,
    index: usize,
    directory: String,
    package: String,
    marker: String,
}

/// `cargo xtask conformance`.
pub fn run_suites() -> Result<(), String> {
    let protocols = protocols_dir()?;
    let root = target_dir().join("conformance");
    let suites_dir = root.join("suites");
    if suites_dir.exists() {
        fs::remove_dir_all(&suites_dir)
            .map_err(|e| format!("cannot clear {}: {e}", suites_dir.display()))?;
    }
    let mut generated = Vec::new();
    for file in SUITE_FILES {
        let path = protocols.join(file);
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let suites: Vec<Value> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for (index, suite) in suites.iter().enumerate() {
            let directory = suite_name(file, index);
            let out = suites_dir.join(&directory);
            let model = document(suite, &directory)?.to_string();
            let service = codegen::lower_model_file(&model, None)
                .map_err(|e| format!("{directory}: {e}"))?
                .value;
            let options = EmitOptions {
                runtime_path: runtime_path(&out),
            };
            let files = codegen::generate_model_file(&model, None, &options)
                .map_err(|e| format!("{directory}: {e}"))?
                .value;
            write_files(&out, &files)?;
            generated.push(Generated {
                file,
                index,
                directory,
                package: service.crate_name,
                marker: service.marker,
            });
        }
    }
    println!(
        "==> generated {} suites into {}",
        generated.len(),
        suites_dir.display()
    );
    write_harness(&root, &generated)?;
    let mut members: Vec<String> = generated
        .iter()
        .map(|suite| format!("suites/{}", suite.directory))
        .collect();
    members.push("harness".to_owned());
    write_workspace(&root, &members)?;
    let expected = workspace_root().join("conformance/expected-failures.txt");
    println!(
        "==> cargo run -p conformance-suites (in {})",
        root.display()
    );
    let status = cargo()
        .args(["run", "--quiet", "-p", "conformance-suites", "--"])
        .arg("--protocols")
        .arg(&protocols)
        .arg("--expected")
        .arg(&expected)
        .env("CARGO_TARGET_DIR", target_dir())
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the conformance suites do not pass as expected ({status})"
        ))
    }
}

/// The binary that runs every suite: a manifest with the suites (types and their validation only) and a `main` that
/// lists their markers.
fn write_harness(root: &Path, suites: &[Generated]) -> Result<(), String> {
    let harness = root.join("harness");
    let src = harness.join("src");
    fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    let conformance = workspace_root().join("conformance");
    let mut manifest = String::from(
        "# Written by `cargo xtask conformance`.\n[package]\nname = \"conformance-suites\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n",
    );
    manifest.push_str(&format!(
        "aws-json-conformance = {{ path = {:?} }}\n",
        conformance.display().to_string()
    ));
    for suite in suites {
        manifest.push_str(&format!(
            "{} = {{ path = \"../suites/{}\", default-features = false, features = [\"validate\"] }}\n",
            suite.package, suite.directory
        ));
    }
    let main = harness_main(suites)?;
    for (path, contents) in [
        (harness.join("Cargo.toml"), manifest),
        (src.join("main.rs"), main),
    ] {
        fs::write(&path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The harness's `main.rs`: every suite's service marker handed to the harness.
fn harness_main(suites: &[Generated]) -> Result<String, String> {
    let entries = suites.iter().map(|suite| {
        // The library name Cargo gives the package.
        let library = ident(&suite.package.replace('-', "_"));
        let marker = ident(&suite.marker);
        let file = suite.file;
        let index = Literal::usize_unsuffixed(suite.index);
        quote! { ::aws_json_conformance::suite::<::#library::#marker>(#file, #index) }
    });
    let tokens = quote! {
        #![doc = " Written by `cargo xtask conformance`: every suite's service marker."]

        fn main() -> ::std::process::ExitCode {
            ::aws_json_conformance::main(&[#(#entries),*])
        }
    };
    codegen::format::rust(tokens).map_err(|e| format!("the harness's main.rs: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suite_names_are_crate_directories() {
        assert_eq!(suite_name("input/json_1_0.json", 3), "input-json-1-0-03");
        assert_eq!(
            suite_name("output/json_1_0-query-compatible.json", 0),
            "output-json-1-0-query-compatible-00"
        );
    }

    #[test]
    fn the_harness_main_lists_every_marker() {
        let suites = [Generated {
            file: "input/json.json",
            index: 7,
            directory: "input-json-07".into(),
            package: "conformance-input-json-07".into(),
            marker: "ConformanceInputJson07".into(),
        }];
        let main = harness_main(&suites).unwrap();
        assert!(
            main.starts_with("//! Written by `cargo xtask conformance`"),
            "{main}"
        );
        let flat: String = main.split_whitespace().collect();
        assert!(
            flat.contains(concat!(
                "::aws_json_conformance::main(&[::aws_json_conformance::suite::<",
                "::conformance_input_json_07::ConformanceInputJson07,>(\"input/json.json\",7),],)"
            )),
            "{main}"
        );
    }

    #[test]
    fn a_suite_becomes_a_botocore_document() {
        let suite = json!({
            "description": "Test cases for Op operation",
            "metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "P", "apiVersion": "2018-01-01"},
            "shapes": {"S": {"type": "string"}},
            "cases": [{"given": {"name": "Op", "http": {"method": "POST", "requestUri": "/"}}}]
        });
        let document = document(&suite, "input-json-00").unwrap();
        assert_eq!(
            document["metadata"]["serviceId"],
            "Conformance input-json-00"
        );
        assert_eq!(document["metadata"]["endpointPrefix"], "conformance");
        assert_eq!(document["operations"]["Op"]["name"], "Op");
        codegen::lower_model_file(&document.to_string(), None).expect("the loader accepts it");
    }
}
