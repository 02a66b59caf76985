//! A person confirms the money an agent moves, through the agent's MCP client
//! (docs/confirmations.md).
//!
//! On protocol 2026-07-28 a `tools/call` may answer "input required" (a multi round-trip request):
//! a question for the client to put to its person, and a `requestState` the client sends back with
//! the answer. For a tool that charges or refunds, the tool function first runs every check and
//! read and, instead of moving the money, describes the move (`428 CONFIRMATION_REQUIRED`); this
//! module turns that into the question, sealed in the state: the move's digest and a nonce, bound
//! to the caller, the tool and the call's arguments, valid for five minutes. The retry with the
//! person's acceptance runs the tool with that digest, and the tool moves the money only if the
//! move is still exactly the one accepted. The state is redeemed once, by a conditional write in
//! the idempotency table, so an acceptance cannot be replayed.

use dewy_domain::{ErrorCode, ToolError};
use dewy_idempotency::{Begin, IdempotencyError, IdempotencyStore, payload_hash};
use dewy_tool::{Caller, Confirmation};
use rmcp::ErrorData;
use rmcp::model::{
    ElicitRequest, ElicitRequestParams, ElicitationSchema, InputRequest, InputRequiredResult, InputResponses,
    RequestStateCodec, RequestStateError, SealOptions,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The key of the one input request: the person's answer to "charge (or refund) this?".
pub const INPUT_KEY: &str = "confirm_money_move";

/// How long a question stays answerable.
pub const STATE_TTL: Duration = Duration::from_secs(5 * 60);

/// The `_meta` key of an input-required result that carries the move itself (amount, card, stay),
/// for a client that shows more than the question's text.
pub const MONEY_MOVE_META_KEY: &str = "dewy-resort/money-move";

/// The prefix of the idempotency-table items that make a state single use.
const REDEEMED_PREFIX: &str = "confirm#";

/// What happens to a money move from a client that cannot ask its person: one on a protocol before
/// 2026-07-28, or one that did not declare the elicitation capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unconfirmable {
    /// Refused with `428 CONFIRMATION_UNAVAILABLE`, whose message says to confirm in the web portal.
    Refuse,
    /// Run, with an audit event saying nobody confirmed it.
    AllowAudited,
}

impl FromStr for Unconfirmable {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim() {
            "refuse" => Ok(Unconfirmable::Refuse),
            "allow-audited" => Ok(Unconfirmable::AllowAudited),
            other => Err(format!("'{other}' is neither 'refuse' nor 'allow-audited'")),
        }
    }
}

/// What the adapter needs to have people confirm money moves.
#[derive(Clone)]
pub struct Confirmations {
    codec: Arc<RequestStateCodec>,
    redeemed: Arc<dyn IdempotencyStore>,
    unconfirmable: Unconfirmable,
}

/// What a sealed state holds: the move the person was asked about, and what makes it single use.
#[derive(Serialize, Deserialize)]
struct Asked {
    digest: String,
    nonce: String,
}

/// A `tools/call` of a money-moving tool, as confirmation sees it.
pub(crate) struct MoneyCall<'a> {
    pub caller: &'a Caller,
    pub tool: &'static str,
    pub arguments: &'a Value,
    pub request_state: Option<&'a str>,
    pub input_responses: Option<&'a InputResponses>,
    /// The client can be asked: protocol 2026-07-28 or later, and elicitation declared.
    pub can_elicit: bool,
}

impl MoneyCall<'_> {
    /// What a state is bound to: the caller, the tool and the call's arguments. A state opened
    /// for anything else fails its integrity check.
    fn binding(&self) -> Vec<u8> {
        format!(
            "{}\n{}\n{}",
            self.caller.subject,
            self.tool,
            payload_hash(self.arguments)
        )
        .into_bytes()
    }
}

/// How a call of a money-moving tool proceeds.
pub(crate) enum Step {
    /// Run the tool, standing so on confirmation.
    Run(Confirmation),
    /// Answer with this error, without running the tool.
    Refuse(ToolError),
}

impl Confirmations {
    /// Confirmations sealed with `key` (at least 32 bytes of secret), redeemed in `redeemed`, and
    /// `unconfirmable` for clients that cannot ask.
    pub fn new(
        key: &[u8],
        redeemed: Arc<dyn IdempotencyStore>,
        unconfirmable: Unconfirmable,
    ) -> Result<Confirmations, String> {
        let codec = RequestStateCodec::try_new(key.to_vec()).map_err(|e| e.to_string())?;
        Ok(Confirmations {
            codec: Arc::new(codec),
            redeemed,
            unconfirmable,
        })
    }

