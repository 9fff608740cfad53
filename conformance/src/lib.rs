//! The botocore protocol-suite conformance harness, run by `cargo xtask conformance`.
//!
//! Botocore's source distribution carries the JSON protocol test suites
//! (`tests/unit/protocols/{input,output}/{json,json_1_0,json_1_0-query-compatible}.json`): each
//! suite is a small botocore model and its cases. `cargo xtask conformance` generates one crate
//! per suite with the botocore loader, and a small binary that hands each suite's service marker
//! to [`main`] through [`suite`]. Every case runs over loopback HTTP, through the generic client
//! and the generic server stub, only through the [`Operation`] trait, `visit_validated_operations` and
//! the serde of inputs and outputs:
//!
//! - an **input** case: the client turns the params into the expected method, URI, headers
//!   (those the case lists) and body (JSON-equal, or empty where expected); the server stub
//!   decodes that request back into an equal input;
//! - an **output** case: the client reads the given status, headers and body into the expected
//!   output, or the expected error code, message and members; the server stub then answers with
//!   that output or error, and the client reads it back into the same.
//!
//! Each case passes or is listed, with its reason, in the expected-failures file; a listed case
//! that passes fails the run until it is removed from the list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

use aws_json_runtime::validate::{ValidatedOperation, ValidatedOperationVisitor, ValidatedShape};
use serde_json::Value;

mod cases;
pub mod expected;
mod loopback;
pub mod params;

/// Which direction a suite tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Input,
    Output,
}

/// Each case's id and outcome: `Err` says what went wrong.
type Outcomes = Vec<(String, Result<(), String>)>;

/// One generated suite: where its cases are, and how to run them against its service.
pub struct Suite {
    /// The suite file under `tests/unit/protocols/` (`input/json.json`).
    pub file: &'static str,
    /// The suite's index in that file.
    pub index: usize,
    run: fn(Direction, &Value, &tokio::runtime::Runtime) -> Outcomes,
}

/// The suite at `index` of `file`, generated as the service `S`.
pub fn suite<S: ValidatedShape>(file: &'static str, index: usize) -> Suite {
    Suite {
        file,
        index,
        run: run_suite::<S>,
    }
}

struct Runner<'a> {
    direction: Direction,
    suite: &'a Value,
    runtime: &'a tokio::runtime::Runtime,
    visited: BTreeSet<&'static str>,
    outcomes: Outcomes,
}

impl ValidatedOperationVisitor for Runner<'_> {
    fn visit<O: ValidatedOperation>(&mut self) {
        self.visited.insert(O::NAME);
        let cases = self.suite["cases"].as_array().into_iter().flatten();
        for case in cases.filter(|case| case["given"]["name"] == O::NAME) {
            let id = case["id"].as_str().unwrap_or("(no id)").to_owned();
            let outcome = match self.direction {
                Direction::Input => self.runtime.block_on(cases::input::<O>(self.suite, case)),
                Direction::Output => self.runtime.block_on(cases::output::<O>(self.suite, case)),
            };
            self.outcomes.push((id, outcome));
        }
    }
}

fn run_suite<S: ValidatedShape>(
    direction: Direction,
    suite: &Value,
    runtime: &tokio::runtime::Runtime,
) -> Outcomes {
    let mut runner = Runner {
        direction,
        suite,
        runtime,
        visited: BTreeSet::new(),
        outcomes: Vec::new(),
    };
    S::visit_validated_operations(&mut runner);
    let visited = runner.visited;
    let mut outcomes = runner.outcomes;
    for case in suite["cases"].as_array().into_iter().flatten() {
        let operation = case["given"]["name"].as_str().unwrap_or_default();
        if !visited.contains(operation) {
            let id = case["id"].as_str().unwrap_or("(no id)").to_owned();
            outcomes.push((id, Err(format!("operation {operation} was not generated"))));
        }
    }
    outcomes
}

/// Runs every suite: `--protocols DIR` (botocore's `tests/unit/protocols`) and `--expected FILE`
/// (the expected failures). Prints `N of M cases` and exits non-zero on any mismatch with the
/// expected failures.
pub fn main(suites: &[Suite]) -> ExitCode {
    match run(suites) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(suites: &[Suite]) -> Result<bool, String> {
    let mut protocols = None;
    let mut expected_file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--protocols" => protocols = args.next().map(PathBuf::from),
            "--expected" => expected_file = args.next().map(PathBuf::from),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let protocols = protocols.ok_or("--protocols DIR is required")?;
    let expected_file = expected_file.ok_or("--expected FILE is required")?;
    let expected_text = std::fs::read_to_string(&expected_file)
        .map_err(|e| format!("cannot read {}: {e}", expected_file.display()))?;
    let expected =
        expected::parse(&expected_text).map_err(|e| format!("{}: {e}", expected_file.display()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no tokio runtime: {e}"))?;
    let mut files: BTreeMap<&str, Value> = BTreeMap::new();
    let mut outcomes = BTreeMap::new();
    for suite in suites {
        if !files.contains_key(suite.file) {
            let path = protocols.join(suite.file);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            files.insert(suite.file, value);
        }
        let direction = if suite.file.starts_with("input/") {
            Direction::Input
        } else {
            Direction::Output
        };
        let document = &files[suite.file][suite.index];
        for (id, outcome) in (suite.run)(direction, document, &runtime) {
            let key = format!("{} {id}", suite.file);
            if outcomes.insert(key.clone(), outcome).is_some() {
                return Err(format!("two cases are named {key}"));
            }
        }
    }
    let passed = outcomes.values().filter(|o| o.is_ok()).count();
    for (key, outcome) in &outcomes {
        match outcome {
            Ok(()) => println!("ok     {key}"),
            Err(why) => println!("FAILED {key}: {why}"),
        }
    }
    println!(
        "\n{passed} of {} cases pass ({} suites)",
        outcomes.len(),
        suites.len()
    );
    let problems = expected::mismatches(&outcomes, &expected);
    if problems.is_empty() {
        println!(
            "every failure is listed in {} ({} cases)",
            expected_file.display(),
            expected.len()
        );
        Ok(true)
    } else {
        println!("\nnot as expected ({}):", expected_file.display());
        for problem in &problems {
            println!("- {problem}");
        }
        Ok(false)
    }
}
