//! Where configuration comes from: environment variables, behind a trait so that tests can supply
//! their own without touching the process environment.

use std::collections::{BTreeMap, HashMap};

/// A source of environment variables.
///
/// [`ProcessEnv`] reads the real process environment; a `HashMap<String, String>` or
/// `BTreeMap<String, String>` serves as a fixed environment in tests.
pub trait Env: Send + Sync + 'static {
    /// The value of the variable `name`, or `None` when it is unset or not valid Unicode.
    fn get(&self, name: &str) -> Option<String>;

    /// Every variable of this environment, for the child process of a `credential_process`;
    /// `None` (the default) lets the child inherit the environment of the current process.
    fn vars(&self) -> Option<Vec<(String, String)>> {
        None
    }
}

/// The environment of the current process.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl Env for HashMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        HashMap::get(self, name).cloned()
    }

    fn vars(&self) -> Option<Vec<(String, String)>> {
        Some(self.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }
}

impl Env for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        BTreeMap::get(self, name).cloned()
    }

    fn vars(&self) -> Option<Vec<(String, String)>> {
        Some(self.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }
}

/// The value of `name`, trimmed, with an empty value treated as unset (as the AWS SDKs do).
pub(crate) fn non_empty(env: &dyn Env, name: &str) -> Option<String> {
    env.get(name)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}
