//! Botocore documentation (a small HTML dialect) → Markdown that rustdoc renders without
//! warnings: paragraphs, `code`, links (`[text](url)`), bullet and numbered lists, **bold**, *italic*,
//! fenced `text` blocks for `<pre>`, `<note>` / `<important>` as labelled paragraphs. Entities
//! are decoded; unknown tags are dropped and their text kept.
//!
//! Text is escaped so that nothing in it reads as Markdown or HTML: `<`, `>`, `&`, `[` and `]`
//! become character references, `*`, `_` (at word edges), `` ` `` and `\` get a backslash, and a
//! paragraph that would start a heading or list is escaped. Bare URLs become autolinks
//! (`<https://…>`), since rustdoc warns about bare URLs.

/// Where relative links of the AWS documentation (`/general/latest/gr/…`) point.
const AWS_DOCS: &str = "https://docs.aws.amazon.com";

/// Converts botocore HTML documentation to Markdown; `None` when nothing but markup is left.
pub fn to_markdown(html: &str) -> Option<String> {
    let blocks = blocks(&parse(html));
    let mut lines = Vec::new();
    render(&blocks, "", &mut lines);
    let text = lines.join("\n");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A node of the parsed HTML.
#[derive(Debug)]
enum Node {
    /// Decoded text.
    Text(String),
    /// An element (lower-cased name) with its `href`, if any.
    Element {
        name: String,
        href: Option<String>,
        children: Vec<Node>,
    },
}

/// Elements that never have content.
const VOID: &[&str] = &["br", "hr", "img", "wbr"];

/// An element being parsed: its name, `href` and children so far.
type Open = (String, Option<String>, Vec<Node>);

/// Parses HTML tolerantly: stray closing tags are ignored, unclosed elements close at the end,
/// a `<p>` or `<li>` opened inside one of its own kind closes the first.
fn parse(html: &str) -> Vec<Node> {
    let mut stack: Vec<Open> = vec![(String::new(), None, Vec::new())];
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        match rest.strip_prefix('<').and_then(tag) {
            Some((tag, after)) => {
                rest = after;
                apply_tag(&mut stack, tag);
            }
            None => {
                let first = rest.chars().next().map_or(1, char::len_utf8);
                let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
                push(&mut stack, Node::Text(decode_entities(&rest[..end])));
                rest = &rest[end..];
            }
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack
        .pop()
        .map(|(_, _, children)| children)
        .unwrap_or_default()
}

/// A parsed tag.
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    href: Option<String>,
}

/// Reads a tag after its `<`; `None` when the text is not a tag (`a < b`).
fn tag(text: &str) -> Option<(Tag, &str)> {
    let (closing, body) = match text.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, text),
    };
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != ':')
        .unwrap_or(body.len());
    if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = tag_end(body)?;
    let attributes = &body[name_len..end];
    let tag = Tag {
        name: body[..name_len].to_ascii_lowercase(),
        closing,
        self_closing: attributes.trim_end().ends_with('/'),
        href: attribute(attributes, "href"),
    };
    Some((tag, &body[end + 1..]))
}

/// The index of the `>` that ends a tag, skipping quoted attribute values.
fn tag_end(body: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// The decoded value of attribute `name` in a tag's attribute text.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let start = from + found;
        from = start + name.len();
        let preceded = attributes[..start].ends_with(|c: char| c.is_whitespace());
        let rest = attributes[from..].trim_start();
        if let (true, Some(value)) = (preceded, rest.strip_prefix('=')) {
            let value = value.trim_start();
            let raw = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
                _ => value
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or_default(),
            };
            return Some(decode_entities(raw));
        }
    }
    None
}

fn apply_tag(stack: &mut Vec<Open>, tag: Tag) {
    if tag.closing {
        if let Some(depth) = stack
            .iter()
            .skip(1)
            .rposition(|(name, ..)| *name == tag.name)
        {
            while stack.len() > depth + 1 {
                close_top(stack);
            }
        }
        return;
    }
    if VOID.contains(&tag.name.as_str()) || tag.self_closing {
        let element = Node::Element {
            name: tag.name,
            href: tag.href,
            children: Vec::new(),
        };
        push(stack, element);
        return;
    }
    let closes_previous = matches!(tag.name.as_str(), "p" | "li");
    if closes_previous && stack.len() > 1 && stack.last().is_some_and(|top| top.0 == tag.name) {
        close_top(stack);
    }
    stack.push((tag.name, tag.href, Vec::new()));
}

fn push(stack: &mut [Open], node: Node) {
    if let Some((_, _, children)) = stack.last_mut() {
        children.push(node);
    }
}

