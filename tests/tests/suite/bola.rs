//! Object-level authorization, complete for guests: every guest-callable tool × every input field
//! that names a record, generated from the tools' input schemas as a guest sees them, so that a
//! new field cannot be forgotten (an unclassified field fails the table).
//!
//! Alice (guest1, checked into room 100) names a record of Brian (guest2, checked into room 101),
//! then a record that does not exist. For a field naming an existing record the two answers must
//! be the same refusal (status, code, message and details, the value itself aside), so that a
//! guest learns nothing about other guests' records. For a field that keys a *new* record (a
//! client-chosen id, free ones create), naming Brian's must be refused. Either way nothing is
//! written to Salesforce or Stripe.

use crate::skills_support::{NO_CONTACT, NO_ROOM, TOWELS_CASE, contact_id, day, writes};
use dewy_e2e::{World, guest};
use dewy_tool::{Invocation, Persona};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const ALICE: &str = "guest1@hotel.com";
const BRIAN: &str = "guest2@hotel.com";

/// What an input field of a guest tool is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    /// Names a record that must be the caller's own.
    Owned(Record),
    /// Keys a new record: a free value creates one, another guest's must be refused.
    NewKey(Record),
    /// Names a record any guest may name (a room to book), with the reason.
    Public(&'static str),
}

/// The kinds of record a field names, each with Brian's value and a value no record has.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Record {
    BookingNumber,
    BookingExternalId,
    RoomNumber,
    RoomId,
    ContactId,
    PaymentIntent,
    CaseToken,
    Light,
    Thermostat,
    Blinds,
}

/// Every field of a guest tool that names a record, by tool and field.
const REFERENCES: &[(&str, &str, Field)] = &[
    (
        "check_in_guest",
        "booking_number",
        Field::Owned(Record::BookingNumber),
    ),
    (
        "process_guest_checkout",
        "booking_number",
        Field::Owned(Record::BookingNumber),
    ),
    (
        "process_guest_checkout",
        "room_number",
        Field::Owned(Record::RoomNumber),
    ),
    (
        "process_guest_checkout",
        "payment_intent_id",
        Field::Owned(Record::PaymentIntent),
    ),
    (
        "get_stay_folio",
        "booking_number",
        Field::Owned(Record::BookingNumber),
    ),
    ("get_stay_folio", "room_number", Field::Owned(Record::RoomNumber)),
    (
        "create_booking_orchestrator",
        "booking_external_id",
        Field::NewKey(Record::BookingExternalId),
    ),
    (
        "create_booking_orchestrator",
        "room_number",
        Field::Public("any guest may book any room"),
    ),
    (
        "manage_booking_orchestrator",
        "external_id",
        Field::Owned(Record::BookingExternalId),
    ),
    (
        "manage_booking_orchestrator",
        "room_number",
        Field::Public("a booking may move to any room"),
    ),
    (
        "submit_guest_service_request",
        "room_number",
        Field::Owned(Record::RoomNumber),
    ),
    (
        "submit_guest_service_request",
        "idempotency_token",
        Field::NewKey(Record::CaseToken),
    ),
    (
        "create_contact",
        "account_id",
        Field::Public("an Account is a company, not a guest's"),
    ),
    (
        "upsert_contact",
        "account_id",
        Field::Public("an Account is a company, not a guest's"),
    ),
    ("upsert_case", "contact_id", Field::Owned(Record::ContactId)),
    ("upsert_case", "room_id", Field::Owned(Record::RoomId)),
    (
        "upsert_case",
        "idempotency_token",
        Field::NewKey(Record::CaseToken),
    ),
    (
        "list_room_devices",
        "room_number",
        Field::Owned(Record::RoomNumber),
    ),
    ("control_light", "device_id", Field::Owned(Record::Light)),
    ("set_thermostat", "device_id", Field::Owned(Record::Thermostat)),
    ("set_blinds", "device_id", Field::Owned(Record::Blinds)),
];

