//! Model documentation → `#[doc]` attributes that rustdoc renders without warnings.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `docs`, or for `fallback` when the model has none.
pub(crate) fn doc_attrs(docs: Option<&str>, fallback: &str) -> TokenStream {
    let text = docs
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .unwrap_or(fallback);
    let lines = escape(text)
        .lines()
        .map(|line| format!(" {}", line.trim_end()))
        .collect::<Vec<_>>();
    quote!(#(#[doc = #lines])*)
}

/// Escapes what rustdoc would misread in plain model prose: brackets (intra-doc links) and angle
/// brackets (HTML tags).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' => escaped.push_str("\\["),
            ']' => escaped.push_str("\\]"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_and_escapes() {
        assert_eq!(
            doc_attrs(None, "Fallback.").to_string(),
            quote!(#[doc = " Fallback."]).to_string()
        );
        assert_eq!(
            doc_attrs(Some("See [REQUIRED] <b>\nsecond"), "x").to_string(),
            quote!(#[doc = " See \\[REQUIRED\\] &lt;b&gt;"] #[doc = " second"]).to_string()
        );
    }
}
