//! Tokens → formatted Rust source, in-process with prettyplease (no external rustfmt).

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The runtime's declarative macros that generated files invoke with a list of cases, each
/// ended by `,`: prettyplease fills macro bodies like prose, so [`rust`] lays these out itself,
/// one case per line.
const CASE_LIST_MACROS: &[&str] = &["operation_error"];

/// Parses `tokens` as a Rust file and pretty-prints it; `Err` carries the parser's message.
pub fn rust(tokens: TokenStream) -> Result<String, String> {
    let mut file = syn::parse2::<syn::File>(tokens).map_err(|error| error.to_string())?;
    // Each case-list macro is swapped for a placeholder item that prettyplease prints on one
    // line of its own, then the placeholder line for the macro laid out here.
    let mut laid_out = Vec::new();
    for item in &mut file.items {
        let syn::Item::Macro(item_macro) = item else {
            continue;
        };
        let is_case_list = item_macro
            .mac
            .path
            .segments
            .last()
            .is_some_and(|segment| CASE_LIST_MACROS.iter().any(|name| segment.ident == name));
        let ends_with_body = matches!(
            item_macro.mac.tokens.clone().into_iter().last(),
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace
        );
        if !is_case_list || !ends_with_body || !item_macro.attrs.is_empty() {
            continue;
        }
        let placeholder = quote::format_ident!("CodegenCaseListPlaceholder{}", laid_out.len());
        laid_out.push((
            format!("struct {placeholder};\n"),
            case_list(&item_macro.mac) + "\n",
        ));
        *item = syn::parse_quote!(struct #placeholder;);
    }
    let mut text = prettyplease::unparse(&file);
    for (placeholder, macro_text) in laid_out {
        text = text.replacen(&placeholder, &macro_text, 1);
    }
    Ok(text)
}

/// `path!(head { case, case, })` with a case per line, indented by four spaces; `mac` ends
/// with the brace group of cases.
fn case_list(mac: &syn::Macro) -> String {
    let path = compact(
        mac.path
            .segments
            .iter()
            .enumerate()
            .flat_map(|(index, segment)| {
                let separator = if index > 0 || mac.path.leading_colon.is_some() {
                    quote::quote!(::)
                } else {
                    TokenStream::new()
                };
                let ident = &segment.ident;
                quote::quote!(#separator #ident)
            })
            .collect(),
    );
    let mut head: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
    let body = match head.pop() {
        Some(TokenTree::Group(group)) => group.stream(),
        _ => TokenStream::new(),
    };
    let mut cases = Vec::new();
    let mut case = TokenStream::new();
    for tree in body {
        let ends = matches!(&tree, TokenTree::Punct(punct) if punct.as_char() == ',');
        case.extend([tree]);
        if ends {
            cases.push(compact(std::mem::take(&mut case)));
        }
    }
    if !case.is_empty() {
        cases.push(compact(case));
    }
    let (open, close) = match mac.delimiter {
        syn::MacroDelimiter::Paren(_) => ("(", ");"),
        syn::MacroDelimiter::Bracket(_) => ("[", "];"),
        syn::MacroDelimiter::Brace(_) => ("{", "}"),
    };
    let head = compact(head.into_iter().collect());
    if cases.is_empty() {
        return format!("{path}!{open}{head} {{}}{close}");
    }
    let lines: String = cases.iter().map(|case| format!("    {case}\n")).collect();
    format!("{path}!{open}{head} {{\n{lines}}}{close}")
}

/// Tokens printed without the spaces `TokenStream`'s `Display` puts everywhere: a space only
/// between two words (identifiers or literals), or after a group before a word.
fn compact(tokens: TokenStream) -> String {
    let mut out = String::new();
    let mut previous_word = false;
    for tree in tokens {
        let word = matches!(tree, TokenTree::Ident(_) | TokenTree::Literal(_));
        if word && previous_word {
            out.push(' ');
        }
        match &tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&compact(group.stream()));
                out.push_str(close);
            }
            TokenTree::Punct(punct) => {
                out.push(punct.as_char());
                if punct.as_char() == ',' {
                    out.push(' ');
                }
            }
            other => out.push_str(&other.to_string()),
        }
        previous_word = word || matches!(tree, TokenTree::Group(_));
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn case_list_macros_get_a_case_per_line() {
        let text = super::rust(quote! {
            pub enum E { A(crate::types::A), Unhandled(u8) }
            ::aws_json_runtime::operation_error!(E {
                A(crate::types::error::A) is_a,
                B(crate::types::error::B) is_b,
            });
            ::aws_json_runtime::operation_error!(F {});
            other::macro_call!(E { A(crate::types::A) is_a, });
        })
        .unwrap();
        assert!(
            text.contains(
                "::aws_json_runtime::operation_error!(E {\n    A(crate::types::error::A) is_a,\n    B(crate::types::error::B) is_b,\n});\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("::aws_json_runtime::operation_error!(F {});\n"),
            "{text}"
        );
        // Other macros are left to prettyplease.
        assert!(text.contains("other::macro_call!"), "{text}");
        assert!(!text.contains("Placeholder"), "{text}");
        // The result still parses to the same tokens.
        let reparsed: syn::File = syn::parse_str(&text).unwrap();
        assert_eq!(reparsed.items.len(), 4);
    }
}
