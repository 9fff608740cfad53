//! A parser for the shared AWS configuration files (`~/.aws/config` and `~/.aws/credentials`).
//!
//! The format is INI-like:
//!
//! ```text
//! # a comment          ; also a comment
//! [default]
//! region = us-east-1
//!
//! [profile dev]        ; in the config file, named profiles carry the `profile ` prefix
//! region = eu-west-1   # a comment after whitespace ends the value
//! s3 =
//!   max_concurrent_requests = 10
//! ```
//!
//! In the credentials file, sections are bare profile names (`[dev]`). Lines indented under a
//! property continue its value; sub-properties (a property with an empty value followed by
//! indented `key = value` lines) are kept as raw text, read with [`Profile::sub_property`].
//! Besides profiles, the config file's `[sso-session NAME]` and `[services NAME]` sections are
//! available through [`ProfileSet::sso_session`] and [`ProfileSet::services`]; other sections
//! are skipped. Malformed lines are skipped with a
//! `tracing` warning, as the AWS SDKs do, so one bad line does not make a file unusable.

use std::collections::HashMap;

/// Which shared file a text came from: the two name their sections differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileFileKind {
    /// The shared config file: `[default]` and `[profile NAME]`.
    Config,
    /// The shared credentials file: `[NAME]`.
    Credentials,
}

/// The properties of one profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    properties: HashMap<String, String>,
}

impl Profile {
    /// The value of property `key` (property names are matched case-insensitively).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The value of property `key` when it is set and not empty.
    pub fn get_non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|value| !value.is_empty())
    }

    /// The names of the properties that are set.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    /// The non-empty value of `sub` among the sub-properties of `key`: `endpoint_url` of
    ///
    /// ```text
    /// sts =
    ///   endpoint_url = http://localhost:4566
    /// ```
    pub fn sub_property(&self, key: &str, sub: &str) -> Option<&str> {
        self.get(key)?.lines().find_map(|line| {
            let (name, value) = line.split_once('=')?;
            let value = strip_inline_comment(value.trim());
            (name.trim().eq_ignore_ascii_case(sub) && !value.is_empty()).then_some(value)
        })
    }
}

/// The profiles of one or more shared files, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: HashMap<String, Profile>,
    sso_sessions: HashMap<String, Profile>,
    services: HashMap<String, Profile>,
}

impl ProfileSet {
    /// Parses the text of a shared config or credentials file.
    pub fn parse(text: &str, kind: ProfileFileKind) -> Self {
        Parser::new(kind).parse(text)
    }

    /// The profile called `name`, if any file defines it.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The `[sso-session NAME]` section called `name`, if the config file defines it.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// The `[services NAME]` section called `name`, if the config file defines it: the
    /// service-specific settings a profile selects with `services = NAME`.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    /// The names of the profiles defined.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// Adds the profiles of `other`; where both define a property, `other`'s value wins.
    ///
    /// Merge the credentials file into the config file this way: the AWS SDKs give the
    /// credentials file precedence.
    pub fn merge(&mut self, other: ProfileSet) {
        for (name, profile) in other.profiles {
            self.profiles
                .entry(name)
                .or_default()
                .properties
                .extend(profile.properties);
        }
        for (name, session) in other.sso_sessions {
            self.sso_sessions
                .entry(name)
                .or_default()
                .properties
                .extend(session.properties);
        }
        for (name, services) in other.services {
            self.services
                .entry(name)
                .or_default()
                .properties
                .extend(services.properties);
        }
    }
}

/// Where the parser is.
enum Section {
    /// Before any section header, or in a section that is not a profile.
    Ignored,
    /// In the profile (or the `[sso-session]` or `[services]` section, as `table` says) with
    /// this name; `priority` is set for `[profile default]` in the config file, which wins over
    /// `[default]`.
    Profile {
        name: String,
        priority: bool,
        table: Table,
    },
}

/// The kinds of named sections kept.
#[derive(Clone, Copy)]
enum Table {
    Profiles,
    SsoSessions,
    Services,
}

type Properties = HashMap<String, HashMap<String, (bool, String)>>;

struct Parser {
    kind: ProfileFileKind,
    /// Properties by profile name, with the priority each value was set at.
    profiles: Properties,
    /// Properties of `[sso-session]` sections by name.
    sessions: Properties,
    /// Properties of `[services]` sections by name.
    services: Properties,
    section: Section,
    /// The last property of the current profile, for continuation lines.
    last_key: Option<String>,
}

impl Parser {
    fn new(kind: ProfileFileKind) -> Self {
        Self {
            kind,
            profiles: HashMap::new(),
            sessions: HashMap::new(),
            services: HashMap::new(),
            section: Section::Ignored,
            last_key: None,
        }
    }

