//! The payment skills' inputs, parsed at the edge so that nothing Stripe would refuse is sent:
//! Stripe ids by their prefix, amounts in cents within Stripe's limits, a currency code, a refund
//! reason. Each type names the rule it enforces in its error message and its JSON Schema.

use dewy_domain::ToolError;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::marker::PhantomData;

/// The kind of Stripe object an id names, by its prefix.
pub trait StripeObject: Send + Sync + 'static {
    /// The id's prefix, with its underscore: `pi_`.
    const PREFIX: &'static str;
    /// What the id names, for messages: `PaymentIntent`.
    const WHAT: &'static str;
    /// An example id, for messages and schemas.
    const EXAMPLE: &'static str;
    /// The schema's name.
    const SCHEMA: &'static str;
}

/// A PaymentIntent (`pi_...`).
pub struct PaymentIntentObject;
impl StripeObject for PaymentIntentObject {
    const PREFIX: &'static str = "pi_";
    const WHAT: &'static str = "PaymentIntent";
    const EXAMPLE: &'static str = "pi_3MtwBwLkdIwHu7ix28a3tqPa";
    const SCHEMA: &'static str = "PaymentIntentId";
}

/// A customer (`cus_...`).
pub struct CustomerObject;
impl StripeObject for CustomerObject {
    const PREFIX: &'static str = "cus_";
    const WHAT: &'static str = "customer";
    const EXAMPLE: &'static str = "cus_NffrFeUfNV2Hib";
    const SCHEMA: &'static str = "CustomerId";
}

/// A PaymentMethod (`pm_...`; in test mode e.g. `pm_card_visa`).
pub struct PaymentMethodObject;
impl StripeObject for PaymentMethodObject {
    const PREFIX: &'static str = "pm_";
    const WHAT: &'static str = "PaymentMethod";
    const EXAMPLE: &'static str = "pm_card_visa";
    const SCHEMA: &'static str = "PaymentMethodId";
}

/// The id of a Stripe object of kind `O`: its prefix, then letters, digits and underscores (which
/// also keeps it safe in a URL path).
pub struct StripeId<O>(String, PhantomData<O>);

/// A PaymentIntent id.
pub type PaymentIntentId = StripeId<PaymentIntentObject>;
/// A customer id.
pub type CustomerId = StripeId<CustomerObject>;
/// A PaymentMethod id.
pub type PaymentMethodId = StripeId<PaymentMethodObject>;

impl<O: StripeObject> StripeId<O> {
    /// Parses `{prefix}` followed by 1 to 200 letters, digits or underscores.
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        let valid = value.strip_prefix(O::PREFIX).is_some_and(|rest| {
            (1..=200).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
        if !valid {
            return Err(ToolError::validation(format!(
                "'{value}' is not a Stripe {} id: it starts with '{}' followed by letters and digits, like {}",
                O::WHAT,
                O::PREFIX,
                O::EXAMPLE
            )));
        }
        Ok(StripeId(value.to_owned(), PhantomData))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<O> std::fmt::Debug for StripeId<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("StripeId").field(&self.0).finish()
    }
}

impl<O> Serialize for StripeId<O> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, O: StripeObject> Deserialize<'de> for StripeId<O> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Cow<'de, str>>::deserialize(deserializer)?;
        StripeId::parse(&raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl<O: StripeObject> JsonSchema for StripeId<O> {
    fn schema_name() -> Cow<'static, str> {
        O::SCHEMA.into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let pattern = format!("^{}[A-Za-z0-9_]{{1,200}}$", O::PREFIX);
        json_schema!({ "type": "string", "pattern": pattern, "examples": [O::EXAMPLE] })
    }
}

/// Stripe's largest amount, in the currency's smallest unit ($999,999.99).
pub const MAX_CENTS: u64 = 99_999_999;

/// An amount in the currency's smallest unit (cents for usd), from `MIN` to [`MAX_CENTS`]. Whole
/// numbers only: `5000` is $50.00, and `50.00` is refused rather than read as 50 cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cents<const MIN: u64>(u64);

/// Stripe's smallest charge in usd, in cents ($0.50).
pub const MIN_CHARGE_CENTS: u64 = 50;

/// A charge: at least [`MIN_CHARGE_CENTS`], Stripe's minimum for usd.
pub type ChargeCents = Cents<MIN_CHARGE_CENTS>;
/// A partial refund: at least one cent.
pub type RefundCents = Cents<1>;

impl<const MIN: u64> Cents<MIN> {
    /// Checks the range.
    pub fn new(amount: i64) -> Result<Self, ToolError> {
        match u64::try_from(amount) {
            Ok(cents) if (MIN..=MAX_CENTS).contains(&cents) => Ok(Cents(cents)),
            _ if amount > 0 && amount.unsigned_abs() > MAX_CENTS => Err(ToolError::validation(format!(
                "amount {amount} is above Stripe's maximum of {MAX_CENTS} cents ($999,999.99)"
            ))),
            _ if MIN == MIN_CHARGE_CENTS => Err(ToolError::validation(format!(
                "amount {amount} is below Stripe's minimum charge of 50 cents ($0.50 for usd); amounts \
                 are in cents, so $50.00 is 5000"
            ))),
            _ => Err(ToolError::validation(format!(
                "amount {amount} must be at least {MIN} cent(s); amounts are in cents, so $50.00 is 5000"
            ))),
        }
    }

