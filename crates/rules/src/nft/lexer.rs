//! Tokens of nft's input syntax with their exact place (1-based line and
//! column, columns counted in characters), after nftables `src/scanner.l`:
//! identifiers may hold `-`, `_`, `.` and `/` (`seen-reply`, `mangle-5`),
//! addresses and numbers are their own tokens and the longest match wins
//! (`10.0.0.0/8` is an address, `/`, `8`; `1024-65535` is `1024`, `-`,
//! `65535`), `#` starts a comment, a backslash before a newline joins
//! lines, and newlines are statement separators.

use std::net::Ipv6Addr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// An identifier or keyword (`table`, `eth*`, `seen-reply`).
    Word(String),
    /// A number, as written (`22`, `0x10`).
    Number(String),
    /// A double-quoted string, without the quotes.
    Quoted(String),
    Ip4(String),
    Ip6(String),
    /// Punctuation and operators: `{ } ( ) , ; / - + * & | ^ ! @ $ : . =
    /// == != < > <= >=`.
    Punct(&'static str),
    Newline,
    Eof,
}

impl Tok {
    /// How the token reads in an error message.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Number(n) => format!("`{n}`"),
            Tok::Quoted(s) => format!("\"{s}\""),
            Tok::Ip4(a) | Tok::Ip6(a) => format!("`{a}`"),
            Tok::Punct(p) => format!("`{p}`"),
            Tok::Newline => "end of line".to_string(),
            Tok::Eof => "end of file".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

/// A lexing error: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub pos: Pos,
    pub message: String,
}

const PUNCT2: &[&str] = &["==", "!=", "<=", ">="];
const PUNCT1: &[&str] = &[
    "{", "}", "(", ")", ",", ";", "/", "-", "+", "*", "&", "|", "^", "!", "@", "$", ":", ".", "=",
    "<", ">",
];

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')
}

/// Split `text` into tokens.
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, col };
        match c {
            ' ' | '\t' | '\r' => {
                i += 1;
                col += 1;
            }
            '\n' => {
                out.push(Token {
                    tok: Tok::Newline,
                    pos,
                });
                i += 1;
                line += 1;
                col = 1;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                    col += 1;
                }
            }
            '\\' if chars.get(i + 1) == Some(&'\n') => {
                i += 2;
                line += 1;
                col = 1;
            }
            '"' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' && chars[j] != '\n' {
                    j += 1;
                }
                if j >= chars.len() || chars[j] != '"' {
                    return Err(LexError {
                        pos,
                        message: "unterminated string: a `\"` is missing on this line".into(),
                    });
                }
                let s: String = chars[i + 1..j].iter().collect();
                out.push(Token {
                    tok: Tok::Quoted(s),
                    pos,
                });
                col += j + 1 - i;
                i = j + 1;
            }
            _ => {
                let (tok, len) = longest(&chars[i..]).ok_or_else(|| LexError {
                    pos,
                    message: format!("unexpected character `{}`", c.escape_default()),
                })?;
                out.push(Token { tok, pos });
                i += len;
                col += len;
            }
        }
    }
    out.push(Token {
        tok: Tok::Eof,
        pos: Pos { line, col },
    });
    Ok(out)
}

