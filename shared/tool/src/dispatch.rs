//! The `Tool` trait, its type-erased form, and the one invoke path every transport uses.

use crate::answer::Answer;
use crate::audit::AuditTrail;
use crate::caller::{Caller, Persona};
use crate::confirm::Confirmation;
use crate::context::{Backends, Context};
use crate::idempotent;
use crate::sample::Sample;
use crate::spec::ToolSpec;
use crate::trace::TraceContext;
use chrono::NaiveDate;
use dewy_connector::{CallSummary, Deadline};
use dewy_domain::input::Email;
use dewy_domain::{ErrorCode, ToolError};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// A tool: one spec, typed input and output, one handler.
///
/// Inputs should be `#[serde(deny_unknown_fields)]` so a misspelt field is an error, not ignored.
pub trait Tool: Send + Sync + 'static {
    /// The parsed input. Its JSON Schema is the tool's input schema. It serialises back (defaults
    /// resolved) as the payload the idempotency layer fingerprints.
    type Input: DeserializeOwned + Serialize + JsonSchema + Send;
    /// The success result. Its JSON Schema is the tool's output schema. It reads back from its
    /// JSON, so a Rust client (or a test) holds an answer as this type: a field renamed here is a
    /// compile error there, not a lookup that finds nothing.
    type Output: Serialize + DeserializeOwned + JsonSchema + Send;

    /// The tool's spec.
    const SPEC: ToolSpec;

    /// Fills the defaults that come from the context (e.g. today's date) before anything else sees
    /// the input, so "check in today" and "check in on 2026-11-24" are one operation to the
    /// idempotency layer. The default changes nothing.
    fn resolve_defaults(&self, _ctx: &Context, input: Self::Input) -> Self::Input {
        input
    }

    /// The HTTP status of a success with `output`: 200 unless the tool says otherwise (201 for a
    /// created record, 202 for a payment waiting on the customer). The idempotency record keeps it,
    /// so a replay answers with the status the first call had.
    fn success_status(&self, _output: &Self::Output) -> u16 {
        200
    }

    /// A call of the tool its function accepts on the seeded sandboxes, dated from `today`: the
    /// sample event `cargo lambda invoke` sends is generated from it (see [`Sample`]).
    fn sample(&self, today: NaiveDate) -> Sample;

    /// Runs the tool.
    fn call(
        &self,
        ctx: &Context,
        input: Self::Input,
    ) -> impl Future<Output = Result<Self::Output, ToolError>> + Send;
}

/// The success status of a tool that may create its record: 201 when this call created it, 200
/// when it found or updated one.
pub fn created_status(created: bool) -> u16 {
    if created { 201 } else { 200 }
}

/// A boxed future, for the type-erased tool.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A tool with its types erased, so transports can hold a list of them.
pub trait DynTool: Send + Sync {
    /// The tool's spec.
    fn spec(&self) -> &'static ToolSpec;
    /// The JSON Schema of the input (draft 2020-12), as staff see it.
    fn input_schema(&self) -> Value;
    /// The input schema as a caller with `personas` sees it: without the field their token
    /// supplies ([`ToolSpec::field_from_token`]), since asking for it invites an agent to prompt a
    /// guest for their email, or to guess someone else's. MCP lists this schema, and the calls an
    /// error suggests are checked against it.
    fn input_schema_for(&self, personas: &[Persona]) -> Value {
        let mut schema = self.input_schema();
        if let Some(field) = self.spec().field_from_token(personas) {
            remove_field(&mut schema, field);
        }
        schema
    }
    /// The JSON Schema of the success output (draft 2020-12).
    fn output_schema(&self) -> Value;
    /// The input's schema in a document `generator` builds: a reference to its definition, which
    /// (with every type it uses) joins the generator's definitions, shared with other tools'.
    fn input_schema_in(&self, generator: &mut schemars::SchemaGenerator) -> Value;
    /// The output's schema in a document `generator` builds, as for the input.
    fn output_schema_in(&self, generator: &mut schemars::SchemaGenerator) -> Value;
    /// The tool's sample call, dated from `today` ([`Tool::sample`]).
    fn sample(&self, today: NaiveDate) -> Sample;
    /// Parses `arguments` and runs the tool, through the idempotency layer unless the tool is
    /// read-only. Authorization and guest scoping happen first, in [`invoke`].
    fn execute<'a>(&'a self, ctx: &'a Context, arguments: Value) -> BoxFuture<'a, Answer>;
}

