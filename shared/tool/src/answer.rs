//! A tool's answer: what the handler (or a stored record) produced, as every transport renders it.
//! REST and the Lambda handler answer with [`Answer::http_status`] and [`Answer::body`] (and
//! `Idempotent-Replayed` when [`Answer::replayed`]); MCP turns it into a tool result; the MCP
//! adapter in AWS reads it back from the tool function's HTTP response.

use dewy_domain::ToolError;
use serde_json::Value;

/// The output with the HTTP status of its success, or the error; and whether it replays an earlier
/// identical call.
#[derive(Debug)]
pub struct Answer {
    /// The output, or the error to answer with.
    pub result: Result<Value, ToolError>,
    /// The HTTP status of a success: 200, 201 when a record was created, 202 when a payment waits
    /// on the customer ([`crate::Tool::success_status`]). A replay has the status the first answer
    /// had, kept in the idempotency record.
    pub success_status: u16,
    /// `true` when the result replays an earlier, identical call (nothing ran this time). REST
    /// answers with `Idempotent-Replayed: true`, MCP with `_meta` (Stripe's convention).
    pub replayed: bool,
}

impl Answer {
    /// A success with `status`.
    pub fn success(status: u16, output: Value) -> Answer {
        Answer {
            result: Ok(output),
            success_status: status,
            replayed: false,
        }
    }

    /// An error, answered with its own status.
    pub fn error(error: ToolError) -> Answer {
        Answer {
            result: Err(error),
            success_status: 200,
            replayed: false,
        }
    }

    /// The HTTP status a REST transport answers with.
    pub fn http_status(&self) -> u16 {
        http_status(&self.result, self.success_status)
    }

    /// The JSON body: the output, or `{success:false, error_code, error_message, details}`.
    pub fn body(&self) -> Value {
        body(&self.result)
    }
}

/// The HTTP status of `result`: `success_status`, or the error's.
pub(crate) fn http_status(result: &Result<Value, ToolError>, success_status: u16) -> u16 {
    match result {
        Ok(_) => success_status,
        Err(error) => error.http_status(),
    }
}

/// The JSON body of `result`: the output, or the error body.
pub(crate) fn body(result: &Result<Value, ToolError>) -> Value {
    match result {
        Ok(output) => output.clone(),
        Err(error) => serde_json::to_value(error.body()).unwrap_or(Value::Null),
    }
}
