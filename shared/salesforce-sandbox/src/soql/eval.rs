//! Running a query against the store: filter, sort, page, project.
//!
//! Semantics follow Salesforce: string `=`, `!=`, `IN` and `LIKE` ignore case; a null field is
//! `!= x` for every non-null `x` and equal only to `null`; a reference that is null or dangling
//! makes the whole path null; relative dates are ranges (see [`super::RelativeDate`]).

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::compile::{Filter, Kind, Path, Plan, Val, compile, kind};
use super::{CompareOp, LikePattern, LikeToken};
use crate::error::SandboxError;
use crate::schema::FieldDef;
use crate::store::{Record, Store, parse_datetime};

/// Parses, checks and runs `soql`; records come back as the REST API returns them.
pub(crate) fn run(store: &Store, soql: &str, version: &str) -> Result<Vec<Value>, SandboxError> {
    let query = super::parse(soql).map_err(|e| {
        let caret = " ".repeat(e.column.saturating_sub(1));
        let line = soql.lines().nth(e.row.saturating_sub(1)).unwrap_or_default();
        SandboxError::malformed_query(format!(
            "\n{line}\n{caret}^\nERROR at Row:{}:Column:{}\n{}",
            e.row, e.column, e.message
        ))
    })?;
    let plan = compile(&query, store.today())?;
    Ok(execute(store, &plan, version))
}

