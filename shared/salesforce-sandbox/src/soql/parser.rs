//! The recursive-descent parser over the tokenizer's output.

use super::lexer::{Tok, Token};
use super::strings::{like_pattern, plain_string};
use super::{Condition, FieldPath, Literal, OrderBy, Query, RelativeDate, SoqlError};

/// Words that end or structure a clause, so they cannot be field names.
const RESERVED: &[&str] = &[
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER", "BY", "LIMIT", "OFFSET", "NULL",
    "TRUE", "FALSE", "ASC", "DESC", "NULLS", "GROUP", "HAVING", "WITH", "FOR", "INCLUDES", "EXCLUDES",
];

/// Deeper nesting than this is refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

pub(super) struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    pub fn new(tokens: Vec<Token>) -> Self {
        Self {
            tokens,
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> &Tok {
        self.tokens.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    /// An error at the current token.
    fn error(&self, message: impl Into<String>) -> SoqlError {
        let (row, column) = self.tokens.get(self.pos).map_or((1, 1), |t| (t.row, t.column));
        SoqlError {
            message: message.into(),
            row,
            column,
        }
    }

    fn unexpected(&self) -> SoqlError {
        match self.peek() {
            Tok::Eof => self.error("unexpected end of query"),
            tok => self.error(format!("unexpected token: '{}'", tok.describe())),
        }
    }

    fn is_keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s.eq_ignore_ascii_case(word))
    }

    fn eat_keyword(&mut self, word: &str) -> bool {
        let hit = self.is_keyword(word);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect_keyword(&mut self, word: &str) -> Result<(), SoqlError> {
        if self.eat_keyword(word) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn expect(&mut self, tok: &Tok) -> Result<(), SoqlError> {
        if self.peek() == tok {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    pub fn query(mut self) -> Result<Query, SoqlError> {
        self.expect_keyword("SELECT")?;
        let mut fields = vec![self.path()?];
        while self.peek() == &Tok::Comma {
            self.pos += 1;
            fields.push(self.path()?);
        }
        self.expect_keyword("FROM")?;
        let object = self.name()?;
        let filter = if self.eat_keyword("WHERE") {
            Some(self.condition()?)
        } else {
            None
        };
        let mut order_by = Vec::new();
        if self.eat_keyword("ORDER") {
            self.expect_keyword("BY")?;
            loop {
                order_by.push(self.order_key()?);
                if self.peek() != &Tok::Comma {
                    break;
                }
                self.pos += 1;
            }
        }
        let limit = if self.eat_keyword("LIMIT") {
            Some(self.integer()?)
        } else {
            None
        };
        let offset = if self.eat_keyword("OFFSET") {
            Some(self.integer()?)
        } else {
            None
        };
        if self.peek() != &Tok::Eof {
            return Err(self.unexpected());
        }
        Ok(Query {
            fields,
            object,
            filter,
            order_by,
            limit,
            offset,
        })
    }

    /// An identifier that is not a reserved word.
    fn name(&mut self) -> Result<String, SoqlError> {
        match self.peek() {
            Tok::Ident(s) if !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn path(&mut self) -> Result<FieldPath, SoqlError> {
        let mut parts = vec![self.name()?];
        while self.peek() == &Tok::Dot {
            self.pos += 1;
            parts.push(self.name()?);
        }
        Ok(FieldPath(parts))
    }

    fn integer(&mut self) -> Result<u64, SoqlError> {
        match self.peek() {
            Tok::Num(n) => {
                let value = n
                    .parse::<u64>()
                    .map_err(|_| self.error(format!("invalid integer: {n}")))?;
                self.pos += 1;
                Ok(value)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn order_key(&mut self) -> Result<OrderBy, SoqlError> {
        let field = self.path()?;
        let descending = if self.eat_keyword("DESC") {
            true
        } else {
            self.eat_keyword("ASC");
            false
        };
        let nulls_last = if self.eat_keyword("NULLS") {
            if self.eat_keyword("LAST") {
                true
            } else {
                self.expect_keyword("FIRST")?;
                false
            }
        } else {
            false
        };
        Ok(OrderBy {
            field,
            descending,
            nulls_last,
        })
    }

    /// `[NOT] term ((AND term)* | (OR term)*)`: one kind of connective per level, as SOQL requires.
    fn condition(&mut self) -> Result<Condition, SoqlError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("query is nested too deeply"));
        }
        let first = if self.eat_keyword("NOT") {
            Condition::Not(Box::new(self.term()?))
        } else {
            self.term()?
        };
        let connective = if self.is_keyword("AND") {
            "AND"
        } else if self.is_keyword("OR") {
            "OR"
        } else {
            self.depth -= 1;
            return Ok(first);
        };
        let mut parts = vec![first];
        while self.eat_keyword(connective) {
            parts.push(self.term()?);
        }
        // The other connective at this level without parentheses: Salesforce's "unexpected token".
        if self.is_keyword("AND") || self.is_keyword("OR") {
            return Err(self.unexpected());
        }
        self.depth -= 1;
        Ok(if connective == "AND" {
            Condition::And(parts)
        } else {
            Condition::Or(parts)
        })
    }

    fn term(&mut self) -> Result<Condition, SoqlError> {
        if self.peek() == &Tok::LParen {
            self.pos += 1;
            let inner = self.condition()?;
            self.expect(&Tok::RParen)?;
            return Ok(inner);
        }
        let field = self.path()?;
        if let Tok::Op(op) = self.peek() {
            let op = *op;
            self.pos += 1;
            let value = self.literal()?;
            return Ok(Condition::Compare { field, op, value });
        }
        if self.eat_keyword("LIKE") {
            return match self.peek().clone() {
                Tok::Str(raw) => {
                    self.pos += 1;
                    Ok(Condition::Like {
                        field,
                        pattern: like_pattern(&raw),
                    })
                }
                _ => Err(self.unexpected()),
            };
        }
        let negated = self.eat_keyword("NOT");
        self.expect_keyword("IN")?;
        self.expect(&Tok::LParen)?;
        let mut values = vec![self.literal()?];
        while self.peek() == &Tok::Comma {
            self.pos += 1;
            values.push(self.literal()?);
        }
        self.expect(&Tok::RParen)?;
        Ok(Condition::In {
            field,
            negated,
            values,
        })
    }

    fn literal(&mut self) -> Result<Literal, SoqlError> {
        let lit = match self.peek().clone() {
            Tok::Str(raw) => Literal::String(plain_string(&raw).map_err(|m| self.error(m))?),
            Tok::Num(n) => Literal::Number(n),
            Tok::Date(d) => Literal::Date(d),
            Tok::DateTime(d) => Literal::DateTime(d),
            Tok::Ident(word) => return self.word_literal(&word),
            _ => return Err(self.unexpected()),
        };
        self.pos += 1;
        Ok(lit)
    }

    /// `NULL`, `TRUE`, `FALSE` and the relative dates.
    fn word_literal(&mut self, word: &str) -> Result<Literal, SoqlError> {
        let upper = word.to_ascii_uppercase();
        let simple = match upper.as_str() {
            "NULL" => Some(Literal::Null),
            "TRUE" => Some(Literal::Boolean(true)),
            "FALSE" => Some(Literal::Boolean(false)),
            "TODAY" => Some(Literal::Relative(RelativeDate::Today)),
            "YESTERDAY" => Some(Literal::Relative(RelativeDate::Yesterday)),
            "TOMORROW" => Some(Literal::Relative(RelativeDate::Tomorrow)),
            _ => None,
        };
        if let Some(lit) = simple {
            self.pos += 1;
            return Ok(lit);
        }
        let make: fn(u32) -> RelativeDate = match upper.as_str() {
            "LAST_N_DAYS" => RelativeDate::LastNDays,
            "NEXT_N_DAYS" => RelativeDate::NextNDays,
            _ => return Err(self.unexpected()),
        };
        self.pos += 1;
        self.expect(&Tok::Colon)?;
        match self.peek() {
            Tok::Num(n) => {
                let n = n
                    .parse::<u32>()
                    .map_err(|_| self.error(format!("invalid number of days: {n}")))?;
                self.pos += 1;
                Ok(Literal::Relative(make(n)))
            }
            _ => Err(self.unexpected()),
        }
    }
}
