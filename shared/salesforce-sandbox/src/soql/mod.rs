//! SOQL: a tokenizer, a recursive-descent parser and (crate-internal) an evaluator.
//!
//! The subset the connector uses:
//! `SELECT f1, Rel__r.f2 FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...]
//! [LIMIT n] [OFFSET n]`.
//!
//! As in Salesforce:
//! - keywords are case-insensitive;
//! - `AND` and `OR` may not be mixed at one level without parentheses (`a AND b OR c` is a
//!   MALFORMED_QUERY "unexpected token: 'OR'"), and `NOT` may only start a condition, at the top or
//!   just inside parentheses (`NOT a = 1 AND b = 2` means `(NOT a = 1) AND b = 2`;
//!   `a = 1 AND NOT b = 2` is an error, `a = 1 AND (NOT b = 2)` is fine);
//! - string literals use single quotes and the escapes `\'` `\"` `\\` `\n` `\r` `\t` `\b` `\f`;
//!   inside a LIKE pattern `\%` and `\_` are a literal `%` and `_`, and are an error elsewhere; any
//!   other backslash escape is an error; any other character, control characters included, is
//!   taken literally;
//! - dates are bare (`2026-11-23`), datetimes carry a zone (`2026-11-23T10:00:00Z`,
//!   `...+01:00`, `...00.000Z`), and `TODAY`, `YESTERDAY`, `TOMORROW`, `LAST_N_DAYS:n`,
//!   `NEXT_N_DAYS:n` are relative dates.
//!
//! [`parse`] never panics, whatever the input; `Display` on [`Query`] writes SOQL that parses back
//! to the same query.

mod compile;
mod display;
pub(crate) mod eval;
mod lexer;
mod parser;
mod strings;

use chrono::{DateTime, NaiveDate, Utc};

/// A parsed `SELECT` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The selected fields, in order.
    pub fields: Vec<FieldPath>,
    /// The object after `FROM`, as written.
    pub object: String,
    /// The `WHERE` condition.
    pub filter: Option<Condition>,
    /// The `ORDER BY` keys, in order.
    pub order_by: Vec<OrderBy>,
    /// `LIMIT n`.
    pub limit: Option<u64>,
    /// `OFFSET n`.
    pub offset: Option<u64>,
}

/// A field, possibly through relationships: `Room__r.Status__c` is `["Room__r", "Status__c"]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<String>);

/// A `WHERE` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// All of these (two or more).
    And(Vec<Condition>),
    /// Any of these (two or more).
    Or(Vec<Condition>),
    /// Not this.
    Not(Box<Condition>),
    /// `field op value`.
    Compare {
        field: FieldPath,
        op: CompareOp,
        value: Literal,
    },
    /// `field [NOT] IN (values)`.
    In {
        field: FieldPath,
        negated: bool,
        values: Vec<Literal>,
    },
    /// `field LIKE 'pattern'`.
    Like { field: FieldPath, pattern: LikePattern },
}

/// A comparison operator. `!=` and `<>` are both [`CompareOp::Ne`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A literal value in a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// A quoted string, escapes decoded.
    String(String),
    /// A number, as written (`42`, `-1.5`).
    Number(String),
    /// `TRUE` / `FALSE`.
    Boolean(bool),
    /// `NULL`.
    Null,
    /// `2026-11-23`.
    Date(NaiveDate),
    /// `2026-11-23T10:00:00Z`, converted to UTC.
    DateTime(DateTime<Utc>),
    /// `TODAY`, `LAST_N_DAYS:7`, ...
    Relative(RelativeDate),
}

/// A date literal relative to the sandbox's "today".
///
/// Each is a range of days: `TODAY` is today, `LAST_N_DAYS:n` is today−n through today,
/// `NEXT_N_DAYS:n` is tomorrow through today+n. `=` means "within the range", `<` "before its
/// first day", `>` "after its last day", `<=`/`>=` include the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeDate {
    Today,
    Yesterday,
    Tomorrow,
    LastNDays(u32),
    NextNDays(u32),
}

/// A LIKE pattern: literal characters and wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikePattern(pub Vec<LikeToken>);

/// One element of a LIKE pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeToken {
    /// This character (matched case-insensitively); `\%` and `\_` give a literal `%` and `_`.
    Char(char),
    /// `%`: any run of characters, including none.
    AnyChars,
    /// `_`: exactly one character.
    AnyChar,
}

/// One `ORDER BY` key. Nulls sort first unless `nulls_last` (Salesforce's default is
/// `NULLS FIRST` in both directions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy {
    pub field: FieldPath,
    pub descending: bool,
    pub nulls_last: bool,
}

/// Why a query could not be parsed, with the 1-based position of the offending token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at Row:{row}:Column:{column})")]
pub struct SoqlError {
    /// What is wrong, in Salesforce's words where it has them ("unexpected token: 'OR'").
    pub message: String,
    /// 1-based line.
    pub row: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

/// Parses one SOQL `SELECT` statement.
///
/// # Errors
/// A [`SoqlError`] naming the problem and where it is; never a panic.
pub fn parse(input: &str) -> Result<Query, SoqlError> {
    let tokens = lexer::tokenize(input)?;
    parser::Parser::new(tokens).query()
}

impl RelativeDate {
    /// The first and last day of the range for `today` (clamped to the calendar's limits).
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let plus = |n: u64| {
            today
                .checked_add_days(chrono::Days::new(n))
                .unwrap_or(NaiveDate::MAX)
        };
        let minus = |n: u64| {
            today
                .checked_sub_days(chrono::Days::new(n))
                .unwrap_or(NaiveDate::MIN)
        };
        match self {
            RelativeDate::Today => (today, today),
            RelativeDate::Yesterday => (minus(1), minus(1)),
            RelativeDate::Tomorrow => (plus(1), plus(1)),
            RelativeDate::LastNDays(n) => (minus(u64::from(n)), today),
            RelativeDate::NextNDays(n) => (plus(1), plus(u64::from(n))),
        }
    }
}

#[cfg(test)]
mod eval_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
