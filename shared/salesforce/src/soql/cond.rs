//! WHERE conditions.

use super::value::{Value, write_escaped};
use std::fmt::{self, Write};

/// A WHERE condition, built from field names known at compile time and [`Value`]s.
///
/// Combine with [`Cond::and`], [`Cond::or`] and [`Cond::not`]; rendering adds the parentheses that keep
/// the intended grouping (SOQL, unlike SQL, rejects `a AND b OR c` without them anyway).
#[derive(Debug, Clone, PartialEq)]
pub struct Cond(Node);

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Compare { field: &'static str, op: &'static str, value: Value },
    In { field: &'static str, negated: bool, values: Vec<Value> },
    // The pattern text is stored unescaped; escaping happens once, when rendering.
    Like { field: &'static str, prefix: bool, text: String, suffix: bool },
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
}

/// Matches no record: every record has an Id. Used where SOQL has no syntax for "nothing" (`IN ()`).
const NOTHING: &str = "Id = null";
/// Matches every record, the counterpart of [`NOTHING`].
const EVERYTHING: &str = "Id != null";

impl Cond {
    fn compare(field: &'static str, op: &'static str, value: impl Into<Value>) -> Self {
        debug_assert!(super::is_field_path(field), "not a SOQL field path: {field}");
        Cond(Node::Compare { field, op, value: value.into() })
    }

    /// `field = value`.
    pub fn eq(field: &'static str, value: impl Into<Value>) -> Self {
        Self::compare(field, "=", value)
    }

    /// `field != value`.
    pub fn ne(field: &'static str, value: impl Into<Value>) -> Self {
        Self::compare(field, "!=", value)
    }

    /// `field < value`.
    pub fn lt(field: &'static str, value: impl Into<Value>) -> Self {
        Self::compare(field, "<", value)
    }

    /// `field <= value`.
    pub fn le(field: &'static str, value: impl Into<Value>) -> Self {
        Self::compare(field, "<=", value)
    }

    /// `field > value`.
    pub fn gt(field: &'static str, value: impl Into<Value>) -> Self {
        Self::compare(field, ">", value)
    }

    /// `field >= value`.
    pub fn ge(field: &'static str, value: impl Into<Value>) -> Self {
        Self::compare(field, ">=", value)
    }

    /// `field IN (values…)`.
    ///
    /// SOQL has no empty list, so an empty `values` renders `Id = null`, which matches no record.
    pub fn is_in<V: Into<Value>>(field: &'static str, values: impl IntoIterator<Item = V>) -> Self {
        debug_assert!(super::is_field_path(field), "not a SOQL field path: {field}");
        Cond(Node::In { field, negated: false, values: values.into_iter().map(Into::into).collect() })
    }

    /// `field NOT IN (values…)`.
    ///
    /// An empty `values` renders `Id != null`, which matches every record (nothing is excluded).
    pub fn not_in<V: Into<Value>>(field: &'static str, values: impl IntoIterator<Item = V>) -> Self {
        debug_assert!(super::is_field_path(field), "not a SOQL field path: {field}");
        Cond(Node::In { field, negated: true, values: values.into_iter().map(Into::into).collect() })
    }

    fn like(field: &'static str, prefix: bool, text: &str, suffix: bool) -> Self {
        debug_assert!(super::is_field_path(field), "not a SOQL field path: {field}");
        Cond(Node::Like { field, prefix, text: text.to_owned(), suffix })
    }

    /// `field LIKE '%text%'`: `text` appears anywhere. `%` and `_` in `text` match only themselves.
    pub fn like_contains(field: &'static str, text: &str) -> Self {
        Self::like(field, true, text, true)
    }

    /// `field LIKE 'text%'`: the field starts with `text` (wildcards in `text` are escaped).
    pub fn like_starts_with(field: &'static str, text: &str) -> Self {
        Self::like(field, false, text, true)
    }

    /// `field LIKE '%text'`: the field ends with `text` (wildcards in `text` are escaped).
    pub fn like_ends_with(field: &'static str, text: &str) -> Self {
        Self::like(field, true, text, false)
    }

    /// Both conditions. Chained `and`s stay one flat list.
    pub fn and(self, other: Cond) -> Cond {
        match self.0 {
            Node::And(mut all) => {
                all.push(other);
                Cond(Node::And(all))
            }
            node => Cond(Node::And(vec![Cond(node), other])),
        }
    }

    /// Either condition. Chained `or`s stay one flat list.
    pub fn or(self, other: Cond) -> Cond {
        match self.0 {
            Node::Or(mut any) => {
                any.push(other);
                Cond(Node::Or(any))
            }
            node => Cond(Node::Or(vec![Cond(node), other])),
        }
    }

    /// `NOT (cond)`.
    #[allow(clippy::should_implement_trait)] // `std::ops::Not` is implemented too; this reads better in chains.
    pub fn not(cond: Cond) -> Cond {
        Cond(Node::Not(Box::new(cond)))
    }

    /// All of `conds`; an empty list matches every record.
    pub fn all(conds: impl IntoIterator<Item = Cond>) -> Cond {
        Cond(Node::And(conds.into_iter().collect()))
    }

    /// Any of `conds`; an empty list matches no record.
    pub fn any(conds: impl IntoIterator<Item = Cond>) -> Cond {
        Cond(Node::Or(conds.into_iter().collect()))
    }

    /// Whether this renders as a bare comparison, which needs no parentheses as an operand.
    fn is_simple(&self) -> bool {
        match &self.0 {
            Node::And(list) | Node::Or(list) => list.len() <= 1 && list.iter().all(Cond::is_simple),
            Node::Not(_) => false,
            _ => true,
        }
    }

    fn write_operand(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_simple() { write!(f, "{self}") } else { write!(f, "({self})") }
    }

    fn write_list(f: &mut fmt::Formatter<'_>, list: &[Cond], joiner: &str, empty: &str) -> fmt::Result {
        match list {
            [] => f.write_str(empty),
            [only] => write!(f, "{only}"),
            _ => {
                for (i, cond) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(joiner)?;
                    }
                    cond.write_operand(f)?;
                }
                Ok(())
            }
        }
    }
}