fn close_top(stack: &mut Vec<Open>) {
    if let Some((name, href, children)) = stack.pop() {
        push(
            stack,
            Node::Element {
                name,
                href,
                children,
            },
        );
    }
}

/// Decodes character references; unknown ones stay as written.
pub fn decode_entities(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        decoded.push_str(&rest[..start]);
        rest = &rest[start..];
        let entity = rest[1..]
            .find(';')
            .filter(|end| *end <= 10)
            .and_then(|end| entity(&rest[1..=end]).map(|c| (c, end + 2)));
        match entity {
            Some((c, len)) => {
                decoded.push(c);
                rest = &rest[len..];
            }
            None => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

/// The character of one reference's name (`lt`, `#60`, `#x3C`).
fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "bull" => '•',
        "times" => '×',
        _ => return None,
    })
}

/// A Markdown block.
#[derive(Debug)]
enum Block {
    /// One paragraph on one line.
    Paragraph(String),
    /// A list; each item is its own blocks.
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    /// A fenced block of preformatted text.
    Code(String),
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "blockquote"
            | "fullname"
            | "note"
            | "important"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "pre"
            | "table"
            | "tr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

/// The blocks of a sequence of nodes: runs of inline content become paragraphs.
fn blocks(nodes: &[Node]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut line = String::new();
    for node in nodes {
        match node {
            Node::Element {
                name,
                href: _,
                children,
            } if is_block(name) => {
                flush(&mut line, &mut out);
                out.extend(block(name, children));
            }
            node => line.push_str(&inline(node, false)),
        }
    }
    flush(&mut line, &mut out);
    out
}

fn flush(line: &mut String, out: &mut Vec<Block>) {
    let text = collapse_spaces(line);
    line.clear();
    if !text.is_empty() {
        out.push(Block::Paragraph(escape_line_start(&text)));
    }
}

/// The blocks of one block element.
fn block(name: &str, children: &[Node]) -> Vec<Block> {
    match name {
        "ul" | "ol" => list(name == "ol", children),
        "li" => {
            let item = blocks(children);
            if item.is_empty() {
                Vec::new()
            } else {
                vec![Block::List {
                    ordered: false,
                    items: vec![item],
                }]
            }
        }
        "pre" => {
            let text = text_content(children);
            let text = text.trim_matches('\n');
            if text.trim().is_empty() {
                Vec::new()
            } else {
                vec![Block::Code(text.to_owned())]
            }
        }
        "note" => labelled("Note", blocks(children)),
        "important" => labelled("Important", blocks(children)),
        _ => blocks(children),
    }
}

/// A list of the `<li>` children (other content becomes an item of its own; blank text is
/// dropped).
fn list(ordered: bool, children: &[Node]) -> Vec<Block> {
    let items: Vec<Vec<Block>> = children
        .iter()
        .map(|child| match child {
            Node::Element { name, children, .. } if name == "li" => blocks(children),
            other => blocks(std::slice::from_ref(other)),
        })
        .filter(|item| !item.is_empty())
        .collect();
    if items.is_empty() {
        Vec::new()
    } else {
        vec![Block::List { ordered, items }]
    }
}

/// Prefixes the first paragraph with `**Label:**`.
fn labelled(label: &str, mut blocks: Vec<Block>) -> Vec<Block> {
    let prefix = format!("**{label}:**");
    match blocks.first_mut() {
        Some(Block::Paragraph(text)) => *text = format!("{prefix} {text}"),
        _ => blocks.insert(0, Block::Paragraph(prefix)),
    }
    blocks
}

/// The Markdown of an inline node; `in_link` turns off autolinks inside link text.
fn inline(node: &Node, in_link: bool) -> String {
    let (name, href, children) = match node {
        Node::Text(text) => return escape_text(text, in_link),
        Node::Element {
            name,
            href,
            children,
        } => (name.as_str(), href, children),
    };
    let inner = || {
        children
            .iter()
            .map(|child| inline(child, in_link))
            .collect::<String>()
    };
    match name {
        "code" | "tt" | "samp" | "kbd" => code_span(&text_content(children)),
        "a" => link(href.as_deref(), children, in_link),
        "b" | "strong" => emphasis("**", &inner()),
        "i" | "em" | "cite" | "dfn" | "var" => emphasis("*", &inner()),
        "br" => " ".to_owned(),
        name if is_block(name) => format!(" {} ", inner()),
        _ => inner(),
    }
}

/// The text of nodes with all markup dropped.
fn text_content(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|node| match node {
            Node::Text(text) => text.clone(),
            Node::Element { children, .. } => text_content(children),
        })
        .collect()
}

