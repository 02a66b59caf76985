//! Twilio's error answers: `{"code", "message", "more_info", "status"}` with the matching HTTP status.

use serde_json::{Value, json};

/// One error as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// Twilio's error code (documented at `https://www.twilio.com/docs/errors/{code}`).
    pub code: u32,
    /// The message, worded as Twilio words it.
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        json!({
            "code": self.code,
            "message": self.message,
            "more_info": format!("https://www.twilio.com/docs/errors/{}", self.code),
            "status": self.status,
        })
    }

    /// 401 20003: wrong credentials, or a path naming another account.
    pub fn authenticate() -> Self {
        Self::new(401, 20003, "Authenticate")
    }

    /// 404 20404: no such resource.
    pub fn not_found(path: &str) -> Self {
        Self::new(404, 20404, format!("The requested resource {path} was not found"))
    }

    /// 405 20004: the resource exists, the method does not.
    pub fn method_not_allowed() -> Self {
        Self::new(405, 20004, "Method not allowed")
    }

    /// 500 20500, as Twilio answers an internal error.
    pub fn internal() -> Self {
        Self::new(500, 20500, "An internal server error has occurred")
    }

    /// 429 20429.
    pub fn too_many_requests() -> Self {
        Self::new(429, 20429, "Too Many Requests")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_have_twilios_shape() {
        let body = ApiError::new(400, 21211, "The 'To' number +1555 is not a valid phone number.").body();
        assert_eq!(body["code"], 21211);
        assert_eq!(body["status"], 400);
        assert_eq!(body["more_info"], "https://www.twilio.com/docs/errors/21211");
    }
}
