//! Prose and Markdown from the `tera` templates in `codegen/templates/`, compiled into the
//! generator so that it needs no files at run time.

use std::sync::OnceLock;

use serde::Serialize;

use crate::error::CodegenError;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml.tera",
        include_str!("../templates/Cargo.toml.tera"),
    ),
    (
        "crate_docs.md.tera",
        include_str!("../templates/crate_docs.md.tera"),
    ),
    (
        "client_docs.md.tera",
        include_str!("../templates/client_docs.md.tera"),
    ),
    (
        "endpoint_docs.md.tera",
        include_str!("../templates/endpoint_docs.md.tera"),
    ),
    (
        "reference.md.tera",
        include_str!("../templates/reference.md.tera"),
    ),
];

fn engine() -> Result<&'static tera::Tera, CodegenError> {
    static ENGINE: OnceLock<Result<tera::Tera, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut tera = tera::Tera::default();
            tera.add_raw_templates(TEMPLATES.iter().copied())
                .map_err(|error| describe(&error))?;
            tera.autoescape_on(Vec::new());
            Ok(tera)
        })
        .as_ref()
        .map_err(|message| CodegenError::Template {
            file: "(templates)".to_owned(),
            message: message.clone(),
        })
}

/// Renders the template `name` with `context`.
pub fn render(name: &str, context: &impl Serialize) -> Result<String, CodegenError> {
    let failed = |message: String| CodegenError::Template {
        file: name.to_owned(),
        message,
    };
    let context =
        tera::Context::from_serialize(context).map_err(|error| failed(describe(&error)))?;
    engine()?
        .render(name, &context)
        .map_err(|error| failed(describe(&error)))
}

/// A tera error with its causes, which hold the useful part.
fn describe(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
