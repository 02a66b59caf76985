//! Decoding HA's error answers. HA's own views answer `{"message": …}`; its HTTP layer (aiohttp)
//! answers plain text such as `401: Unauthorized` or `400: Bad Request`; a proxy in front of it may
//! answer HTML. The status decides the error; the body only supplies the message.

use super::HomeAssistantError;
use dewy_connector::body_excerpt;
use serde::Deserialize;

#[derive(Deserialize)]
struct MessageBody {
    message: String,
}

/// The error for a non-success answer.
pub(crate) fn api_error(status: u16, body: &[u8]) -> HomeAssistantError {
    let message = serde_json::from_slice::<MessageBody>(body)
        .ok()
        .map(|decoded| decoded.message)
        .filter(|message| !message.trim().is_empty())
        .unwrap_or_else(|| body_excerpt(body));
    match status {
        401 => HomeAssistantError::Unauthorized,
        404 => HomeAssistantError::NotFound,
        400 => HomeAssistantError::BadRequest { message },
        429 | 500..=599 => HomeAssistantError::Unavailable {
            status: Some(status),
            message,
        },
        402..=499 => HomeAssistantError::Rejected { status, message },
        _ => HomeAssistantError::Decode(format!("unexpected status {status}: {message}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contracts_error_bodies_map_by_status() {
        assert_eq!(
            api_error(401, b"401: Unauthorized"),
            HomeAssistantError::Unauthorized
        );
        assert_eq!(
            api_error(404, br#"{"message": "Entity not found."}"#),
            HomeAssistantError::NotFound
        );
        assert_eq!(
            api_error(400, br#"{"message": "Service light.blink not found."}"#),
            HomeAssistantError::BadRequest {
                message: "Service light.blink not found.".into()
            }
        );
        let option = br#"{"message": "Option Disco is not valid for entity select.room_105_main_music"}"#;
        assert!(matches!(
            api_error(400, option),
            HomeAssistantError::BadRequest { message } if message.starts_with("Option Disco")
        ));
    }

    #[test]
    fn plain_text_and_proxy_answers_are_tolerated() {
        // Real HA answers a refused service call in aiohttp's words, not JSON.
        assert_eq!(
            api_error(400, b"400: Bad Request"),
            HomeAssistantError::BadRequest {
                message: "400: Bad Request".into()
            }
        );
        assert_eq!(
            api_error(502, b"<html>\r\n<h1>502 Bad Gateway</h1></html>"),
            HomeAssistantError::Unavailable {
                status: Some(502),
                message: "<html>  <h1>502 Bad Gateway</h1></html>".into()
            }
        );
        let banned = api_error(403, b"403: Forbidden");
        assert_eq!(banned.status(), Some(403));
        assert!(!banned.is_retryable());
        assert!(api_error(429, b"").is_retryable());
        assert!(api_error(503, b"").to_string().contains("(empty body)"));
        assert!(matches!(api_error(302, b""), HomeAssistantError::Decode(_)));
    }
}
