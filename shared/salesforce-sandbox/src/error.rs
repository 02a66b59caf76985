//! Salesforce's error shape: an HTTP status plus `[{"message","errorCode","fields"}]`.

use serde_json::{Value, json};

/// An error as the sandbox's Salesforce API would answer it.
///
/// `status` is the HTTP status, `error_code` Salesforce's `errorCode` (`INVALID_FIELD`,
/// `MALFORMED_QUERY`, ...). The HTTP body is [`SandboxError::body`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {error_code}: {message}")]
pub struct SandboxError {
    /// HTTP status code.
    pub status: u16,
    /// Salesforce's `errorCode`.
    pub error_code: String,
    /// Salesforce's `message`.
    pub message: String,
    /// The fields the error is about (Salesforce's `fields`); empty when not relevant.
    pub fields: Vec<String>,
    /// For a 300 upsert conflict: the URLs of the matching records, which are the whole body.
    pub(crate) choices: Vec<String>,
}

impl SandboxError {
    /// An error with a status, code and message.
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            error_code: code.to_owned(),
            message: message.into(),
            fields: Vec::new(),
            choices: Vec::new(),
        }
    }

    /// The same error naming the fields it is about.
    pub(crate) fn with_fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// The JSON body Salesforce sends for this error.
    pub fn body(&self) -> Value {
        if !self.choices.is_empty() {
            // Salesforce's 300 Multiple Choices body is the list of matching record URLs.
            return json!(self.choices);
        }
        let mut item = serde_json::Map::new();
        item.insert("message".into(), json!(self.message));
        item.insert("errorCode".into(), json!(self.error_code));
        if !self.fields.is_empty() {
            item.insert("fields".into(), json!(self.fields));
        }
        Value::Array(vec![Value::Object(item)])
    }

    /// 404 NOT_FOUND "The requested resource does not exist".
    pub(crate) fn not_found() -> Self {
        Self::new(404, "NOT_FOUND", "The requested resource does not exist")
    }

    /// 400 JSON_PARSER_ERROR.
    pub(crate) fn json_parser(message: impl Into<String>) -> Self {
        Self::new(400, "JSON_PARSER_ERROR", message)
    }

    /// 400 MALFORMED_QUERY.
    pub(crate) fn malformed_query(message: impl Into<String>) -> Self {
        Self::new(400, "MALFORMED_QUERY", message)
    }

    /// 400 INVALID_FIELD.
    pub(crate) fn invalid_field(message: impl Into<String>) -> Self {
        Self::new(400, "INVALID_FIELD", message)
    }

    /// 400 MALFORMED_ID.
    pub(crate) fn malformed_id(message: impl Into<String>) -> Self {
        Self::new(400, "MALFORMED_ID", message)
    }

    /// 300 MULTIPLE_CHOICES: an upsert's external id matched several records.
    pub(crate) fn multiple_choices(urls: Vec<String>) -> Self {
        let mut e = Self::new(
            300,
            "MULTIPLE_CHOICES",
            format!("The external ID provided matches {} records", urls.len()),
        );
        e.choices = urls;
        e
    }

    /// 401 INVALID_SESSION_ID.
    pub(crate) fn invalid_session() -> Self {
        Self::new(401, "INVALID_SESSION_ID", "Session expired or invalid")
    }

    /// 405 METHOD_NOT_ALLOWED, naming the methods the resource allows.
    pub(crate) fn method_not_allowed(method: &str, allowed: &str) -> Self {
        Self::new(
            405,
            "METHOD_NOT_ALLOWED",
            format!("HTTP Method '{method}' not allowed. Allowed are {allowed}"),
        )
    }

    /// 400 PROCESSING_HALTED for a composite subrequest.
    pub(crate) fn processing_halted(message: impl Into<String>) -> Self {
        Self::new(400, "PROCESSING_HALTED", message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_fields_only_when_relevant() {
        let e = SandboxError::new(400, "INVALID_FIELD", "bad");
        assert_eq!(
            e.body(),
            json!([{"message": "bad", "errorCode": "INVALID_FIELD"}])
        );
        let e = e.with_fields(["Status__c"]);
        assert_eq!(
            e.body(),
            json!([{"message": "bad", "errorCode": "INVALID_FIELD", "fields": ["Status__c"]}])
        );
    }

    #[test]
    fn multiple_choices_body_is_the_url_list() {
        let e = SandboxError::multiple_choices(vec!["/a".into(), "/b".into()]);
        assert_eq!(e.status, 300);
        assert_eq!(e.body(), json!(["/a", "/b"]));
    }
}
