//! A linear-time matcher for the anchored patterns most models use (`^…$` made of literals,
//! character classes, groups, alternations and quantifiers), over ASCII values shorter than 128
//! characters: the set of positions the pattern can have reached is kept as the bits of a
//! `u128`, piece after piece, so a value is read a few times, without backtracking.
//!
//! [`Anchored::parse`] accepts only that subset and returns `None` for anything else (flags,
//! `.`, `\b`, `\p{…}`, `\u…`, look-arounds, back-references, non-ASCII characters): such
//! patterns, and other values, are matched by regress. Within the subset the answer is
//! whether the whole value is in the pattern's language, which is what ECMA-262 answers for
//! a pattern anchored at both ends (without the `m` flag).

/// The characters of a class: bit `c` set when ASCII character `c` belongs to it.
type Class = u128;

/// One element of a sequence, with how many times it repeats.
#[derive(Debug)]
struct Piece {
    atom: Atom,
    min: u32,
    /// `None`: unbounded.
    max: Option<u32>,
}

#[derive(Debug)]
enum Atom {
    /// Characters that follow one another (consecutive literals merged).
    Literal(Vec<u8>),
    Class(Class),
    /// Alternatives, each a sequence of pieces.
    Group(Vec<Vec<Piece>>),
}

/// A compiled anchored pattern.
#[derive(Debug)]
pub(super) struct Anchored {
    alternatives: Vec<Vec<Piece>>,
}

/// The longest value matched here; longer ones go to regress.
const MAX_LEN: usize = 127;

impl Anchored {
    /// The pattern, if it is anchored at both ends and within the subset.
    pub(super) fn parse(pattern: &str) -> Option<Self> {
        let inner = pattern.strip_prefix('^')?.strip_suffix('$')?;
        // A `$` that was escaped is a literal, not the anchor.
        let escapes = inner.bytes().rev().take_while(|&b| b == b'\\').count();
        if escapes % 2 == 1 || !pattern.is_ascii() {
            return None;
        }
        let mut parser = Parser {
            bytes: inner.as_bytes(),
            at: 0,
        };
        let sequence = parser.sequence()?;
        // A top-level `|` would split the anchors (`^a|b$`): not handled.
        if parser.at != parser.bytes.len() {
            return None;
        }
        Some(Self {
            alternatives: vec![sequence],
        })
    }

    /// Whether the pattern matches all of `value`; `None` if the value is not ASCII or too long
    /// for this matcher.
    pub(super) fn matches(&self, value: &str) -> Option<bool> {
        let bytes = value.as_bytes();
        if bytes.len() > MAX_LEN || !value.is_ascii() {
            return None;
        }
        let reached = alternatives(&self.alternatives, bytes, 1);
        Some(reached & (1u128 << bytes.len()) != 0)
    }
}

/// The positions reachable after the alternatives, from the positions in `from`.
fn alternatives(alternatives: &[Vec<Piece>], text: &[u8], from: u128) -> u128 {
    alternatives
        .iter()
        .fold(0, |reached, pieces| reached | sequence(pieces, text, from))
}

fn sequence(pieces: &[Piece], text: &[u8], from: u128) -> u128 {
    pieces
        .iter()
        .try_fold(from, |reached, piece| {
            let next = repeat(piece, text, reached);
            (next != 0).then_some(next)
        })
        .unwrap_or(0)
}

/// The positions reachable after `min` to `max` repetitions of the piece's atom.
fn repeat(piece: &Piece, text: &[u8], from: u128) -> u128 {
    let max = piece.max.unwrap_or(u32::MAX);
    match &piece.atom {
        // A run of the class from each position: one pass over the characters it takes.
        Atom::Class(class) => positions(from).fold(0, |reached, at| {
            let limit = usize::try_from(max)
                .unwrap_or(usize::MAX)
                .min(text.len() - at);
            let run = text[at..]
                .iter()
                .take(limit)
                .take_while(|&&c| class & bit(c) != 0)
                .count();
            let min = usize::try_from(piece.min).unwrap_or(usize::MAX);
            if run < min {
                reached
            } else {
                reached | span(at + min, at + run)
            }
        }),
        atom => repeat_any(atom, piece.min, max, text, from),
    }
}

