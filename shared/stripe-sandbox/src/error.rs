//! Stripe's error shape: an HTTP status plus
//! `{"error": {"type", "code", "decline_code", "message", "param", "payment_intent", ...}}`.

use serde_json::{Map, Value, json};

/// Stripe's error `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    /// `api_error`: Stripe's own fault (500).
    Api,
    /// `card_error`: the card was declined or could not be charged (402).
    Card,
    /// `idempotency_error`: an `Idempotency-Key` reused with other parameters, or still in use.
    Idempotency,
    /// `invalid_request_error`: bad parameters, a missing resource, a wrong state, a bad key.
    InvalidRequest,
}

impl ErrorType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Api => "api_error",
            ErrorType::Card => "card_error",
            ErrorType::Idempotency => "idempotency_error",
            ErrorType::InvalidRequest => "invalid_request_error",
        }
    }
}

/// An error as the sandbox's Stripe API answers it. The HTTP body is [`SandboxError::body`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{status} {}: {message}", error_type.as_str())]
pub struct SandboxError {
    /// The HTTP status.
    pub status: u16,
    /// Stripe's error `type`.
    pub error_type: ErrorType,
    /// Stripe's error `code` (`amount_too_small`, `card_declined`, `resource_missing`, ...).
    pub code: Option<&'static str>,
    /// For card errors, the issuer's reason (`generic_decline`, `insufficient_funds`, ...).
    pub decline_code: Option<&'static str>,
    /// The human-readable message.
    pub message: String,
    /// The parameter the error is about.
    pub param: Option<String>,
    /// The PaymentIntent the error concerns, rendered as the API renders it (Stripe includes it in
    /// card errors and unexpected-state errors so that clients need not fetch it). Boxed: errors
    /// travel in `Result`s, which should stay small.
    pub payment_intent: Option<Box<Value>>,
    /// The charge a card error created.
    pub charge: Option<String>,
}

impl SandboxError {
    /// An error with a status, type and message.
    pub(crate) fn new(status: u16, error_type: ErrorType, message: impl Into<String>) -> Self {
        Self {
            status,
            error_type,
            code: None,
            decline_code: None,
            message: message.into(),
            param: None,
            payment_intent: None,
            charge: None,
        }
    }