fn execute(store: &Store, plan: &Plan, version: &str) -> Vec<Value> {
    let Some(table) = store.table(plan.object.name) else {
        return Vec::new();
    };
    let mut rows: Vec<&Record> = table
        .records()
        .filter(|r| plan.filter.as_ref().is_none_or(|f| test(store, r, f)))
        .collect();
    if !plan.order.is_empty() {
        let mut keyed: Vec<(Vec<Val>, &Record)> = rows
            .into_iter()
            .map(|r| {
                (
                    plan.order
                        .iter()
                        .map(|(p, _, _)| typed_value(store, r, p))
                        .collect(),
                    r,
                )
            })
            .collect();
        keyed.sort_by(|(a, _), (b, _)| {
            plan.order
                .iter()
                .zip(a.iter().zip(b))
                .map(|((_, desc, nulls_last), (x, y))| order(x, y, *desc, *nulls_last))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        rows = keyed.into_iter().map(|(_, r)| r).collect();
    }
    let offset = usize::try_from(plan.offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let limit = plan
        .limit
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    rows.into_iter()
        .skip(offset)
        .take(limit)
        .map(|r| project(store, plan, r, version))
        .collect()
}

/// The record reached by following `hops` from `record`, if every reference resolves.
fn follow<'s>(store: &'s Store, record: &'s Record, path: &Path) -> Option<&'s Record> {
    path.hops.iter().try_fold(record, |rec, hop| {
        let id = rec.get(hop.field.name)?.as_str()?;
        store.get(hop.target.name, id)
    })
}

fn typed_value(store: &Store, record: &Record, path: &Path) -> Val {
    match follow(store, record, path) {
        Some(target) => typed(path.leaf, &store.value(target, path.leaf)),
        None => Val::Null,
    }
}

/// A stored JSON value as a typed value of the field's kind.
fn typed(field: &FieldDef, value: &Value) -> Val {
    match (kind(field), value) {
        (_, Value::Null) => Val::Null,
        (Kind::Str, Value::String(s)) => Val::Str(s.clone()),
        (Kind::Id, Value::String(s)) => Val::Id(s.clone()),
        (Kind::Num, Value::Number(n)) => n.as_f64().map_or(Val::Null, Val::Num),
        (Kind::Bool, Value::Bool(b)) => Val::Bool(*b),
        (Kind::Date, Value::String(s)) => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_or(Val::Null, Val::Date)
        }
        (Kind::DateTime, Value::String(s)) => parse_datetime(s).map_or(Val::Null, Val::DateTime),
        (_, other) => Val::Str(other.to_string()),
    }
}

fn test(store: &Store, record: &Record, filter: &Filter) -> bool {
    match filter {
        Filter::And(parts) => parts.iter().all(|f| test(store, record, f)),
        Filter::Or(parts) => parts.iter().any(|f| test(store, record, f)),
        Filter::Not(inner) => !test(store, record, inner),
        Filter::Cmp(path, op, lit) => compare(&typed_value(store, record, path), *op, lit),
        Filter::In(path, negated, lits) => {
            let value = typed_value(store, record, path);
            lits.iter().any(|lit| compare(&value, CompareOp::Eq, lit)) != *negated
        }
        Filter::Like(path, pattern) => match typed_value(store, record, path) {
            Val::Str(s) => like(pattern, &s),
            _ => false,
        },
    }
}

/// `value op literal` with Salesforce's null and range rules.
fn compare(value: &Val, op: CompareOp, lit: &Val) -> bool {
    match (value, lit) {
        (v, Val::Null) => match op {
            CompareOp::Eq => *v == Val::Null,
            CompareOp::Ne => *v != Val::Null,
            _ => false,
        },
        (Val::Null, _) => op == CompareOp::Ne,
        (Val::Date(_) | Val::DateTime(_), Val::Range(first, last)) => {
            let day = match value {
                Val::DateTime(dt) => dt.date_naive(),
                Val::Date(d) => *d,
                _ => return false,
            };
            match op {
                CompareOp::Eq => *first <= day && day <= *last,
                CompareOp::Ne => !(*first <= day && day <= *last),
                CompareOp::Lt => day < *first,
                CompareOp::Le => day <= *last,
                CompareOp::Gt => day > *last,
                CompareOp::Ge => day >= *first,
            }
        }
        _ => match ordering(value, lit) {
            Some(o) => match op {
                CompareOp::Eq => o.is_eq(),
                CompareOp::Ne => o.is_ne(),
                CompareOp::Lt => o.is_lt(),
                CompareOp::Le => o.is_le(),
                CompareOp::Gt => o.is_gt(),
                CompareOp::Ge => o.is_ge(),
            },
            None => false,
        },
    }
}

/// The order of two non-null values of one kind; strings ignore case.
fn ordering(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        (Val::Id(x), Val::Id(y)) => Some(x.cmp(y)),
        (Val::Num(x), Val::Num(y)) => x.partial_cmp(y),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(y)),
        (Val::DateTime(x), Val::DateTime(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// One ORDER BY key: nulls placed by `nulls_last` whatever the direction.
fn order(a: &Val, b: &Val, descending: bool, nulls_last: bool) -> Ordering {
    match (a == &Val::Null, b == &Val::Null) {
        (true, true) => Ordering::Equal,
        (true, false) => {
            if nulls_last {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (false, true) => {
            if nulls_last {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (false, false) => {
            let o = ordering(a, b).unwrap_or(Ordering::Equal);
            if descending { o.reverse() } else { o }
        }
    }
}

/// Whether `text` matches the pattern, ignoring case.
pub(crate) fn like(pattern: &LikePattern, text: &str) -> bool {
    let p = &pattern.0;
    let t: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `%` was and how much text it had swallowed, to backtrack to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(LikeToken::AnyChars) => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(LikeToken::AnyChar) => {
                pi += 1;
                ti += 1;
            }
            Some(LikeToken::Char(c)) if same(*c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|t| *t == LikeToken::AnyChars)
}

/// The selected fields of a record, relationships nested as objects with their own attributes.
fn project(store: &Store, plan: &Plan, record: &Record, version: &str) -> Value {
    let mut out = Map::new();
    out.insert(
        "attributes".into(),
        crate::store::attributes(plan.object, record, version),
    );
    for path in &plan.select {
        put(store, &mut out, record, path, 0, version);
    }
    Value::Object(out)
}

fn put(
    store: &Store,
    out: &mut Map<String, Value>,
    record: &Record,
    path: &Path,
    depth: usize,
    version: &str,
) {
    let Some(hop) = path.hops.get(depth) else {
        out.insert(path.leaf.name.to_owned(), store.value(record, path.leaf));
        return;
    };
    let related = record
        .get(hop.field.name)
        .and_then(Value::as_str)
        .and_then(|id| store.get(hop.target.name, id));
    let Some(related) = related else {
        out.entry(hop.relationship).or_insert(Value::Null);
        return;
    };
    let entry = out.entry(hop.relationship).or_insert_with(|| {
        let mut m = Map::new();
        m.insert(
            "attributes".into(),
            crate::store::attributes(hop.target, related, version),
        );
        Value::Object(m)
    });
    if let Value::Object(inner) = entry {
        put(store, inner, related, path, depth + 1, version);
    }
}
