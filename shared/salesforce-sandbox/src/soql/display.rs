//! Writing a [`Query`] back as SOQL that parses to the same query.

use std::fmt::{self, Display, Formatter, Write};

use super::{CompareOp, Condition, FieldPath, LikePattern, LikeToken, Literal, OrderBy, Query, RelativeDate};

/// The operator as written (`<>` is written `!=`).
pub(super) fn op_str(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "!=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    }
}

/// Writes `c` escaped for a single-quoted literal; `%` and `_` pass through.
fn write_escaped(f: &mut Formatter<'_>, c: char) -> fmt::Result {
    match c {
        '\'' => f.write_str("\\'"),
        '\\' => f.write_str("\\\\"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        '\t' => f.write_str("\\t"),
        '\u{8}' => f.write_str("\\b"),
        '\u{c}' => f.write_str("\\f"),
        c => f.write_char(c),
    }
}

impl Display for FieldPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

impl Display for RelativeDate {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RelativeDate::Today => f.write_str("TODAY"),
            RelativeDate::Yesterday => f.write_str("YESTERDAY"),
            RelativeDate::Tomorrow => f.write_str("TOMORROW"),
            RelativeDate::LastNDays(n) => write!(f, "LAST_N_DAYS:{n}"),
            RelativeDate::NextNDays(n) => write!(f, "NEXT_N_DAYS:{n}"),
        }
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(s) => {
                f.write_char('\'')?;
                s.chars().try_for_each(|c| write_escaped(f, c))?;
                f.write_char('\'')
            }
            Literal::Number(n) => f.write_str(n),
            Literal::Boolean(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Literal::Null => f.write_str("NULL"),
            Literal::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Literal::DateTime(d) => write!(f, "{}", d.format("%Y-%m-%dT%H:%M:%S%.fZ")),
            Literal::Relative(r) => r.fmt(f),
        }
    }
}

impl Display for LikePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('\'')?;
        for token in &self.0 {
            match token {
                LikeToken::AnyChars => f.write_char('%')?,
                LikeToken::AnyChar => f.write_char('_')?,
                LikeToken::Char('%') => f.write_str("\\%")?,
                LikeToken::Char('_') => f.write_str("\\_")?,
                LikeToken::Char(c) => write_escaped(f, *c)?,
            }
        }
        f.write_char('\'')
    }
}

impl Condition {
    /// Writes the condition as a term: connectives and NOT go in parentheses so the result never
    /// mixes AND with OR or puts NOT mid-condition.
    fn fmt_term(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Condition::And(_) | Condition::Or(_) | Condition::Not(_) => write!(f, "({self})"),
            _ => write!(f, "{self}"),
        }
    }
}

impl Display for Condition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Condition::And(parts) | Condition::Or(parts) => {
                let connective = if matches!(self, Condition::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(connective)?;
                    }
                    part.fmt_term(f)?;
                }
                Ok(())
            }
            Condition::Not(inner) => {
                f.write_str("NOT ")?;
                inner.fmt_term(f)
            }
            Condition::Compare { field, op, value } => write!(f, "{field} {} {value}", op_str(*op)),
            Condition::In {
                field,
                negated,
                values,
            } => {
                write!(f, "{field} {}IN (", if *negated { "NOT " } else { "" })?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_char(')')
            }
            Condition::Like { field, pattern } => write!(f, "{field} LIKE {pattern}"),
        }
    }
}

impl Display for OrderBy {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let dir = if self.descending { "DESC" } else { "ASC" };
        let nulls = if self.nulls_last { "LAST" } else { "FIRST" };
        write!(f, "{} {dir} NULLS {nulls}", self.field)
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let fields: Vec<String> = self.fields.iter().map(ToString::to_string).collect();
        write!(f, "SELECT {} FROM {}", fields.join(", "), self.object)?;
        if let Some(filter) = &self.filter {
            write!(f, " WHERE {filter}")?;
        }
        if !self.order_by.is_empty() {
            let keys: Vec<String> = self.order_by.iter().map(ToString::to_string).collect();
            write!(f, " ORDER BY {}", keys.join(", "))?;
        }
        if let Some(n) = self.limit {
            write!(f, " LIMIT {n}")?;
        }
        if let Some(n) = self.offset {
            write!(f, " OFFSET {n}")?;
        }
        Ok(())
    }
}
