//! A code generator for AWS JSON-protocol services (awsJson1_0, awsJson1_1).
//!
//! The pipeline, one module per stage:
//! 1. [`load`]: the Smithy JSON AST → [`ast::Model`], traits parsed and checked;
//! 2. [`validate::model`]: one service, every reference resolves, traits where they apply;
//! 3. [`lower`]: → the typed IR ([`ir::Service`]) with every Rust name decided by [`naming`];
//! 4. [`validate::names`]: no two names collide in one Rust scope;
//! 5. [`emit`]: one emitter per artifact, tokens built with `quote`, prose with `tera`,
//!    formatted by [`format`] (prettyplease).
//!
//! The library returns data; only `xtask` touches the file system.

pub mod ast;
pub mod emit;
pub mod error;
pub mod format;
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
    let service_id = validate::model(&model).map_err(CodegenError::Model)?;
    let service = lower::lower(&model, &service_id).map_err(CodegenError::Model)?;
    validate::names(&service).map_err(CodegenError::Model)?;
    Ok(service)
}

/// Generates every file of the crate for the model `source`, sorted by path.
pub fn generate(source: &str, options: &EmitOptions) -> Result<Vec<GeneratedFile>, CodegenError> {
    emit::emit(&lower_model(source)?, options)
}
