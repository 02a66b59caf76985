//! Reading a decoded form the way Stripe does: unknown parameters are refused, values are checked
//! for shape, and an empty string means "not given".

use std::collections::BTreeMap;

use crate::error::SandboxError;
use crate::form::FormValue;

/// Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500.
const METADATA_MAX_KEYS: usize = 50;
const METADATA_MAX_KEY_LEN: usize = 40;
const METADATA_MAX_VALUE_LEN: usize = 500;

/// The parameters of one request (or one nested hash of it, with `prefix` naming it in errors).
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    prefix: String,
    values: BTreeMap<String, FormValue>,
}

impl Params {
    /// The top-level parameters.
    pub fn new(values: BTreeMap<String, FormValue>) -> Self {
        Self {
            prefix: String::new(),
            values,
        }
    }

    /// The name as Stripe writes it in messages: `automatic_payment_methods[enabled]`.
    fn full_name(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{}[{name}]", self.prefix)
        }
    }

    /// Refuses the first parameter not in `known` (Stripe never silently ignores one).
    pub fn allow(&self, known: &[&str]) -> Result<(), SandboxError> {
        match self.values.keys().find(|k| !known.contains(&k.as_str())) {
            Some(unknown) => Err(SandboxError::unknown_param(&self.full_name(unknown))),
            None => Ok(()),
        }
    }

    /// Whether `name` was sent at all.
    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// A plain value; `None` if absent or empty.
    pub fn text(&self, name: &str) -> Result<Option<String>, SandboxError> {
        match self.values.get(name) {
            None => Ok(None),
            Some(FormValue::Text(s)) if s.is_empty() => Ok(None),
            Some(FormValue::Text(s)) => Ok(Some(s.clone())),
            Some(_) => Err(SandboxError::invalid_value(
                &self.full_name(name),
                format!(
                    "Invalid string: {} must be a string, not a hash or array",
                    self.full_name(name)
                ),
            )),
        }
    }

    /// A plain value that must be present.
    pub fn required_text(&self, name: &str) -> Result<String, SandboxError> {
        self.text(name)?
            .ok_or_else(|| SandboxError::missing_param(&self.full_name(name)))
    }

    /// An integer.
    pub fn integer(&self, name: &str) -> Result<Option<i64>, SandboxError> {
        self.text(name)?
            .map(|s| {
                s.parse::<i64>()
                    .map_err(|_| SandboxError::invalid_integer(&self.full_name(name), &s))
            })
            .transpose()
    }

    /// A list endpoint's `limit`: 1 to 100, 10 when not given (Stripe's bounds).
    pub fn limit(&self) -> Result<usize, SandboxError> {
        const MAX_LIMIT: i64 = 100;
        const DEFAULT_LIMIT: i64 = 10;
        let limit = self.integer("limit")?.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(SandboxError::invalid_value(
                "limit",
                format!(
                    "This value must be greater than or equal to 1 and less than or equal to {MAX_LIMIT}."
                ),
            ));
        }
        Ok(usize::try_from(limit).unwrap_or(1))
    }

    /// A range filter on a timestamp, as list endpoints take `created`: either `created=<t>` (exactly
    /// then) or `created[gt|gte|lt|lte]=<t>`. Answers whether `t` is in the range.
    pub fn timestamp_range(&self, name: &str) -> Result<Option<TimestampRange>, SandboxError> {
        if !self.has(name) {
            return Ok(None);
        }
        if let Ok(Some(exact)) = self.integer(name) {
            return Ok(Some(TimestampRange {
                gte: Some(exact),
                lte: Some(exact),
                ..TimestampRange::default()
            }));
        }
        let Some(bounds) = self.nested(name, &["gt", "gte", "lt", "lte"])? else {
            return Ok(None);
        };
        Ok(Some(TimestampRange {
            gt: bounds.integer("gt")?,
            gte: bounds.integer("gte")?,
            lt: bounds.integer("lt")?,
            lte: bounds.integer("lte")?,
        }))
    }

    /// `true` or `false`.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, SandboxError> {
        match self.text(name)?.as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(SandboxError::invalid_value(
                &self.full_name(name),
                format!("Invalid boolean: {other}"),
            )),
        }
    }

    /// A nested hash (`name[key]=...`) whose own parameters must be in `known`.
    pub fn nested(&self, name: &str, known: &[&str]) -> Result<Option<Params>, SandboxError> {
        match self.values.get(name) {
            None => Ok(None),
            Some(FormValue::Text(s)) if s.is_empty() => Ok(None),
            Some(FormValue::Map(values)) => {
                let nested = Params {
                    prefix: self.full_name(name),
                    values: values.clone(),
                };
                nested.allow(known)?;
                Ok(Some(nested))
            }
            Some(_) => Err(SandboxError::invalid_value(
                &self.full_name(name),
                format!("Invalid hash: {} must be a hash", self.full_name(name)),
            )),
        }
    }

    /// `metadata[key]=value` pairs, within Stripe's limits. `metadata=` (empty) is no metadata.
    pub fn metadata(&self) -> Result<BTreeMap<String, String>, SandboxError> {
        let values = match self.values.get("metadata") {
            None => return Ok(BTreeMap::new()),
            Some(FormValue::Text(s)) if s.is_empty() => return Ok(BTreeMap::new()),
            Some(FormValue::Map(values)) => values,
            Some(_) => return Err(SandboxError::invalid_value("metadata", "Invalid hash")),
        };
        if values.len() > METADATA_MAX_KEYS {
            return Err(SandboxError::invalid_value(
                "metadata",
                format!("Invalid metadata: metadata can have up to {METADATA_MAX_KEYS} keys"),
            ));
        }
        let mut metadata = BTreeMap::new();
        for (key, value) in values {
            let param = format!("metadata[{key}]");
            let FormValue::Text(value) = value else {
                return Err(SandboxError::invalid_value(
                    &param,
                    "Invalid string: metadata values must be strings",
                ));
            };
            if key.chars().count() > METADATA_MAX_KEY_LEN {
                return Err(SandboxError::invalid_value(
                    &param,
                    format!("Metadata keys can have up to {METADATA_MAX_KEY_LEN} characters"),
                ));
            }
            if value.chars().count() > METADATA_MAX_VALUE_LEN {
                return Err(SandboxError::invalid_value(
                    &param,
                    format!("Metadata values can have up to {METADATA_MAX_VALUE_LEN} characters"),
                ));
            }
            metadata.insert(key.clone(), value.clone());
        }
        Ok(metadata)
    }

    /// `expand[]=...`; each must be one of `expandable`.
    pub fn expand(&self, expandable: &[&str]) -> Result<Vec<String>, SandboxError> {
        let Some(value) = self.values.get("expand") else {
            return Ok(Vec::new());
        };
        let items = value
            .items()
            .ok_or_else(|| SandboxError::invalid_value("expand", "Invalid array"))?;
        let mut fields = Vec::new();
        for item in items {
            let FormValue::Text(field) = item else {
                return Err(SandboxError::invalid_value("expand", "Invalid array"));
            };
            if !expandable.contains(&field.as_str()) {
                return Err(SandboxError::invalid_value(
                    "expand",
                    format!("This property cannot be expanded ({field})."),
                ));
            }
            fields.push(field.clone());
        }
        Ok(fields)
    }
}