    /// A 400 `invalid_request_error` with a code.
    pub(crate) fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(400, ErrorType::InvalidRequest, message).code(code)
    }

    /// The same error with a `code`.
    pub(crate) fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// The same error naming the parameter it is about.
    pub(crate) fn param(mut self, param: &str) -> Self {
        self.param = Some(param.to_owned());
        self
    }

    /// The same error carrying the PaymentIntent it concerns.
    pub(crate) fn with_payment_intent(mut self, payment_intent: Value) -> Self {
        self.payment_intent = Some(Box::new(payment_intent));
        self
    }

    /// `parameter_missing`.
    pub(crate) fn missing_param(name: &str) -> Self {
        Self::invalid("parameter_missing", format!("Missing required param: {name}.")).param(name)
    }

    /// `parameter_unknown`: Stripe refuses parameters it does not know instead of ignoring them.
    pub(crate) fn unknown_param(name: &str) -> Self {
        Self::invalid("parameter_unknown", format!("Received unknown parameter: {name}")).param(name)
    }

    /// `parameter_invalid_integer`.
    pub(crate) fn invalid_integer(name: &str, value: &str) -> Self {
        Self::invalid("parameter_invalid_integer", format!("Invalid integer: {value}")).param(name)
    }

    /// A value of the wrong shape or outside the allowed set.
    pub(crate) fn invalid_value(name: &str, message: impl Into<String>) -> Self {
        Self::new(400, ErrorType::InvalidRequest, message).param(name)
    }

    /// `resource_missing` for an id given as a parameter (400) or in the path (404).
    pub(crate) fn no_such(status: u16, kind: &str, id: &str, param: &str) -> Self {
        Self::new(
            status,
            ErrorType::InvalidRequest,
            format!("No such {kind}: '{id}'"),
        )
        .code("resource_missing")
        .param(param)
    }

    /// A URL the API does not serve.
    pub(crate) fn unrecognized_url(method: &str, path: &str) -> Self {
        Self::new(
            404,
            ErrorType::InvalidRequest,
            format!(
                "Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or \
                 we can help at https://support.stripe.com/."
            ),
        )
    }

    /// 401: no key, or not the sandbox's key.
    pub(crate) fn authentication(message: impl Into<String>) -> Self {
        Self::new(401, ErrorType::InvalidRequest, message)
    }

    /// A 402 card error.
    pub(crate) fn card(code: &'static str, decline_code: Option<&'static str>, message: &str) -> Self {
        let mut error = Self::new(402, ErrorType::Card, message).code(code);
        error.decline_code = decline_code;
        error
    }

    /// `payment_intent_unexpected_state`.
    pub(crate) fn unexpected_state(message: impl Into<String>) -> Self {
        Self::invalid("payment_intent_unexpected_state", message)
    }

    /// An injected 500, as Stripe answers an internal failure.
    pub(crate) fn internal() -> Self {
        Self::new(
            500,
            ErrorType::Api,
            "An unknown error occurred. Please try again later or contact support.",
        )
    }

    /// An injected 429.
    pub(crate) fn rate_limited() -> Self {
        Self::new(
            429,
            ErrorType::InvalidRequest,
            "Too many requests hit the API too quickly. We recommend an exponential backoff of your \
             requests.",
        )
        .code("rate_limit")
    }

    /// Whether the error comes from checking the request, before the endpoint started its work.
    ///
    /// Stripe saves no idempotent result for those ("if incoming parameters failed validation ...
    /// no idempotent result is saved because no API endpoint began execution"), so a corrected
    /// retry with the same key is processed afresh.
    pub(crate) fn is_validation(&self) -> bool {
        self.error_type == ErrorType::InvalidRequest
            && matches!(
                self.code,
                None | Some(
                    "parameter_missing"
                        | "parameter_unknown"
                        | "parameter_invalid_integer"
                        | "amount_too_small"
                        | "amount_too_large"
                        | "resource_missing"
                )
            )
    }

    /// The JSON body Stripe sends for this error.
    pub fn body(&self) -> Value {
        let mut error = Map::new();
        error.insert("type".into(), json!(self.error_type.as_str()));
        error.insert("message".into(), json!(self.message));
        if let Some(code) = &self.code {
            error.insert("code".into(), json!(code));
            error.insert(
                "doc_url".into(),
                json!(format!(
                    "https://stripe.com/docs/error-codes/{}",
                    code.replace('_', "-")
                )),
            );
        }
        if let Some(decline_code) = &self.decline_code {
            error.insert("decline_code".into(), json!(decline_code));
        }
        if let Some(param) = &self.param {
            error.insert("param".into(), json!(param));
        }
        if let Some(charge) = &self.charge {
            error.insert("charge".into(), json!(charge));
        }
        if let Some(payment_intent) = &self.payment_intent {
            error.insert("payment_intent".into(), Value::clone(payment_intent));
        }
        json!({ "error": error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_have_stripes_shape() {
        let error = SandboxError::card(
            "card_declined",
            Some("generic_decline"),
            "Your card was declined.",
        )
        .with_payment_intent(json!({"id": "pi_1"}));
        let body = error.body();
        assert_eq!(body["error"]["type"], "card_error");
        assert_eq!(body["error"]["decline_code"], "generic_decline");
        assert_eq!(body["error"]["payment_intent"]["id"], "pi_1");
        assert_eq!(
            body["error"]["doc_url"],
            "https://stripe.com/docs/error-codes/card-declined"
        );
        assert!(!error.is_validation());
        let missing = SandboxError::missing_param("currency");
        assert_eq!(missing.body()["error"]["param"], "currency");
        assert!(missing.is_validation());
        assert!(!SandboxError::unexpected_state("already succeeded").is_validation());
    }
}