    fn parse(mut self, text: &str) -> ProfileSet {
        for (index, raw) in text.lines().enumerate() {
            let line_number = index + 1;
            let line = raw.trim_end();
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if trimmed.starts_with('[') {
                self.section_header(trimmed, line_number);
            } else if line.starts_with(|c: char| c.is_whitespace()) {
                self.continuation(trimmed, line_number);
            } else {
                self.property(trimmed, line_number);
            }
        }
        let finish = |table: Properties| {
            table
                .into_iter()
                .map(|(name, properties)| {
                    let properties = properties
                        .into_iter()
                        .map(|(key, (_, value))| (key, value))
                        .collect();
                    (name, Profile { properties })
                })
                .collect()
        };
        ProfileSet {
            profiles: finish(self.profiles),
            sso_sessions: finish(self.sessions),
            services: finish(self.services),
        }
    }

    fn section_header(&mut self, line: &str, line_number: usize) {
        self.last_key = None;
        self.section = Section::Ignored;
        let Some(close) = line.find(']') else {
            tracing::warn!(line_number, "ignoring a section header without `]`");
            return;
        };
        let after = line[close + 1..].trim();
        if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
            tracing::warn!(line_number, "ignoring a section header with trailing text");
            return;
        }
        let header = line[1..close].trim();
        let (name, priority, table) = match self.kind {
            ProfileFileKind::Config => match split_prefixed(header, "profile") {
                Some(name) => (name, name == "default", Table::Profiles),
                None if header == "default" => ("default", false, Table::Profiles),
                None if split_prefixed(header, "sso-session").is_some() => (
                    split_prefixed(header, "sso-session").unwrap_or(""),
                    false,
                    Table::SsoSessions,
                ),
                None if split_prefixed(header, "services").is_some() => (
                    split_prefixed(header, "services").unwrap_or(""),
                    false,
                    Table::Services,
                ),
                None => {
                    // `[services x]` and the like: not profiles.
                    if !header.contains(char::is_whitespace) {
                        tracing::warn!(
                            line_number,
                            "ignoring a config-file section without the `profile ` prefix"
                        );
                    }
                    return;
                }
            },
            ProfileFileKind::Credentials => {
                if split_prefixed(header, "profile").is_some() {
                    tracing::warn!(
                        line_number,
                        "ignoring a credentials-file section with the `profile ` prefix"
                    );
                    return;
                }
                (header, false, Table::Profiles)
            }
        };
        if name.is_empty() {
            tracing::warn!(line_number, "ignoring a section without a name");
            return;
        }
        self.table(table).entry(name.to_owned()).or_default();
        self.section = Section::Profile {
            name: name.to_owned(),
            priority,
            table,
        };
    }

    fn property(&mut self, line: &str, line_number: usize) {
        self.last_key = None;
        let Section::Profile {
            name,
            priority,
            table,
        } = &self.section
        else {
            tracing::warn!(line_number, "ignoring a property outside of a profile");
            return;
        };
        let Some((key, value)) = line.split_once('=') else {
            tracing::warn!(line_number, "ignoring a line that is not `key = value`");
            return;
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            tracing::warn!(line_number, "ignoring a property without a name");
            return;
        }
        let value = strip_inline_comment(value.trim()).to_owned();
        let (name, priority, table) = (name.clone(), *priority, *table);
        let properties = self.table(table).entry(name).or_default();
        match properties.get(&key) {
            // A value from `[profile default]` is not overridden by one from `[default]`.
            Some((true, _)) if !priority => {}
            _ => {
                properties.insert(key.clone(), (priority, value));
            }
        }
        self.last_key = Some(key);
    }

    fn continuation(&mut self, line: &str, line_number: usize) {
        let (Section::Profile { name, table, .. }, Some(key)) = (&self.section, &self.last_key)
        else {
            if matches!(self.section, Section::Profile { .. }) {
                tracing::warn!(line_number, "ignoring an indented line after no property");
            }
            return;
        };
        let (name, key, table) = (name.clone(), key.clone(), *table);
        if let Some((_, value)) = self
            .table(table)
            .get_mut(&name)
            .and_then(|properties| properties.get_mut(&key))
        {
            value.push('\n');
            value.push_str(line);
        }
    }
}

impl Parser {
    /// The profiles, the `[sso-session]` or the `[services]` sections.
    fn table(&mut self, table: Table) -> &mut Properties {
        match table {
            Table::Profiles => &mut self.profiles,
            Table::SsoSessions => &mut self.sessions,
            Table::Services => &mut self.services,
        }
    }
}

