//! Example-based round trips: for every operation, the request and response JSON of
//! `fixtures/examples/` (shaped like the API reference's Request/Response Syntax, with realistic
//! values) deserialize into the generated types and serialize back to equal JSON.

use std::path::{Path, PathBuf};

use aws_json_runtime::json;
use aws_json_runtime::validate::{ValidatedOperation, ValidatedOperationVisitor, ValidatedShape};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sso_admin::SsoAdmin;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/examples")
        .join(name)
}

/// Deserializes `path` into `T` and serializes it back; `Err` says what differed.
fn round_trip<T: Serialize + DeserializeOwned>(path: &Path) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let typed: T = json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let expected: Value = serde_json::from_slice(&text).map_err(|e| e.to_string())?;
    let actual = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "{}: round trip changed the JSON\nexpected: {expected}\nactual:   {actual}",
            path.display()
        ))
    }
}

#[derive(Default)]
struct RoundTripEveryOperation {
    operations: Vec<&'static str>,
    failures: Vec<String>,
}

// Round trips need both serde directions: the operations as a server has them.
impl ValidatedOperationVisitor for RoundTripEveryOperation {
    fn visit<O: ValidatedOperation>(&mut self) {
        self.operations.push(O::NAME);
        let request = round_trip::<O::Input>(&fixture(&format!("{}.request.json", O::NAME)));
        let response = round_trip::<O::Output>(&fixture(&format!("{}.response.json", O::NAME)));
        self.failures.extend(request.err());
        self.failures.extend(response.err());
    }
}

#[test]
fn every_request_and_response_of_the_api_round_trips() {
    let mut visitor = RoundTripEveryOperation::default();
    SsoAdmin::visit_validated_operations(&mut visitor);
    assert_eq!(
        visitor.operations.len(),
        27,
        "the first release has 27 operations"
    );
    assert!(
        visitor.failures.is_empty(),
        "{}",
        visitor.failures.join("\n\n")
    );
}

#[test]
fn every_fixture_belongs_to_an_operation() {
    let mut visitor = RoundTripEveryOperation::default();
    SsoAdmin::visit_validated_operations(&mut visitor);
    let entries = std::fs::read_dir(fixture("")).expect("fixtures directory");
    for entry in entries {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let operation = name.split('.').next().unwrap_or_default();
        assert!(
            visitor.operations.contains(&operation),
            "{name} names no operation"
        );
    }
}

#[test]
fn examples_carry_fractional_and_whole_timestamps() {
    let text =
        std::fs::read_to_string(fixture("ListAccountAssignmentCreationStatus.response.json"))
            .unwrap();
    let output: sso_admin::operation::list_account_assignment_creation_status::ListAccountAssignmentCreationStatusOutput =
        json::from_slice(text.as_bytes()).unwrap();
    let dates: Vec<_> = output
        .account_assignments_creation_status
        .unwrap_or_default()
        .into_iter()
        .filter_map(|status| status.created_date)
        .collect();
    assert!(
        dates.iter().any(|date| date.subsec_millis() != 0),
        "{dates:?}"
    );
    assert!(
        dates.iter().any(|date| date.subsec_millis() == 0),
        "{dates:?}"
    );
}