    /// The amount in cents.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl<const MIN: u64> Serialize for Cents<MIN> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de, const MIN: u64> Deserialize<'de> for Cents<MIN> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = i64::deserialize(deserializer)?;
        Cents::new(raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl<const MIN: u64> JsonSchema for Cents<MIN> {
    fn schema_name() -> Cow<'static, str> {
        format!("Cents{MIN}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": MIN, "maximum": MAX_CENTS, "examples": [5000] })
    }
}

/// A three-letter ISO 4217 currency code, lower-cased as Stripe writes it (`usd`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency(String);

impl Currency {
    /// Parses three ASCII letters in any case.
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        if value.len() != 3 || !value.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ToolError::validation(format!(
                "'{value}' is not a currency code: use the three-letter ISO code, like usd"
            )));
        }
        Ok(Currency(value.to_ascii_lowercase()))
    }

    /// The lower-case code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Cow<'de, str>>::deserialize(deserializer)?;
        Currency::parse(&raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl JsonSchema for Currency {
    fn schema_name() -> Cow<'static, str> {
        "Currency".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": "^[A-Za-z]{3}$", "examples": ["usd"] })
    }
}

/// Why a refund is made: the three reasons Stripe accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundReason {
    /// The guest was charged twice.
    Duplicate,
    /// The charge was fraudulent.
    Fraudulent,
    /// The guest asked for it (e.g. a failed checkout being compensated).
    RequestedByCustomer,
}

impl From<RefundReason> for dewy_stripe::RefundReason {
    fn from(reason: RefundReason) -> Self {
        match reason {
            RefundReason::Duplicate => dewy_stripe::RefundReason::Duplicate,
            RefundReason::Fraudulent => dewy_stripe::RefundReason::Fraudulent,
            RefundReason::RequestedByCustomer => dewy_stripe::RefundReason::RequestedByCustomer,
        }
    }
}

/// Stripe's limit on a metadata value, in characters.
pub const METADATA_VALUE_MAX: usize = 500;

/// `text` cut to Stripe's metadata limit ([`METADATA_VALUE_MAX`] characters, never inside one).
pub fn metadata_value(text: &str) -> &str {
    match text.char_indices().nth(METADATA_VALUE_MAX) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

/// A URL the customer returns to after 3-D Secure: `https://` (or `http://` for local testing), no
/// spaces, at most 2,048 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ReturnUrl(String);

impl ReturnUrl {
    /// Parses an absolute http(s) URL.
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        let host = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"));
        let valid = host.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
            && value.len() <= 2048
            && value.chars().all(|c| c.is_ascii_graphic());
        if !valid {
            return Err(ToolError::validation(format!(
                "'{value}' is not a return URL: use an absolute https:// URL, like https://dewy.example/checkout/done"
            )));
        }
        Ok(ReturnUrl(value.to_owned()))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ReturnUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Cow<'de, str>>::deserialize(deserializer)?;
        ReturnUrl::parse(&raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl JsonSchema for ReturnUrl {
    fn schema_name() -> Cow<'static, str> {
        "ReturnUrl".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "uri", "maxLength": 2048 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_need_their_prefix_and_safe_characters() {
        assert!(PaymentIntentId::parse("pi_3MtwBwLkdIwHu7ix28a3tqPa").is_ok());
        assert!(PaymentMethodId::parse("pm_card_chargeDeclined").is_ok());
        assert_eq!(CustomerId::parse(" cus_123 ").unwrap().as_str(), "cus_123");
        for bad in ["", "pi_", "cus_123", "pi_1/../refunds", "pi 1", "pi_é", "PI_123"] {
            let error = PaymentIntentId::parse(bad).unwrap_err();
            assert!(error.message.contains("pi_"), "{bad}: {}", error.message);
        }
    }

    #[test]
    fn amounts_are_whole_cents_within_stripes_limits() {
        assert_eq!(ChargeCents::new(50).unwrap().get(), 50);
        assert!(ChargeCents::new(99_999_999).is_ok());
        let small = ChargeCents::new(49).unwrap_err();
        assert!(small.message.contains("50 cents"), "{}", small.message);
        assert!(
            ChargeCents::new(100_000_000)
                .unwrap_err()
                .message
                .contains("maximum")
        );
        assert!(ChargeCents::new(-5).is_err());
        assert_eq!(RefundCents::new(1).unwrap().get(), 1);
        assert!(RefundCents::new(0).is_err());
        assert!(serde_json::from_str::<ChargeCents>("50.5").is_err());
        assert!(serde_json::from_str::<ChargeCents>("\"5000\"").is_err());
    }

    #[test]
    fn currencies_are_three_letters_lower_cased() {
        assert_eq!(Currency::parse("USD").unwrap().as_str(), "usd");
        for bad in ["us", "usdd", "u$d", "", "12a"] {
            assert!(Currency::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn metadata_values_are_cut_to_500_characters() {
        let long = "é".repeat(600);
        assert_eq!(metadata_value(&long).chars().count(), 500);
        assert_eq!(metadata_value("short"), "short");
    }

    #[test]
    fn return_urls_are_absolute_http_urls() {
        assert!(ReturnUrl::parse("https://dewy.example/done").is_ok());
        for bad in [
            "dewy.example",
            "https://",
            "https:///x",
            "javascript:alert(1)",
            "https://a b",
        ] {
            assert!(ReturnUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
