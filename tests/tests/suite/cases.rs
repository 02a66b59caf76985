//! The case and contact orchestrators end to end against the seeded sandbox:
//! `submit_guest_service_request`, `submit_maintenance_request`, `manage_cases_orchestrator` and
//! `upsert_contact_by_email`: their happy paths, every refusal (made before anything is written),
//! and a guest without a Contact composing their request from the atomic skills.

use crate::skills_support::{
    TOWELS_CASE, assert_nothing_written, assert_refused, contact_id, error_code, room,
};
use dewy_domain::objects::case::CaseStatus;
use dewy_e2e::{Ran, World, guest, housekeeping, maintenance, manager, staff};
use dewy_tools::cases::{SubmitGuestServiceRequest, SubmitMaintenanceRequest};
use serde_json::{Value, json};

/// guest2 (Brian Chen) is checked in to room 101; guest1 (Alice Johnson) to room 100.
const BRIAN: &str = "guest2@hotel.com";
const ALICE: &str = "guest1@hotel.com";
const MANAGER: &str = "manager1@hotel.com";
/// The seed's maintenance case (room 107, status Working).
const AC_CASE: &str = "9a7c4e2d-1b3f-4c8a-9e6d-5f2a1b7c8d34";

/// The case filed with `token`, with every field the tools write.
fn case(world: &World, token: &str) -> Value {
    world.one(&format!(
        "SELECT Id, CaseNumber, Status, Priority, Type, Origin, Subject, Description, ContactId, Room__c, \
         Booking__c FROM Case WHERE External_ID__c = '{token}'"
    ))
}

fn towels(token: &str) -> Value {
    json!({ "idempotency_token": token, "room_number": "101", "type": "Housekeeping",
            "priority": "Medium", "description": "Two extra bath towels, please." })
}

/// A guest files a request for the room they are staying in: one case, New from the Web, linked
/// to them, the room and their stay, in three sequential Salesforce round trips (the parallel
/// reads, the upsert, the read of the case number).
#[tokio::test]
async fn a_guest_files_a_service_request_for_their_room() {
    let world = World::start().await;
    let token = "b1a7c3e5-0001-4c1d-8e2f-3a4b5c6d7e8f";

    let Ran { output, invocation } = world
        .run::<SubmitGuestServiceRequest>(guest(BRIAN), towels(token))
        .await;

    assert_eq!(invocation.http_status(), 201, "{}", invocation.body());
    let stored = case(&world, token);
    let brian = contact_id(&world, BRIAN);
    let room_101 = room(&world, "101");
    let stay = world.one("SELECT Id FROM Booking__c WHERE External_ID__c = 'seed-booking-guest2-1'");
    assert_eq!(output.case_id, stored["Id"].as_str().unwrap());
    assert_eq!(output.case_number, stored["CaseNumber"].as_str().unwrap());
    assert_eq!(output.contact_id, brian);
    assert_eq!(output.room_id, room_101["Id"].as_str().unwrap());
    assert_eq!(output.room_number, "101");
    assert_eq!(output.room_status, "Occupied");
    assert_eq!(output.booking_id.as_deref(), stay["Id"].as_str());
    assert_eq!((output.status, output.created), (Some(CaseStatus::New), true));
    assert_eq!(stored["Status"], "New");
    assert_eq!(stored["Origin"], "Web");
    assert_eq!(stored["Type"], "Housekeeping");
    assert_eq!(stored["Priority"], "Medium");
    assert_eq!(stored["Subject"], "Two extra bath towels, please.");
    assert_eq!(stored["Booking__c"], stay["Id"]);
    assert_eq!(
        invocation.calls.sequential_round_trips, 3,
        "{:?}",
        invocation.calls
    );
    assert_eq!(
        invocation.calls.total_calls, 6,
        "four parallel reads, the upsert, the read-back"
    );
}

/// Staff may file for any guest and any room; the guest's stay is linked when there is one. The
/// subject is the description cut to 255 characters.
#[tokio::test]
async fn staff_file_a_request_for_a_guest_in_any_room() {
    let world = World::start().await;
    let long = "Please arrange a taxi to the airport. ".repeat(10);
    let token = "b1a7c3e5-0002-4c1d-8e2f-3a4b5c6d7e8f";

    let output = world
        .call(
            "submit_guest_service_request",
            staff(),
            json!({ "idempotency_token": token, "guest_email": ALICE, "room_number": "210",
                    "type": "Concierge", "priority": "Low", "description": long }),
        )
        .await
        .result
        .unwrap();

    assert_eq!(output["room_number"], "210");
    assert_eq!(output["booking_id"], Value::Null, "Alice has no stay in 210");
    let stored = case(&world, token);
    assert_eq!(stored["Subject"].as_str().unwrap().chars().count(), 255);
    assert_eq!(stored["Description"], long.trim());
}

