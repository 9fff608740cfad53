//! A scratch directory per test with a fake HOME (`home/.aws/`), and an environment that sees
//! only it: the real `~/.aws` is never read.
//!
//! Shared by the credential tests of `aws-json-client` (`tests/credentials.rs`) and of the
//! generated crate (`tests/tests/client_credentials.rs`, through `#[path]`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

/// A directory of its own per test, removed at the end.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new directory named after the test (`name`), with `home/.aws/` in it.
    pub fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "aws-json-scratch-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(path.join("home/.aws")).unwrap();
        Self(path)
    }

    /// The fake HOME.
    pub fn home(&self) -> PathBuf {
        self.0.join("home")
    }

    /// Writes `text` to `relative` (below the directory), creating its parents.
    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// An environment that sees only this directory: HOME, the shared files below it, and IMDS
    /// off unless a test turns it on; then `pairs`.
    pub fn env(&self, pairs: &[(&str, &str)]) -> HashMap<String, String> {
        let home = self.home();
        let mut env = HashMap::from([
            ("HOME".to_owned(), home.display().to_string()),
            (
                "AWS_CONFIG_FILE".to_owned(),
                home.join(".aws/config").display().to_string(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                home.join(".aws/credentials").display().to_string(),
            ),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ]);
        for (name, value) in pairs {
            env.insert((*name).to_owned(), (*value).to_owned());
        }
        env
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
