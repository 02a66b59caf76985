//! What the atomic-skill tests share: seed lookups straight from the sandbox, and the assertion
//! that a refused call answered with its code and wrote nothing.

use dewy_e2e::World;
use dewy_tool::Caller;
use serde_json::Value;

/// A record id of each object that no record has (the right shape, so only the lookup fails).
pub const NO_CONTACT: &str = "003Dn0000000000IAA";
pub const NO_ROOM: &str = "a02Dn0000000000IAA";
pub const NO_BOOKING: &str = "a01Dn0000000000IAA";
pub const NO_OPPORTUNITY: &str = "006Dn0000000000IAA";

/// The token of the seed's first case (guest2's towels, status New).
pub const TOWELS_CASE: &str = "3f2b8c1e-7d4a-4e9b-8c2f-1a6d5e4b3c21";

/// The date `offset` days from today, as the sandbox's seed counts them.
pub fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

/// The error code of an error body.
pub fn error_code(body: &Value) -> &str {
    body["error_code"].as_str().unwrap_or("<none>")
}

/// The Id of the contact with `email`.
pub fn contact_id(world: &World, email: &str) -> String {
    let contact = world.one(&format!(
        "SELECT Id FROM Contact WHERE Unique_Email__c = '{email}'"
    ));
    contact["Id"].as_str().unwrap().to_owned()
}

/// Room `number`: Id, Name, Status__c, Current_Guest__c.
pub fn room(world: &World, number: &str) -> Value {
    world.one(&format!(
        "SELECT Id, Name, Status__c, Current_Guest__c FROM Hotel_Room__c WHERE Room_Number__c = '{number}'"
    ))
}

/// The booking with `external_id`, with the fields the skills change.
pub fn booking(world: &World, external_id: &str) -> Value {
    world.one(&format!(
        "SELECT Id, Name, Status__c, Check_In_Date__c, Check_Out_Date__c, Checked_In_At__c, Opportunity__c, \
         Primary_Guest__c, Room__c, Number_of_Guests__c, Special_Requests__c FROM Booking__c \
         WHERE External_ID__c = '{external_id}'"
    ))
}

/// The opportunity with `id`.
pub fn opportunity(world: &World, id: &str) -> Value {
    world.one(&format!(
        "SELECT Id, Name, StageName, CloseDate, Payment_ID__c, Amount, Type, ContactId FROM Opportunity \
         WHERE Id = '{id}'"
    ))
}

/// The case filed with `token`.
pub fn case(world: &World, token: &str) -> Value {
    world.one(&format!(
        "SELECT Id, CaseNumber, Status, Priority, Comments, Origin, ContactId, Room__c, Subject FROM Case \
         WHERE External_ID__c = '{token}'"
    ))
}

/// `base` with the fields of `changes` set over it.
pub fn merged(base: &Value, changes: Value) -> Value {
    let mut merged = base.clone();
    for (key, value) in changes.as_object().unwrap() {
        merged[key] = value.clone();
    }
    merged
}

/// The writes (`METHOD path`) Salesforce received since the last `reset_stats`.
pub fn writes(world: &World) -> Vec<String> {
    world
        .sandbox
        .request_log()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// Asserts that Salesforce received no write since the last `reset_stats`.
pub fn assert_nothing_written(world: &World) {
    let writes = writes(world);
    assert!(writes.is_empty(), "nothing may be written, but: {writes:?}");
}

/// Calls `tool` as `caller` with each set of arguments and asserts the HTTP status and error code
/// of each answer, the error body's shape, and that none of the calls wrote anything.
pub async fn assert_refused(world: &World, tool: &str, caller: &Caller, cases: &[(Value, u16, &str)]) {
    world.sandbox.reset_stats();
    for (arguments, status, code) in cases {
        let invocation = world.call(tool, caller.clone(), arguments.clone()).await;
        let body = invocation.body();
        assert_eq!(
            (invocation.http_status(), error_code(&body)),
            (*status, *code),
            "{tool} {arguments}: {body}"
        );
        assert_eq!(body["success"], false, "{body}");
        assert!(
            body["error_message"].as_str().is_some_and(|m| m.len() > 10),
            "an actionable message: {body}"
        );
    }
    assert_nothing_written(world);
}