impl std::ops::Not for Cond {
    type Output = Cond;

    fn not(self) -> Cond {
        Cond::not(self)
    }
}

impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Node::Compare { field, op, value } => write!(f, "{field} {op} {value}"),
            Node::In { negated, values, .. } if values.is_empty() => {
                f.write_str(if *negated { EVERYTHING } else { NOTHING })
            }
            Node::In { field, negated, values } => {
                write!(f, "{field} {}IN (", if *negated { "NOT " } else { "" })?;
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{value}")?;
                }
                f.write_char(')')
            }
            Node::Like { field, prefix, text, suffix } => {
                write!(f, "{field} LIKE '{}", if *prefix { "%" } else { "" })?;
                write_escaped(f, text, true)?;
                write!(f, "{}'", if *suffix { "%" } else { "" })
            }
            Node::And(list) => Self::write_list(f, list, " AND ", EVERYTHING),
            Node::Or(list) => Self::write_list(f, list, " OR ", NOTHING),
            Node::Not(inner) => write!(f, "NOT ({inner})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mixed AND/OR/NOT get exactly the parentheses that preserve the grouping.
    #[test]
    fn nesting_is_parenthesised() {
        // GIVEN a AND (b OR c) AND NOT d
        let cond = Cond::eq("A", 1)
            .and(Cond::eq("B", 2).or(Cond::eq("C", 3)))
            .and(Cond::not(Cond::eq("D", 4)));
        // THEN the OR and the NOT are grouped, the ANDs stay flat
        assert_eq!(cond.to_string(), "A = 1 AND (B = 2 OR C = 3) AND (NOT (D = 4))");
        // AND inside OR is grouped as well
        let cond = Cond::eq("A", 1).or(Cond::eq("B", 2).and(Cond::eq("C", 3)));
        assert_eq!(cond.to_string(), "A = 1 OR (B = 2 AND C = 3)");
        assert_eq!((!Cond::eq("A", true)).to_string(), "NOT (A = true)");
    }

    /// Empty lists render valid SOQL with the documented meaning instead of `IN ()`.
    #[test]
    fn empty_lists_render_valid_soql() {
        assert_eq!(Cond::is_in("Status__c", Vec::<&str>::new()).to_string(), "Id = null");
        assert_eq!(Cond::not_in("Status__c", Vec::<&str>::new()).to_string(), "Id != null");
        assert_eq!(Cond::all([]).to_string(), "Id != null");
        assert_eq!(Cond::any([]).to_string(), "Id = null");
        assert_eq!(Cond::all([Cond::eq("A", 1)]).to_string(), "A = 1");
    }

    /// IN lists and LIKE patterns escape each value.
    #[test]
    fn lists_and_patterns_escape_their_values() {
        let cond = Cond::is_in("Status__c", ["Reserved", "Checked In", "it's"]);
        assert_eq!(cond.to_string(), r"Status__c IN ('Reserved', 'Checked In', 'it\'s')");
        assert_eq!(Cond::like_contains("Name", "50%_").to_string(), r"Name LIKE '%50\%\_%'");
        assert_eq!(Cond::like_starts_with("Name", "O'B").to_string(), r"Name LIKE 'O\'B%'");
        assert_eq!(Cond::like_ends_with("Name", r"\").to_string(), r"Name LIKE '%\\'");
    }
}