    /// Before running the tool: the first call of a client that can ask runs it to be told what
    /// to ask; a retry with a valid state and the person's answer runs it with their acceptance,
    /// or answers their refusal; a client that cannot ask gets what the deployment chose. A
    /// state that was forged, tampered with, made for another caller, tool or arguments, expired
    /// or already used is a JSON-RPC error, and nothing runs.
    pub(crate) async fn before(&self, call: &MoneyCall<'_>) -> Result<Step, ErrorData> {
        let Some(state) = call.request_state else {
            return Ok(self.first_step(call));
        };
        let asked: Asked = self
            .codec
            .open_json_with(state, &call.binding())
            .map_err(|error| invalid_state(&error))?;
        let Some(answer) = call.input_responses.and_then(|r| r.get(INPUT_KEY)) else {
            // Sent back without the person's answer: ask again.
            return Ok(self.first_step(call));
        };
        self.redeem(&asked).await?;
        match answer.get("action").and_then(Value::as_str) {
            Some("accept") => Ok(Step::Run(Confirmation::Accepted(asked.digest))),
            _ => Ok(Step::Refuse(ToolError::new(
                ErrorCode::ConfirmationDeclined,
                "The person declined: nothing was charged or refunded.",
            ))),
        }
    }

    fn first_step(&self, call: &MoneyCall<'_>) -> Step {
        match (call.can_elicit, self.unconfirmable) {
            (true, _) => Step::Run(Confirmation::Ask),
            (false, Unconfirmable::AllowAudited) => Step::Run(Confirmation::Unconfirmed),
            (false, Unconfirmable::Refuse) => Step::Refuse(ToolError::new(
                ErrorCode::ConfirmationUnavailable,
                "This charge or refund needs a person's confirmation, and this client cannot ask for it \
                 (it needs MCP 2026-07-28 and the elicitation capability). Nothing was charged: ask the \
                 guest to check out in the hotel web portal, or a manager to settle it there.",
            )),
        }
    }

    /// The question for a tool's `428 CONFIRMATION_REQUIRED`: the move, put to the person, and the
    /// state sealed for the retry. `None` for any other answer.
    pub(crate) fn ask(&self, call: &MoneyCall<'_>, error: &ToolError) -> Option<InputRequiredResult> {
        if error.code != ErrorCode::ConfirmationRequired {
            return None;
        }
        let details = error.details.as_ref()?;
        let question = details["question"].as_str()?;
        let asked = Asked {
            digest: details["digest"].as_str()?.to_owned(),
            nonce: nonce(),
        };
        let binding = call.binding();
        let options = SealOptions::new().associated_data(&binding).ttl(STATE_TTL);
        let state = self.codec.seal_json_with(&asked, &options).ok()?;
        // A form with no fields: the question is the message, and the answer is accept or decline.
        let request =
            InputRequest::Elicitation(ElicitRequest::new(ElicitRequestParams::FormElicitationParams {
                meta: None,
                message: format!("{question} Accept to go ahead; decline and nothing moves."),
                requested_schema: ElicitationSchema::new(BTreeMap::new()),
            }));
        let mut meta = serde_json::Map::new();
        meta.insert(MONEY_MOVE_META_KEY.to_owned(), details["money_move"].clone());
        let result = InputRequiredResult::new(
            Some(BTreeMap::from([(INPUT_KEY.to_owned(), request)])),
            Some(state),
        );
        Some(result.with_meta(rmcp::model::MetaObject(meta)))
    }

    /// Marks the state used, once: the first redemption takes the nonce's lock in the idempotency
    /// table (held until the state has expired anyway); any other finds it taken. If the table
    /// cannot say, nothing runs.
    async fn redeem(&self, asked: &Asked) -> Result<(), ErrorData> {
        let id = format!("{REDEEMED_PREFIX}{}", asked.nonce);
        let until = SystemTime::now() + STATE_TTL;
        match self.redeemed.begin(&id, &asked.digest, until, until).await {
            Ok(Begin::Started) => Ok(()),
            Ok(Begin::Replay(_)) | Err(IdempotencyError::InProgress | IdempotencyError::KeyReused) => {
                Err(ErrorData::invalid_params(
                    "This confirmation was already used. Call the tool again without requestState to be asked again.",
                    Some(json!({ "reason": "used" })),
                ))
            }
            Err(IdempotencyError::Store(error)) => {
                tracing::error!(%error, "a confirmation could not be redeemed: nothing runs");
                Err(ErrorData::internal_error(
                    "The confirmation could not be checked just now; nothing was charged. Retry shortly.",
                    Some(json!({ "reason": "unavailable", "retryable": true })),
                ))
            }
        }
    }
}

