//! A code generator for AWS JSON-protocol services (awsJson1_0, awsJson1_1).
//!
//! The pipeline, one module per stage:
//! 1. [`load`]: the Smithy JSON AST → [`ast::Model`], traits parsed and checked (or [`botocore`]:
//!    a botocore `service-2.json` and its paginators → the same [`ast::Model`]);
//! 2. [`validate::model`]: one service, every reference resolves, traits where they apply;
//! 3. [`lower`]: → the typed IR ([`ir::Service`]) with every Rust name decided by [`naming`];
//! 4. [`validate::names`]: no two names collide in one Rust scope;
//! 5. [`emit`]: one emitter per artifact, tokens built with `quote`, prose with `tera`,
//!    formatted by [`format`] (prettyplease).
//!
//! The library returns data; only `xtask` touches the file system.

pub mod ast;
pub mod botocore;
pub mod emit;
pub mod endpoint_rules;
pub mod error;
pub mod format;
pub mod html;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
mod templates;
pub mod validate;

pub use emit::{EmitOptions, GeneratedFile, REGENERATE_COMMAND};
pub use error::{CodegenError, ModelError};

/// Parses, validates and lowers a Smithy JSON AST document into the IR.
pub fn lower_model(source: &str) -> Result<ir::Service, CodegenError> {
    let document: serde_json::Value = serde_json::from_str(source)?;
    let model = load::load(&document).map_err(CodegenError::Model)?;
    lower_ast(&model)
}

/// Validates and lowers a loaded model.
fn lower_ast(model: &ast::Model) -> Result<ir::Service, CodegenError> {
    let service_id = validate::model(model).map_err(CodegenError::Model)?;
    let service = lower::lower(model, &service_id).map_err(CodegenError::Model)?;
    validate::names(&service).map_err(CodegenError::Model)?;
    Ok(service)
}

/// Generates every file of the crate for the model `source`, sorted by path.
pub fn generate(source: &str, options: &EmitOptions) -> Result<Vec<GeneratedFile>, CodegenError> {
    emit::emit(&lower_model(source)?, options)
}

/// The model formats the generator reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelFormat {
    /// A Smithy JSON AST document (top-level `smithy` key).
    Smithy,
    /// A botocore `service-2.json` (top-level `metadata`, `operations` and `shapes`).
    Botocore,
}

impl ModelFormat {
    /// The format of a parsed model document, if it is one the generator reads.
    pub fn detect(document: &serde_json::Value) -> Option<Self> {
        if document.get("smithy").is_some() {
            Some(Self::Smithy)
        } else if botocore::is_botocore(document) {
            Some(Self::Botocore)
        } else {
            None
        }
    }
}

/// A result with the loader's notes: what it modeled approximately, each naming its shape.
#[derive(Clone, Debug)]
pub struct WithNotes<T> {
    /// The result.
    pub value: T,
    /// The notes (empty for Smithy models).
    pub notes: Vec<ModelError>,
}

/// Parses, validates and lowers a model in either format, picked from its content: Smithy JSON
/// AST, or botocore `service-2.json` with its `paginators-1.json` (`paginators`) if there is
/// one. A paginators document beside a Smithy model is ignored, with a note.
pub fn lower_model_file(
    source: &str,
    paginators: Option<&str>,
) -> Result<WithNotes<ir::Service>, CodegenError> {
    lower_model_file_with_rules(source, paginators, None)
}

/// [`lower_model_file`], with botocore's `endpoint-rule-set-1.json` (`endpoint_rules`) when
/// the service has one; ignored, with a note, beside a Smithy model, which carries its rule set
/// as the `smithy.rules#endpointRuleSet` trait.
pub fn lower_model_file_with_rules(
    source: &str,
    paginators: Option<&str>,
    endpoint_rules: Option<&str>,
) -> Result<WithNotes<ir::Service>, CodegenError> {
    let document: serde_json::Value = serde_json::from_str(source)?;
    let (model, mut notes) = match ModelFormat::detect(&document) {
        Some(ModelFormat::Smithy) | None => {
            let model = load::load(&document).map_err(CodegenError::Model)?;
            let notes = paginators
                .map(|_| {
                    ModelError::new(
                        "(model)",
                        "the paginators document is ignored: Smithy models carry `smithy.api#paginated`",
                    )
                })
                .into_iter()
                .chain(endpoint_rules.map(|_| {
                    ModelError::new(
                        "(model)",
                        "the endpoint rule set document is ignored: Smithy models carry `smithy.rules#endpointRuleSet`",
                    )
                }))
                .collect();
            (model, notes)
        }
        Some(ModelFormat::Botocore) => {
            let paginators: Option<serde_json::Value> =
                paginators.map(serde_json::from_str).transpose()?;
            let endpoint_rules: Option<serde_json::Value> =
                endpoint_rules.map(serde_json::from_str).transpose()?;
            let loaded =
                botocore::load_with_rules(&document, paginators.as_ref(), endpoint_rules.as_ref())
                    .map_err(CodegenError::Model)?;
            (loaded.model, loaded.notes)
        }
    };
    let service = lower_ast(&model)?;
    notes.sort_by(|a, b| a.shape.cmp(&b.shape));
    Ok(WithNotes {
        value: service,
        notes,
    })
}

/// Generates every file of the crate for a model in either format (see [`lower_model_file`]).
pub fn generate_model_file(
    source: &str,
    paginators: Option<&str>,
    options: &EmitOptions,
) -> Result<WithNotes<Vec<GeneratedFile>>, CodegenError> {
    generate_model_file_with_rules(source, paginators, None, options)
}

/// [`generate_model_file`], with botocore's `endpoint-rule-set-1.json` (see
/// [`lower_model_file_with_rules`]).
pub fn generate_model_file_with_rules(
    source: &str,
    paginators: Option<&str>,
    endpoint_rules: Option<&str>,
    options: &EmitOptions,
) -> Result<WithNotes<Vec<GeneratedFile>>, CodegenError> {
    let lowered = lower_model_file_with_rules(source, paginators, endpoint_rules)?;
    Ok(WithNotes {
        value: emit::emit(&lowered.value, options)?,
        notes: lowered.notes,
    })
}
