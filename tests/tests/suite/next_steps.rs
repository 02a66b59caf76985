//! Every error's `details.next_steps` are calls its caller can make as they stand: each step's
//! `arguments` validate against the named tool's input schema as that caller sees it (the schema
//! MCP lists to them), and with the step's `fill_in` fields they have every field the schema
//! requires. Each path that answers with next_steps is driven end to end against the sandbox, for
//! a caller of every persona that may reach it, with and without the optional names; then the steps
//! are performed, `fill_in` taken from the earlier answers or the person, and the request is filed.

use dewy_e2e::{World, guest, housekeeping, maintenance, manager, staff};
use dewy_tool::{Caller, DynTool};
use serde_json::{Map, Value, json};

/// An error path that answers with next_steps, for a person who has no Contact yet.
struct Path {
    /// The tool refusing, and the code of its refusal.
    tool: &'static str,
    code: &'static str,
    /// The input field naming the person.
    email_field: &'static str,
    /// The request, without the person's email and names.
    request: fn() -> Value,
    /// The room the request is for.
    room: &'static str,
    /// The names the request may give (and `fill_in` may then ask for), as `(field, value)`.
    names: [(&'static str, &'static str); 2],
}

const GUEST_SERVICE: Path = Path {
    tool: "submit_guest_service_request",
    code: "GUEST_CONTACT_NOT_FOUND",
    email_field: "guest_email",
    request: || {
        json!({ "room_number": "101", "type": "Housekeeping", "priority": "Medium",
                "description": "Two extra bath towels, please." })
    },
    room: "101",
    names: [("guest_first_name", "Nia"), ("guest_last_name", "Okoro")],
};

const MAINTENANCE: Path = Path {
    tool: "submit_maintenance_request",
    code: "MANAGER_CONTACT_NOT_FOUND",
    email_field: "manager_email",
    request: || {
        json!({ "room_number": "107", "type": "Maintenance", "priority": "High",
                "description": "The shower drips all night." })
    },
    room: "107",
    names: [("manager_first_name", "Ola"), ("manager_last_name", "Berg")],
};

/// The person's own details, for a `fill_in` that asks for them ("the guest's last name").
const PERSON: [(&str, &str); 2] = [("first_name", "Nia"), ("last_name", "Okoro")];

#[tokio::test]
async fn a_guest_service_request_without_a_contact_suggests_calls_valid_for_its_caller() {
    let world = World::start().await;
    let done = follow_every_caller(&world, &GUEST_SERVICE).await;
    assert_eq!(done, ["guest", "staff", "manager"]);

    // The check is not vacuous: the guest's create_contact has no email to give, so a call naming
    // one (what staff are suggested) fails the guest's schema.
    let schema = tool("create_contact").input_schema_for(&guest("a@b.co").personas);
    let with_email = json!({ "email": "nia@example.com", "last_name": "Okoro" });
    assert!(validate(&schema, &with_email).is_err(), "{schema}");
}

#[tokio::test]
async fn a_maintenance_request_without_a_contact_suggests_calls_valid_for_its_caller() {
    let world = World::start().await;
    let done = follow_every_caller(&world, &MAINTENANCE).await;
    assert_eq!(done, ["maintenance", "manager"]);
}

