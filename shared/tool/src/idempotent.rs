//! The idempotency layer around every side-effecting tool call: Powertools' rules, as
//! docs/idempotency.md describes them.
//!
//! [`run`] is called by the shared invoke path, never by a tool, so a tool added later is covered
//! without writing anything. For one call:
//! 1. the key names the operation ([`operation_key`], from the write's [`KeyFrom`]) and the whole
//!    input, defaults resolved, is the payload;
//! 2. `begin` takes the INPROGRESS lock until the invocation's deadline (a killed invocation frees
//!    the key when it could no longer be running), or answers with a replay, `409
//!    IDEMPOTENCY_IN_PROGRESS` (retry shortly) or `422 IDEMPOTENCY_KEY_REUSED`;
//! 3. a success is stored with its HTTP status for the key's replay window ([`KeyFrom::replay_window`]: an hour for a
//!    client's token, minutes for a key derived from content) and replayed to repeats; a failure
//!    deletes the record so that a retry runs the tool again, except a failure that settles the
//!    operation for good ([`ErrorCode::is_final`], a refunded checkout), which is stored and
//!    replayed like a success.

use crate::answer::Answer;
use crate::caller::Caller;
use crate::context::Context;
use crate::spec::KeyFrom;
use dewy_domain::{ErrorBody, ErrorCode, ToolError};
use dewy_idempotency::{Begin, IdempotencyError, IdempotencyKey, StoredResponse, payload_hash};
use serde_json::{Map, Value, json};
use std::future::Future;
use std::time::SystemTime;

/// The record key of one operation of the tool `tool`, keyed as `key_from` says, from its resolved
/// input `payload`.
pub fn operation_key(tool: &str, key_from: KeyFrom, caller: &Caller, payload: &Value) -> IdempotencyKey {
    let material = match key_from {
        KeyFrom::Token(field) => match payload.get(field) {
            Some(token) if !token.is_null() => json!({ "caller": caller.subject, "token": token }),
            _ => payload.clone(),
        },
        KeyFrom::Fields(fields) => {
            let picked: Map<String, Value> = fields
                .iter()
                .map(|f| ((*f).to_owned(), payload.get(*f).cloned().unwrap_or(Value::Null)))
                .collect();
            Value::Object(picked)
        }
        KeyFrom::Input => payload.clone(),
    };
    IdempotencyKey::new(tool, &material)
}

/// Runs `execute` at most once per operation: see the module docs.
pub(crate) async fn run<F, Fut>(
    ctx: &Context,
    key_from: KeyFrom,
    key: &IdempotencyKey,
    payload: &Value,
    execute: F,
) -> Answer
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Answer>,
{
    let store = ctx.idempotency_store();
    let id = key.as_str();
    let now = SystemTime::now();
    let in_progress_expiry = now + ctx.deadline().remaining();
    let hash = payload_hash(payload);
    let window = key_from.replay_window();
    match store.begin(id, &hash, in_progress_expiry, now + window).await {
        Ok(Begin::Started) => {}
        Ok(Begin::Replay(stored)) => {
            return Answer {
                replayed: true,
                ..replay(stored)
            };
        }
        Err(error) => {
            // Refused before running: the same operation is running, or its key was used for
            // another payload (or the store could not say).
            let refused = refusal(&error);
            ctx.audit().refused("idempotency", None, &refused);
            return Answer::error(refused);
        }
    }
    let answer = execute().await;
    let settled = match &answer.result {
        Ok(body) => Some(StoredResponse {
            status: answer.success_status,
            body: body.clone(),
        }),
        Err(error) if error.code.is_final() => Some(StoredResponse {
            status: error.http_status(),
            body: serde_json::to_value(error.body()).unwrap_or(Value::Null),
        }),
        Err(_) => None,
    };
    match settled {
        Some(stored) => {
            // The work is done: if the record cannot be saved, the caller still gets the result.
            // Until the lock's expiry a repeat gets 409, then it runs again, which the tools'
            // own repeat handling (e.g. `already_checked_in`) makes harmless.
            if let Err(error) = store.complete(id, &stored, SystemTime::now() + window).await {
                tracing::error!(key = id, %error, "idempotency record not saved after success");
            }
        }
        None => {
            // Never replay a transient failure: delete the lock so a retry runs the tool again. If the delete
            // fails, the lock still lapses at the invocation's deadline.
            if let Err(error) = store.abandon(id).await {
                tracing::error!(key = id, %error, "idempotency lock not released after failure");
            }
        }
    }
    answer
}

