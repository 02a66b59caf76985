//! Decoding Salesforce's error bodies, whatever their shape.

use super::{ApiError, SalesforceError, UNEXPECTED_RESPONSE};
use dewy_connector::body_excerpt;
use serde::Deserialize;

/// Decodes an error body, whatever its shape: Salesforce's array, a single error object, the array of
/// URLs of a 300 (an external id matching several records), or anything else as an excerpt.
pub(crate) fn decode_errors(body: &[u8]) -> Vec<ApiError> {
    use serde_json::Value;
    // Shapes are matched on a parsed Value: serde's derive would also accept an array for a struct.
    let error = |value: &Value| ApiError::deserialize(value).ok().filter(ApiError::is_meaningful);
    let decoded = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => {
            let urls: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            Some(vec![ApiError {
                message: format!("several records match: {}", urls.join(", ")),
                error_code: "MULTIPLE_CHOICES".into(),
                fields: Vec::new(),
            }])
        }
        Ok(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_object) => {
            items.iter().map(error).collect::<Option<Vec<_>>>()
        }
        Ok(object @ Value::Object(_)) => error(&object).map(|e| vec![e]),
        _ => None,
    };
    decoded.unwrap_or_else(|| {
        vec![ApiError {
            message: body_excerpt(body),
            error_code: UNEXPECTED_RESPONSE.into(),
            fields: Vec::new(),
        }]
    })
}

/// The error for a non-success response.
pub(crate) fn api_error(status: u16, body: &[u8]) -> SalesforceError {
    SalesforceError::Api {
        status,
        errors: decode_errors(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Salesforce's array body is decoded field by field.
    #[test]
    fn salesforce_error_arrays_are_decoded() {
        let body =
            br#"[{"message":"No such column 'Nope__c'","errorCode":"INVALID_FIELD","fields":["Nope__c"]}]"#;
        let error = api_error(400, body);
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.error_code(), Some("INVALID_FIELD"));
        assert!(
            error
                .to_string()
                .contains("INVALID_FIELD: No such column 'Nope__c' (fields: Nope__c)")
        );
        assert!(!error.is_retry_safe());
    }

    /// Bodies of other shapes never fail decoding: they become one UNEXPECTED_RESPONSE error.
    #[test]
    fn odd_bodies_are_tolerated() {
        for body in [
            &b"<html>Bad Gateway</html>"[..],
            b"",
            b"{}",
            b"[]",
            b"null",
            b"\xff\xfe",
        ] {
            let error = api_error(502, body);
            assert_eq!(error.error_code(), Some(UNEXPECTED_RESPONSE), "body {body:?}");
            assert!(error.is_retry_safe());
        }
        let single = api_error(404, br#"{"errorCode":"NOT_FOUND","message":"gone"}"#);
        assert!(single.is_not_found());
        let urls = api_error(
            300,
            br#"["/services/data/v62.0/sobjects/Contact/003A","/x/003B"]"#,
        );
        assert_eq!(urls.error_code(), Some("MULTIPLE_CHOICES"));
        let long = body_excerpt("é".repeat(500).as_bytes());
        assert_eq!(long.chars().count(), 201);
    }
}