/// The longest token at the start of `s`, as flex chooses it.
fn longest(s: &[char]) -> Option<(Tok, usize)> {
    let mut best: Option<(Tok, usize)> = None;
    let mut consider = |tok: Tok, len: usize| {
        if len > 0 && best.as_ref().is_none_or(|(_, l)| len > *l) {
            best = Some((tok, len));
        }
    };
    // IPv6 address: the longest run of hex digits, `:` and `.` that parses.
    // (At most 45 characters, the longest IPv6 text.)
    let run = s
        .iter()
        .take(45)
        .take_while(|c| c.is_ascii_hexdigit() || **c == ':' || **c == '.')
        .count();
    let colons = s[..run].iter().filter(|c| **c == ':').count();
    for len in (2..=run).rev().filter(|_| colons >= 2) {
        let cand: String = s[..len].iter().collect();
        if cand.matches(':').count() >= 2 && cand.parse::<Ipv6Addr>().is_ok() {
            consider(Tok::Ip6(cand), len);
            break;
        }
    }
    // IPv4 address: four dot-separated groups of 1-3 digits.
    if let Some(len) = ip4_len(s) {
        consider(Tok::Ip4(s[..len].iter().collect()), len);
    }
    if s[0].is_ascii_digit() {
        let len = if s[0] == '0' && matches!(s.get(1), Some('x' | 'X')) {
            let h = s[2..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
            if h > 0 { 2 + h } else { 1 }
        } else {
            s.iter().take_while(|c| c.is_ascii_digit()).count()
        };
        consider(Tok::Number(s[..len].iter().collect()), len);
    }
    if is_word_start(s[0]) {
        let mut len = 1 + s[1..].iter().take_while(|c| is_word_char(**c)).count();
        // `eth*`, `eth\*`: asteriskstring.
        if s.get(len) == Some(&'*') {
            len += 1;
        } else if s.get(len) == Some(&'\\') && s.get(len + 1) == Some(&'*') {
            len += 2;
        }
        consider(Tok::Word(s[..len].iter().collect()), len);
    }
    if best.is_none() {
        let two: String = s.iter().take(2).collect();
        if let Some(p) = PUNCT2.iter().find(|p| **p == two) {
            return Some((Tok::Punct(p), 2));
        }
        let one = s[0].to_string();
        if let Some(p) = PUNCT1.iter().find(|p| **p == one) {
            return Some((Tok::Punct(p), 1));
        }
    }
    best
}

fn ip4_len(s: &[char]) -> Option<usize> {
    let mut i = 0;
    for group in 0..4 {
        let d = s[i..]
            .iter()
            .take(4)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if d == 0 || d > 3 {
            return None;
        }
        i += d;
        if group < 3 {
            if s.get(i) != Some(&'.') {
                return None;
            }
            i += 1;
        }
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn tokens_as_nft_splits_them() {
        assert_eq!(
            toks("tcp dport 1024-65535"),
            vec![
                Tok::Word("tcp".into()),
                Tok::Word("dport".into()),
                Tok::Number("1024".into()),
                Tok::Punct("-"),
                Tok::Number("65535".into()),
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("10.0.0.0/8 fe80::/10 ::1"),
            vec![
                Tok::Ip4("10.0.0.0".into()),
                Tok::Punct("/"),
                Tok::Number("8".into()),
                Tok::Ip6("fe80::".into()),
                Tok::Punct("/"),
                Tok::Number("10".into()),
                Tok::Ip6("::1".into()),
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("priority mangle-5 filter+5"),
            vec![
                Tok::Word("priority".into()),
                Tok::Word("mangle-5".into()),
                Tok::Word("filter".into()),
                Tok::Punct("+"),
                Tok::Number("5".into()),
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("ct state established,related # c\n"),
            vec![
                Tok::Word("ct".into()),
                Tok::Word("state".into()),
                Tok::Word("established".into()),
                Tok::Punct(","),
                Tok::Word("related".into()),
                Tok::Newline,
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("!= == 0x1f eth* \"a b\""),
            vec![
                Tok::Punct("!="),
                Tok::Punct("=="),
                Tok::Number("0x1f".into()),
                Tok::Word("eth*".into()),
                Tok::Quoted("a b".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn positions_are_lines_and_columns() {
        let t = lex("table ip t {\n\tchain c\n}").unwrap();
        assert_eq!(t[0].pos, Pos { line: 1, col: 1 });
        assert_eq!(t[2].pos, Pos { line: 1, col: 10 });
        assert_eq!(t[5].pos, Pos { line: 2, col: 2 });
        assert_eq!(t[6].pos, Pos { line: 2, col: 8 });
        let e = lex("a\n  \"open").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, col: 3 });
        let e = lex("a ~").unwrap_err();
        assert_eq!(e.pos, Pos { line: 1, col: 3 });
    }

    #[test]
    fn continuation_lines() {
        let t = lex("a \\\nb").unwrap();
        assert_eq!(t[1].tok, Tok::Word("b".into()));
        assert_eq!(t[1].pos, Pos { line: 2, col: 1 });
    }
}
