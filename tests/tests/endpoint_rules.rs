//! Endpoint conformance of SSO Admin: every case of botocore's
//! `tests/functional/endpoint-rules/sso-admin/endpoint-tests-1.json` (41, those expecting an
//! error included) against the generated `DefaultResolver` (our model's rule set), and against
//! botocore's own `endpoint-rule-set-1.json` of the same release. botocore's source
//! distribution is downloaded from PyPI once into `target/botocore-cache/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use aws_json_runtime::endpoints::endpoint_tests::parse_test_cases;
use aws_json_runtime::endpoints::{ResolveEndpoint, StaticRuleSet};
use sso_admin::config::endpoint::DefaultResolver;

/// The release `cargo xtask endpoint-corpus` uses by default too.
const BOTOCORE_VERSION: &str = "1.44.8";
const TESTS: &str = "tests/functional/endpoint-rules/sso-admin/endpoint-tests-1.json";
const RULES: &str = "botocore/data/sso-admin/2020-07-20/endpoint-rule-set-1.json";

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The two files of the sdist, extracted into the cache on first use.
fn botocore_files() -> (String, String) {
    let cache = target_dir().join("botocore-cache");
    let sdists = cache.join("sdists");
    let dir = cache.join(BOTOCORE_VERSION).join("sso-admin-endpoints");
    let (tests, rules) = (
        dir.join("endpoint-tests-1.json"),
        dir.join("endpoint-rule-set-1.json"),
    );
    if !(tests.is_file() && rules.is_file()) {
        let sdist = sdists.join(format!("botocore-{BOTOCORE_VERSION}.tar.gz"));
        if !sdist.is_file() {
            run(Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .arg("--no-binary=:all:")
                .arg(format!("botocore=={BOTOCORE_VERSION}"))
                .arg("-d")
                .arg(&sdists));
        }
        run(Command::new("python3")
            .args(["-c", EXTRACT])
            .arg(&sdist)
            .arg(&dir)
            .arg(format!("botocore-{BOTOCORE_VERSION}/{TESTS}"))
            .arg(format!("botocore-{BOTOCORE_VERSION}/{RULES}")));
    }
    let read = |path: &Path| {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    (read(&tests), read(&rules))
}

const EXTRACT: &str = r#"
import os, sys, tarfile
sdist, out, members = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(out, exist_ok=True)
with tarfile.open(sdist) as archive:
    for name in members:
        data = archive.extractfile(name).read()
        with open(os.path.join(out, os.path.basename(name)), "wb") as target:
            target.write(data)
"#;

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed (fetching botocore {BOTOCORE_VERSION} needs python3, pip and the network):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn check_all(resolver: &dyn ResolveEndpoint, cases: &str) {
    let cases = parse_test_cases(cases).expect("the test cases parse");
    assert_eq!(
        cases.len(),
        41,
        "botocore {BOTOCORE_VERSION} has 41 sso-admin cases"
    );
    assert!(cases.iter().any(|case| matches!(
        case.expect,
        aws_json_runtime::endpoints::endpoint_tests::Expected::Error(_)
    )));
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            case.check(resolver)
                .err()
                .map(|e| format!("{}: {e}", case.documentation))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_botocore_case_passes_with_our_rule_set() {
    let (cases, _) = botocore_files();
    check_all(&DefaultResolver::new(), &cases);
}

#[test]
fn every_botocore_case_passes_with_botocore_rule_set() {
    let (cases, rules) = botocore_files();
    let rules: &'static str = Box::leak(rules.into_boxed_str());
    check_all(&StaticRuleSet::new(rules), &cases);
}