/// A retry after the replay window finds the case its token filed and returns it (200,
/// created=false) without writing again; the same token for another request is refused.
#[tokio::test]
async fn a_token_files_one_request_only() {
    let mut world = World::start().await;
    let token = "b1a7c3e5-0003-4c1d-8e2f-3a4b5c6d7e8f";
    let first = world
        .call("submit_guest_service_request", guest(BRIAN), towels(token))
        .await
        .result
        .unwrap();
    world.forget_idempotency_records();
    world.sandbox.reset_stats();

    let again = world
        .call("submit_guest_service_request", guest(BRIAN), towels(token))
        .await;

    assert_eq!(again.http_status(), 200);
    let output = again.result.as_ref().unwrap();
    assert_eq!(
        (output["case_id"].clone(), output["created"].as_bool()),
        (first["case_id"].clone(), Some(false))
    );
    assert_eq!(again.calls.sequential_round_trips, 1, "reads only");
    assert_nothing_written(&world);

    // Someone else's case token (guest2's seeded towels case) from guest1, for their own room.
    assert_refused(
        &world,
        "submit_guest_service_request",
        &guest(ALICE),
        &[(
            json!({ "idempotency_token": TOWELS_CASE, "room_number": "100", "type": "Housekeeping",
                    "priority": "Low", "description": "Towels" }),
            422,
            "IDEMPOTENCY_KEY_REUSED",
        )],
    )
    .await;
}