/// Fields of guest tools that name no record (values, dates, filters), or a call's own token.
const NOT_RECORDS: &[&str] = &[
    "action",
    "amount",
    "amount_override_reason",
    "brightness_pct",
    "case_type_filter",
    "check_in_date",
    "check_out_date",
    "color",
    "contact_type",
    "description",
    "effect",
    "first_name",
    "guest_first_name",
    "guest_last_name",
    "guest_name",
    "guest_phone",
    "hue",
    "last_name",
    "limit",
    "mode",
    "number_of_guests",
    "origin",
    "payment_id",
    "payment_method_id",
    "phone",
    "position",
    "power",
    "priority",
    "return_url",
    "saturation",
    "special_requests",
    "status",
    "status_filter",
    "subject",
    "temperature",
    "type",
    "unit",
];

/// The idempotency tokens that key only the call, scoped to the caller (a checkout, a device
/// command): not a record another guest could reach.
const CALL_TOKENS: &[(&str, &str)] = &[
    ("process_guest_checkout", "idempotency_token"),
    ("control_light", "idempotency_token"),
    ("set_thermostat", "idempotency_token"),
    ("set_blinds", "idempotency_token"),
];

/// Alice's call of `tool`, with everything but the field under test.
fn base(world: &World, tool: &str, n: usize) -> Value {
    let token = dewy_e2e::uuid_v4_from(n as u128 + 1);
    match tool {
        "process_guest_checkout" => json!({
            "guest_name": "Alice Johnson", "payment_method_id": "pm_card_visa", "idempotency_token": token,
        }),
        "manage_booking_orchestrator" => json!({ "special_requests": "A quiet room, please" }),
        "submit_guest_service_request" => json!({
            "idempotency_token": token, "room_number": "100", "type": "Housekeeping", "priority": "Low",
            "description": "Two extra towels, please.",
        }),
        "control_light" => json!({ "power": "on", "idempotency_token": token }),
        "set_thermostat" => json!({ "mode": "heat", "idempotency_token": token }),
        "set_blinds" => json!({ "action": "open", "idempotency_token": token }),
        "upsert_case" => json!({
            "idempotency_token": token, "contact_id": contact_id(world, ALICE), "subject": "Towels",
        }),
        "create_booking_orchestrator" => json!({
            "booking_external_id": token, "guest_first_name": "Alice", "guest_last_name": "Johnson",
            "room_number": "209", "check_in_date": day(40), "check_out_date": day(42),
        }),
        _ => json!({}),
    }
}

/// Brian's record of `kind`, and a value of the same shape that names nothing.
fn values(world: &World, kind: Record, brians_payment: &str) -> (String, String) {
    let brians_booking = world
        .one("SELECT Name, External_ID__c FROM Booking__c WHERE External_ID__c = 'seed-booking-guest2-1'");
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    match kind {
        Record::BookingNumber => (text(&brians_booking["Name"]), "BK-9999".into()),
        Record::BookingExternalId => ("seed-booking-guest2-1".into(), "no-such-booking".into()),
        Record::RoomNumber => ("101".into(), "999".into()),
        Record::RoomId => (
            text(&crate::skills_support::room(world, "101")["Id"]),
            NO_ROOM.into(),
        ),
        Record::ContactId => (contact_id(world, BRIAN), NO_CONTACT.into()),
        Record::PaymentIntent => (brians_payment.into(), "pi_3MtwBwLkdIwHu7ix28a3tqPa".into()),
        Record::CaseToken => (TOWELS_CASE.into(), dewy_e2e::uuid_v4_from(999)),
        Record::Light => ("light.room_101_main".into(), "light.room_999_main".into()),
        Record::Thermostat => ("climate.room_101".into(), "climate.room_999".into()),
        Record::Blinds => ("cover.room_101_blinds".into(), "cover.room_999_blinds".into()),
    }
}

/// Every guest tool's guest-visible input fields.
fn guest_fields() -> Vec<(&'static str, String)> {
    let mut fields = Vec::new();
    for tool in dewy_tools::TOOLS {
        if !tool.spec().allows(&[Persona::Guest]) {
            continue;
        }
        let schema = tool.input_schema_for(&[Persona::Guest]);
        for field in schema["properties"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.keys())
        {
            fields.push((tool.spec().name, field.clone()));
        }
    }
    fields
}

