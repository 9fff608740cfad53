//! What can go wrong while generating: each model problem names the shape it is about.

use std::fmt;

/// One problem found in a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    /// The absolute id of the shape at fault (`namespace#Name`, `namespace#Name$member`), or
    /// `(model)` for problems of the document as a whole.
    pub shape: String,
    /// What is wrong, in a sentence.
    pub problem: String,
}

impl ModelError {
    /// A problem with the shape `shape`.
    pub fn new(shape: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            shape: shape.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.shape, self.problem)
    }
}

/// Why a model could not be turned into code.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The model is not a well-formed JSON document.
    #[error("the model is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The model is JSON but not a valid, supported Smithy model; every problem found is listed.
    #[error("the model has {} problem(s):\n{}", .0.len(), list(.0))]
    Model(Vec<ModelError>),
    /// A template failed to render (a bug in the generator).
    #[error("rendering {file} failed: {message}")]
    Template {
        /// The file being rendered.
        file: String,
        /// The template engine's error, with its causes.
        message: String,
    },
    /// Emitted tokens were not valid Rust (a bug in the generator).
    #[error("generated code for {file} does not parse: {message}")]
    Format {
        /// The file being formatted.
        file: String,
        /// The parser's error.
        message: String,
    },
}

fn list(errors: &[ModelError]) -> String {
    errors
        .iter()
        .map(|error| format!("  - {error}"))
        .collect::<Vec<_>>()
        .join("\n")
}
