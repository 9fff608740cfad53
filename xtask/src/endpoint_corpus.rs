//! `cargo xtask endpoint-corpus`: botocore's endpoint test cases (from its source
//! distribution) of every JSON-protocol service, run against the rule sets of the same release
//! as the botocore loader carries them into the IR, and evaluated by `aws-json-endpoints`.
//! Writes `N of M cases, K of L services` and every failure to `docs/endpoint-corpus.md`.

use std::fmt::Write as _;
use std::fs;

use aws_json_endpoints::endpoint_tests::parse_test_cases;
use aws_json_endpoints::RuleSet;

use crate::botocore_data;
use crate::codegen_cmd::workspace_root;

/// The release whose rule sets and tests are compared (the same as the CI test's).
pub const DEFAULT_VERSION: &str = "1.44.8";

/// The outcome for one service.
struct ServiceResult {
    name: String,
    cases: usize,
    passed: usize,
    failures: Vec<String>,
}

/// Runs the corpus and writes the report.
pub fn run(version: &str) -> Result<(), String> {
    let (release, services) = botocore_data::release(version)?;
    let tests = botocore_data::endpoint_tests(&release)?;
    let mut results = Vec::new();
    for service in &services {
        if service.protocol()?.as_deref() != Some("json") {
            continue;
        }
        let Some(cases) = tests.read(&service.name)? else {
            results.push(ServiceResult {
                name: service.name.clone(),
                cases: 0,
                passed: 0,
                failures: vec!["botocore ships no endpoint tests".to_owned()],
            });
            continue;
        };
        results.push(run_service(service, &cases));
    }
    let report = report(&release, &results);
    let path = workspace_root().join("docs/endpoint-corpus.md");
    fs::write(&path, &report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("{}", summary(&results));
    println!("report written to {}", path.display());
    Ok(())
}

fn run_service(service: &botocore_data::BotocoreService, cases: &str) -> ServiceResult {
    let mut result = ServiceResult {
        name: service.name.clone(),
        cases: 0,
        passed: 0,
        failures: Vec::new(),
    };
    let cases = match parse_test_cases(cases) {
        Ok(cases) => cases,
        Err(error) => {
            result
                .failures
                .push(format!("cannot read the test cases: {error}"));
            return result;
        }
    };
    result.cases = cases.len();
    let rules = match rule_set(service) {
        Ok(rules) => rules,
        Err(error) => {
            result.failures.push(error);
            return result;
        }
    };
    for case in &cases {
        match case.check(&rules) {
            Ok(()) => result.passed += 1,
            Err(reason) => result
                .failures
                .push(format!("{}: {reason}", case.documentation)),
        }
    }
    result
}

/// The service's rule set as the botocore loader carries it into the IR, parsed.
fn rule_set(service: &botocore_data::BotocoreService) -> Result<RuleSetResolver, String> {
    let (model, paginators) = service.read()?;
    let rules = service.endpoint_rule_set()?;
    let ir = codegen::lower_model_file_with_rules(&model, paginators.as_deref(), rules.as_deref())
        .map_err(|e| format!("the botocore loader rejects the model: {e}"))?;
    let text = ir
        .value
        .endpoint_rules
        .ok_or("the service has no endpoint rule set")?;
    RuleSet::parse(text.json())
        .map(RuleSetResolver)
        .map_err(|e| e.to_string())
}

/// A parsed rule set as a resolver.
#[derive(Debug)]
struct RuleSetResolver(RuleSet);

impl aws_json_endpoints::ResolveEndpoint for RuleSetResolver {
    fn resolve_endpoint(
        &self,
        params: &aws_json_endpoints::EndpointParams,
    ) -> Result<aws_json_endpoints::Endpoint, aws_json_endpoints::ResolveEndpointError> {
        self.0.resolve(params)
    }
}

fn summary(results: &[ServiceResult]) -> String {
    let cases: usize = results.iter().map(|r| r.cases).sum();
    let passed: usize = results.iter().map(|r| r.passed).sum();
    let services = results.len();
    let clean = results
        .iter()
        .filter(|r| r.failures.is_empty() && r.cases > 0)
        .count();
    format!("{passed} of {cases} cases, {clean} of {services} services")
}

fn report(release: &str, results: &[ServiceResult]) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# Endpoint rules corpus\n");
    let _ = writeln!(
        text,
        "Written by `cargo xtask endpoint-corpus --version {release}`: the endpoint test cases of \
         every JSON-protocol service in botocore {release}'s source distribution \
         (`tests/functional/endpoint-rules/<service>/endpoint-tests-1.json`), run against the \
         service's `endpoint-rule-set-1.json` of the same release as the botocore loader \
         carries it into the IR, evaluated by `aws-json-endpoints`. A case passes when the \
         URL, headers and properties are those expected, or the error message is.\n"
    );
    let _ = writeln!(text, "**{}**\n", summary(results));
    let failing: Vec<&ServiceResult> = results.iter().filter(|r| !r.failures.is_empty()).collect();
    if failing.is_empty() {
        let _ = writeln!(text, "No failures.");
    } else {
        let _ = writeln!(text, "## Failures\n");
        for result in failing {
            let _ = writeln!(
                text,
                "- `{}` ({} of {}):",
                result.name, result.passed, result.cases
            );
            for failure in &result.failures {
                let _ = writeln!(text, "  - {failure}");
            }
        }
    }
    let _ = writeln!(text, "\n## Services\n");
    let _ = writeln!(text, "| service | cases | passed |");
    let _ = writeln!(text, "|---|---:|---:|");
    for result in results {
        let _ = writeln!(
            text,
            "| `{}` | {} | {} |",
            result.name, result.cases, result.passed
        );
    }
    text
}