/// A code span, its fence longer than any run of backticks inside.
fn code_span(text: &str) -> String {
    let text = collapse_spaces(text);
    if text.is_empty() {
        return String::new();
    }
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// `[text](url)` for a usable `href`; otherwise only the text.
fn link(href: Option<&str>, children: &[Node], in_link: bool) -> String {
    let text: String = children.iter().map(|child| inline(child, true)).collect();
    let Some(url) = href.and_then(absolute_url).filter(|_| !in_link) else {
        return text;
    };
    let label = collapse_spaces(&text);
    if label.is_empty() {
        format!("<{url}>")
    } else {
        let lead = if text.starts_with(' ') { " " } else { "" };
        let trail = if text.ends_with(' ') { " " } else { "" };
        format!("{lead}[{label}]({url}){trail}")
    }
}

/// An absolute URL for `href` (relative AWS documentation paths resolved), encoded for a Markdown
/// link destination; `None` for fragments and other relative links.
fn absolute_url(href: &str) -> Option<String> {
    let href = href.trim();
    let url = if href.starts_with("https://") || href.starts_with("http://") {
        href.to_owned()
    } else if href.starts_with('/') && !href.starts_with("//") {
        format!("{AWS_DOCS}{href}")
    } else {
        return None;
    };
    let mut encoded = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => encoded.push_str("%20"),
            '(' => encoded.push_str("%28"),
            ')' => encoded.push_str("%29"),
            '<' => encoded.push_str("%3C"),
            '>' => encoded.push_str("%3E"),
            c if c.is_whitespace() || c.is_control() => {}
            c => encoded.push(c),
        }
    }
    Some(encoded)
}

/// `**text**` / `*text*`, with surrounding spaces kept outside the delimiters (where Markdown
/// needs them); nothing for blank text.
fn emphasis(delimiter: &str, text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return text.to_owned();
    }
    let lead = if text.starts_with(' ') { " " } else { "" };
    let trail = if text.ends_with(' ') { " " } else { "" };
    format!("{lead}{delimiter}{trimmed}{delimiter}{trail}")
}

/// Escapes text for Markdown, whitespace collapsed to single spaces, bare URLs as autolinks.
fn escape_text(text: &str, in_link: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !in_link {
            if let Some(len) = url_at(&chars[i..]) {
                let url: String = chars[i..i + len].iter().collect();
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i += len;
                continue;
            }
        }
        let c = chars[i];
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        push_escaped(&mut out, c, before, after);
        i += 1;
    }
    out
}