impl<T: Tool> DynTool for T {
    fn spec(&self) -> &'static ToolSpec {
        const { &T::SPEC }
    }

    fn input_schema(&self) -> Value {
        Value::from(schemars::schema_for!(T::Input))
    }

    fn output_schema(&self) -> Value {
        Value::from(schemars::schema_for!(T::Output))
    }

    fn input_schema_in(&self, generator: &mut schemars::SchemaGenerator) -> Value {
        Value::from(generator.subschema_for::<T::Input>())
    }

    fn output_schema_in(&self, generator: &mut schemars::SchemaGenerator) -> Value {
        Value::from(generator.subschema_for::<T::Output>())
    }

    fn sample(&self, today: NaiveDate) -> Sample {
        Tool::sample(self, today)
    }

    fn execute<'a>(&'a self, ctx: &'a Context, arguments: Value) -> BoxFuture<'a, Answer> {
        Box::pin(async move {
            let input = match ctx
                .audit()
                .check("input_valid", parse_input::<T::Input>(arguments))
            {
                Ok(input) => self.resolve_defaults(ctx, input),
                Err(error) => return Answer::error(error),
            };
            let Some(key_from) = T::SPEC.effect.key() else {
                return answer(self, self.call(ctx, input).await);
            };
            let payload = match serde_json::to_value(&input) {
                Ok(payload) => payload,
                Err(error) => return Answer::error(serialise_failed::<T>(&error)),
            };
            let key = idempotent::operation_key(T::SPEC.name, key_from, ctx.caller(), &payload);
            ctx.set_operation_key(key.clone());
            idempotent::run(ctx, key_from, &key, &payload, || async {
                answer(self, self.call(ctx, input).await)
            })
            .await
        })
    }
}

fn remove_field(schema: &mut Value, field: &str) {
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        properties.remove(field);
    }
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        required.retain(|name| name.as_str() != Some(field));
    }
}

/// What a tool's handler returned, as its answer: the output with its success status.
fn answer<T: Tool>(tool: &T, result: Result<T::Output, ToolError>) -> Answer {
    let output = match result {
        Ok(output) => output,
        Err(error) => return Answer::error(error),
    };
    let status = tool.success_status(&output);
    match serde_json::to_value(output) {
        Ok(body) => Answer::success(status, body),
        Err(error) => Answer::error(serialise_failed::<T>(&error)),
    }
}

fn serialise_failed<T: Tool>(error: &serde_json::Error) -> ToolError {
    tracing::error!(%error, tool = T::SPEC.name, "did not serialise");
    ToolError::internal()
}

/// One invocation: its answer, and what it cost.
#[derive(Debug)]
pub struct Invocation {
    /// The output, or the error to answer with.
    pub result: Result<Value, ToolError>,
    /// The HTTP status of a success (see [`Answer::success_status`]).
    pub success_status: u16,
    /// `true` when the result replays an earlier, identical call (see [`Answer::replayed`]).
    pub replayed: bool,
    /// Backend calls and sequential round trips.
    pub calls: CallSummary,
    /// Wall time of the invocation.
    pub duration: Duration,
}

impl Invocation {
    /// The answer, as a transport renders it.
    pub fn into_answer(self) -> Answer {
        Answer {
            result: self.result,
            success_status: self.success_status,
            replayed: self.replayed,
        }
    }

    /// The HTTP status a REST transport answers with.
    pub fn http_status(&self) -> u16 {
        crate::answer::http_status(&self.result, self.success_status)
    }

    /// The JSON body: the output, or `{success:false, error_code, error_message, details}`.
    pub fn body(&self) -> Value {
        crate::answer::body(&self.result)
    }
}

/// Invokes `tool` for `caller` with raw JSON `arguments`: the path every transport takes.
///
/// 1. the caller's personas must allow the tool (checked at call time, whatever a listing showed);
/// 2. a guest is scoped to their own records (see [`crate::GuestScope`]);
/// 3. the input is parsed (unknown, missing and mistyped fields are 400s naming the field) and its
///    defaults resolved;
/// 4. a side-effecting tool goes through the idempotency layer ([`idempotent`]);
/// 5. the handler runs with a fresh context; one summary line is logged, then the invocation's
///    audit trail (see [`crate::audit`]): every decision above and the handler's, and its transitions.
pub async fn invoke(
    tool: &dyn DynTool,
    backends: &Backends,
    caller: Caller,
    deadline: Deadline,
    arguments: Value,
) -> Invocation {
    invoke_traced(
        tool,
        backends,
        caller,
        deadline,
        arguments,
        CallMeta::default(),
        None,
    )
    .await
}

