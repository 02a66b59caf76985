//! Decoding Stripe's error body `{"error": {"type", "code", "decline_code", "message", "param",
//! "payment_intent"}}`, whatever shape the body actually has.

use super::StripeError;
use crate::PaymentIntent;
use dewy_connector::body_excerpt;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Body {
    error: Option<Detail>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Detail {
    #[serde(rename = "type")]
    error_type: Option<String>,
    code: Option<String>,
    decline_code: Option<String>,
    message: Option<String>,
    param: Option<String>,
    payment_intent: Option<serde_json::Value>,
}

/// The error for a non-success response.
pub(crate) fn api_error(status: u16, body: &[u8]) -> StripeError {
    let detail = serde_json::from_slice::<Body>(body)
        .ok()
        .and_then(|b| b.error)
        .unwrap_or_default();
    let message = detail.message.clone().unwrap_or_else(|| body_excerpt(body));
    // A PaymentIntent that does not decode is left out rather than failing the whole error.
    let payment_intent = detail
        .payment_intent
        .and_then(|v| serde_json::from_value::<PaymentIntent>(v).ok())
        .map(Box::new);
    let error_type = detail.error_type.as_deref().unwrap_or_default();
    if detail.code.as_deref() == Some("idempotency_key_in_use") {
        return StripeError::IdempotencyKeyInUse { message };
    }
    if error_type == "idempotency_error" {
        return StripeError::IdempotencyConflict { message };
    }
    if status == 402 || error_type == "card_error" {
        return StripeError::Card {
            code: detail.code.unwrap_or_else(|| "card_declined".to_owned()),
            decline_code: detail.decline_code,
            message,
            payment_intent,
        };
    }
    match status {
        401 | 403 => StripeError::Authentication { status, message },
        429 => StripeError::RateLimited { message },
        400 | 404 => StripeError::InvalidRequest {
            status,
            code: detail.code,
            message,
            param: detail.param,
            payment_intent,
        },
        _ => StripeError::Api { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decline carries its codes and the PaymentIntent Stripe put in the error.
    #[test]
    fn card_errors_carry_the_payment_intent() {
        let body = br#"{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline",
            "message":"Your card was declined.","payment_intent":{"id":"pi_1","status":"requires_payment_method",
            "amount":5000,"currency":"usd","metadata":{},"some_new_field":{"x":1}}}}"#;
        let error = api_error(402, body);
        assert_eq!(error.decline_code(), Some("generic_decline"));
        let pi = error.payment_intent().expect("the PaymentIntent");
        assert_eq!((pi.id.as_str(), pi.amount), ("pi_1", 5000));
    }

    /// Each Stripe error type and status maps to its variant.
    #[test]
    fn types_and_statuses_map_to_variants() {
        let invalid = api_error(
            400,
            br#"{"error":{"type":"invalid_request_error","code":"amount_too_small","param":"amount","message":"Amount must be at least $0.50 usd"}}"#,
        );
        assert!(matches!(
            &invalid,
            StripeError::InvalidRequest { code: Some(c), param: Some(p), .. } if c == "amount_too_small" && p == "amount"
        ));
        let conflict = api_error(400, br#"{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters"}}"#);
        assert!(matches!(conflict, StripeError::IdempotencyConflict { .. }));
        let in_use = api_error(409, br#"{"error":{"type":"invalid_request_error","code":"idempotency_key_in_use","message":"in use"}}"#);
        assert!(matches!(in_use, StripeError::IdempotencyKeyInUse { .. }));
        let auth = api_error(401, br#"{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****abcd"}}"#);
        assert_eq!(auth.status(), Some(401));
        assert!(matches!(api_error(429, b"{}"), StripeError::RateLimited { .. }));
        let missing = api_error(404, br#"{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such payment_intent: 'pi_x'"}}"#);
        assert!(missing.is_not_found());
    }

    /// Bodies of other shapes never fail decoding: the status decides, the message is an excerpt.
    #[test]
    fn odd_bodies_are_tolerated() {
        let gateway = api_error(502, b"<html>Bad Gateway</html>");
        assert_eq!(
            gateway,
            StripeError::Api {
                status: 502,
                message: "<html>Bad Gateway</html>".into()
            }
        );
        assert!(gateway.is_retryable());
        assert!(matches!(api_error(500, b""), StripeError::Api { message, .. } if message == "(empty body)"));
        assert!(matches!(
            api_error(400, b"[1,2]"),
            StripeError::InvalidRequest { code: None, .. }
        ));
        assert_eq!(body_excerpt("é".repeat(500).as_bytes()).chars().count(), 201);
    }
}
