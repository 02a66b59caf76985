//! Decoding a string literal's body, as a plain string or as a LIKE pattern.

use super::{LikePattern, LikeToken};

/// Decodes a checked string body outside LIKE, where `\%` and `\_` are not allowed.
pub(super) fn plain_string(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ ('%' | '_')) => {
                return Err(format!(
                    "invalid escape sequence: '\\{e}' is only allowed in a LIKE pattern"
                ));
            }
            Some(e) => out.push(unescape(e)),
            None => return Err("invalid escape sequence at end of string".into()),
        }
    }
    Ok(out)
}

/// Decodes a checked string body as a LIKE pattern.
pub(super) fn like_pattern(raw: &str) -> LikePattern {
    let mut out = Vec::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '%' => LikeToken::AnyChars,
            '_' => LikeToken::AnyChar,
            // The lexer only lets a backslash through with a valid escape after it.
            '\\' => LikeToken::Char(chars.next().map_or('\\', unescape)),
            c => LikeToken::Char(c),
        });
    }
    LikePattern(out)
}

/// The character an escape stands for (`n` → newline); `'`, `"`, `\`, `%`, `_` stand for themselves.
fn unescape(e: char) -> char {
    match e {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'b' => '\u{8}',
        'f' => '\u{c}',
        other => other,
    }
}