/// What a transport knows of a call besides its caller and arguments.
#[derive(Debug, Clone, Default)]
pub struct CallMeta {
    /// The caller's W3C trace context, if the request carried a valid one.
    pub trace: Option<TraceContext>,
    /// How the call stands on a person's confirmation of the money it moves.
    pub confirmation: Confirmation,
}

impl CallMeta {
    /// What an HTTP request's headers say: its trace context, and, only when the MCP adapter sent
    /// it (`from_adapter`), its confirmation.
    pub fn from_headers(headers: &http::HeaderMap, from_adapter: bool) -> CallMeta {
        CallMeta {
            trace: TraceContext::from_headers(headers),
            confirmation: Confirmation::from_headers(headers, from_adapter),
        }
    }
}

/// [`invoke`] for a request that carried more than its caller: with a trace context, its trace id
/// goes on the summary line, every audit event and the metrics record, and the call runs inside
/// [`crate::trace::traced`], which puts it on every other log line (`request_id`, the Lambda
/// runtime's, is repeated in that span); with a confirmation, a money move asks for it.
pub async fn invoke_traced(
    tool: &dyn DynTool,
    backends: &Backends,
    caller: Caller,
    deadline: Deadline,
    arguments: Value,
    meta: CallMeta,
    request_id: Option<&str>,
) -> Invocation {
    let started = Instant::now();
    let spec = tool.spec();
    let ctx = backends
        .context(caller, deadline)
        .with_trace(meta.trace)
        .with_confirmation(meta.confirmation);
    let run = async {
        let answer = match authorize(spec, ctx.caller(), arguments, ctx.audit()) {
            Ok(arguments) => tool.execute(&ctx, arguments).await,
            Err(error) => Answer::error(error),
        };
        let invocation = Invocation {
            success_status: answer.success_status,
            result: answer.result,
            replayed: answer.replayed,
            calls: ctx.recorder().summary(),
            duration: started.elapsed(),
        };
        log_invocation(spec, &ctx, &invocation);
        audit_invocation(spec, &ctx, &invocation);
        invocation
    };
    crate::trace::traced(ctx.trace(), request_id, run).await
}

/// Emits the invocation's audit trail, after its summary line. A refusal (a 4xx) that no named
/// check recorded is recorded as `tool_rules`, so every refused invocation has its decision; a 5xx
/// is a failure, not a decision.
fn audit_invocation(spec: &ToolSpec, ctx: &Context, invocation: &Invocation) {
    let audit = ctx.audit();
    if let Err(error) = &invocation.result
        && error.http_status() < 500
        && !audit.has_refusal()
    {
        audit.refused("tool_rules", None, error);
    }
    audit.emit(
        spec,
        ctx.caller(),
        ctx.operation_key().map(|key| key.as_str()),
        ctx.trace_id(),
    );
}

fn log_invocation(spec: &ToolSpec, ctx: &Context, invocation: &Invocation) {
    let error_code = invocation.result.as_ref().err().map(|e| e.code.as_str());
    tracing::info!(
        tool = spec.name,
        personas = %ctx.caller().persona_names(),
        outcome = if invocation.result.is_ok() { "success" } else { "error" },
        error_code,
        replayed = invocation.replayed,
        duration_ms = invocation.duration.as_secs_f64() * 1000.0,
        backend_calls = invocation.calls.total_calls,
        sequential_round_trips = invocation.calls.sequential_round_trips,
        trace_id = ctx.trace_id(),
        "tool invocation"
    );
    crate::metrics::record(spec.name, ctx.caller(), ctx.trace_id(), invocation);
}