fn push_escaped(out: &mut String, c: char, before: Option<char>, after: Option<char>) {
    let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    match c {
        c if c.is_whitespace() => {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '[' => out.push_str("&#91;"),
        ']' => out.push_str("&#93;"),
        '_' if alphanumeric(before) && alphanumeric(after) => out.push('_'),
        '*' | '_' | '`' | '\\' => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
}

/// The length of the URL starting at `chars`, if one does (trailing punctuation excluded).
fn url_at(chars: &[char]) -> Option<usize> {
    let starts = |prefix: &str| {
        prefix.len() <= chars.len() && prefix.chars().zip(chars).all(|(a, b)| a == *b)
    };
    let scheme = ["https://", "http://"].into_iter().find(|p| starts(p))?;
    let mut len = chars
        .iter()
        .position(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(chars.len());
    while len > scheme.len()
        && matches!(
            chars[len - 1],
            '.' | ',' | ';' | ':' | ')' | '!' | '?' | '\''
        )
    {
        len -= 1;
    }
    (len > scheme.len()).then_some(len)
}

/// Runs of whitespace become one space; the ends are trimmed.
fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes a paragraph start that Markdown would read as a heading, list, rule or fence.
fn escape_line_start(text: &str) -> String {
    if text.starts_with(['#', '-', '+', '=', '~']) {
        return format!("\\{text}");
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text.to_owned()
}

/// Renders blocks as lines, each prefixed with `indent`; blocks are separated by blank lines.
fn render(blocks: &[Block], indent: &str, lines: &mut Vec<String>) {
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        match block {
            Block::Paragraph(text) => lines.push(format!("{indent}{text}")),
            Block::Code(text) => {
                let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                lines.push(format!("{indent}{fence}text"));
                lines.extend(text.lines().map(|line| format!("{indent}{line}")));
                lines.push(format!("{indent}{fence}"));
            }
            Block::List { ordered, items } => render_list(*ordered, items, indent, lines),
        }
    }
}

fn render_list(ordered: bool, items: &[Vec<Block>], indent: &str, lines: &mut Vec<String>) {
    for (n, item) in items.iter().enumerate() {
        let marker = if ordered {
            format!("{}. ", n + 1)
        } else {
            "- ".to_owned()
        };
        let mut item_lines = Vec::new();
        render(item, "", &mut item_lines);
        let continuation = format!("{indent}{}", " ".repeat(marker.len()));
        for (i, line) in item_lines.into_iter().enumerate() {
            lines.push(match (i, line.is_empty()) {
                (0, _) => format!("{indent}{marker}{line}"),
                (_, true) => String::new(),
                _ => format!("{continuation}{line}"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    fn md(html: &str) -> String {
        to_markdown(html).unwrap_or_default()
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        assert_eq!(md("<p>One.</p><p>Two\n  lines.</p>"), "One.\n\nTwo lines.");
        assert_eq!(md("Plain text."), "Plain text.");
        assert_eq!(to_markdown("<p> </p>"), None);
        assert_eq!(to_markdown(""), None);
    }

    #[test]
    fn inline_markup() {
        assert_eq!(
            md("<p>Use <code>Name</code>, <b>bold</b> and <i>it</i>.</p>"),
            "Use `Name`, **bold** and *it*."
        );
        assert_eq!(md("<p>a<b> spaced </b>b</p>"), "a **spaced** b");
        assert_eq!(md("<p><code>a`b</code></p>"), "``a`b``");
        assert_eq!(md("<p><code>&lt;T&gt;</code></p>"), "`<T>`");
        assert_eq!(md("<p><b></b>x</p>"), "x");
    }

    #[test]
    fn links_resolve_and_drop_when_unusable() {
        assert_eq!(
            md(r#"<p>See <a href="https://example.com/a b">the docs</a>.</p>"#),
            "See [the docs](https://example.com/a%20b)."
        );
        assert_eq!(
            md(r#"<a href="/general/latest/gr/arns.html">ARNs</a>"#),
            "[ARNs](https://docs.aws.amazon.com/general/latest/gr/arns.html)"
        );
        assert_eq!(md(r##"<a href="#anchor">here</a>"##), "here");
        assert_eq!(md("<a>no href</a>"), "no href");
        assert_eq!(md(r#"<a href="https://x.test/"></a>"#), "<https://x.test/>");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            md("Go to https://aws.amazon.com/sso/. Then"),
            "Go to <https://aws.amazon.com/sso/>. Then"
        );
    }

    #[test]
    fn lists_nest_and_number() {
        assert_eq!(
            md("<p>Kinds:</p><ul><li><p>One</p></li><li>Two<ul><li>Deep</li></ul></li></ul><p>After</p>"),
            "Kinds:\n\n- One\n- Two\n\n  - Deep\n\nAfter"
        );
        assert_eq!(md("<ol><li>a<li>b</ol>"), "1. a\n2. b");
        assert_eq!(md("<ul> </ul>"), "");
    }

    #[test]
    fn notes_are_labelled() {
        assert_eq!(
            md("<p>Text.</p><note><p>Careful.</p></note>"),
            "Text.\n\n**Note:** Careful."
        );
        assert_eq!(
            md("<important>Really.</important>"),
            "**Important:** Really."
        );
    }

    #[test]
    fn entities_decode_and_special_characters_escape() {
        assert_eq!(
            md("<p>a &lt;b&gt; &amp; &quot;c&quot; &#65;&#x42; &unknown; [x] *y* snake_case _z_ \\</p>"),
            "a &lt;b&gt; &amp; \"c\" AB &amp;unknown; &#91;x&#93; \\*y\\* snake_case \\_z\\_ \\\\"
        );
        assert_eq!(md("a < b > c"), "a &lt; b &gt; c");
    }

    #[test]
    fn paragraph_starts_that_look_like_blocks_are_escaped() {
        assert_eq!(md("<p># not a heading</p>"), "\\# not a heading");
        assert_eq!(md("<p>- not a list</p>"), "\\- not a list");
        assert_eq!(md("<p>1. not a list</p>"), "1\\. not a list");
    }

    #[test]
    fn unknown_tags_drop_and_broken_markup_survives() {
        assert_eq!(
            md("<fullname>AWS SSO</fullname><p>Hi <span class=\"x\">there</span></p>"),
            "AWS SSO\n\nHi there"
        );
        assert_eq!(md("<p>open <b>bold"), "open **bold**");
        assert_eq!(md("</i>stray</p>"), "stray");
        assert_eq!(md("<!-- hidden -->shown"), "shown");
        assert_eq!(md("line<br/>break"), "line break");
    }

    #[test]
    fn text_outside_ascii_is_kept() {
        assert_eq!(md("—dash “quoted” <b>é</b>"), "—dash “quoted” **é**");
        assert_eq!(md("<p>\u{a0}after</p>"), "after");
    }

    #[test]
    fn preformatted_text_is_a_text_block() {
        assert_eq!(
            md("<pre>{\n  \"a\": 1\n}</pre>"),
            "```text\n{\n  \"a\": 1\n}\n```"
        );
    }
}
