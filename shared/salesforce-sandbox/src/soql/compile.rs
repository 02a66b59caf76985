//! Resolving a parsed query against the org schema: field paths, literal types, Salesforce's errors.

use chrono::{DateTime, NaiveDate, Utc};

use super::{CompareOp, Condition, FieldPath, LikePattern, Literal, Query};
use crate::error::SandboxError;
use crate::ids;
use crate::schema::{FieldDef, FieldType, Formula, ObjectDef, schema};

/// Salesforce caps OFFSET.
const MAX_OFFSET: u64 = 2000;

/// One step through a reference field to the related record.
#[derive(Debug)]
pub(crate) struct Hop {
    pub field: &'static FieldDef,
    pub target: &'static ObjectDef,
    pub relationship: &'static str,
}

/// A resolved field path.
#[derive(Debug)]
pub(crate) struct Path {
    pub hops: Vec<Hop>,
    pub leaf: &'static FieldDef,
}

/// How values of a field compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    Id,
    Num,
    Bool,
    Date,
    DateTime,
}

/// A typed value: a literal after checking, or a field's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Str(String),
    Id(String),
    Num(f64),
    Bool(bool),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
    /// A relative date literal: first and last day.
    Range(NaiveDate, NaiveDate),
}

/// A condition with resolved paths and typed literals.
#[derive(Debug)]
pub(crate) enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    Cmp(Path, CompareOp, Val),
    In(Path, bool, Vec<Val>),
    Like(Path, LikePattern),
}

