//! The Salesforce atomic create and upsert skills end to end: contacts upserted on their email,
//! opportunities, bookings and cases upserted on their external ids, guests kept to their own
//! records, and every refusal made before anything is written.

use crate::skills_support::{
    NO_CONTACT, NO_OPPORTUNITY, NO_ROOM, TOWELS_CASE, assert_refused, booking, case, contact_id, day,
    error_code, merged, opportunity, room, writes,
};
use dewy_e2e::{World, guest, housekeeping, manager, staff};
use serde_json::{Value, json};

const NEW_GUEST: &str = "new.guest@example.com";

fn contact(world: &World, email: &str) -> Value {
    world.one(&format!(
        "SELECT Id, FirstName, LastName, Email, Phone, Contact_Type__c, AccountId FROM Contact \
         WHERE Unique_Email__c = '{email}'"
    ))
}

/// Staff create a contact, then the same email updates it (no duplicate), under either name of
/// the one tool; fields left out stay as they were.
#[tokio::test]
async fn create_contact_and_upsert_contact_are_one_upsert_on_the_email() {
    let world = World::start().await;
    let created = world
        .call(
            "create_contact",
            staff(),
            json!({ "email": NEW_GUEST, "first_name": "Nia", "last_name": "Okoro", "phone": "+15550100999",
                    "contact_type": "Vendor" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(created["created"], true);
    assert_eq!(created["email"], NEW_GUEST);
    let stored = contact(&world, NEW_GUEST);
    assert_eq!(created["id"], stored["Id"]);
    assert_eq!(
        (
            stored["FirstName"].as_str(),
            stored["LastName"].as_str(),
            stored["Email"].as_str()
        ),
        (Some("Nia"), Some("Okoro"), Some(NEW_GUEST))
    );
    assert_eq!(stored["Contact_Type__c"], "Vendor");

    for (tool, last) in [("upsert_contact", "Okoro-Bell"), ("create_contact", "Bell")] {
        let updated = world
            .call(
                tool,
                staff(),
                json!({ "email": NEW_GUEST.to_uppercase(), "last_name": last }),
            )
            .await
            .result
            .unwrap();
        assert_eq!(
            (updated["created"].as_bool(), &updated["id"]),
            (Some(false), &stored["Id"]),
            "{tool}"
        );
        let after = contact(&world, NEW_GUEST);
        assert_eq!(after["LastName"], last);
        assert_eq!(
            (after["FirstName"].as_str(), after["Contact_Type__c"].as_str()),
            (Some("Nia"), Some("Vendor")),
            "left as they were"
        );
    }
    let count = world
        .sandbox
        .query(&format!(
            "SELECT Id FROM Contact WHERE Unique_Email__c = '{NEW_GUEST}'"
        ))
        .unwrap();
    assert_eq!(count.len(), 1, "never a duplicate");
}

/// Bad input and unknown accounts are refused before anything is written.
#[tokio::test]
async fn create_contact_refuses_bad_input() {
    let world = World::start().await;
    assert_refused(
        &world,
        "create_contact",
        &staff(),
        &[
            (json!({ "email": NEW_GUEST }), 400, "REQUIRED_FIELDS_MISSING"),
            (json!({ "last_name": "Okoro" }), 400, "REQUIRED_FIELDS_MISSING"),
            (
                json!({ "email": "new.guest", "last_name": "Okoro" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "email": NEW_GUEST, "last_name": "   " }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "email": NEW_GUEST, "last_name": "Okoro", "first_name": "N".repeat(41) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "email": NEW_GUEST, "last_name": "Okoro", "contact_type": "VIP" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "email": NEW_GUEST, "last_name": "Okoro", "account_id": "hotel" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "email": NEW_GUEST, "last_name": "Okoro", "account_id": "001Dn0000000000IAA" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "email": NEW_GUEST, "last_name": "Okoro", "account_id": "07171e00Yxkb40DIj5" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "email": NEW_GUEST, "last_name": "Okoro", "type": "Guest" }),
                400,
                "VALIDATION_ERROR",
            ),
        ],
    )
    .await;
    assert!(
        world
            .sandbox
            .query(&format!(
                "SELECT Id FROM Contact WHERE Unique_Email__c = '{NEW_GUEST}'"
            ))
            .unwrap()
            .is_empty()
    );
}

/// A guest creates only their own guest profile: the email comes from the token, the type is
/// Guest, and staff or vendor profiles, other emails and accounts are refused.
#[tokio::test]
async fn a_guest_creates_only_their_own_guest_contact() {
    let world = World::start().await;
    assert_refused(
        &world,
        "create_contact",
        &guest(NEW_GUEST),
        &[
            (
                json!({ "last_name": "Okoro", "contact_type": "Manager" }),
                403,
                "FORBIDDEN",
            ),
            (
                json!({ "email": "someone.else@example.com", "last_name": "Okoro" }),
                403,
                "FORBIDDEN",
            ),
            (
                json!({ "last_name": "Okoro", "account_id": "001Dn0000000000IAA" }),
                403,
                "FORBIDDEN",
            ),
        ],
    )
    .await;

    let own = world
        .call(
            "upsert_contact",
            guest(NEW_GUEST),
            json!({ "first_name": "Nia", "last_name": "Okoro" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(
        (own["created"].as_bool(), own["email"].as_str()),
        (Some(true), Some(NEW_GUEST))
    );
    assert_eq!(contact(&world, NEW_GUEST)["Contact_Type__c"], "Guest");
}

/// An opportunity for an existing guest, named after them, filed under their contact.
#[tokio::test]
async fn create_opportunity_files_an_opportunity_for_a_guest() {
    let world = World::start().await;
    let created = world
        .call(
            "create_opportunity",
            manager(),
            json!({ "contact_email": "kay@example.com", "stage_name": "Booking Confirmed",
                    "close_date": day(10), "amount": 449.97 }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(created["created"], true);
    let name = format!("Booking for Kay Nakamura - {}", day(10));
    assert_eq!(created["name"], name);
    let stored = opportunity(&world, created["opportunity_id"].as_str().unwrap());
    assert_eq!(stored["Name"], name);
    assert_eq!(stored["StageName"], "Booking Confirmed");
    assert_eq!(stored["CloseDate"], day(10));
    assert_eq!(stored["Amount"], 449.97);
    assert_eq!(stored["Type"], "New Business", "the original's default");
    assert_eq!(stored["ContactId"], contact_id(&world, "kay@example.com"));
    assert_eq!(created["contact_id"], stored["ContactId"]);

    let typed = world
        .call(
            "create_opportunity",
            manager(),
            json!({ "contact_email": "kay@example.com", "stage_name": "Prospecting", "close_date": day(20),
                    "type": "Existing Customer - Upgrade" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(
        opportunity(&world, typed["opportunity_id"].as_str().unwrap())["Type"],
        "Existing Customer - Upgrade"
    );
}

/// An unknown guest is the original's 404; bad input is a 400; guests may not create opportunities.
#[tokio::test]
async fn create_opportunity_refuses_unknown_guests_and_bad_input() {
    let world = World::start().await;
    let base = json!({ "contact_email": "kay@example.com", "stage_name": "Booking Confirmed",
                       "close_date": day(10) });
    let with = |changes: Value| merged(&base, changes);
    assert_refused(
        &world,
        "create_opportunity",
        &manager(),
        &[
            (
                with(json!({ "contact_email": "nobody@example.com" })),
                404,
                "GUEST_NOT_FOUND",
            ),
            (with(json!({ "stage_name": "Won" })), 400, "VALIDATION_ERROR"),
            (
                with(json!({ "close_date": "next week" })),
                400,
                "VALIDATION_ERROR",
            ),
            (with(json!({ "amount": -1 })), 400, "VALIDATION_ERROR"),
            (with(json!({ "amount": "100" })), 400, "VALIDATION_ERROR"),
            (
                json!({ "contact_email": "kay@example.com", "stage_name": "Prospecting" }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
        ],
    )
    .await;
    assert_refused(
        &world,
        "create_opportunity",
        &guest("kay@example.com"),
        &[(with(json!({})), 403, "FORBIDDEN")],
    )
    .await;
}

/// A new booking starts Reserved with one guest and is read back with its room's number; an
/// upsert of an existing booking keeps its status (the original reset it to Reserved).
#[tokio::test]
async fn upsert_booking_creates_reserved_and_keeps_an_existing_status() {
    let world = World::start().await;
    let kay = booking(&world, "seed-booking-kay-1");
    let free_room = room(&world, "208");
    let external_id = "0b7e8a8e-3f5d-4d1e-9b7a-2c1d3e4f5a6b";
    let created = world
        .call(
            "upsert_booking",
            staff(),
            json!({ "external_id": external_id, "opportunity_id": kay["Opportunity__c"],
                    "contact_id": kay["Primary_Guest__c"], "room_id": free_room["Id"],
                    "check_in_date": day(30), "check_out_date": day(32), "special_requests": "Quiet room, please" }),
        )
        .await;
    assert_eq!(
        created.calls.sequential_round_trips, 3,
        "read, write, read back: {:?}",
        created.calls
    );
    let created = created.result.unwrap();
    assert_eq!(created["created"], true);
    assert_eq!(created["status"], "Reserved");
    assert_eq!(created["number_of_guests"], 1);
    assert_eq!(created["room_number"], "208");
    assert_eq!(created["total_nights"], 2);
    assert_eq!(created["guest_email"], "kay@example.com");
    assert_eq!(created["special_requests"], "Quiet room, please");
    assert_eq!(booking(&world, external_id)["Status__c"], "Reserved");

    // Kay has checked in: moving her departure keeps her Checked In.
    world
        .sandbox
        .update(
            "Booking__c",
            kay["Id"].as_str().unwrap(),
            json!({ "Status__c": "Checked In" }),
        )
        .unwrap();
    let updated = world
        .call(
            "upsert_booking",
            staff(),
            json!({ "external_id": "seed-booking-kay-1", "check_out_date": day(4), "number_of_guests": 3 }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(updated["created"], false);
    assert_eq!(
        updated["status"], "Checked In",
        "an existing booking keeps its status"
    );
    assert_eq!(updated["booking_id"], kay["Id"]);
    let after = booking(&world, "seed-booking-kay-1");
    assert_eq!(
        (after["Status__c"].as_str(), after["Check_Out_Date__c"].as_str()),
        (Some("Checked In"), Some(day(4).as_str()))
    );
    assert_eq!(after["Number_of_Guests__c"], 3.0);
    assert_eq!(
        after["Special_Requests__c"], "Late arrival, around 9pm",
        "left as it was"
    );
}

/// `upsert_booking` books no night twice: a booking into nights another live booking of the room
/// holds (new, or moved there) is refused with nothing written; the same nights in another room,
/// or a change that takes no new night, pass.
#[tokio::test]
async fn upsert_booking_refuses_a_room_night_already_booked() {
    let world = World::start().await;
    let kay = booking(&world, "seed-booking-kay-1");
    let room_208 = room(&world, "208");
    let upsert = |external_id: &str, room: &Value, from: i64, to: i64| {
        json!({ "external_id": external_id, "opportunity_id": kay["Opportunity__c"], "room_id": room["Id"],
                "check_in_date": day(from), "check_out_date": day(to) })
    };
    let first = world
        .call(
            "upsert_booking",
            staff(),
            upsert("upsert-first", &room_208, 30, 32),
        )
        .await;
    assert_eq!(first.http_status(), 201, "{}", first.body());

    world.sandbox.reset_stats();
    let clash = world
        .call(
            "upsert_booking",
            staff(),
            upsert("upsert-second", &room_208, 31, 33),
        )
        .await;
    let body = clash.body();
    assert_eq!(
        (clash.http_status(), error_code(&body)),
        (409, "ROOM_ALREADY_BOOKED"),
        "{body}"
    );
    assert_eq!(body["details"]["conflict_count"], 1);
    assert!(writes(&world).is_empty(), "nothing written: {:?}", writes(&world));

    // The first booking's own nights are not a clash with itself.
    let itself = world
        .call(
            "upsert_booking",
            staff(),
            upsert("upsert-first", &room_208, 30, 33),
        )
        .await;
    assert_eq!(itself.http_status(), 200, "{}", itself.body());
    let elsewhere = world
        .call(
            "upsert_booking",
            staff(),
            upsert("upsert-second", &room(&world, "207"), 31, 33),
        )
        .await;
    assert_eq!(elsewhere.http_status(), 201, "{}", elsewhere.body());
    // Moving it into the first booking's nights is refused, and it stays where it was.
    let moved = world
        .call(
            "upsert_booking",
            staff(),
            upsert("upsert-second", &room_208, 31, 33),
        )
        .await;
    assert_eq!(error_code(&moved.body()), "ROOM_ALREADY_BOOKED");
    assert_eq!(
        booking(&world, "upsert-second")["Room__c"],
        room(&world, "207")["Id"]
    );
}

/// Every record the input names must exist, a new booking needs its opportunity, and the dates
/// must run forward, all checked before anything is written.
#[tokio::test]
async fn upsert_booking_refuses_missing_records_and_bad_input() {
    let world = World::start().await;
    let kay = booking(&world, "seed-booking-kay-1");
    let opportunity_id = kay["Opportunity__c"].clone();
    let base = json!({ "external_id": "new-booking-1", "opportunity_id": opportunity_id });
    let new = |changes: Value| merged(&base, changes);
    let seed = world
        .one("SELECT Opportunity__c, Room__c FROM Booking__c WHERE External_ID__c = 'seed-booking-liam-1'");
    world
        .sandbox
        .insert(
            "Booking__c",
            json!({ "Opportunity__c": seed["Opportunity__c"], "External_ID__c": "shared-id" }),
        )
        .unwrap();
    world
        .sandbox
        .insert(
            "Booking__c",
            json!({ "Opportunity__c": seed["Opportunity__c"], "External_ID__c": "shared-id" }),
        )
        .unwrap();
    assert_refused(
        &world,
        "upsert_booking",
        &staff(),
        &[
            (
                json!({ "external_id": "new-booking-1", "room_id": kay["Room__c"] }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
            (
                new(json!({ "opportunity_id": NO_OPPORTUNITY })),
                400,
                "OPPORTUNITY_NOT_FOUND",
            ),
            (new(json!({ "room_id": NO_ROOM })), 400, "ROOM_NOT_FOUND"),
            (new(json!({ "contact_id": NO_CONTACT })), 404, "GUEST_NOT_FOUND"),
            (
                new(json!({ "check_in_date": day(5), "check_out_date": day(5) })),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "external_id": "seed-booking-kay-1", "check_out_date": day(0) }),
                400,
                "VALIDATION_ERROR",
            ),
            (new(json!({ "number_of_guests": 0 })), 400, "VALIDATION_ERROR"),
            (
                new(json!({ "check_in_date": "2026-13-01" })),
                400,
                "VALIDATION_ERROR",
            ),
            (new(json!({ "status": "Checked In" })), 400, "VALIDATION_ERROR"),
            (json!({ "external_id": "new booking" }), 400, "VALIDATION_ERROR"),
            (
                json!({ "opportunity_id": opportunity_id }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
            (
                json!({ "external_id": "shared-id", "number_of_guests": 2 }),
                409,
                "MULTIPLE_RESERVATIONS",
            ),
        ],
    )
    .await;
    assert_refused(
        &world,
        "upsert_booking",
        &guest("kay@example.com"),
        &[(new(json!({})), 403, "FORBIDDEN")],
    )
    .await;
}

/// Staff file a case, then update it with the same token (a new operation, so after the replay
/// window); its status follows the case lifecycle.
#[tokio::test]
async fn upsert_case_files_a_case_once_per_token() {
    let mut world = World::start().await;
    let token = "5d1f7c9a-2b4e-4a6c-8d0e-1f3a5b7c9d2e";
    let manager = contact_id(&world, "manager1@hotel.com");
    let room_107 = room(&world, "107")["Id"].clone();
    let filed = world
        .call(
            "upsert_case",
            housekeeping(),
            json!({ "idempotency_token": token, "contact_id": manager, "room_id": room_107, "type": "Maintenance",
                    "priority": "High", "subject": "Shower drains slowly", "description": "Guest reported it twice.",
                    "origin": "Internal" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(filed["created"], true);
    assert_eq!(filed["status"], "New");
    assert_eq!(filed["origin"], "Internal");
    let stored = case(&world, token);
    assert_eq!(
        (&filed["case_id"], &filed["case_number"]),
        (&stored["Id"], &stored["CaseNumber"])
    );
    assert_eq!(
        (stored["ContactId"].as_str(), stored["Room__c"].as_str()),
        (Some(manager.as_str()), room_107.as_str())
    );

    world.forget_idempotency_records();
    let working = world
        .call(
            "upsert_case",
            housekeeping(),
            json!({ "idempotency_token": token, "status": "Working" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(
        (working["created"].as_bool(), working["status"].as_str()),
        (Some(false), Some("Working"))
    );
    assert_eq!(working["case_id"], filed["case_id"]);
    assert_eq!(working["subject"], "Shower drains slowly", "left as it was");

    world.forget_idempotency_records();
    assert_refused(
        &world,
        "upsert_case",
        &housekeeping(),
        &[
            (
                json!({ "idempotency_token": token, "status": "New" }),
                409,
                "INVALID_STATE_TRANSITION",
            ),
            (
                json!({ "idempotency_token": "t-1", "contact_id": NO_CONTACT }),
                404,
                "GUEST_NOT_FOUND",
            ),
            (
                json!({ "idempotency_token": "t-1", "room_id": NO_ROOM }),
                400,
                "ROOM_NOT_FOUND",
            ),
            (
                json!({ "idempotency_token": "t-1", "type": "Plumbing" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "idempotency_token": "t-1", "origin": "Fax" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "idempotency_token": "t-1", "subject": "s".repeat(256) }),
                400,
                "VALIDATION_ERROR",
            ),
            (json!({ "idempotency_token": "t 1" }), 400, "VALIDATION_ERROR"),
            (json!({ "subject": "Towels" }), 400, "REQUIRED_FIELDS_MISSING"),
        ],
    )
    .await;
    assert_eq!(case(&world, token)["Status"], "Working");
}

/// The original's compositional edge case: a guest with no Contact asks for towels; the agent
/// creates the guest's contact, then files the case as them, from the web, without a room (a guest
/// names only the room of a stay on record, and she has none).
#[tokio::test]
async fn a_guest_without_a_contact_creates_one_then_files_a_case() {
    let world = World::start().await;
    let me = guest(NEW_GUEST);

    let contact = world
        .call(
            "create_contact",
            me.clone(),
            json!({ "first_name": "Nia", "last_name": "Okoro" }),
        )
        .await
        .result
        .unwrap();
    let token = "7c2e4a6b-8d0f-4b1a-9c3e-5f7a9b1c3d5e";
    let request = json!({ "idempotency_token": token, "contact_id": contact["id"], "type": "Housekeeping",
                          "priority": "Medium", "description": "I need towels in room 101" });
    // Room 101 is no stay of hers on record (it is Brian's): she may not name it.
    let mut in_room = request.clone();
    in_room["room_id"] = room(&world, "101")["Id"].clone();
    let refused = world.call("upsert_case", me.clone(), in_room).await;
    assert_eq!(
        (refused.http_status(), error_code(&refused.body())),
        (403, "FORBIDDEN")
    );
    let filed = world.call("upsert_case", me.clone(), request.clone()).await;
    let output = filed.result.unwrap();
    assert_eq!(
        (output["created"].as_bool(), output["status"].as_str()),
        (Some(true), Some("New"))
    );
    assert_eq!(output["origin"], "Web", "a guest's case comes from the web");
    assert_eq!(case(&world, token)["ContactId"], contact["id"]);

    // The agent's retry with the same token is the same operation: replayed, no second case.
    let retried = world.call("upsert_case", me, request).await;
    assert!(retried.replayed);
    assert_eq!(retried.result.unwrap()["case_id"], output["case_id"]);
}

/// A guest files cases only as themselves: another guest's contact is refused like one that does
/// not exist, another guest's case token is refused, and the origin is always Web.
#[tokio::test]
async fn upsert_case_keeps_a_guest_to_their_own_cases() {
    let world = World::start().await;
    let kay = guest("kay@example.com");
    let own = contact_id(&world, "kay@example.com");
    let carl = contact_id(&world, "carl.smith@example.com");

    let others = world
        .call(
            "upsert_case",
            kay.clone(),
            json!({ "idempotency_token": "k-1", "contact_id": carl }),
        )
        .await;
    let nobodys = world
        .call(
            "upsert_case",
            kay.clone(),
            json!({ "idempotency_token": "k-2", "contact_id": NO_CONTACT }),
        )
        .await;
    assert_eq!(
        (others.http_status(), error_code(&others.body())),
        (403, "FORBIDDEN")
    );
    assert_eq!(others.body(), nobodys.body(), "the refusal reveals nothing");

    assert_refused(
        &world,
        "upsert_case",
        &kay,
        &[
            (
                json!({ "idempotency_token": TOWELS_CASE, "contact_id": own, "status": "Closed" }),
                403,
                "FORBIDDEN",
            ),
            (
                json!({ "idempotency_token": "k-3", "contact_id": own, "origin": "Internal" }),
                403,
                "FORBIDDEN",
            ),
            (
                json!({ "idempotency_token": "k-4", "subject": "Towels" }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
        ],
    )
    .await;
    // A room the guest neither stays in nor has booked: a stranger's and one that does not exist
    // get the same refusal, and nothing is filed.
    let strangers_room = room(&world, "200")["Id"].clone();
    let on_room = |token: &str, room_id: Value| json!({ "idempotency_token": token, "contact_id": own, "room_id": room_id });
    let stranger = world
        .call("upsert_case", kay.clone(), on_room("k-5", strangers_room))
        .await;
    let missing = world
        .call("upsert_case", kay.clone(), on_room("k-5", json!(NO_ROOM)))
        .await;
    assert_eq!(
        (stranger.http_status(), error_code(&stranger.body())),
        (403, "FORBIDDEN")
    );
    assert_eq!(stranger.body(), missing.body(), "the refusal reveals nothing");
    assert!(
        world
            .sandbox
            .query("SELECT Id FROM Case WHERE External_ID__c = 'k-5'")
            .unwrap()
            .is_empty(),
        "nothing filed"
    );
    assert_eq!(
        case(&world, TOWELS_CASE)["Status"],
        "New",
        "guest2's case untouched"
    );

    world.sandbox.reset_stats();
    let filed = world
        .call(
            "upsert_case",
            kay,
            json!({ "idempotency_token": "k-6", "contact_id": own, "type": "Concierge", "subject": "Dinner for two",
                    "room_id": room(&world, "105")["Id"] }),
        )
        .await;
    let filed = filed.result.unwrap();
    assert_eq!(filed["origin"], "Web");
    assert_eq!(
        filed["room_id"],
        room(&world, "105")["Id"],
        "the room Kay has booked"
    );
    assert_nothing_written_but_the_upsert(&world);
}

fn assert_nothing_written_but_the_upsert(world: &World) {
    let writes = writes(world);
    assert_eq!(
        writes.len(),
        1,
        "one single-record upsert, no Composite: {writes:?}"
    );
    assert!(
        writes[0].starts_with("PATCH") && writes[0].contains("/sobjects/Case/External_ID__c/"),
        "{writes:?}"
    );
}
