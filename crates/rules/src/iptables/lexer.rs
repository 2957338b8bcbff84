//! Tokenising `iptables-save` output the way `iptables-restore` reads it
//! (`xtables-restore.c`, `add_param_to_argv()` and
//! `tokenize_rule_counters()` in `xshared.c`), keeping where every token
//! starts so errors can name the line and column.
//!
//! Columns are 1-based and count characters (not bytes).

/// One argument of a rule line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok {
    pub text: String,
    pub line: usize,
    /// Column of the token's first character (its opening quote if quoted).
    pub col: usize,
}

/// A line of the file, without its newline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub number: usize,
    pub text: &'a str,
    /// Whether the line ended with `\n` (iptables-restore keeps it, and a
    /// quote left open swallows it).
    pub newline: bool,
}

/// The lines of `text`, numbered from 1.
pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        match rest.find('\n') {
            Some(i) => {
                out.push(Line {
                    number,
                    text: &rest[..i],
                    newline: true,
                });
                rest = &rest[i + 1..];
            }
            None => {
                out.push(Line {
                    number,
                    text: rest,
                    newline: false,
                });
                rest = "";
            }
        }
    }
    out
}

/// What splitting a rule line can fail on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub col: usize,
    pub message: String,
}

/// The `[packets:bytes]` prefix iptables-save -c writes before a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prefix {
    pub packets: u64,
    pub bytes: u64,
    pub col: usize,
}

/// Split a rule line into its optional counters prefix and its arguments.
pub(crate) fn rule_line(line: &Line<'_>) -> Result<(Option<Prefix>, Vec<Tok>), LexError> {
    let text = line.text;
    let (prefix, rest, rest_col) = if let Some(body) = text.strip_prefix('[') {
        // tokenize_rule_counters(): up to the first ']', split at ':'.
        let close = body.find(']').ok_or_else(|| LexError {
            col: 1,
            message: format!(
                "Bad line {}: need ] (a `[packets:bytes]` counters prefix is not closed)",
                line.number
            ),
        })?;
        let inner = &body[..close];
        let (p, b) = inner.split_once(':').ok_or_else(|| LexError {
            col: 1,
            message: format!(
                "Bad line {}: need : (counters are written `[packets:bytes]`)",
                line.number
            ),
        })?;
        let num = |s: &str, what: &str, col: usize| -> Result<u64, LexError> {
            if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(LexError {
                    col,
                    message: format!("{what} counter `{s}` is not a number"),
                });
            }
            s.parse().map_err(|_| LexError {
                col,
                message: format!("{what} counter `{s}` is out of range"),
            })
        };
        let packets = num(p, "packet", 2)?;
        let bytes = num(b, "byte", 3 + p.chars().count())?;
        let rest = &body[close + 1..];
        let rest_col = 1 + 1 + inner.chars().count() + 1;
        (
            Some(Prefix {
                packets,
                bytes,
                col: 1,
            }),
            rest,
            rest_col,
        )
    } else {
        (None, text, 1)
    };
    let toks = split_args(rest, line.number, rest_col, line.newline)?;
    Ok((prefix, toks))
}

/// `add_param_to_argv()`: arguments separated by spaces, tabs and the
/// newline; `"` opens and closes a quoted part in which `\` escapes the
/// next character; a closing quote ends the argument (so `"a"b` is two
/// arguments) and `""` is an empty argument. Outside quotes `\` is an
/// ordinary character.
pub(crate) fn split_args(
    s: &str,
    line: usize,
    col0: usize,
    newline: bool,
) -> Result<Vec<Tok>, LexError> {
    const MAX_PARAM: usize = 1023;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start: Option<usize> = None;
    let mut quote_open = false;
    let mut escaped = false;
    let chars = s.chars().chain(newline.then_some('\n'));
    for (i, ch) in chars.enumerate() {
        let col = col0 + i;
        if quote_open {
            if escaped {
                cur.push(ch);
                escaped = false;
                continue;
            } else if ch == '\\' {
                escaped = true;
                continue;
            } else if ch == '"' {
                quote_open = false;
                // falls through: the closing quote ends the argument
            } else {
                cur.push(ch);
                continue;
            }
        } else if ch == '"' {
            quote_open = true;
            start.get_or_insert(col);
            continue;
        }
        match ch {
            '"' => {}
            ' ' | '\t' | '\n' => {
                if cur.is_empty() && start.is_none() {
                    continue;
                }
            }
            _ => {
                start.get_or_insert(col);
                cur.push(ch);
                if cur.len() > MAX_PARAM {
                    return Err(LexError {
                        col: start.unwrap_or(col),
                        message: "Parameter too long!".into(),
                    });
                }
                continue;
            }
        }
        out.push(Tok {
            text: std::mem::take(&mut cur),
            line,
            col: start.take().unwrap_or(col),
        });
    }
    if let Some(col) = start {
        out.push(Tok {
            text: cur,
            line,
            col,
        });
    }
    Ok(out)
}

/// `strtok(buffer, " \t\n")` on a `*table` / `:chain` line: the words and
/// their columns.
pub(crate) fn words(s: &str, col0: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (col, (i, ch)) in (col0..).zip(s.char_indices()) {
        let sep = ch == ' ' || ch == '\t';
        match (sep, start) {
            (false, None) => start = Some((i, col)),
            (true, Some((b, c))) => {
                out.push((c, &s[b..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some((b, c)) = start {
        out.push((c, &s[b..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<(String, usize)> {
        split_args(s, 1, 1, true)
            .unwrap()
            .into_iter()
            .map(|t| (t.text, t.col))
            .collect()
    }

    #[test]
    fn splits_like_add_param_to_argv() {
        assert_eq!(
            args("-A  INPUT\t-j ACCEPT"),
            [
                ("-A".into(), 1),
                ("INPUT".into(), 5),
                ("-j".into(), 11),
                ("ACCEPT".into(), 14)
            ]
        );
        assert_eq!(
            args(r#"--comment "a \"b\" c""#),
            [("--comment".into(), 1), ("a \"b\" c".into(), 11)]
        );
        assert_eq!(args(r#""a"b"#), [("a".into(), 1), ("b".into(), 4)]);
        assert_eq!(
            args(r#"x "" y"#),
            [("x".into(), 1), ("".into(), 3), ("y".into(), 6)]
        );
        assert_eq!(args(r"x\ y"), [("x\\".into(), 1), ("y".into(), 4)]);
        // An open quote swallows the newline, as iptables-restore does.
        assert_eq!(args(r#""open"#), [("open\n".into(), 1)]);
    }

    #[test]
    fn counters_prefix() {
        let l = Line {
            number: 3,
            text: "[12:3400] -A X -j DROP",
            newline: true,
        };
        let (p, t) = rule_line(&l).unwrap();
        assert_eq!(
            p,
            Some(Prefix {
                packets: 12,
                bytes: 3400,
                col: 1
            })
        );
        assert_eq!(t[0].col, 11);
        let bad = Line {
            number: 3,
            text: "[12:34 -A X",
            newline: true,
        };
        assert!(rule_line(&bad).unwrap_err().message.contains("need ]"));
    }

    #[test]
    fn words_and_columns() {
        assert_eq!(
            words(":INPUT  ACCEPT [0:0]", 1),
            [(1, ":INPUT"), (9, "ACCEPT"), (16, "[0:0]")]
        );
    }
}