/// A query ready to run.
#[derive(Debug)]
pub(crate) struct Plan {
    pub object: &'static ObjectDef,
    pub select: Vec<Path>,
    pub filter: Option<Filter>,
    pub order: Vec<(Path, bool, bool)>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

pub(crate) fn kind(field: &FieldDef) -> Kind {
    match field.ty {
        FieldType::Id | FieldType::Reference { .. } => Kind::Id,
        FieldType::Number { .. } | FieldType::Currency | FieldType::Formula(Formula::DaysBetween { .. }) => {
            Kind::Num
        }
        FieldType::Boolean => Kind::Bool,
        FieldType::Date => Kind::Date,
        FieldType::DateTime => Kind::DateTime,
        _ => Kind::Str,
    }
}

/// Resolves and type-checks a query; `today` fixes the relative dates.
pub(crate) fn compile(query: &Query, today: NaiveDate) -> Result<Plan, SandboxError> {
    let object = schema().object(&query.object).ok_or_else(|| {
        SandboxError::new(
            400,
            "INVALID_TYPE",
            format!(
                "sObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append \
                 the '__c' after the entity name. Please reference your WSDL or the describe call for the \
                 appropriate names.",
                query.object
            ),
        )
    })?;
    let mut select = Vec::with_capacity(query.fields.len());
    let mut seen: Vec<String> = Vec::new();
    for path in &query.fields {
        let resolved = resolve(object, path)?;
        let key = canonical(&resolved).to_lowercase();
        if seen.contains(&key) {
            return Err(SandboxError::malformed_query(format!(
                "duplicate field selected: {path}"
            )));
        }
        seen.push(key);
        select.push(resolved);
    }
    let filter = query
        .filter
        .as_ref()
        .map(|c| condition(object, c, today))
        .transpose()?;
    let order = query
        .order_by
        .iter()
        .map(|o| Ok((resolve(object, &o.field)?, o.descending, o.nulls_last)))
        .collect::<Result<Vec<_>, SandboxError>>()?;
    if query.offset.is_some_and(|n| n > MAX_OFFSET) {
        return Err(SandboxError::new(
            400,
            "NUMBER_OUTSIDE_VALID_RANGE",
            format!("Maximum SOQL offset allowed is {MAX_OFFSET}"),
        ));
    }
    Ok(Plan {
        object,
        select,
        filter,
        order,
        limit: query.limit,
        offset: query.offset,
    })
}

/// The path in schema spelling: `Room__r.Status__c`.
fn canonical(path: &Path) -> String {
    let mut parts: Vec<&str> = path.hops.iter().map(|h| h.relationship).collect();
    parts.push(path.leaf.name);
    parts.join(".")
}

/// Resolves `Rel__r.Rel2__r.Field` from `object`; a leading object name (`Contact.Name`) is allowed.
fn resolve(object: &'static ObjectDef, path: &FieldPath) -> Result<Path, SandboxError> {
    let mut parts: &[String] = &path.0;
    if parts.len() > 1
        && parts[0].eq_ignore_ascii_case(object.name)
        && object.relationship(&parts[0]).is_none()
    {
        parts = &parts[1..];
    }
    let Some((leaf_name, rels)) = parts.split_last() else {
        return Err(SandboxError::malformed_query("empty field path"));
    };
    let mut current = object;
    let mut hops = Vec::with_capacity(rels.len());
    for rel in rels {
        let field = current.relationship(rel).ok_or_else(|| {
            SandboxError::invalid_field(format!(
                "Didn't understand relationship '{rel}' in field path. If you are attempting to use a custom \
                 relationship, be sure to append the '__r' after the custom relationship name. Please reference \
                 your WSDL or the describe call for the appropriate names."
            ))
        })?;
        let Some((target, relationship)) = field.reference() else {
            return Err(SandboxError::not_found());
        };
        let target = schema().object(target).ok_or_else(SandboxError::not_found)?;
        hops.push(Hop {
            field,
            target,
            relationship,
        });
        current = target;
    }
    let leaf = current.field(leaf_name).ok_or_else(|| {
        SandboxError::invalid_field(format!(
            "No such column '{leaf_name}' on entity '{}'. If you are attempting to use a custom field, be sure to \
             append the '__c' after the custom field name. Please reference your WSDL or the describe call for the \
             appropriate names.",
            current.name
        ))
    })?;
    Ok(Path { hops, leaf })
}

fn condition(object: &'static ObjectDef, c: &Condition, today: NaiveDate) -> Result<Filter, SandboxError> {
    let all = |cs: &[Condition]| {
        cs.iter()
            .map(|c| condition(object, c, today))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match c {
        Condition::And(cs) => Filter::And(all(cs)?),
        Condition::Or(cs) => Filter::Or(all(cs)?),
        Condition::Not(inner) => Filter::Not(Box::new(condition(object, inner, today)?)),
        Condition::Compare { field, op, value } => {
            let path = resolve(object, field)?;
            let kind = kind(path.leaf);
            let val = literal(path.leaf, value, today)?;
            let ordering = !matches!(op, CompareOp::Eq | CompareOp::Ne);
            if ordering && kind == Kind::Bool {
                return Err(bad_operator(path.leaf));
            }
            Filter::Cmp(path, *op, val)
        }
        Condition::In {
            field,
            negated,
            values,
        } => {
            let path = resolve(object, field)?;
            let vals = values
                .iter()
                .map(|v| literal(path.leaf, v, today))
                .collect::<Result<Vec<_>, _>>()?;
            Filter::In(path, *negated, vals)
        }
        Condition::Like { field, pattern } => {
            let path = resolve(object, field)?;
            if kind(path.leaf) != Kind::Str {
                return Err(bad_operator(path.leaf));
            }
            Filter::Like(path, pattern.clone())
        }
    })
}

fn bad_operator(field: &FieldDef) -> SandboxError {
    SandboxError::new(
        400,
        "INVALID_QUERY_FILTER_OPERATOR",
        format!("invalid operator on field of this type: {}", field.name),
    )
}

/// Checks a literal against the field's type, as Salesforce does before running anything.
fn literal(field: &FieldDef, lit: &Literal, today: NaiveDate) -> Result<Val, SandboxError> {
    let kind = kind(field);
    let mismatch = |type_name: &str, quoted: bool| {
        let quotes = if quoted {
            "should be enclosed in quotes"
        } else {
            "should not be enclosed in quotes"
        };
        SandboxError::invalid_field(format!(
            "value of filter criterion for field '{}' must be of type {type_name} and {quotes}",
            field.name
        ))
    };
    match (kind, lit) {
        (_, Literal::Null) => Ok(Val::Null),
        (Kind::Str, Literal::String(s)) => Ok(Val::Str(s.clone())),
        (Kind::Str, _) => Err(mismatch("string", true)),
        (Kind::Id, Literal::String(s)) => ids::normalize(s).map(Val::Id).ok_or_else(|| {
            SandboxError::new(
                400,
                "INVALID_QUERY_FILTER_OPERATOR",
                format!("invalid ID field: {s}"),
            )
        }),
        (Kind::Id, _) => Err(mismatch("id", true)),
        (Kind::Num, Literal::Number(n)) => n
            .parse::<f64>()
            .map(Val::Num)
            .map_err(|_| SandboxError::malformed_query(format!("invalid number: {n}"))),
        (Kind::Num, _) => Err(mismatch("double", false)),
        (Kind::Bool, Literal::Boolean(b)) => Ok(Val::Bool(*b)),
        (Kind::Bool, _) => Err(mismatch("boolean", false)),
        (Kind::Date, Literal::Date(d)) => Ok(Val::Date(*d)),
        (Kind::DateTime, Literal::DateTime(d)) => Ok(Val::DateTime(*d)),
        (Kind::Date | Kind::DateTime, Literal::Relative(r)) => {
            let (first, last) = r.range(today);
            Ok(Val::Range(first, last))
        }
        (Kind::Date, _) => Err(mismatch("date", false)),
        (Kind::DateTime, _) => Err(mismatch("dateTime", false)),
    }
}
