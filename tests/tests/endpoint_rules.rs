//! Endpoint conformance of SSO Admin: every case of botocore's
//! `tests/functional/endpoint-rules/sso-admin/endpoint-tests-1.json` (41, those expecting an
//! error included) against the generated `DefaultResolver` (our model's rule set), and against
//! botocore's own `endpoint-rule-set-1.json` of the same release. botocore's source
//! distribution is downloaded from PyPI once into `target/botocore-cache/`
//! ([`sso_admin_tests::botocore_source`]).

use aws_json_runtime::endpoints::endpoint_tests::parse_test_cases;
use aws_json_runtime::endpoints::{ResolveEndpoint, StaticRuleSet};
use sso_admin::config::endpoint::DefaultResolver;
use sso_admin_tests::{assert_every_case_passes, botocore_source, BOTOCORE_VERSION};

const TESTS: &str = "tests/functional/endpoint-rules/sso-admin/endpoint-tests-1.json";
const RULES: &str = "botocore/data/sso-admin/2020-07-20/endpoint-rule-set-1.json";

/// The test cases and the rule set, from botocore's source distribution.
fn botocore_files() -> (String, String) {
    let root = botocore_source(&[TESTS, RULES]);
    let read = |path: &str| {
        let path = root.join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    (read(TESTS), read(RULES))
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
    assert_every_case_passes(
        &cases,
        |case| case.documentation.clone(),
        |case| case.check(resolver),
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
