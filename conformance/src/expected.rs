//! The checked-in list of cases expected to fail, enforced both ways.

use std::collections::BTreeMap;

/// A case's key: `input/json.json AwsJson11Enums` (the file under `tests/unit/protocols/` and
/// the case id).
pub type CaseKey = String;

/// Parses the expected-failures file: one `<file> <case id>: <reason>` per line; blank lines
/// and lines starting with `#` are ignored.
pub fn parse(text: &str) -> Result<BTreeMap<CaseKey, String>, String> {
    let mut cases = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, reason) = line
            .split_once(": ")
            .ok_or_else(|| format!("line {}: expected `<file> <case id>: <reason>`", number + 1))?;
        let key = key.trim();
        if key.split_whitespace().count() != 2 || reason.trim().is_empty() {
            return Err(format!(
                "line {}: expected `<file> <case id>: <reason>`",
                number + 1
            ));
        }
        if cases
            .insert(key.to_owned(), reason.trim().to_owned())
            .is_some()
        {
            return Err(format!("line {}: `{key}` is listed twice", number + 1));
        }
    }
    Ok(cases)
}

/// What is wrong with a run compared with the list: failures not listed, listed cases that
/// pass, listed cases that do not exist.
pub fn mismatches(
    outcomes: &BTreeMap<CaseKey, Result<(), String>>,
    expected: &BTreeMap<CaseKey, String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, outcome) in outcomes {
        match (outcome, expected.contains_key(key)) {
            (Err(why), false) => problems.push(format!("{key} fails: {why}")),
            (Ok(()), true) => problems.push(format!(
                "{key} passes now: remove it from the expected failures"
            )),
            _ => {}
        }
    }
    for key in expected.keys() {
        if !outcomes.contains_key(key) {
            problems.push(format!(
                "{key} is listed as an expected failure but is no case of the suites"
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses_malformed_lines() {
        let parsed = parse("# comment\n\ninput/json.json A: why\n").unwrap();
        assert_eq!(parsed["input/json.json A"], "why");
        assert!(parse("input/json.json A").is_err());
        assert!(parse("A: why").is_err());
        assert!(parse("f A: why\nf A: again").is_err());
    }

    #[test]
    fn enforced_both_ways() {
        let outcomes: BTreeMap<_, _> = [
            ("f pass".to_owned(), Ok(())),
            ("f fail".to_owned(), Err("broken".to_owned())),
            ("f listed-pass".to_owned(), Ok(())),
            ("f listed-fail".to_owned(), Err("known".to_owned())),
        ]
        .into_iter()
        .collect();
        let expected = parse("f listed-pass: r\nf listed-fail: r\nf gone: r\n").unwrap();
        let problems = mismatches(&outcomes, &expected);
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].starts_with("f fail fails"));
        assert!(problems[1].starts_with("f listed-pass passes now"));
        assert!(problems[2].starts_with("f gone is listed"));
    }
}
