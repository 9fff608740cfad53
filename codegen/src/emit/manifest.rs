//! The generated crate's `Cargo.toml`.

use serde::Serialize;

use super::{EmitOptions, GeneratedFile};
use crate::error::CodegenError;
use crate::ir;
use crate::templates;

#[derive(Serialize)]
struct Manifest<'a> {
    crate_name: &'a str,
    library_name: &'a str,
    title: &'a str,
    version: &'a str,
    runtime_path: &'a str,
    /// Whether an operation declares `requestCompression`: the client then needs gzip.
    request_compression: bool,
}

pub(crate) fn cargo_toml(
    service: &ir::Service,
    options: &EmitOptions,
) -> Result<GeneratedFile, CodegenError> {
    let context = Manifest {
        crate_name: &service.crate_name,
        library_name: &service.library_name,
        title: service.title.as_deref().unwrap_or(&service.sdk_id),
        version: &service.version,
        runtime_path: &options.runtime_path,
        request_compression: service
            .operations
            .iter()
            .any(|operation| !operation.request_compression.is_empty()),
    };
    Ok(GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: templates::render("Cargo.toml.tera", &context)?,
    })
}
