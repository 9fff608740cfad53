//! The values a rule set computes with, the parameters it is given, and the endpoint it
//! resolves to.

use std::collections::BTreeMap;
use std::fmt;

/// A value of the rules language: a parameter's value, a function's result, an endpoint
/// property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer (literal arguments such as `substring`'s indices).
    Integer(i64),
    /// An array (`stringArray` parameters, `authSchemes`, `parseArn`'s `resourceId`).
    Array(Vec<Value>),
    /// A record (`aws.partition`'s result, an auth scheme).
    Record(BTreeMap<String, Value>),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The fields, if this is a record.
    pub fn as_record(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Self::Record(fields) => Some(fields),
            _ => None,
        }
    }

    /// The name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::String(_) => "string",
            Self::Bool(_) => "boolean",
            Self::Integer(_) => "integer",
            Self::Array(_) => "array",
            Self::Record(_) => "record",
        }
    }

    /// The value as JSON (records as objects), e.g. to compare endpoint properties.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::String(text) => serde_json::Value::String(text.clone()),
            Self::Bool(value) => serde_json::Value::Bool(*value),
            Self::Integer(value) => serde_json::Value::from(*value),
            Self::Array(items) => {
                serde_json::Value::Array(items.iter().map(Self::to_json).collect())
            }
            Self::Record(fields) => serde_json::Value::Object(
                fields
                    .iter()
                    .map(|(key, value)| (key.clone(), value.to_json()))
                    .collect(),
            ),
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Self::String(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Self::String(text)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<Vec<String>> for Value {
    fn from(items: Vec<String>) -> Self {
        Self::Array(items.into_iter().map(Value::String).collect())
    }
}

/// The parameters of one resolution, by the rule set's parameter names (`Region`,
/// `UseFIPS`, …). Parameters left out take the rule set's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointParams {
    values: BTreeMap<String, Value>,
}

impl EndpointParams {
    /// No parameters set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the parameter `name`.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        self.values.insert(name.into(), value.into());
        self
    }

    /// Sets the parameter `name` when `value` is `Some`, else removes it.
    pub fn set_opt(
        &mut self,
        name: impl Into<String>,
        value: Option<impl Into<Value>>,
    ) -> &mut Self {
        let name = name.into();
        match value {
            Some(value) => {
                self.values.insert(name, value.into());
            }
            None => {
                self.values.remove(&name);
            }
        }
        self
    }

    /// The same parameters with `name` set.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set(name, value);
        self
    }

    /// The parameter `name`, if set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// The string parameter `name`, if set and a string.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// The boolean parameter `name`, if set and a boolean.
    pub fn get_bool(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(Value::as_bool)
    }

    /// Every parameter set, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }
}

/// A resolved endpoint: its URL, the headers to send, and properties such as `authSchemes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    headers: BTreeMap<String, Vec<String>>,
    properties: BTreeMap<String, Value>,
}

impl Endpoint {
    /// An endpoint with this URL, no headers and no properties.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            headers: BTreeMap::new(),
            properties: BTreeMap::new(),
        }
    }

    /// The same endpoint with a header value added.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .entry(name.into())
            .or_default()
            .push(value.into());
        self
    }

    /// The same endpoint with a property set.
    pub fn with_property(mut self, name: impl Into<String>, value: Value) -> Self {
        self.properties.insert(name.into(), value);
        self
    }

    /// The URL, e.g. `https://sso.us-east-1.amazonaws.com`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers to send, by name.
    pub fn headers(&self) -> &BTreeMap<String, Vec<String>> {
        &self.headers
    }

    /// The properties, by name.
    pub fn properties(&self) -> &BTreeMap<String, Value> {
        &self.properties
    }

    /// The `authSchemes` property, read: the schemes with a name, in order of preference.
    pub fn auth_schemes(&self) -> Vec<AuthScheme<'_>> {
        let Some(schemes) = self.properties.get("authSchemes").and_then(Value::as_array) else {
            return Vec::new();
        };
        schemes
            .iter()
            .filter_map(Value::as_record)
            .filter_map(|fields| {
                let field = |key: &str| fields.get(key).and_then(Value::as_str);
                Some(AuthScheme {
                    name: field("name")?,
                    signing_name: field("signingName"),
                    signing_region: field("signingRegion"),
                    signing_region_set: fields
                        .get("signingRegionSet")
                        .and_then(Value::as_array)
                        .map(|regions| regions.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default(),
                })
            })
            .collect()
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

/// One entry of an endpoint's `authSchemes` property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthScheme<'a> {
    /// `sigv4`, `sigv4a`, …
    pub name: &'a str,
    /// The name to sign with, when it differs from the service's.
    pub signing_name: Option<&'a str>,
    /// The region to sign with (`sigv4`).
    pub signing_region: Option<&'a str>,
    /// The regions to sign for (`sigv4a`).
    pub signing_region_set: Vec<&'a str>,
}
