//! The calls an error suggests instead (`details.next_steps`), each fit for the caller it answers.
//!
//! A step is `{"tool", "arguments", "fill_in"}`:
//! - `arguments` are valid as they stand for the tool's input schema as the caller sees it
//!   ([`DynTool::input_schema_for`]): no field the caller's token supplies, no placeholder, no null;
//! - `fill_in` (left out when empty) maps each field the arguments still lack to where its value
//!   comes from: an earlier step's answer ("the id create_contact returns") or the user ("the
//!   guest's last name"). With them added, the arguments have every field the tool requires.
//!
//! A schema-validating client can then send `arguments` as they are once `fill_in` is done, where a
//! placeholder string would fail a field's pattern and a field the token supplies would be refused.

use crate::caller::Caller;
use crate::dispatch::DynTool;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One suggested call (see the module documentation for its shape).
#[derive(Debug, Clone, Serialize)]
pub struct NextStep {
    tool: &'static str,
    arguments: Map<String, Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fill_in: BTreeMap<String, String>,
    #[serde(skip)]
    from_token: Option<&'static str>,
}

impl NextStep {
    /// A call of `tool`, suggested to `caller`.
    pub fn call(tool: &dyn DynTool, caller: &Caller) -> Self {
        let spec = tool.spec();
        NextStep {
            tool: spec.name,
            arguments: Map::new(),
            fill_in: BTreeMap::new(),
            from_token: spec.field_from_token(&caller.personas),
        }
    }

    /// Sets `field` to `value`. A null (an optional field not given) sets nothing, and neither
    /// does the field the caller's token supplies: the invoke path fills it in.
    pub fn with(mut self, field: &str, value: Value) -> Self {
        if !value.is_null() && self.from_token != Some(field) {
            self.arguments.insert(field.to_owned(), value);
        }
        self
    }

    /// Sets `field` to `value`, or, when it is null (not known), asks for it in `fill_in`.
    pub fn with_or_fill_in(self, field: &str, value: Value, from: &str) -> Self {
        if value.is_null() {
            self.fill_in(field, from)
        } else {
            self.with(field, value)
        }
    }

    /// Leaves `field` to be filled in with the value `from` describes.
    pub fn fill_in(mut self, field: &str, from: &str) -> Self {
        self.fill_in.insert(field.to_owned(), from.to_owned());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caller::Persona;
    use crate::context::Context;
    use crate::dispatch::Tool;
    use crate::spec::{Effect, GuestScope, ToolSpec};
    use dewy_domain::ToolError;
    use serde_json::json;

    #[derive(Debug, serde::Deserialize, Serialize, schemars::JsonSchema)]
    struct Input {
        email: String,
        name: Option<String>,
    }

    struct Demo;

    impl Tool for Demo {
        type Input = Input;
        type Output = ();
        const SPEC: ToolSpec = ToolSpec {
            name: "demo",
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
            guest_scope: Some(GuestScope { email_field: "email" }),
        };
        fn sample(&self, _today: chrono::NaiveDate) -> crate::Sample {
            crate::Sample::staff("staff1@hotel.com", json!({ "email": "kay@example.com" }))
        }
        async fn call(&self, _: &Context, _: Input) -> Result<(), ToolError> {
            Ok(())
        }
    }

    fn step(caller: &Caller) -> Value {
        let step = NextStep::call(&Demo, caller)
            .with("email", json!("kay@example.com"))
            .with("nickname", json!(null))
            .with_or_fill_in("name", json!(null), "the guest's name")
            .fill_in("id", "the id an earlier step returns");
        serde_json::to_value(step).unwrap_or_default()
    }

    #[test]
    fn a_step_leaves_out_nulls_and_what_the_token_supplies_and_lists_what_to_fill_in() {
        let staff = Caller::from_claims("s", Some("staff@hotel.com"), ["staff"]);
        assert_eq!(
            step(&staff),
            json!({
                "tool": "demo",
                "arguments": { "email": "kay@example.com" },
                "fill_in": { "id": "the id an earlier step returns", "name": "the guest's name" },
            })
        );
        let guest = Caller::from_claims("g", Some("kay@example.com"), ["guest"]);
        assert_eq!(step(&guest)["arguments"], json!({}));
        let known = NextStep::call(&Demo, &guest).with_or_fill_in("name", json!("Kay"), "the name");
        assert_eq!(
            serde_json::to_value(known).unwrap_or_default(),
            json!({ "tool": "demo", "arguments": { "name": "Kay" } })
        );
    }

    #[test]
    fn a_guest_only_caller_sees_the_schema_without_the_field_their_token_supplies() {
        let staff = Demo.input_schema_for(&[Persona::Staff]);
        assert_eq!(staff, Demo.input_schema());
        assert_eq!(staff["required"], json!(["email"]));
        assert_eq!(
            Demo.input_schema_for(&[Persona::Guest, Persona::Staff]),
            staff,
            "a guest who is also staff acts as staff"
        );
        let guest = Demo.input_schema_for(&[Persona::Guest]);
        assert!(guest["properties"].get("email").is_none(), "{guest}");
        assert!(guest["properties"]["name"].is_object(), "{guest}");
        assert_eq!(guest["required"], json!([]));
    }
}