/// `header` without the word `prefix` and the whitespace after it, if it starts so.
fn split_prefixed<'a>(header: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = header.strip_prefix(prefix)?;
    if rest.starts_with(char::is_whitespace) {
        Some(rest.trim())
    } else {
        None
    }
}

/// A value up to the first `#` or `;` that follows whitespace.
fn strip_inline_comment(value: &str) -> &str {
    let mut previous_is_space = false;
    for (index, c) in value.char_indices() {
        if (c == '#' || c == ';') && previous_is_space {
            return value[..index].trim_end();
        }
        previous_is_space = c.is_whitespace();
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_config_sections_comments_and_continuations() {
        let text = "\
# leading comment
; another
region = ignored-outside-profile
[default]
region = us-east-1
[profile dev] ; comment after header
region = eu-west-1 # trailing comment
Output=json
s3 =
  max_concurrent_requests = 10
  addressing_style = path
endpoint_url=http://localhost:4566;not-a-comment
[sso-session corp]
sso_region = us-east-1
[bare]
region = nope
[profile  spaced  ]
region = ap-south-1
[broken
region = lost
";
        let set = ProfileSet::parse(text, ProfileFileKind::Config);
        assert_eq!(set.get("default").unwrap().get("region"), Some("us-east-1"));
        let dev = set.get("dev").unwrap();
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.get("output"), Some("json"));
        assert_eq!(
            dev.get("s3"),
            Some("\nmax_concurrent_requests = 10\naddressing_style = path")
        );
        assert_eq!(
            dev.get("endpoint_url"),
            Some("http://localhost:4566;not-a-comment")
        );
        assert_eq!(set.get("spaced").unwrap().get("region"), Some("ap-south-1"));
        assert!(set.get("bare").is_none());
        assert!(set.get("corp").is_none());
        assert!(set.get("sso-session corp").is_none());
        assert_eq!(
            set.sso_session("corp").unwrap().get("sso_region"),
            Some("us-east-1")
        );
        assert_eq!(set.names().count(), 3);
    }

    #[test]
    fn services_sections_and_sub_properties() {
        let text = "\
[profile dev]
services = local
[services local]
sts =
  endpoint_url = http://127.0.0.1:4566
  other = x
SSO_OIDC =
  Endpoint_URL = http://127.0.0.1:4567 # comment
sso =
  endpoint_url =
[services]
sts =
  endpoint_url = lost
";
        let set = ProfileSet::parse(text, ProfileFileKind::Config);
        assert_eq!(set.get("dev").unwrap().get("services"), Some("local"));
        let local = set.services("local").unwrap();
        assert_eq!(
            local.sub_property("sts", "endpoint_url"),
            Some("http://127.0.0.1:4566")
        );
        assert_eq!(
            local.sub_property("sso_oidc", "endpoint_url"),
            Some("http://127.0.0.1:4567")
        );
        assert_eq!(local.sub_property("sso", "endpoint_url"), None);
        assert_eq!(local.sub_property("sts", "missing"), None);
        assert!(set.get("local").is_none());
        assert_eq!(set.names().count(), 1);
    }

    #[test]
    fn profile_default_wins_over_default_in_config() {
        let text = "[profile default]\nregion = a\n[default]\nregion = b\noutput = json\n";
        let set = ProfileSet::parse(text, ProfileFileKind::Config);
        let default = set.get("default").unwrap();
        assert_eq!(default.get("region"), Some("a"));
        assert_eq!(default.get("output"), Some("json"));
    }

    #[test]
    fn credentials_file_uses_bare_names_and_wins_on_merge() {
        let mut config = ProfileSet::parse(
            "[profile dev]\naws_access_key_id = FROMCONFIG\nregion = us-west-2\n",
            ProfileFileKind::Config,
        );
        let credentials = ProfileSet::parse(
            "[dev]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n[profile x]\na = b\n",
            ProfileFileKind::Credentials,
        );
        assert!(credentials.get("profile x").is_none());
        config.merge(credentials);
        let dev = config.get("dev").unwrap();
        assert_eq!(dev.get("aws_access_key_id"), Some("AKID"));
        assert_eq!(dev.get("AWS_SECRET_ACCESS_KEY"), Some("SECRET"));
        assert_eq!(dev.get("region"), Some("us-west-2"));
    }

    #[test]
    fn survives_garbage() {
        let set = ProfileSet::parse(
            "[]\n=\n  indented\n[x]\n = v\nnovalue\n[default]\nk=\n",
            ProfileFileKind::Credentials,
        );
        assert_eq!(set.get("default").unwrap().get_non_empty("k"), None);
        assert_eq!(set.get("x").unwrap().keys().count(), 0);
    }
}