/// A stored response as the answer it was: a success with its status, or a final error with its
/// details.
fn replay(stored: StoredResponse) -> Answer {
    if (200..300).contains(&stored.status) {
        return Answer::success(stored.status, stored.body);
    }
    let Some(body) = serde_json::from_value::<ErrorBody>(stored.body).ok() else {
        return Answer::error(ToolError::internal());
    };
    let code = ErrorCode::from_wire(&body.error_code).unwrap_or(ErrorCode::InternalError);
    let error = ToolError::new(code, body.error_message);
    Answer::error(if body.details.is_null() {
        error
    } else {
        error.with_details(body.details)
    })
}

/// The answer when the store refuses to start the call.
fn refusal(error: &IdempotencyError) -> ToolError {
    let (code, message) = match error {
        IdempotencyError::InProgress => (
            ErrorCode::IdempotencyInProgress,
            "The same request is still being processed. Retry in a moment to get its result.",
        ),
        IdempotencyError::KeyReused => (
            ErrorCode::IdempotencyKeyReused,
            "This operation was already requested with different details. Resend the original \
             request to get its result, or use a new idempotency token for a new operation.",
        ),
        IdempotencyError::Store(why) => {
            tracing::error!(backend = "idempotency_store", error = %why, "idempotency store failed");
            (
                ErrorCode::ServiceUnavailable,
                "The request could not be recorded safely, so it was not carried out. Try again shortly.",
            )
        }
    };
    let mut details = json!({ "retryable": code.is_retryable() });
    if matches!(error, IdempotencyError::Store(_)) {
        details["backend"] = json!("idempotency_store");
    }
    ToolError::new(code, message).with_details(details)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn caller(sub: &str) -> Caller {
        Caller::from_claims(sub, None, ["staff"])
    }

    #[test]
    fn fields_keys_ignore_the_caller_and_the_other_fields() {
        let spec = KeyFrom::Fields(&["guest", "date"]);
        let a = operation_key(
            "demo",
            spec,
            &caller("a"),
            &json!({"guest": "g", "date": "d", "note": 1}),
        );
        let b = operation_key(
            "demo",
            spec,
            &caller("b"),
            &json!({"guest": "g", "date": "d", "note": 2}),
        );
        let c = operation_key("demo", spec, &caller("a"), &json!({"guest": "g", "date": "e"}));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn token_keys_are_scoped_to_the_caller_and_fall_back_to_the_input() {
        let spec = KeyFrom::Token("idempotency_token");
        let token = json!({"idempotency_token": "t-1", "amount": 5});
        let same_token = json!({"idempotency_token": "t-1", "amount": 6});
        assert_eq!(
            operation_key("demo", spec, &caller("a"), &token),
            operation_key("demo", spec, &caller("a"), &same_token)
        );
        assert_ne!(
            operation_key("demo", spec, &caller("a"), &token),
            operation_key("demo", spec, &caller("b"), &token)
        );
        let untokened = json!({"amount": 5});
        assert_ne!(
            operation_key("demo", spec, &caller("a"), &untokened),
            operation_key("demo", spec, &caller("a"), &json!({"amount": 6}))
        );
    }

    #[test]
    fn refusals_carry_the_codes_and_say_whether_to_retry() {
        let busy = refusal(&IdempotencyError::InProgress);
        assert_eq!(
            (busy.code, busy.http_status()),
            (ErrorCode::IdempotencyInProgress, 409)
        );
        assert_eq!(busy.details.unwrap()["retryable"], true);
        let reused = refusal(&IdempotencyError::KeyReused);
        assert_eq!(
            (reused.code, reused.http_status()),
            (ErrorCode::IdempotencyKeyReused, 422)
        );
        assert_eq!(reused.details.unwrap()["retryable"], false);
        let store = refusal(&IdempotencyError::Store("throttled".into()));
        assert_eq!(store.http_status(), 503);
        assert!(!store.message.contains("throttled"), "internals stay in the log");
    }

    #[test]
    fn a_stored_answer_replays_as_it_was() {
        let body =
            serde_json::to_value(ToolError::new(ErrorCode::RoomNotVacant, "busy").body()).unwrap_or_default();
        let replayed = replay(StoredResponse { status: 409, body });
        assert_eq!(replayed.result.unwrap_err().code, ErrorCode::RoomNotVacant);
        let created = replay(StoredResponse {
            status: 201,
            body: json!({"ok": true}),
        });
        assert_eq!(
            (created.http_status(), created.result.unwrap_or_default()),
            (201, json!({"ok": true})),
            "a success keeps its status"
        );
    }
}