/// Every tool that answers with next_steps has a path above, so a new one cannot go unchecked: the
/// tools' sources that write the member are named after their tool.
#[test]
fn every_tool_that_suggests_next_steps_is_driven_here() {
    // The workspace's own `shared/` folder of crates.
    let tools = dewy_e2e::lambda_watch::workspace_root().join("shared/tools/src");
    let mut suggesting = Vec::new();
    let mut folders = vec![tools];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if std::fs::read_to_string(&path).unwrap().contains("\"next_steps\"") {
                suggesting.push(path.file_stem().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    suggesting.sort();
    assert_eq!(suggesting, [GUEST_SERVICE.tool, MAINTENANCE.tool]);
}

/// Drives `path` for a caller of each persona the tool allows, with and without the names, and
/// follows the steps each is given. The personas it ran for.
async fn follow_every_caller(world: &World, path: &Path) -> Vec<&'static str> {
    let mut done = Vec::new();
    for persona in ["guest", "staff", "housekeeping", "maintenance", "manager"] {
        if !tool(path.tool).spec().allows(&caller(persona, "a@b.co").personas) {
            continue;
        }
        for give_names in [true, false] {
            let email = format!("no-contact-{persona}-{give_names}@example.com");
            let scenario = format!("{} as {persona}, names given: {give_names}", path.tool);
            follow(
                world,
                path,
                &caller(persona, &email),
                &email,
                give_names,
                &scenario,
            )
            .await;
        }
        done.push(persona);
    }
    done
}

/// A caller of `persona`; a guest signed in with `email`.
fn caller(persona: &str, email: &str) -> Caller {
    match persona {
        "guest" => guest(email),
        "staff" => staff(),
        "housekeeping" => housekeeping(),
        "maintenance" => maintenance(),
        _ => manager(),
    }
}

/// Makes the request `path` refuses for `email`, checks the steps it is answered with, performs
/// them and checks the request was filed for the new contact.
async fn follow(world: &World, path: &Path, caller: &Caller, email: &str, give_names: bool, scenario: &str) {
    let token = dewy_e2e::uuid_v4();
    let mut request = (path.request)();
    request["idempotency_token"] = json!(token);
    // The email the caller's token supplies is not theirs to give: the request is built from the
    // schema they are shown, like every step after it.
    if tool(path.tool).spec().field_from_token(&caller.personas) != Some(path.email_field) {
        request[path.email_field] = json!(email);
    }
    if give_names {
        for (field, value) in path.names {
            request[field] = json!(value);
        }
    }
    let schema = tool(path.tool).input_schema_for(&caller.personas);
    validate(&schema, &request).unwrap_or_else(|e| panic!("{scenario}: the request: {e}"));

    let refused = world.call(path.tool, caller.clone(), request).await;
    let body = refused.body();
    assert_eq!(
        (refused.http_status(), body["error_code"].as_str()),
        (400, Some(path.code)),
        "{scenario}: {body}"
    );
    let steps = body["details"]["next_steps"].as_array().unwrap();
    assert!(!steps.is_empty(), "{scenario}: {body}");
    if caller.is_guest_only() {
        // The message fits a guest too: their email is no argument of theirs.
        let message = body["error_message"].as_str().unwrap();
        assert!(
            message.contains("sign-in") && !message.contains(email),
            "{scenario}: {message}"
        );
    }

    let mut answers: Vec<(String, Value)> = Vec::new();
    for step in steps {
        let name = step["tool"].as_str().unwrap();
        let arguments = fill_in(step, caller, &answers, scenario);
        let called = world.call(name, caller.clone(), arguments).await;
        let answer = called.body();
        assert!(called.result.is_ok(), "{scenario}: {name}: {answer}");
        answers.push((name.to_owned(), answer));
    }

    let filed = world.one(&format!(
        "SELECT ContactId, Room__c FROM Case WHERE External_ID__c = '{token}'"
    ));
    let contact = world.one(&format!(
        "SELECT Id FROM Contact WHERE Unique_Email__c = '{email}'"
    ));
    // Staff file for the room named; a guest without a Contact has no stay on record, so no room
    // of theirs, and files without one.
    let room = if caller.is_guest_only() {
        Value::Null
    } else {
        world.one(&format!(
            "SELECT Id FROM Hotel_Room__c WHERE Room_Number__c = '{}'",
            path.room
        ))["Id"]
            .clone()
    };
    assert_eq!(
        (&filed["ContactId"], &filed["Room__c"]),
        (&contact["Id"], &room),
        "{scenario}"
    );
}

/// Checks `step` against its tool's schema as `caller` sees it and returns its arguments with the
/// `fill_in` fields added: from the person, or from the answer of the earlier step it names.
fn fill_in(step: &Value, caller: &Caller, answers: &[(String, Value)], scenario: &str) -> Value {
    let name = step["tool"].as_str().unwrap();
    assert!(
        tool(name).spec().allows(&caller.personas),
        "{scenario}: {name} is not the caller's to call"
    );
    let schema = tool(name).input_schema_for(&caller.personas);
    let arguments = step["arguments"].as_object().unwrap().clone();
    let wanted = step
        .get("fill_in")
        .map_or_else(Map::new, |f| f.as_object().unwrap().clone());
    assert!(
        step.as_object()
            .unwrap()
            .keys()
            .all(|k| ["tool", "arguments", "fill_in"].contains(&k.as_str())),
        "{scenario}: {step}"
    );

    // As they stand, the arguments are valid but for the required fields left to fill in.
    let mut partial = schema.clone();
    if let Some(required) = partial["required"].as_array_mut() {
        required.retain(|field| !wanted.contains_key(field.as_str().unwrap()));
    }
    validate(&partial, &Value::Object(arguments.clone()))
        .unwrap_or_else(|e| panic!("{scenario}: {name}'s arguments {step}: {e}"));
    for field in schema["required"].as_array().into_iter().flatten() {
        let field = field.as_str().unwrap();
        assert!(
            arguments.contains_key(field) || wanted.contains_key(field),
            "{scenario}: {name} requires {field}: {step}"
        );
    }

    let mut filled = arguments;
    for (field, from) in &wanted {
        let from = from.as_str().unwrap();
        assert!(
            !from.is_empty() && !filled.contains_key(field) && schema["properties"].get(field).is_some(),
            "{scenario}: fill_in {field}: {step}"
        );
        let person = PERSON.iter().find(|(f, _)| f == field).map(|(_, v)| json!(v));
        let value = person.unwrap_or_else(|| {
            // A value an earlier step returns: the fill_in says which step.
            let (earlier, answer) = answers
                .iter()
                .rev()
                .find(|(tool, _)| from.contains(tool.as_str()))
                .unwrap_or_else(|| panic!("{scenario}: no earlier step gives {field}: {from}"));
            let value = answer.get(field).or_else(|| answer.get("id"));
            value
                .cloned()
                .unwrap_or_else(|| panic!("{scenario}: {earlier} gave no {field}: {answer}"))
        });
        filled.insert(field.clone(), value);
    }
    let filled = Value::Object(filled);
    validate(&schema, &filled).unwrap_or_else(|e| panic!("{scenario}: {name} filled in {filled}: {e}"));
    filled
}

fn tool(name: &str) -> &'static dyn DynTool {
    dewy_tools::find(name).unwrap_or_else(|| panic!("{name} is registered"))
}

/// Validates `instance` against the JSON Schema `schema` (draft 2020-12, as schemars writes it).
fn validate(schema: &Value, instance: &Value) -> Result<(), String> {
    let location = "https://dewy-resort.test/input.json";
    let mut compiler = boon::Compiler::new();
    let mut schemas = boon::Schemas::new();
    compiler
        .add_resource(location, schema.clone())
        .map_err(|e| format!("{e:#}"))?;
    let index = compiler
        .compile(location, &mut schemas)
        .map_err(|e| format!("{e:#}"))?;
    schemas.validate(instance, index).map_err(|e| format!("{e:#}"))
}
