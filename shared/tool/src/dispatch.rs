//! The `Tool` trait, its type-erased form, and the one invoke path every transport uses.

use crate::caller::Caller;
use crate::context::{Backends, Context};
use crate::spec::ToolSpec;
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
    /// The parsed input. Its JSON Schema is the tool's input schema.
    type Input: DeserializeOwned + JsonSchema + Send;
    /// The success result. Its JSON Schema is the tool's output schema.
    type Output: Serialize + JsonSchema + Send;

    /// The tool's spec.
    const SPEC: ToolSpec;

    /// Runs the tool.
    fn call(
        &self,
        ctx: &Context,
        input: Self::Input,
    ) -> impl Future<Output = Result<Self::Output, ToolError>> + Send;
}

/// A boxed future, for the type-erased tool.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A tool with its types erased, so transports can hold a list of them.
pub trait DynTool: Send + Sync {
    /// The tool's spec.
    fn spec(&self) -> &'static ToolSpec;
    /// The JSON Schema of the input (draft 2020-12).
    fn input_schema(&self) -> Value;
    /// The JSON Schema of the success output (draft 2020-12).
    fn output_schema(&self) -> Value;
    /// Parses `arguments` and runs the tool. Authorization and guest scoping happen in [`invoke`].
    fn call_json<'a>(&'a self, ctx: &'a Context, arguments: Value)
    -> BoxFuture<'a, Result<Value, ToolError>>;
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

    fn call_json<'a>(
        &'a self,
        ctx: &'a Context,
        arguments: Value,
    ) -> BoxFuture<'a, Result<Value, ToolError>> {
        Box::pin(async move {
            let input: T::Input = parse_input(arguments)?;
            let output = self.call(ctx, input).await?;
            serde_json::to_value(output).map_err(|error| {
                tracing::error!(%error, tool = T::SPEC.name, "output did not serialise");
                ToolError::internal()
            })
        })
    }
}

/// The outcome of one invocation, with what it cost.
#[derive(Debug)]
pub struct Invocation {
    /// The output, or the error to answer with.
    pub result: Result<Value, ToolError>,
    /// Backend calls and sequential round trips.
    pub calls: CallSummary,
    /// Wall time of the invocation.
    pub duration: Duration,
}

impl Invocation {
    /// The HTTP status a REST transport answers with.
    pub fn http_status(&self) -> u16 {
        match &self.result {
            Ok(_) => 200,
            Err(error) => error.http_status(),
        }
    }

    /// The JSON body: the output, or `{success:false, error_code, error_message, details}`.
    pub fn body(&self) -> Value {
        match &self.result {
            Ok(output) => output.clone(),
            Err(error) => serde_json::to_value(error.body()).unwrap_or(Value::Null),
        }
    }
}

/// Invokes `tool` for `caller` with raw JSON `arguments`: the path every transport takes.
///
/// 1. the caller's personas must allow the tool (checked at call time, whatever a listing showed);
/// 2. a guest is scoped to their own records (see [`crate::GuestScope`]);
/// 3. the input is parsed (unknown, missing and mistyped fields are 400s naming the field);
/// 4. the handler runs with a fresh context; one summary line is logged.
pub async fn invoke(
    tool: &dyn DynTool,
    backends: &Backends,
    caller: Caller,
    deadline: Deadline,
    arguments: Value,
) -> Invocation {
    let started = Instant::now();
    let spec = tool.spec();
    let ctx = backends.context(caller, deadline);
    let result = match authorize(spec, ctx.caller(), arguments) {
        Ok(arguments) => tool.call_json(&ctx, arguments).await,
        Err(error) => Err(error),
    };
    let invocation = Invocation {
        result,
        calls: ctx.recorder().summary(),
        duration: started.elapsed(),
    };
    log_invocation(spec, &ctx, &invocation);
    invocation
}

fn log_invocation(spec: &ToolSpec, ctx: &Context, invocation: &Invocation) {
    let error_code = invocation.result.as_ref().err().map(|e| e.code.as_str());
    tracing::info!(
        tool = spec.name,
        personas = ?ctx.caller().personas,
        outcome = if invocation.result.is_ok() { "success" } else { "error" },
        error_code,
        duration_ms = invocation.duration.as_secs_f64() * 1000.0,
        backend_calls = invocation.calls.total_calls,
        sequential_round_trips = invocation.calls.sequential_round_trips,
        "tool invocation"
    );
}

/// Checks the caller's personas and applies guest scoping; returns the arguments to parse.
fn authorize(spec: &ToolSpec, caller: &Caller, arguments: Value) -> Result<Value, ToolError> {
    if !spec.allows(&caller.personas) {
        return Err(ToolError::new(
            ErrorCode::Forbidden,
            format!("Your role may not use the tool '{}'.", spec.name),
        ));
    }
    let Value::Object(mut fields) = arguments else {
        return Err(ToolError::validation("The arguments must be a JSON object."));
    };
    if let (Some(scope), true) = (spec.guest_scope, caller.is_guest_only()) {
        scope_to_guest(scope.email_field, caller, &mut fields)?;
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

/// Parses tool arguments, turning serde's errors into the error codes of recipes.md §6.
fn parse_input<T: DeserializeOwned>(arguments: Value) -> Result<T, ToolError> {
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
    use crate::caller::Persona;
    use crate::spec::{Annotations, GuestScope};
    use serde_json::json;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Input {
        guest_email: String,
        nights: Option<u32>,
    }

    const SPEC: ToolSpec = ToolSpec {
        name: "demo_tool",
        description: "demo",
        personas: &[Persona::Guest, Persona::Staff],
        annotations: Annotations {
            read_only: true,
            destructive: false,
            idempotent: true,
            open_world: false,
        },
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
    };

    fn guest(email: &str) -> Caller {
        Caller::from_claims("sub", Some(email), ["guest"])
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
