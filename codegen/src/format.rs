//! Tokens → formatted Rust source, in-process with prettyplease (no external rustfmt).

use proc_macro2::TokenStream;

/// Parses `tokens` as a Rust file and pretty-prints it; `Err` carries the parser's message.
pub fn rust(tokens: TokenStream) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| error.to_string())?;
    Ok(prettyplease::unparse(&file))
}