/// Every refusal of `submit_guest_service_request`, each with its code and nothing written.
#[tokio::test]
async fn guest_service_requests_are_refused_before_anything_is_written() {
    let world = World::start().await;
    let t = "b1a7c3e5-0004-4c1d-8e2f-3a4b5c6d7e8f";
    let with = |changes: Value| {
        let mut arguments = towels(t);
        arguments["guest_email"] = json!(BRIAN);
        for (key, value) in changes.as_object().unwrap() {
            arguments[key] = value.clone();
        }
        arguments
    };
    assert_refused(
        &world,
        "submit_guest_service_request",
        &staff(),
        &[
            (
                json!({ "idempotency_token": t, "guest_email": BRIAN }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
            (with(json!({ "type": "Spa" })), 400, "VALIDATION_ERROR"),
            (with(json!({ "priority": "Whenever" })), 400, "VALIDATION_ERROR"),
            (with(json!({ "room_number": 101 })), 400, "VALIDATION_ERROR"),
            (with(json!({ "description": "   " })), 400, "VALIDATION_ERROR"),
            (with(json!({ "guest_email": "brian" })), 400, "VALIDATION_ERROR"),
            (
                with(json!({ "account_id": "001Dn0000000001IAA" })),
                400,
                "VALIDATION_ERROR",
            ),
            (with(json!({ "room_number": "999" })), 400, "ROOM_NOT_FOUND"),
            (
                with(json!({ "guest_email": MANAGER })),
                400,
                "INVALID_CONTACT_TYPE",
            ),
            (
                with(json!({ "guest_email": "nobody@example.com" })),
                400,
                "GUEST_CONTACT_NOT_FOUND",
            ),
        ],
    )
    .await;
    assert_refused(
        &world,
        "submit_guest_service_request",
        &guest(BRIAN),
        &[
            // Another guest's email: the token's email is the only one a guest may use.
            (with(json!({ "guest_email": ALICE })), 403, "FORBIDDEN"),
            // A room Brian is not staying in (Alice's).
            (
                with(json!({ "guest_email": null, "room_number": "100" })),
                403,
                "FORBIDDEN",
            ),
        ],
    )
    .await;
}

/// A guest with no Contact asks for towels and is told, with ready-made calls, to create their
/// contact and file the case with upsert_case; doing so succeeds.
#[tokio::test]
async fn a_guest_without_a_contact_creates_one_then_files_the_request_with_upsert_case() {
    let world = World::start().await;
    let nia = guest("nia.okoro@example.com");
    let token = "b1a7c3e5-0005-4c1d-8e2f-3a4b5c6d7e8f";
    world.sandbox.reset_stats();

    let refused = world
        .call(
            "submit_guest_service_request",
            nia.clone(),
            json!({ "idempotency_token": token, "guest_first_name": "Nia", "guest_last_name": "Okoro",
                    "room_number": "101", "type": "Housekeeping", "priority": "Medium",
                    "description": "I need towels in room 101" }),
        )
        .await;

    let body = refused.body();
    assert_eq!(
        (refused.http_status(), error_code(&body)),
        (400, "GUEST_CONTACT_NOT_FOUND")
    );
    let message = body["error_message"].as_str().unwrap();
    assert!(
        message.contains("create_contact") && message.contains("upsert_case"),
        "{message}"
    );
    assert_nothing_written(&world);

    let steps = body["details"]["next_steps"].as_array().unwrap();
    assert_eq!(
        (steps[0]["tool"].as_str(), steps[1]["tool"].as_str()),
        (Some("create_contact"), Some("upsert_case"))
    );
    let contact = world
        .call("create_contact", nia.clone(), steps[0]["arguments"].clone())
        .await
        .result
        .unwrap();
    let mut file = steps[1]["arguments"].clone();
    file["contact_id"] = contact["id"].clone();
    let filed = world.call("upsert_case", nia, file).await;

    let output = filed.result.unwrap();
    assert_eq!(
        (output["created"].as_bool(), output["status"].as_str()),
        (Some(true), Some("New"))
    );
    let stored = case(&world, token);
    assert_eq!(stored["ContactId"], contact["id"]);
    assert_eq!(
        stored["Room__c"],
        Value::Null,
        "room 101 is no stay of Nia's: a guest names only the room of a stay on record"
    );
    assert_eq!(
        (stored["Origin"].as_str(), stored["Type"].as_str()),
        (Some("Web"), Some("Housekeeping"))
    );
}

/// A manager's maintenance request: a case of type Maintenance, origin Internal, status New,
/// linked to the manager and the room, whose status is left alone.
#[tokio::test]
async fn a_manager_files_a_maintenance_request() {
    let world = World::start().await;
    let token = "b1a7c3e5-0006-4c1d-8e2f-3a4b5c6d7e8f";

    let Ran { output, invocation } = world
        .run::<SubmitMaintenanceRequest>(
            maintenance(),
            json!({ "idempotency_token": token, "manager_email": MANAGER, "room_number": "108",
                    "type": "Facilities", "priority": "High", "description": "Balcony door does not lock." }),
        )
        .await;

    assert_eq!(invocation.http_status(), 201, "{}", invocation.body());
    let stored = case(&world, token);
    assert_eq!(output.case_number, stored["CaseNumber"].as_str().unwrap());
    assert_eq!(output.contact_id, contact_id(&world, MANAGER));
    assert_eq!(
        (output.room_number.as_str(), output.room_status.as_str()),
        ("108", "Vacant")
    );
    assert_eq!(
        (stored["Type"].as_str(), stored["Origin"].as_str()),
        (Some("Facilities"), Some("Internal"))
    );
    assert_eq!(
        (stored["Status"].as_str(), stored["Priority"].as_str()),
        (Some("New"), Some("High"))
    );
    assert_eq!(
        room(&world, "108")["Status__c"],
        "Vacant",
        "the room's status is not changed"
    );
}

/// Every refusal of `submit_maintenance_request`, each with its code, nothing written and nothing
/// texted.
#[tokio::test]
async fn maintenance_requests_are_refused_before_anything_is_written() {
    let world = World::start().await;
    let t = "b1a7c3e5-0007-4c1d-8e2f-3a4b5c6d7e8f";
    let with = |changes: Value| {
        let mut arguments = json!({ "idempotency_token": t, "manager_email": MANAGER, "room_number": "107",
                                    "type": "Maintenance", "priority": "Urgent", "description": "Leak" });
        for (key, value) in changes.as_object().unwrap() {
            arguments[key] = value.clone();
        }
        arguments
    };
    assert_refused(
        &world,
        "submit_maintenance_request",
        &maintenance(),
        &[
            (
                json!({ "idempotency_token": t, "room_number": "107" }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
            (with(json!({ "type": "Housekeeping" })), 400, "VALIDATION_ERROR"),
            (with(json!({ "priority": "Critical" })), 400, "VALIDATION_ERROR"),
            (with(json!({ "room_number": ["107"] })), 400, "VALIDATION_ERROR"),
            (
                with(json!({ "manager_email": "nobody@dewyhotel.com" })),
                400,
                "MANAGER_CONTACT_NOT_FOUND",
            ),
            (
                with(json!({ "manager_email": "kay@example.com" })),
                400,
                "INVALID_CONTACT_TYPE",
            ),
            (with(json!({ "room_number": "999" })), 400, "ROOM_NOT_FOUND"),
        ],
    )
    .await;
    assert_refused(
        &world,
        "submit_maintenance_request",
        &guest(BRIAN),
        &[(with(json!({})), 403, "FORBIDDEN")],
    )
    .await;
    assert!(
        world.twilio.messages().is_empty(),
        "nothing texted for a refused request"
    );
}

/// Staff create a case by a new token, then move it through its lifecycle; an illegal move is
/// refused with nothing written, and a change to nothing writes nothing.
#[tokio::test]
async fn staff_create_a_case_and_change_it_within_its_lifecycle() {
    let world = World::start().await;
    let token = "b1a7c3e5-0008-4c1d-8e2f-3a4b5c6d7e8f";

    let created = world
        .call(
            "manage_cases_orchestrator",
            housekeeping(),
            json!({ "idempotency_token": token, "guest_email": "kay@example.com", "room_number": "105",
                    "type": "Concierge", "priority": "Low", "description": "Late check-out requested." }),
        )
        .await;
    assert_eq!(created.http_status(), 201, "{}", created.body());
    let output = created.result.as_ref().unwrap();
    let stored = case(&world, token);
    assert_eq!(output["case_number"], stored["CaseNumber"]);
    assert_eq!(
        (output["status"].as_str(), output["created"].as_bool()),
        (Some("New"), Some(true))
    );
    assert_eq!(
        (stored["Origin"].as_str(), stored["Subject"].as_str()),
        (Some("Internal"), Some("Late check-out requested."))
    );
    assert_eq!(
        stored["ContactId"],
        contact_id(&world, "kay@example.com").as_str()
    );
    assert_eq!(stored["Room__c"], room(&world, "105")["Id"]);
    assert_eq!(created.calls.sequential_round_trips, 3, "{:?}", created.calls);

    let working = world
        .call(
            "manage_cases_orchestrator",
            housekeeping(),
            json!({ "idempotency_token": token, "status": "Working", "priority": "High" }),
        )
        .await;
    assert_eq!(working.http_status(), 200);
    let output = working.result.as_ref().unwrap();
    assert_eq!(
        (output["status"].as_str(), output["created"].as_bool()),
        (Some("Working"), Some(false))
    );
    assert_eq!(
        working.calls.sequential_round_trips, 2,
        "the reads, then the update"
    );
    let stored = case(&world, token);
    assert_eq!(
        (stored["Status"].as_str(), stored["Priority"].as_str()),
        (Some("Working"), Some("High"))
    );
    assert_eq!(stored["Type"], "Concierge", "fields left out stay as they are");

    world.sandbox.reset_stats();
    let unchanged = world
        .call(
            "manage_cases_orchestrator",
            housekeeping(),
            json!({ "idempotency_token": token, "priority": "High" }),
        )
        .await;
    assert_eq!(unchanged.result.unwrap()["status"], "Working");
    assert_nothing_written(&world);

    assert_refused(
        &world,
        "manage_cases_orchestrator",
        &housekeeping(),
        &[(
            json!({ "idempotency_token": token, "status": "New" }),
            409,
            "INVALID_STATE_TRANSITION",
        )],
    )
    .await;
    assert_eq!(case(&world, token)["Status"], "Working");
}

/// Every refusal of `manage_cases_orchestrator`, each with its code and nothing written.
#[tokio::test]
async fn case_management_is_refused_before_anything_is_written() {
    let world = World::start().await;
    let new = "b1a7c3e5-0009-4c1d-8e2f-3a4b5c6d7e8f";
    assert_refused(
        &world,
        "manage_cases_orchestrator",
        &manager(),
        &[
            (json!({ "status": "Closed" }), 400, "REQUIRED_FIELDS_MISSING"),
            (
                json!({ "idempotency_token": AC_CASE, "status": "Done" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "idempotency_token": AC_CASE, "type": "Spa" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "idempotency_token": AC_CASE, "priority": 3 }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "idempotency_token": AC_CASE, "status": "New" }),
                409,
                "INVALID_STATE_TRANSITION",
            ),
            (
                json!({ "idempotency_token": AC_CASE, "guest_email": "nobody@example.com" }),
                400,
                "GUEST_CONTACT_NOT_FOUND",
            ),
            (
                json!({ "idempotency_token": AC_CASE, "room_number": "999" }),
                400,
                "ROOM_NOT_FOUND",
            ),
            (
                json!({ "idempotency_token": new, "priority": "Low" }),
                400,
                "VALIDATION_ERROR",
            ),
        ],
    )
    .await;
    assert_refused(
        &world,
        "manage_cases_orchestrator",
        &guest(BRIAN),
        &[(
            json!({ "idempotency_token": TOWELS_CASE, "status": "Closed" }),
            403,
            "FORBIDDEN",
        )],
    )
    .await;
    assert_eq!(case(&world, AC_CASE)["Status"], "Working");
}

/// An existing contact is returned unchanged (200, found); a new email is created (201) with the
/// given fields, and found on the next call.
#[tokio::test]
async fn upsert_contact_by_email_finds_or_creates_without_changing_an_existing_contact() {
    let mut world = World::start().await;
    world.sandbox.reset_stats();
    let kay = world
        .call(
            "upsert_contact_by_email",
            staff(),
            json!({ "email": "kay@example.com", "first_name": "Katherine", "last_name": "N", "contact_type": "Vendor" }),
        )
        .await;
    assert_eq!(kay.http_status(), 200);
    assert_eq!(
        kay.result.unwrap(),
        json!({ "found": true, "created": false, "contact_id": contact_id(&world, "kay@example.com") })
    );
    assert_nothing_written(&world);
    let unchanged =
        world.one("SELECT FirstName, Contact_Type__c FROM Contact WHERE Unique_Email__c = 'kay@example.com'");
    assert_eq!(
        (
            unchanged["FirstName"].as_str(),
            unchanged["Contact_Type__c"].as_str()
        ),
        (Some("Kay"), Some("Guest"))
    );

    let arguments = json!({ "email": "Tess.Lindqvist@Example.com", "first_name": "Tess", "last_name": "Lindqvist",
                            "phone": "+1 555 010 0177", "contact_type": "Vendor" });
    let created = world
        .call("upsert_contact_by_email", staff(), arguments.clone())
        .await;
    assert_eq!(created.http_status(), 201, "{}", created.body());
    let output = created.result.unwrap();
    assert_eq!(
        (output["found"].as_bool(), output["created"].as_bool()),
        (Some(false), Some(true))
    );
    let stored = world.one(
        "SELECT Id, FirstName, LastName, Email, Phone, Contact_Type__c FROM Contact \
         WHERE Unique_Email__c = 'tess.lindqvist@example.com'",
    );
    assert_eq!(stored["Id"], output["contact_id"]);
    assert_eq!(
        (stored["FirstName"].as_str(), stored["LastName"].as_str()),
        (Some("Tess"), Some("Lindqvist"))
    );
    assert_eq!(
        (stored["Phone"].as_str(), stored["Contact_Type__c"].as_str()),
        (Some("+1 555 010 0177"), Some("Vendor"))
    );

    world.forget_idempotency_records();
    let again = world.call("upsert_contact_by_email", staff(), arguments).await;
    assert_eq!(again.http_status(), 200);
    assert_eq!(again.result.unwrap()["found"], true);
}

/// Every refusal of `upsert_contact_by_email`, each with its code and nothing written.
#[tokio::test]
async fn upsert_contact_by_email_is_refused_before_anything_is_written() {
    let world = World::start().await;
    let base = json!({ "email": "new.vendor@example.com", "first_name": "Ana", "last_name": "Silva", "contact_type": "Vendor" });
    let with = |key: &str, value: Value| {
        let mut arguments = base.clone();
        arguments[key] = value;
        arguments
    };
    assert_refused(
        &world,
        "upsert_contact_by_email",
        &staff(),
        &[
            (
                json!({ "email": "new.vendor@example.com", "first_name": "Ana", "contact_type": "Vendor" }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
            (
                with("account_id", json!("001Dn0000000001IAA")),
                400,
                "VALIDATION_ERROR",
            ),
            (with("contact_type", json!("Owner")), 400, "VALIDATION_ERROR"),
            (with("email", json!("not-an-email")), 400, "VALIDATION_ERROR"),
            (with("last_name", json!("")), 400, "VALIDATION_ERROR"),
            (with("phone", json!(5550100)), 400, "VALIDATION_ERROR"),
        ],
    )
    .await;
    assert_refused(
        &world,
        "upsert_contact_by_email",
        &guest(BRIAN),
        &[(base.clone(), 403, "FORBIDDEN")],
    )
    .await;
}
