//! Decoding Twilio's error bodies: `{"code", "message", "more_info", "status"}`, or anything else a
//! proxy or load balancer may put in front of it.

use super::TwilioError;
use dewy_connector::body_excerpt;
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<u32>,
    #[serde(default)]
    message: Option<String>,
}

/// The error for a non-success answer. `retry_after` is the answer's `Retry-After`, if any.
pub(crate) fn api_error(status: u16, body: &[u8], retry_after: Option<Duration>) -> TwilioError {
    let decoded = serde_json::from_slice::<ErrorBody>(body).ok();
    let code = decoded.as_ref().and_then(|b| b.code);
    let message = decoded
        .and_then(|b| b.message)
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| body_excerpt(body));
    match status {
        401 => TwilioError::Authentication { code, message },
        404 => TwilioError::NotFound { code, message },
        429 => TwilioError::RateLimited {
            code,
            message,
            retry_after,
        },
        400..=499 => TwilioError::InvalidRequest {
            status,
            code,
            message,
        },
        _ => TwilioError::Api {
            status,
            code,
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_error_bodies_map_by_status() {
        let body = br#"{"code": 21211, "message": "The 'To' number +1555 is not a valid phone number.",
            "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#;
        let error = api_error(400, body, None);
        assert_eq!((error.status(), error.code()), (Some(400), Some(21211)));
        assert!(error.to_string().contains("is not a valid phone number"));
        let auth = api_error(
            401,
            br#"{"code": 20003, "message": "Authenticate", "status": 401}"#,
            None,
        );
        assert!(matches!(
            auth,
            TwilioError::Authentication {
                code: Some(20003),
                ..
            }
        ));
        let wait = Some(Duration::from_secs(2));
        let limited = api_error(429, br#"{"code": 20429, "message": "Too Many Requests"}"#, wait);
        assert_eq!(limited.retry_after(), wait);
        assert!(matches!(
            api_error(404, b"{}", None),
            TwilioError::NotFound { code: None, .. }
        ));
    }

    #[test]
    fn odd_bodies_are_tolerated() {
        let error = api_error(502, b"<html>Bad Gateway</html>", None);
        assert_eq!(
            error,
            TwilioError::Api {
                status: 502,
                code: None,
                message: "<html>Bad Gateway</html>".into()
            }
        );
        assert!(error.is_retryable());
        assert!(api_error(500, b"", None).to_string().contains("(empty body)"));
        assert_eq!(body_excerpt("é".repeat(500).as_bytes()).chars().count(), 201);
    }
}