/// Checks the caller's personas and applies guest scoping; returns the arguments to parse. Each
/// decision goes on `audit` (`persona_allowed`, `own_records` for a scoped guest, `input_valid`
/// when the arguments are not an object).
fn authorize(
    spec: &ToolSpec,
    caller: &Caller,
    arguments: Value,
    audit: &AuditTrail,
) -> Result<Value, ToolError> {
    let allowed = if spec.allows(&caller.personas) {
        Ok(())
    } else {
        Err(ToolError::new(
            ErrorCode::Forbidden,
            format!("Your role may not use the tool '{}'.", spec.name),
        ))
    };
    audit.check("persona_allowed", allowed)?;
    let Value::Object(mut fields) = arguments else {
        return audit.check(
            "input_valid",
            Err(ToolError::validation("The arguments must be a JSON object.")),
        );
    };
    if let Some(field) = spec.field_from_token(&caller.personas) {
        audit.check("own_records", scope_to_guest(field, caller, &mut fields))?;
    }
    Ok(Value::Object(fields))
}

/// Fills the guest's email from the token, and refuses any other guest. The refusal is the same
/// whether or not the other guest exists, so it reveals nothing.
fn scope_to_guest(field: &str, caller: &Caller, fields: &mut Map<String, Value>) -> Result<(), ToolError> {
    let own = caller.email.as_ref().ok_or_else(|| {
        ToolError::new(
            ErrorCode::Forbidden,
            "Your sign-in carries no email address, so no guest record can be yours.",
        )
    })?;
    match fields.get(field) {
        None | Some(Value::Null) => {
            fields.insert(field.to_owned(), Value::String(own.as_str().to_owned()));
            Ok(())
        }
        Some(Value::String(given)) if Email::parse(given).as_ref() == Ok(own) => Ok(()),
        Some(_) => Err(ToolError::new(
            ErrorCode::Forbidden,
            format!(
                "Guests may act only on their own records: leave '{field}' out, or give the email you signed in with."
            ),
        )),
    }
}

