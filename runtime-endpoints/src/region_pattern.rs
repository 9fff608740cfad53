//! The `regionRegex` of a partition, matched without a regex engine.
//!
//! Every partition of the AWS partitions data writes its pattern in one form: a prefix, then
//! `\-\w+\-\d+$`, as in `^(us|eu|ap)\-\w+\-\d+$` or `^eusc\-(de)\-\w+\-\d+$`. The prefix is a
//! sequence of literal characters (`\-` for a hyphen) and groups of literal alternatives. This
//! module reads that form into the set of prefixes it allows and matches a region name against
//! it, so that resolving an endpoint needs no regex crate. A pattern of any other form is
//! refused when read ([`RegionPattern::parse`] is `None`), and the tests check that every
//! partition's pattern is read and agrees with an ECMAScript regex engine.

/// A parsed `regionRegex`: `^(one of prefixes)-\w+-\d+$`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RegionPattern {
    prefixes: Vec<String>,
}

/// The part every partition's pattern ends with: `-{word}-{number}`.
const SUFFIX: &str = r"\-\w+\-\d+$";

impl RegionPattern {
    /// Reads `regex`, or `None` when it is not of the partitions' form.
    pub(crate) fn parse(regex: &str) -> Option<Self> {
        let prefix = regex.strip_prefix('^')?.strip_suffix(SUFFIX)?;
        let mut prefixes = vec![String::new()];
        let mut rest = prefix;
        while !rest.is_empty() {
            let alternatives: Vec<String>;
            if let Some(group) = rest.strip_prefix('(') {
                let end = group.find(')')?;
                alternatives = group[..end]
                    .split('|')
                    .map(literal)
                    .collect::<Option<_>>()?;
                rest = &group[end + 1..];
            } else {
                let end = rest.find('(').unwrap_or(rest.len());
                alternatives = vec![literal(&rest[..end])?];
                rest = &rest[end..];
            }
            prefixes = prefixes
                .iter()
                .flat_map(|head| alternatives.iter().map(move |tail| format!("{head}{tail}")))
                .collect();
        }
        Some(Self { prefixes })
    }

    /// Whether `region` matches the whole pattern.
    pub(crate) fn matches(&self, region: &str) -> bool {
        self.prefixes.iter().any(|prefix| {
            region
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| rest.split_once('-'))
                .is_some_and(|(word, number)| {
                    !word.is_empty()
                        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                        && !number.is_empty()
                        && number.bytes().all(|b| b.is_ascii_digit())
                })
        })
    }
}

/// The text a run of regex literals matches: letters and digits as themselves, `\-` as `-`;
/// `None` for anything else (a metacharacter this reader does not handle).
fn literal(source: &str) -> Option<String> {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                '-' => out.push('-'),
                _ => return None,
            },
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => out.push(c),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_groups_and_literals() {
        let aws = RegionPattern::parse(r"^(us|eu|ap)\-\w+\-\d+$").unwrap();
        assert_eq!(aws.prefixes, ["us", "eu", "ap"]);
        let eusc = RegionPattern::parse(r"^eusc\-(de)\-\w+\-\d+$").unwrap();
        assert_eq!(eusc.prefixes, ["eusc-de"]);
        let gov = RegionPattern::parse(r"^us\-gov\-\w+\-\d+$").unwrap();
        assert_eq!(gov.prefixes, ["us-gov"]);
    }

    #[test]
    fn refuses_other_forms() {
        for regex in [
            r"^us\-\w+$",
            r"us\-\w+\-\d+$",
            r"^(us|eu\-\w+\-\d+$",
            r"^u.\-\w+\-\d+$",
            r"^(us|e[u])\-\w+\-\d+$",
            r"^us\d\-\w+\-\d+$",
        ] {
            assert_eq!(RegionPattern::parse(regex), None, "{regex}");
        }
    }

    #[test]
    fn matches_whole_region_names_only() {
        let aws = RegionPattern::parse(r"^(us|eu|ap)\-\w+\-\d+$").unwrap();
        for region in ["us-east-1", "eu-central-12", "ap-south_x-3"] {
            assert!(aws.matches(region), "{region}");
        }
        for region in [
            "us-gov-west-1",
            "us-east-1a",
            "us-east-",
            "us--1",
            "xus-east-1",
            "us-east-1-",
            "cn-north-1",
            "us-east",
            "",
        ] {
            assert!(!aws.matches(region), "{region}");
        }
    }
}