/// The JSON-RPC error for a state that does not open.
fn invalid_state(error: &RequestStateError) -> ErrorData {
    let (reason, message) = match error {
        RequestStateError::Expired => (
            "expired",
            "This confirmation has expired (it lasts five minutes). Call the tool again without requestState to be asked again.",
        ),
        _ => (
            "invalid",
            "This requestState is not one this server issued for this caller, tool and arguments. Call the tool again without requestState to be asked.",
        ),
    };
    ErrorData::invalid_params(message, Some(json!({ "reason": reason })))
}

/// 128 random bits, hex.
fn nonce() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_idempotency::MemoryStore;

    const KEY: &[u8] = b"a test key that is at least thirty-two bytes long";

    fn confirmations(unconfirmable: Unconfirmable) -> Confirmations {
        Confirmations::new(KEY, Arc::new(MemoryStore::new()), unconfirmable).unwrap()
    }

    fn required(digest: &str) -> ToolError {
        ToolError::new(ErrorCode::ConfirmationRequired, "confirm").with_details(json!({
            "question": "Charge $10.00 to Visa •••• 4242?",
            "digest": digest,
            "money_move": { "amount": 1000 },
        }))
    }

    fn call<'a>(caller: &'a Caller, arguments: &'a Value) -> MoneyCall<'a> {
        MoneyCall {
            caller,
            tool: "create_stripe_refund",
            arguments,
            request_state: None,
            input_responses: None,
            can_elicit: true,
        }
    }

    fn accept() -> InputResponses {
        BTreeMap::from([(INPUT_KEY.to_owned(), json!({ "action": "accept", "content": {} }))])
    }

    fn reason(error: &ErrorData) -> &str {
        error
            .data
            .as_ref()
            .and_then(|d| d["reason"].as_str())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn an_accepted_state_runs_once_with_the_digest_it_was_asked_about() {
        let c = confirmations(Unconfirmable::Refuse);
        let caller = Caller::from_claims("m1", None, ["manager"]);
        let arguments = json!({ "payment_intent_id": "pi_1" });
        let first = call(&caller, &arguments);
        assert!(matches!(
            c.before(&first).await.unwrap(),
            Step::Run(Confirmation::Ask)
        ));
        let asked = c.ask(&first, &required("d1")).unwrap();
        let question = serde_json::to_value(&asked).unwrap();
        assert_eq!(question["resultType"], "input_required");
        assert_eq!(
            question["inputRequests"][INPUT_KEY]["method"],
            "elicitation/create"
        );
        assert_eq!(question["_meta"][MONEY_MOVE_META_KEY]["amount"], 1000);

        let responses = accept();
        let retry = MoneyCall {
            request_state: asked.request_state.as_deref(),
            input_responses: Some(&responses),
            ..call(&caller, &arguments)
        };
        assert!(matches!(
            c.before(&retry).await.unwrap(),
            Step::Run(Confirmation::Accepted(digest)) if digest == "d1"
        ));
        let again = c.before(&retry).await.err().unwrap();
        assert_eq!(reason(&again), "used", "single use");
    }

    /// Two adapter instances (one key, as the secret gives every instance; one table) get the
    /// same acceptance at once: exactly one runs it. The table's conditional write decides, and
    /// the idempotency store's contract suite holds DynamoDB and memory to the same answer.
    #[tokio::test]
    async fn two_instances_sharing_the_table_run_an_acceptance_once() {
        let table: Arc<dyn IdempotencyStore> = Arc::new(MemoryStore::new());
        let instance = || Confirmations::new(KEY, table.clone(), Unconfirmable::Refuse).unwrap();
        let (one, two) = (instance(), instance());
        let caller = Caller::from_claims("m1", None, ["manager"]);
        let arguments = json!({ "payment_intent_id": "pi_1" });
        let state = one
            .ask(&call(&caller, &arguments), &required("d1"))
            .unwrap()
            .request_state
            .unwrap();
        let responses = accept();
        let retry = MoneyCall {
            request_state: Some(&state),
            input_responses: Some(&responses),
            ..call(&caller, &arguments)
        };
        let (first, second) = tokio::join!(one.before(&retry), two.before(&retry));
        let ran = [&first, &second]
            .iter()
            .filter(|step| matches!(step, Ok(Step::Run(Confirmation::Accepted(_)))))
            .count();
        let used = [&first, &second]
            .iter()
            .filter(|step| matches!(step, Err(e) if reason(e) == "used"))
            .count();
        assert_eq!((ran, used), (1, 1));
    }

    #[tokio::test]
    async fn forged_foreign_and_altered_states_are_refused() {
        let c = confirmations(Unconfirmable::Refuse);
        let manager = Caller::from_claims("m1", None, ["manager"]);
        let other = Caller::from_claims("m2", None, ["manager"]);
        let arguments = json!({ "payment_intent_id": "pi_1" });
        let state = c
            .ask(&call(&manager, &arguments), &required("d1"))
            .unwrap()
            .request_state
            .unwrap();
        let responses = accept();
        let attempt = |caller, arguments, state| MoneyCall {
            request_state: Some(state),
            input_responses: Some(&responses),
            ..call(caller, arguments)
        };
        let tampered = format!("{state}x");
        let more = json!({ "payment_intent_id": "pi_1", "amount": 99 });
        let forger = Confirmations::new(
            b"another key, also thirty-two bytes or longer",
            Arc::new(MemoryStore::new()),
            Unconfirmable::Refuse,
        )
        .unwrap();
        let forged = forger
            .ask(&call(&manager, &arguments), &required("d1"))
            .unwrap()
            .request_state
            .unwrap();
        for (caller, arguments, state, case) in [
            (&manager, &arguments, tampered.as_str(), "tampered"),
            (&other, &arguments, state.as_str(), "another caller's"),
            (&manager, &more, state.as_str(), "other arguments"),
            (&manager, &arguments, forged.as_str(), "sealed with another key"),
            (&manager, &arguments, "rs1.garbage", "garbage"),
        ] {
            let refused = c.before(&attempt(caller, arguments, state)).await.err();
            assert_eq!(
                refused.map(|e| reason(&e).to_owned()),
                Some("invalid".to_owned()),
                "{case}"
            );
        }
        // The genuine state still works: refusing the others used nothing up.
        assert!(matches!(
            c.before(&attempt(&manager, &arguments, &state)).await.unwrap(),
            Step::Run(Confirmation::Accepted(_))
        ));
    }

    #[tokio::test]
    async fn an_expired_state_is_refused() {
        let c = confirmations(Unconfirmable::Refuse);
        let caller = Caller::from_claims("m1", None, ["manager"]);
        let arguments = json!({});
        let binding = call(&caller, &arguments).binding();
        let asked = Asked {
            digest: "d1".into(),
            nonce: nonce(),
        };
        let options = SealOptions::new()
            .associated_data(&binding)
            .ttl(Duration::from_millis(1));
        let state = c.codec.seal_json_with(&asked, &options).unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
        let responses = accept();
        let retry = MoneyCall {
            request_state: Some(&state),
            input_responses: Some(&responses),
            ..call(&caller, &arguments)
        };
        assert_eq!(reason(&c.before(&retry).await.err().unwrap()), "expired");
    }

    #[tokio::test]
    async fn a_decline_runs_nothing_and_a_missing_answer_asks_again() {
        let c = confirmations(Unconfirmable::Refuse);
        let caller = Caller::from_claims("m1", None, ["manager"]);
        let arguments = json!({});
        let state = c
            .ask(&call(&caller, &arguments), &required("d1"))
            .unwrap()
            .request_state
            .unwrap();
        let unanswered = BTreeMap::from([("something_else".to_owned(), json!({ "action": "accept" }))]);
        let retry = MoneyCall {
            request_state: Some(&state),
            input_responses: Some(&unanswered),
            ..call(&caller, &arguments)
        };
        assert!(matches!(
            c.before(&retry).await.unwrap(),
            Step::Run(Confirmation::Ask)
        ));
        let declined = BTreeMap::from([(INPUT_KEY.to_owned(), json!({ "action": "decline" }))]);
        let retry = MoneyCall {
            input_responses: Some(&declined),
            ..retry
        };
        assert!(matches!(
            c.before(&retry).await.unwrap(),
            Step::Refuse(error) if error.code == ErrorCode::ConfirmationDeclined
        ));
    }

    #[tokio::test]
    async fn a_client_that_cannot_ask_gets_what_the_deployment_chose() {
        let caller = Caller::from_claims("m1", None, ["manager"]);
        let arguments = json!({});
        let blind = MoneyCall {
            can_elicit: false,
            ..call(&caller, &arguments)
        };
        let refused = confirmations(Unconfirmable::Refuse).before(&blind).await.unwrap();
        assert!(matches!(
            refused,
            Step::Refuse(error) if error.code == ErrorCode::ConfirmationUnavailable
                && error.message.contains("web portal")
        ));
        let allowed = confirmations(Unconfirmable::AllowAudited)
            .before(&blind)
            .await
            .unwrap();
        assert!(matches!(allowed, Step::Run(Confirmation::Unconfirmed)));
        assert_eq!("allow-audited".parse(), Ok(Unconfirmable::AllowAudited));
        assert!("sometimes".parse::<Unconfirmable>().is_err());
    }
}