/// The bounds of a `created` filter.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TimestampRange {
    gt: Option<i64>,
    gte: Option<i64>,
    lt: Option<i64>,
    lte: Option<i64>,
}

impl TimestampRange {
    /// Whether `t` is within every bound given.
    pub fn contains(&self, t: i64) -> bool {
        self.gt.is_none_or(|b| t > b)
            && self.gte.is_none_or(|b| t >= b)
            && self.lt.is_none_or(|b| t < b)
            && self.lte.is_none_or(|b| t <= b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::decode;

    fn params(form: &str) -> Params {
        Params::new(decode(form).unwrap().root)
    }

    #[test]
    fn unknown_parameters_are_named_with_their_prefix() {
        let p = params("amount=1&automatic_payment_methods[enabled]=true&automatic_payment_methods[x]=1");
        assert!(p.allow(&["amount", "automatic_payment_methods"]).is_ok());
        let error = p.nested("automatic_payment_methods", &["enabled"]).unwrap_err();
        assert_eq!(error.code, Some("parameter_unknown"));
        assert_eq!(error.param.as_deref(), Some("automatic_payment_methods[x]"));
        assert_eq!(
            p.allow(&["amount"]).unwrap_err().param.as_deref(),
            Some("automatic_payment_methods")
        );
    }

    #[test]
    fn values_are_checked_for_shape() {
        let p = params("amount=12a&confirm=yes&email=&metadata[k]=v&expand[]=latest_charge");
        assert_eq!(
            p.integer("amount").unwrap_err().code,
            Some("parameter_invalid_integer")
        );
        assert!(p.boolean("confirm").is_err());
        assert_eq!(p.text("email").unwrap(), None);
        assert_eq!(
            p.required_text("currency").unwrap_err().message,
            "Missing required param: currency."
        );
        assert_eq!(p.metadata().unwrap()["k"], "v");
        assert_eq!(p.expand(&["latest_charge"]).unwrap(), ["latest_charge"]);
        assert!(p.expand(&["customer"]).is_err());
        assert!(params("metadata=x").metadata().is_err());
        let long = format!("metadata[k]={}", "x".repeat(501));
        assert!(params(&long).metadata().is_err());
    }
}