/// [`repeat`] for any atom, one repetition at a time.
fn repeat_any(atom: &Atom, min: u32, max: u32, text: &[u8], from: u128) -> u128 {
    // Beyond this many repetitions past `min` nothing new is reached: at most `len` of them
    // consume a character, and repetitions that consume none can be left out.
    let bound = text.len() as u32 + 1;
    let mut current = from;
    let mut done = 0;
    while done < min {
        let next = once(atom, text, current);
        done += 1;
        if next == 0 {
            return 0;
        }
        if next == current {
            // A fixed point: further repetitions reach the same positions.
            done = min;
        }
        current = next;
    }
    let mut reached = current;
    let mut extra = 0;
    while done < max && extra < bound {
        let next = once(atom, text, current);
        if next == 0 || next == current {
            break;
        }
        reached |= next;
        current = next;
        done += 1;
        extra += 1;
    }
    reached
}

/// The positions reachable after one occurrence of `atom`.
fn once(atom: &Atom, text: &[u8], from: u128) -> u128 {
    match atom {
        Atom::Literal(literal) => positions(from)
            .filter(|&at| text[at..].starts_with(literal))
            .fold(0, |reached, at| reached | bit_at(at + literal.len())),
        Atom::Class(class) => positions(from)
            .filter(|&at| text.get(at).is_some_and(|&c| class & bit(c) != 0))
            .fold(0, |reached, at| reached | bit_at(at + 1)),
        Atom::Group(group) => alternatives(group, text, from),
    }
}

/// The positions in a set, in increasing order.
fn positions(mut set: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if set == 0 {
            return None;
        }
        let at = set.trailing_zeros() as usize;
        set &= set - 1;
        Some(at)
    })
}

/// The set of position `at` (at most [`MAX_LEN`]).
fn bit_at(at: usize) -> u128 {
    1u128 << at
}