/// The answer with `value` blanked out, to compare two refusals that name different values.
fn answer(invocation: &Invocation, value: &str) -> (u16, String) {
    let body = invocation.body().to_string().replace(value, "<value>");
    (invocation.http_status(), body)
}

#[test]
fn every_field_of_every_guest_tool_is_classified() {
    let unclassified: Vec<String> = guest_fields()
        .into_iter()
        .filter(|(tool, field)| {
            let listed = REFERENCES.iter().any(|(t, f, _)| t == tool && f == field)
                || CALL_TOKENS.iter().any(|(t, f)| t == tool && f == field);
            !listed && !NOT_RECORDS.contains(&field.as_str())
        })
        .map(|(tool, field)| format!("{tool}.{field}"))
        .collect();
    assert!(
        unclassified.is_empty(),
        "classify these guest input fields (a record reference, or not one): {unclassified:?}"
    );
    let known: BTreeSet<(&str, String)> = guest_fields().into_iter().collect();
    for (tool, field, _) in REFERENCES {
        assert!(
            known.contains(&(*tool, field.to_string())),
            "{tool}.{field} is no longer a guest field"
        );
    }
}

#[tokio::test]
async fn a_guest_is_refused_every_record_not_theirs_alike() {
    let world = World::start().await;
    // Brian has a payment of his own: a 3-D Secure checkout waiting for him.
    let mut waiting = json!({ "guest_name": "Brian Chen", "payment_method_id": "pm_card_authenticationRequired",
                              "idempotency_token": "brians-payment" });
    waiting["return_url"] = json!("https://dewy.example/done");
    let started = world.call("process_guest_checkout", guest(BRIAN), waiting).await;
    assert_eq!(started.http_status(), 202, "{}", started.body());
    let brians_payment = started.body()["payment_intent_id"].as_str().unwrap().to_owned();
    let brians_case = crate::skills_support::case(&world, TOWELS_CASE);

    let mut checked = 0;
    let mut n = 0;
    for (tool, field, kind) in REFERENCES {
        let record = match kind {
            Field::Owned(record) | Field::NewKey(record) => *record,
            Field::Public(_) => continue,
        };
        let (brians, missing) = values(&world, record, &brians_payment);
        let call = |value: &str, n: usize| {
            let mut arguments = base(&world, tool, n);
            arguments[*field] = json!(value);
            world.call(tool, guest(ALICE), arguments)
        };
        world.sandbox.reset_stats();
        let payments_before = world.stripe.payment_intents().len();
        n += 2;
        let stranger = call(&brians, n).await;
        let case = format!("{tool}.{field} = Brian's {brians}: {}", stranger.body());
        assert!(!(200..300).contains(&stranger.http_status()), "{case}");
        if let Field::Owned(_) = kind {
            let nothing = call(&missing, n + 1).await;
            assert_eq!(
                answer(&stranger, &brians),
                answer(&nothing, &missing),
                "{tool}.{field}: Brian's record and a missing one must get the same answer"
            );
        }
        assert!(writes(&world).is_empty(), "{case}: wrote {:?}", writes(&world));
        assert!(
            !world
                .home_assistant
                .request_log()
                .iter()
                .any(|r| r.path.starts_with("/api/services/")),
            "{case}: a device was commanded"
        );
        assert_eq!(
            world.stripe.payment_intents().len(),
            payments_before,
            "{case}: charged"
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        REFERENCES
            .iter()
            .filter(|(_, _, k)| !matches!(k, Field::Public(_)))
            .count()
    );
    assert_eq!(
        crate::skills_support::case(&world, TOWELS_CASE),
        brians_case,
        "Brian's case untouched"
    );
    let brians_booking = crate::skills_support::booking(&world, "seed-booking-guest2-1");
    assert_eq!(brians_booking["Status__c"], "Checked In");
    assert_eq!(brians_booking["Special_Requests__c"], Value::Null);
}
