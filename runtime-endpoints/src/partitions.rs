//! The AWS partitions, for `aws.partition`: which regions each holds, and the facts rule sets
//! build endpoints from (DNS suffixes, FIPS and dual-stack support).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::region_pattern::RegionPattern;
use crate::value::Value;

/// One AWS partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// The partition id, e.g. `aws-cn`.
    pub id: &'static str,
    /// The pattern of its region names (ECMAScript syntax), of the form every partition's has:
    /// a prefix, then `\-\w+\-\d+$` (see [`partition`]).
    pub region_regex: &'static str,
    /// Its regions, by name.
    pub regions: &'static [&'static str],
    /// The name rule sets see (`name`), the same as the id.
    pub name: &'static str,
    /// `dnsSuffix`, e.g. `amazonaws.com.cn`.
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix`, e.g. `api.amazonwebservices.com.cn`.
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`: where the partition's global endpoints live.
    pub implicit_global_region: &'static str,
}

impl Partition {
    /// The partition as the record `aws.partition` returns.
    pub fn to_value(&self) -> Value {
        let mut record = BTreeMap::new();
        record.insert("name".to_owned(), Value::from(self.name));
        record.insert("dnsSuffix".to_owned(), Value::from(self.dns_suffix));
        record.insert(
            "dualStackDnsSuffix".to_owned(),
            Value::from(self.dual_stack_dns_suffix),
        );
        record.insert("supportsFIPS".to_owned(), Value::Bool(self.supports_fips));
        record.insert(
            "supportsDualStack".to_owned(),
            Value::Bool(self.supports_dual_stack),
        );
        record.insert(
            "implicitGlobalRegion".to_owned(),
            Value::from(self.implicit_global_region),
        );
        Value::Record(record)
    }
}

/// The partitions, `aws` first (the fallback for regions no partition claims).
pub const PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        regions: &[
            "aws-global",
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "me-west-1",
            "mx-central-1",
            "sa-east-1",
            "sa-west-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
        name: "aws",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-east-1",
    },
    Partition {
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        name: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "cn-northwest-1",
    },
    Partition {
        id: "aws-eusc",
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &["eusc-de-east-1"],
        name: "aws-eusc",
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "api.amazonwebservices.eu",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "eusc-de-east-1",
    },
    Partition {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        name: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "api.aws.ic.gov",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-iso-east-1",
    },
    Partition {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &["aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"],
        name: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "api.aws.scloud",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-isob-east-1",
    },
    Partition {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
        name: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "eu-isoe-west-1",
    },
    Partition {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        name: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "api.aws.hci.ic.gov",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-isof-south-1",
    },
    Partition {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        name: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-gov-west-1",
    },
];

/// The parsed `region_regex` of each partition of [`PARTITIONS`], in the same order.
fn patterns() -> &'static [Option<RegionPattern>] {
    static PATTERNS: OnceLock<Vec<Option<RegionPattern>>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        PARTITIONS
            .iter()
            .map(|partition| RegionPattern::parse(partition.region_regex))
            .collect()
    })
}

/// `aws.partition(region)`: the partition listing the region, else the first whose pattern
/// matches it, else `aws`.
pub fn partition(region: &str) -> &'static Partition {
    if let Some(listed) = PARTITIONS.iter().find(|p| p.regions.contains(&region)) {
        return listed;
    }
    PARTITIONS
        .iter()
        .zip(patterns())
        .find(|(_, pattern)| pattern.as_ref().is_some_and(|p| p.matches(region)))
        .map_or(&PARTITIONS[0], |(partition, _)| partition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_read_and_matches_its_own_regions() {
        for (partition, pattern) in PARTITIONS.iter().zip(patterns()) {
            let pattern = pattern
                .as_ref()
                .expect("the pattern is of the partitions' form");
            for region in partition.regions.iter().filter(|r| !r.ends_with("-global")) {
                assert!(pattern.matches(region), "{region} in {}", partition.id);
            }
        }
    }

    /// The reader of `regionRegex` agrees with an ECMAScript regex engine on every partition's
    /// pattern, for every listed region and for names built to sit near the patterns' edges.
    #[test]
    fn patterns_match_as_an_ecmascript_engine_does() {
        let mut regions: Vec<String> = PARTITIONS
            .iter()
            .flat_map(|p| p.regions.iter().map(|r| (*r).to_owned()))
            .collect();
        let heads = [
            "us", "eu", "cn", "us-gov", "us-iso", "us-isob", "eu-isoe", "us-isof", "eusc-de",
            "eusc", "ap", "mx", "xx", "u", "", "US",
        ];
        let tails = [
            "-east-1", "-west-12", "-a_b-3", "-east", "--1", "-east-1a", "-1-1", "-east-1-",
            "east-1", "-é-1", "-east-", "",
        ];
        for head in heads {
            for tail in tails {
                regions.push(format!("{head}{tail}"));
            }
        }
        for (partition, pattern) in PARTITIONS.iter().zip(patterns()) {
            let ours = pattern.as_ref().expect("the pattern is read");
            let engine = regress::Regex::new(partition.region_regex).expect("it compiles");
            for region in &regions {
                assert_eq!(
                    ours.matches(region),
                    engine.find(region).is_some(),
                    "{region} against {}",
                    partition.region_regex
                );
            }
        }
    }

    #[test]
    fn regions_map_to_their_partition() {
        assert_eq!(partition("us-east-1").id, "aws");
        assert_eq!(partition("cn-north-1").id, "aws-cn");
        assert_eq!(partition("us-gov-west-1").id, "aws-us-gov");
        assert_eq!(partition("us-iso-east-1").id, "aws-iso");
        assert_eq!(partition("us-isob-east-1").id, "aws-iso-b");
        assert_eq!(partition("eu-isoe-west-1").id, "aws-iso-e");
        assert_eq!(partition("us-isof-south-1").id, "aws-iso-f");
        assert_eq!(partition("eusc-de-east-1").id, "aws-eusc");
        // Unlisted regions by pattern, then the `aws` fallback.
        assert_eq!(partition("cn-south-9").id, "aws-cn");
        assert_eq!(partition("us-gov-north-7").id, "aws-us-gov");
        assert_eq!(partition("eu-south-9").id, "aws");
        assert_eq!(partition("mars-1").id, "aws");
        assert_eq!(partition("aws-cn-global").id, "aws-cn");
    }

    #[test]
    fn the_record_has_the_fields_rule_sets_read() {
        let value = partition("cn-north-1").to_value();
        let record = value.as_record().expect("a record");
        assert_eq!(record["dnsSuffix"], Value::from("amazonaws.com.cn"));
        assert_eq!(
            record["dualStackDnsSuffix"],
            Value::from("api.amazonwebservices.com.cn")
        );
        assert_eq!(record["supportsFIPS"], Value::Bool(true));
        assert_eq!(
            record["implicitGlobalRegion"],
            Value::from("cn-northwest-1")
        );
        assert_eq!(record["name"], Value::from("aws-cn"));
    }
}