/// The positions `low..=high` (`low <= high <= MAX_LEN`).
fn span(low: usize, high: usize) -> u128 {
    let up_to_high = if high >= 127 {
        u128::MAX
    } else {
        (1u128 << (high + 1)) - 1
    };
    up_to_high & !(bit_at(low) - 1)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// The class of `\d`, `\w` or `\s` (`\D`, `\W`, `\S` negated), over ASCII.
fn escape_class(letter: u8) -> Option<Class> {
    let digits = range(b'0', b'9');
    let word = digits | range(b'a', b'z') | range(b'A', b'Z') | bit(b'_');
    // ECMA-262 white space and line terminators, the ASCII ones.
    let space = bit(b' ') | range(b'\t', b'\r');
    let ascii = u128::MAX;
    Some(match letter {
        b'd' => digits,
        b'D' => ascii & !digits,
        b'w' => word,
        b'W' => ascii & !word,
        b's' => space,
        b'S' => ascii & !space,
        _ => return None,
    })
}

/// The character an escape stands for, when it is a literal in both ECMA-262 grammars.
fn escape_literal(letter: u8) -> Option<u8> {
    match letter {
        b't' => Some(b'\t'),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b'f' => Some(0x0c),
        b'v' => Some(0x0b),
        _ if letter.is_ascii_punctuation() || letter == b' ' => Some(letter),
        _ => None,
    }
}

fn bit(c: u8) -> Class {
    1u128 << c
}

fn range(low: u8, high: u8) -> Class {
    (low..=high).fold(0, |class, c| class | bit(c))
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    /// Alternatives separated by `|`, up to a `)` or the end.
    fn alternatives(&mut self) -> Option<Vec<Vec<Piece>>> {
        let mut alternatives = vec![self.sequence()?];
        while self.peek() == Some(b'|') {
            self.at += 1;
            alternatives.push(self.sequence()?);
        }
        Some(alternatives)
    }

    /// Pieces up to a `|`, a `)` or the end.
    fn sequence(&mut self) -> Option<Vec<Piece>> {
        let mut pieces = Vec::new();
        while let Some(byte) = self.peek() {
            if byte == b'|' || byte == b')' {
                break;
            }
            let atom = self.atom()?;
            let (min, max) = self.quantifier()?;
            if let (Atom::Literal(next), (1, Some(1))) = (&atom, (min, max)) {
                if let Some(Piece {
                    atom: Atom::Literal(literal),
                    min: 1,
                    max: Some(1),
                }) = pieces.last_mut()
                {
                    literal.extend_from_slice(next);
                    continue;
                }
            }
            pieces.push(Piece { atom, min, max });
        }
        Some(pieces)
    }

    fn atom(&mut self) -> Option<Atom> {
        match self.next()? {
            b'(' => {
                if self.peek() == Some(b'?') {
                    // Only the non-capturing group; look-arounds and named groups are not
                    // handled.
                    if self.bytes.get(self.at + 1) != Some(&b':') {
                        return None;
                    }
                    self.at += 2;
                }
                let group = self.alternatives()?;
                (self.next()? == b')').then_some(Atom::Group(group))
            }
            b'[' => self.class().map(Atom::Class),
            b'\\' => {
                let letter = self.next()?;
                match escape_class(letter) {
                    Some(class) => Some(Atom::Class(class)),
                    None => escape_literal(letter).map(|c| Atom::Literal(vec![c])),
                }
            }
            b'^' | b'$' | b'.' | b'*' | b'+' | b'?' | b'{' | b'}' | b']' | b')' => None,
            literal => Some(Atom::Literal(vec![literal])),
        }
    }

    /// A class after its `[`, through its `]`.
    fn class(&mut self) -> Option<Class> {
        let negated = self.peek() == Some(b'^');
        if negated {
            self.at += 1;
        }
        // `[]` and `[^]` mean something else in ECMA-262.
        if self.peek() == Some(b']') {
            return None;
        }
        let mut class: Class = 0;
        loop {
            let low = match self.next()? {
                b']' => break,
                b'\\' => {
                    let letter = self.next()?;
                    if let Some(escaped) = escape_class(letter) {
                        // A class escape cannot start a range.
                        if self.peek() == Some(b'-') && self.bytes.get(self.at + 1) != Some(&b']') {
                            return None;
                        }
                        class |= escaped;
                        continue;
                    }
                    // `\b` is a backspace in a class; other letters are not handled.
                    escape_literal(letter)?
                }
                b'[' => return None,
                byte => byte,
            };
            let is_range = self.peek() == Some(b'-') && self.bytes.get(self.at + 1) != Some(&b']');
            if !is_range {
                class |= bit(low);
                continue;
            }
            self.at += 1;
            let high = match self.next()? {
                b'\\' => {
                    let letter = self.next()?;
                    if escape_class(letter).is_some() {
                        return None;
                    }
                    escape_literal(letter)?
                }
                b'[' => return None,
                byte => byte,
            };
            if high < low {
                return None;
            }
            class |= range(low, high);
        }
        Some(if negated { !class } else { class })
    }

    /// `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (lazy or not: the same language) or none.
    fn quantifier(&mut self) -> Option<(u32, Option<u32>)> {
        let bounds = match self.peek() {
            Some(b'?') => (0, Some(1)),
            Some(b'*') => (0, None),
            Some(b'+') => (1, None),
            Some(b'{') => {
                self.at += 1;
                let min = self.number()?;
                let max = match self.next()? {
                    b'}' => Some(min),
                    b',' if self.peek() == Some(b'}') => {
                        self.at += 1;
                        None
                    }
                    b',' => {
                        let max = self.number()?;
                        (self.next()? == b'}').then_some(())?;
                        Some(max)
                    }
                    _ => return None,
                };
                if max.is_some_and(|max| max < min) {
                    return None;
                }
                if self.peek() == Some(b'?') {
                    self.at += 1;
                }
                return Some((min, max));
            }
            _ => return Some((1, Some(1))),
        };
        self.at += 1;
        if self.peek() == Some(b'?') {
            self.at += 1;
        }
        Some(bounds)
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.at])
            .ok()?
            .parse()
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns of the SSO Admin model and others in the subset, a value each matches, and
    /// characters to edit values with.
    const CASES: &[(&str, &str, &str)] = &[
        (
            "^arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$",
            "arn:aws:sso:::instance/ssoins-0123456789abcdef",
            "s/-.0aZ:",
        ),
        (
            "^arn:aws:sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}$",
            "arn:aws:sso:::permissionSet/ins-0123456789abcdef/ps-0123456789a/cdef",
            "s/-.0",
        ),
        (
            "^arn:aws:sso:([a-zA-Z0-9-]+)?:(\\d{12})?:[a-zA-Z0-9-]+/[a-zA-Z0-9-/.]+$",
            "arn:aws:sso::123456789012:a/b.c",
            ":1a/-.",
        ),
        ("^\\d{12}$", "123456789012", "0a"),
        ("^[\\w+=,.@-]+$", "Name_1+=,.@-", "a !"),
        (
            "^[a-zA-Z0-9&$@#\\\\\\/%?=~\\-_'\"|!:,.;*+\\[\\]\\ \\(\\)\\{\\}]+$",
            "a&\\/ []{}()",
            "a^`<\\",
        ),
        ("^[-a-zA-Z0-9+=/]*$", "-a+=/", "- _"),
        (
            "^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}$",
            "0123456789-ABCDEF01-abcd",
            "0aF-g",
        ),
        ("^(a|ab)(c|bcd)(d*)$", "abcd", "abcd"),
        ("^(?:a+)+b?$", "aaab", "ab"),
        ("^(x|)*y{2,3}z{0}$", "xxyy", "xyz"),
        ("^[^a-c\\d]{1,3}?$", "d-", "abd19-"),
        ("^a\\$$", "a$", "a$"),
        ("^\\S\\s\\W\\D$", "a .b", " a1.\t"),
    ];

    /// `example` with up to three random edits (replacements, insertions, deletions) drawn from
    /// `alphabet`.
    fn edited(example: &str, alphabet: &[u8], rng: &mut fastrand::Rng) -> String {
        let mut value = example.as_bytes().to_vec();
        for _ in 0..rng.usize(0..4) {
            let at = rng.usize(0..=value.len());
            let c = alphabet[rng.usize(..alphabet.len())];
            match rng.u8(0..3) {
                0 if at < value.len() => value[at] = c,
                1 => value.insert(at, c),
                _ if at < value.len() => {
                    value.remove(at);
                }
                _ => {}
            }
        }
        String::from_utf8(value).expect("ASCII")
    }

    #[test]
    fn answers_as_regress_does() {
        let mut rng = fastrand::Rng::with_seed(11);
        for (source, example, alphabet) in CASES {
            let anchored =
                Anchored::parse(source).unwrap_or_else(|| panic!("{source} is in the subset"));
            let regex = regress::Regex::with_flags(source, "u")
                .or_else(|_| regress::Regex::new(source))
                .unwrap();
            let (mut matched, mut refused) = (0, 0);
            for _ in 0..3000 {
                let value = edited(example, alphabet.as_bytes(), &mut rng);
                let expected = regex.find(&value).is_some();
                assert_eq!(
                    anchored.matches(&value),
                    Some(expected),
                    "{source} on {value:?}"
                );
                if expected {
                    matched += 1;
                } else {
                    refused += 1;
                }
            }
            assert!(
                matched > 0 && refused > 0,
                "{source}: {matched} matched, {refused} not"
            );
        }
        let instance = Anchored::parse(CASES[0].0).unwrap();
        assert_eq!(
            instance.matches("arn:aws:sso:::instance/ssoins-0123456789abcdef"),
            Some(true)
        );
        assert_eq!(
            instance.matches("arn:aws:sso:::instance/ins-0123456789abcdef"),
            Some(true)
        );
        assert_eq!(
            instance.matches("arn:aws:sso:::instance/ssoins-0123456789abcde"),
            Some(false)
        );
        assert_eq!(instance.matches(&"a".repeat(128)), None);
        assert_eq!(instance.matches("é"), None);
    }

    #[test]
    fn patterns_outside_the_subset_are_left_to_regress() {
        for source in [
            "\\d{12}",
            "^a|b$",
            "^\\b[0-9a-f]{8}\\b$",
            "^[\\p{L}]*$",
            "^[\\u0009\\u000A]+$",
            "^(-?)P(?=\\d|T\\d)$",
            "^(a)\\1$",
            "^.+$",
            "^é$",
            "^a\\$",
            "^[]a]$",
            "^a{2,1}$",
        ] {
            assert!(Anchored::parse(source).is_none(), "{source}");
        }
    }
}
