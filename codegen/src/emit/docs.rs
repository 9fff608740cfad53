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

/// The `doc` attribute values for text that already is rustdoc Markdown (a rendered template):
/// one per line, each after a space.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| format!(" {line}").trim_end().to_owned())
        .collect()
}

/// Keeps the Markdown of model docs (links `[text](url)`, autolinks `<https://…>`) and escapes
/// what rustdoc would misread in prose: lone brackets (intra-doc links) and other angle brackets
/// (HTML tags).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(kept) = markdown_link(rest).or_else(|| autolink(rest)) {
            escaped.push_str(kept);
            rest = &rest[kept.len()..];
            continue;
        }
        match c {
            '[' => escaped.push_str("\\["),
            ']' => escaped.push_str("\\]"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            _ => escaped.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    escaped
}

/// `[text](url)` at the start of `text`, on one line.
fn markdown_link(text: &str) -> Option<&str> {
    let label_end = text.strip_prefix('[')?.find(']')? + 1;
    let after = &text[label_end + 1..];
    let url_end = after.strip_prefix('(')?.find(')')? + 1;
    let link = &text[..label_end + 1 + url_end + 1];
    (!link.contains('\n')).then_some(link)
}

/// `<https://…>` or `<http://…>` at the start of `text`.
fn autolink(text: &str) -> Option<&str> {
    if !(text.starts_with("<https://") || text.starts_with("<http://")) {
        return None;
    }
    let end = text.find('>')?;
    let link = &text[..=end];
    (!link.contains(char::is_whitespace)).then_some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_links_and_autolinks() {
        let text = "See [ARNs](https://docs.aws.amazon.com/arns.html) and <https://aws.amazon.com/sso/> [x]";
        assert_eq!(
            escape(text),
            "See [ARNs](https://docs.aws.amazon.com/arns.html) and <https://aws.amazon.com/sso/> \\[x\\]"
        );
        assert_eq!(escape("a < b > c [d](e"), "a &lt; b &gt; c \\[d\\](e");
    }

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
