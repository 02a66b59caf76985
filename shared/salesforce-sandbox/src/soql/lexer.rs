//! The SOQL tokenizer. Works on characters, tracks row and column, never panics.

use chrono::{DateTime, NaiveDate, Utc};

use super::{CompareOp, SoqlError};

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// An identifier or keyword, as written.
    Ident(String),
    /// A quoted string's content with its escapes still written out (they have been checked).
    /// The parser decodes it as a plain string or as a LIKE pattern.
    Str(String),
    /// A number as written.
    Num(String),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
    Op(CompareOp),
    Comma,
    Dot,
    Colon,
    LParen,
    RParen,
    Eof,
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub row: usize,
    pub column: usize,
}

impl Tok {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) | Tok::Num(s) => s.clone(),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Date(d) => d.to_string(),
            Tok::DateTime(d) => d.to_rfc3339(),
            Tok::Op(op) => super::display::op_str(*op).to_owned(),
            Tok::Comma => ",".into(),
            Tok::Dot => ".".into(),
            Tok::Colon => ":".into(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Eof => "<end of query>".into(),
        }
    }
}

/// The characters that may follow a backslash in a string literal.
const ESCAPES: &[char] = &['\'', '"', '\\', 'n', 'r', 't', 'b', 'f', '%', '_'];

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    row: usize,
    column: usize,
}

/// Splits a query into tokens, ending with [`Tok::Eof`].
pub(super) fn tokenize(input: &str) -> Result<Vec<Token>, SoqlError> {
    let mut lx = Lexer {
        chars: input.chars().collect(),
        pos: 0,
        row: 1,
        column: 1,
    };
    let mut out = Vec::new();
    loop {
        while lx.peek().is_some_and(char::is_whitespace) {
            lx.bump();
        }
        let (row, column) = (lx.row, lx.column);
        let Some(c) = lx.peek() else {
            out.push(Token {
                tok: Tok::Eof,
                row,
                column,
            });
            return Ok(out);
        };
        let err = |message: String| SoqlError { message, row, column };
        let tok = match c {
            '\'' => lx.string().map_err(err)?,
            '0'..='9' => lx.number_or_date().map_err(err)?,
            '-' if lx.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => {
                lx.bump();
                match lx.number_or_date().map_err(err)? {
                    Tok::Num(n) => Tok::Num(format!("-{n}")),
                    _ => return Err(err("unexpected token: '-'".into())),
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut s = String::new();
                while let Some(c) = lx.peek().filter(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    s.push(c);
                    lx.bump();
                }
                Tok::Ident(s)
            }
            _ => lx
                .punct()
                .ok_or_else(|| err(format!("unexpected character: '{}'", c.escape_default())))?,
        };
        out.push(Token { tok, row, column });
    }
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.row += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn punct(&mut self) -> Option<Tok> {
        let c = self.peek()?;
        let next = self.peek_at(1);
        let (tok, len) = match (c, next) {
            ('!', Some('=')) => (Tok::Op(CompareOp::Ne), 2),
            ('<', Some('>')) => (Tok::Op(CompareOp::Ne), 2),
            ('<', Some('=')) => (Tok::Op(CompareOp::Le), 2),
            ('>', Some('=')) => (Tok::Op(CompareOp::Ge), 2),
            ('<', _) => (Tok::Op(CompareOp::Lt), 1),
            ('>', _) => (Tok::Op(CompareOp::Gt), 1),
            ('=', _) => (Tok::Op(CompareOp::Eq), 1),
            (',', _) => (Tok::Comma, 1),
            ('.', _) => (Tok::Dot, 1),
            (':', _) => (Tok::Colon, 1),
            ('(', _) => (Tok::LParen, 1),
            (')', _) => (Tok::RParen, 1),
            _ => return None,
        };
        for _ in 0..len {
            self.bump();
        }
        Some(tok)
    }

    /// A quoted string; the opening quote is the current character.
    fn string(&mut self) -> Result<Tok, String> {
        self.bump();
        let mut raw = String::new();
        loop {
            match self.bump() {
                None => return Err("unterminated string literal".into()),
                Some('\'') => return Ok(Tok::Str(raw)),
                Some('\\') => match self.bump() {
                    Some(e) if ESCAPES.contains(&e) => {
                        raw.push('\\');
                        raw.push(e);
                    }
                    Some(e) => return Err(format!("invalid escape sequence: '\\{}'", e.escape_default())),
                    None => return Err("unterminated string literal".into()),
                },
                Some(c) => raw.push(c),
            }
        }
    }

    fn digits(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            s.push(c);
            self.bump();
        }
        s
    }

    /// `123`, `1.5`, `2026-11-23` or `2026-11-23T10:00:00[.fff](Z|+hh:mm)`.
    fn number_or_date(&mut self) -> Result<Tok, String> {
        let int = self.digits();
        let is_date = int.len() == 4
            && self.peek() == Some('-')
            && (1..=2).all(|i| self.peek_at(i).is_some_and(|c| c.is_ascii_digit()));
        if !is_date {
            if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
                return Ok(Tok::Num(format!("{int}.{}", self.digits())));
            }
            return Ok(Tok::Num(int));
        }
        let mut text = int;
        // The rest of a date/datetime: digits and the separators a timestamp can hold.
        while let Some(c) = self.peek() {
            let sign_of_zone = (c == '+' || c == '-') && text.contains('T');
            if c.is_ascii_digit() || c == '-' || c == ':' || c == '.' || c == 'T' || c == 'Z' || sign_of_zone
            {
                // A '.' is part of a datetime only as its fraction; otherwise it ends the token.
                if c == '.' && !text.contains('T') {
                    break;
                }
                text.push(c);
                self.bump();
            } else {
                break;
            }
        }
        if text.contains('T') {
            DateTime::parse_from_rfc3339(&text)
                .map(|dt| Tok::DateTime(dt.with_timezone(&Utc)))
                .map_err(|_| format!("invalid datetime: {text}"))
        } else {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .ok()
                .filter(|_| text.len() == 10)
                .map(Tok::Date)
                .ok_or_else(|| format!("invalid date: {text}"))
        }
    }
}
