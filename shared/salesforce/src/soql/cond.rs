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
    Compare {
        field: &'static str,
        op: &'static str,
        value: Value,
    },
    In {
        field: &'static str,
        negated: bool,
        values: Vec<Value>,
    },
    // The pattern text is stored unescaped; escaping happens once, when rendering.
    Like {
        field: &'static str,
        prefix: bool,
        text: String,
        suffix: bool,
    },
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
}

/// Matches no record: every record has an Id. Used where SOQL has no syntax for "nothing" (`IN ()`).
const NOTHING: &str = "Id = null";
/// Matches every record, the counterpart of [`NOTHING`].
const EVERYTHING: &str = "Id != null";

/// One constructor per comparison operator.
macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident => $op:literal;)*) => {$(
        $(#[$doc])*
        pub fn $name(field: &'static str, value: impl Into<Value>) -> Self {
            Self::compare(field, $op, value)
        }
    )*};
}

impl Cond {
    fn compare(field: &'static str, op: &'static str, value: impl Into<Value>) -> Self {
        debug_assert!(super::is_field_path(field), "not a SOQL field path: {field}");
        Cond(Node::Compare {
            field,
            op,
            value: value.into(),
        })
    }

    comparisons! {
        /// `field = value`.
        eq => "=";
        /// `field != value`.
        ne => "!=";
        /// `field < value`.
        lt => "<";
        /// `field <= value`.
        le => "<=";
        /// `field > value`.
        gt => ">";
        /// `field >= value`.
        ge => ">=";
    }

    /// `field IN (values…)`.
    ///
    /// SOQL has no empty list, so an empty `values` renders `Id = null`, which matches no record.
    pub fn is_in<V: Into<Value>>(field: &'static str, values: impl IntoIterator<Item = V>) -> Self {
        debug_assert!(super::is_field_path(field), "not a SOQL field path: {field}");
        Cond(Node::In {
            field,
            negated: false,
            values: values.into_iter().map(Into::into).collect(),
        })
    }

    /// `field NOT IN (values…)`.
    ///
    /// An empty `values` renders `Id != null`, which matches every record (nothing is excluded).
    pub fn not_in<V: Into<Value>>(field: &'static str, values: impl IntoIterator<Item = V>) -> Self {
        debug_assert!(super::is_field_path(field), "not a SOQL field path: {field}");
        Cond(Node::In {
            field,
            negated: true,
            values: values.into_iter().map(Into::into).collect(),
        })
    }

    fn like(field: &'static str, prefix: bool, text: &str, suffix: bool) -> Self {
        debug_assert!(super::is_field_path(field), "not a SOQL field path: {field}");
        Cond(Node::Like {
            field,
            prefix,
            text: text.to_owned(),
            suffix,
        })
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

    fn write_list(f: &mut fmt::Formatter<'_>, list: &[Cond], joiner: &str, empty: &str) -> fmt::Result {
        match list {
            [] => f.write_str(empty),
            [only] => write!(f, "{only}"),
            _ => write_joined(f, list.iter().map(Operand), joiner),
        }
    }
}

/// A condition as an operand of AND/OR: parenthesised unless it is a bare comparison.
struct Operand<'a>(&'a Cond);

impl fmt::Display for Operand<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_simple() {
            write!(f, "{}", self.0)
        } else {
            write!(f, "({})", self.0)
        }
    }
}

fn write_joined<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    items: impl IntoIterator<Item = T>,
    separator: &str,
) -> fmt::Result {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
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
            Node::In {
                field,
                negated,
                values,
            } => {
                write!(f, "{field} {}IN (", if *negated { "NOT " } else { "" })?;
                write_joined(f, values, ", ")?;
                f.write_char(')')
            }
            Node::Like {
                field,
                prefix,
                text,
                suffix,
            } => {
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