/// JSON Schema's `integer` is any number without a fractional part, `2.0` included, and some
/// clients send integers that way; serde's integer types refuse them. So a number that is a whole
/// number becomes an integer before parsing (a field typed as a float takes either).
fn integral_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) if number.is_f64() => {
            let float = number.as_f64().unwrap_or(f64::NAN);
            // The bounds are exact powers of two, so the casts below cannot saturate.
            if float.fract() == 0.0 && (-(2f64.powi(63))..2f64.powi(64)).contains(&float) {
                *value = if float < 0.0 {
                    Value::from(float as i64)
                } else {
                    Value::from(float as u64)
                };
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

/// Parses tool arguments, turning serde's errors into `REQUIRED_FIELDS_MISSING` or
/// `VALIDATION_ERROR` naming the field (docs/errors.md).
fn parse_input<T: DeserializeOwned>(mut arguments: Value) -> Result<T, ToolError> {
    integral_numbers_as_integers(&mut arguments);
    serde_path_to_error::deserialize(arguments).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        if let Some(field) = between(&message, "missing field `", "`") {
            let field = if path == "." {
                field.to_owned()
            } else {
                format!("{path}.{field}")
            };
            return ToolError::missing_fields(&[field.as_str()]);
        }
        if let Some(field) = between(&message, "unknown field `", "`") {
            return ToolError::validation(format!(
                "Unknown field '{field}'. {}",
                capitalise_expected(&message)
            ))
            .with_details(serde_json::json!({ "field": field }));
        }
        let field = if path == "." {
            String::new()
        } else {
            format!("'{path}': ")
        };
        ToolError::validation(format!("Invalid value for {field}{message}"))
            .with_details(serde_json::json!({ "field": path }))
    })
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

fn capitalise_expected(message: &str) -> String {
    match message.find("expected") {
        Some(at) => format!("E{}.", &message[at + 1..]),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Effect, GuestScope};
    use serde_json::json;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Input {
        guest_email: String,
        nights: Option<u32>,
    }

    #[test]
    fn whole_numbers_sent_as_floats_parse_as_integers() {
        let input: Input = parse_input(json!({ "guest_email": "a@b.co", "nights": 3.0 })).unwrap();
        assert_eq!(input.nights, Some(3));
        let error = parse_input::<Input>(json!({ "guest_email": "a@b.co", "nights": 3.5 })).unwrap_err();
        assert_eq!(error.code, ErrorCode::ValidationError);
        let mut nested = json!({ "a": [1.0, -2.0, 0.5], "b": { "c": 1e300 } });
        integral_numbers_as_integers(&mut nested);
        assert_eq!(nested, json!({ "a": [1, -2, 0.5], "b": { "c": 1e300 } }));
    }

    const SPEC: ToolSpec = ToolSpec {
        name: "demo_tool",
        description: "demo",
        personas: &[Persona::Guest, Persona::Staff],
        deployment: crate::spec::Deployment {
            memory_mb: 128,
            timeout_secs: 3,
            stripe: false,
            texts: false,
            home_assistant: false,
        },
        effect: Effect::ReadOnly,
        open_world: false,
        alias_of: None,
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
    };

    fn guest(email: &str) -> Caller {
        Caller::from_claims("sub", Some(email), ["guest"])
    }

    fn authorize(spec: &ToolSpec, caller: &Caller, arguments: Value) -> Result<Value, ToolError> {
        super::authorize(spec, caller, arguments, &AuditTrail::new())
    }

    #[test]
    fn input_errors_name_the_field_and_use_the_recipe_codes() {
        let missing = parse_input::<Input>(json!({})).unwrap_err();
        assert_eq!(
            (missing.code, missing.http_status()),
            (ErrorCode::RequiredFieldsMissing, 400)
        );
        assert!(missing.message.contains("guest_email"));

        let unknown = parse_input::<Input>(json!({"guest_email": "a@b.co", "nite": 1})).unwrap_err();
        assert_eq!(unknown.code, ErrorCode::ValidationError);
        assert!(unknown.message.contains("'nite'"), "{}", unknown.message);

        let mistyped = parse_input::<Input>(json!({"guest_email": "a@b.co", "nights": "two"})).unwrap_err();
        assert_eq!(mistyped.code, ErrorCode::ValidationError);
        assert!(mistyped.message.contains("'nights'"), "{}", mistyped.message);
    }

    #[test]
    fn a_guest_is_filled_in_from_the_token_and_cannot_name_another_guest() {
        let filled = authorize(&SPEC, &guest("kay@example.com"), json!({})).unwrap();
        assert_eq!(filled["guest_email"], "kay@example.com");
        assert!(
            authorize(
                &SPEC,
                &guest("kay@example.com"),
                json!({"guest_email": "KAY@example.com"})
            )
            .is_ok()
        );
        let other = authorize(
            &SPEC,
            &guest("kay@example.com"),
            json!({"guest_email": "carl@example.com"}),
        );
        assert_eq!(other.unwrap_err().code, ErrorCode::Forbidden);
        let staff = Caller::from_claims("s", Some("staff@hotel.com"), ["staff"]);
        let passed = authorize(&SPEC, &staff, json!({"guest_email": "carl@example.com"})).unwrap();
        assert_eq!(passed["guest_email"], "carl@example.com", "staff act on anyone");
    }

    #[test]
    fn persona_scope_and_shape_decisions_go_on_the_audit_trail() {
        use crate::audit::{AuditEvent, Verdict};
        let trail = AuditTrail::new();
        let kay = guest("kay@example.com");
        let _ = super::authorize(&SPEC, &kay, json!({"guest_email": "carl@example.com"}), &trail);
        let vendor = Caller::from_claims("s", Some("v@x.co"), ["vendor"]);
        let _ = super::authorize(&SPEC, &vendor, json!({}), &trail);
        let _ = super::authorize(&SPEC, &kay, json!([1]), &trail);
        let seen: Vec<_> = trail
            .events()
            .into_iter()
            .map(|event| match event {
                AuditEvent::Decision {
                    check,
                    outcome,
                    error_code,
                    ..
                } => (check, outcome, error_code),
                other => panic!("only decisions: {other:?}"),
            })
            .collect();
        let forbidden = Some(ErrorCode::Forbidden);
        assert_eq!(
            seen,
            vec![
                ("persona_allowed", Verdict::Passed, None),
                ("own_records", Verdict::Refused, forbidden),
                ("persona_allowed", Verdict::Refused, forbidden),
                ("persona_allowed", Verdict::Passed, None),
                ("input_valid", Verdict::Refused, Some(ErrorCode::ValidationError)),
            ]
        );
    }

    #[test]
    fn personas_are_checked_and_arguments_must_be_an_object() {
        let vendor = Caller::from_claims("s", Some("v@x.co"), ["vendor"]);
        assert_eq!(
            authorize(&SPEC, &vendor, json!({})).unwrap_err().code,
            ErrorCode::Forbidden
        );
        let staff = Caller::from_claims("s", None, ["staff"]);
        assert_eq!(
            authorize(&SPEC, &staff, json!([1])).unwrap_err().code,
            ErrorCode::ValidationError
        );
    }
}
