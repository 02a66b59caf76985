//! The Salesforce atomic update skills end to end: each enforces the domain's state machine (an
//! illegal move is a 409 and nothing is written), treats the current state as a harmless no-op,
//! and answers a record that does not exist with its not-found code.

use crate::skills_support::{
    NO_BOOKING, NO_CONTACT, NO_OPPORTUNITY, NO_ROOM, TOWELS_CASE, assert_nothing_written, assert_refused,
    booking, case, contact_id, day, opportunity, room,
};
use dewy_e2e::{World, guest, housekeeping, manager, staff};
use serde_json::json;

const KAY_BOOKING: &str = "seed-booking-kay-1";

/// A booking moves Reserved → Checked In (its check-in time recorded, as check_in_guest does);
/// asking again finds nothing to change and writes nothing.
#[tokio::test]
async fn update_booking_status_follows_the_lifecycle_and_repeats_harmlessly() {
    let mut world = World::start().await;
    let kay = booking(&world, KAY_BOOKING);
    let arguments = json!({ "booking_id": kay["Id"], "status": "Checked In", "checkout_date": day(3) });

    let moved = world
        .call("update_booking_status", staff(), arguments.clone())
        .await;
    let output = moved.result.unwrap();
    assert_eq!(output["updated"], true);
    assert_eq!(
        (output["previous_status"].as_str(), output["status"].as_str()),
        (Some("Reserved"), Some("Checked In"))
    );
    assert_eq!(output["booking_number"], kay["Name"]);
    let after = booking(&world, KAY_BOOKING);
    assert_eq!(after["Status__c"], "Checked In");
    assert!(after["Checked_In_At__c"].is_string());
    assert_eq!(after["Check_Out_Date__c"], day(3));

    world.forget_idempotency_records();
    world.sandbox.reset_stats();
    let again = world.call("update_booking_status", staff(), arguments).await;
    let output = again.result.unwrap();
    assert_eq!(output["updated"], false);
    assert_eq!(output["previous_status"], "Checked In");
    assert_nothing_written(&world);

    // Checking out on an earlier day than planned changes the date too.
    let out = world
        .call(
            "update_booking_status",
            staff(),
            json!({ "booking_id": kay["Id"], "status": "Checked Out", "checkout_date": day(1) }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(out["updated"], true);
    let after = booking(&world, KAY_BOOKING);
    assert_eq!(
        (after["Status__c"].as_str(), after["Check_Out_Date__c"].as_str()),
        (Some("Checked Out"), Some(day(1).as_str()))
    );
}

/// Illegal moves, unknown bookings and bad input are refused before anything is written.
#[tokio::test]
async fn update_booking_status_refuses_illegal_moves_and_bad_input() {
    let world = World::start().await;
    let id = booking(&world, KAY_BOOKING)["Id"].clone();
    assert_refused(
        &world,
        "update_booking_status",
        &staff(),
        &[
            (
                json!({ "booking_id": id, "status": "Checked Out", "checkout_date": day(3) }),
                409,
                "INVALID_STATE_TRANSITION",
            ),
            (
                json!({ "booking_id": NO_BOOKING, "status": "Cancelled", "checkout_date": day(3) }),
                400,
                "BOOKING_NOT_FOUND",
            ),
            (
                json!({ "booking_id": id, "status": "Checked In", "checkout_date": day(-1) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "booking_id": id, "status": "Booked", "checkout_date": day(3) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "booking_id": id, "status": "Cancelled", "checkout_date": "3 days" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "booking_id": "BK-0001", "status": "Cancelled", "checkout_date": day(3) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "booking_id": id, "status": "Cancelled" }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
        ],
    )
    .await;
    assert_refused(
        &world,
        "update_booking_status",
        &guest("kay@example.com"),
        &[(
            json!({ "booking_id": id, "status": "Cancelled", "checkout_date": day(3) }),
            403,
            "FORBIDDEN",
        )],
    )
    .await;
    assert_eq!(booking(&world, KAY_BOOKING)["Status__c"], "Reserved");
}

/// A room goes Cleaning → Vacant (no guest), then Vacant → Occupied by a named guest; the current
/// status again is a no-op.
#[tokio::test]
async fn update_room_status_moves_a_room_and_keeps_its_guest_consistent() {
    let mut world = World::start().await;
    let cleaning = room(&world, "106");
    let cleaned = world
        .call(
            "update_room_status",
            housekeeping(),
            json!({ "room_id": cleaning["Id"], "status": "Vacant" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(cleaned["updated"], true);
    assert_eq!(cleaned["room_number"], "106");
    assert_eq!(
        (cleaned["previous_status"].as_str(), cleaned["status"].as_str()),
        (Some("Cleaning"), Some("Vacant"))
    );
    assert_eq!(room(&world, "106")["Status__c"], "Vacant");

    let kay = contact_id(&world, "kay@example.com");
    let vacant = room(&world, "105");
    let occupied = world
        .call(
            "update_room_status",
            housekeeping(),
            json!({ "room_id": vacant["Id"], "status": "Occupied", "current_guest_id": kay }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(occupied["current_guest_id"], kay);
    let after = room(&world, "105");
    assert_eq!(
        (after["Status__c"].as_str(), after["Current_Guest__c"].as_str()),
        (Some("Occupied"), Some(kay.as_str()))
    );

    // Checkout: the room goes to Cleaning and the guest is cleared.
    let out = world
        .call(
            "update_room_status",
            housekeeping(),
            json!({ "room_id": vacant["Id"], "status": "Cleaning" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(out["current_guest_id"], json!(null));
    assert_eq!(room(&world, "105")["Current_Guest__c"], json!(null));

    world.forget_idempotency_records();
    world.sandbox.reset_stats();
    let again = world
        .call(
            "update_room_status",
            housekeeping(),
            json!({ "room_id": vacant["Id"], "status": "Cleaning" }),
        )
        .await;
    assert_eq!(again.result.unwrap()["updated"], false);
    assert_nothing_written(&world);
}

/// "Dirty" is no room status (the original's documentation conflict); an occupied room cannot
/// become vacant before cleaning; an Occupied room names its guest, and only it does.
#[tokio::test]
async fn update_room_status_refuses_illegal_moves_and_bad_input() {
    let world = World::start().await;
    let occupied = room(&world, "100")["Id"].clone();
    let vacant = room(&world, "105")["Id"].clone();
    let kay = contact_id(&world, "kay@example.com");
    assert_refused(
        &world,
        "update_room_status",
        &housekeeping(),
        &[
            (
                json!({ "room_id": occupied, "status": "Vacant" }),
                409,
                "INVALID_STATE_TRANSITION",
            ),
            (
                json!({ "room_id": occupied, "status": "Dirty" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "room_id": NO_ROOM, "status": "Cleaning" }),
                400,
                "ROOM_NOT_FOUND",
            ),
            (
                json!({ "room_id": vacant, "status": "Occupied", "current_guest_id": NO_CONTACT }),
                404,
                "GUEST_NOT_FOUND",
            ),
            (
                json!({ "room_id": vacant, "status": "Occupied" }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
            (
                json!({ "room_id": vacant, "status": "Cleaning", "current_guest_id": kay }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "room_id": "105", "status": "Cleaning" }),
                400,
                "VALIDATION_ERROR",
            ),
            (json!({ "status": "Cleaning" }), 400, "REQUIRED_FIELDS_MISSING"),
        ],
    )
    .await;
    assert_refused(
        &world,
        "update_room_status",
        &guest("kay@example.com"),
        &[(
            json!({ "room_id": vacant, "status": "Cleaning" }),
            403,
            "FORBIDDEN",
        )],
    )
    .await;
    assert_eq!(room(&world, "100")["Status__c"], "Occupied");
}

/// An opportunity moves Booking Confirmed → Checked In with its close date and payment reference;
/// the same values again write nothing.
#[tokio::test]
async fn update_opportunity_stage_follows_the_sales_process() {
    let mut world = World::start().await;
    let id = booking(&world, KAY_BOOKING)["Opportunity__c"]
        .as_str()
        .unwrap()
        .to_owned();
    let arguments = json!({
        "opportunity_id": id, "stage_name": "Checked In", "close_date": day(3), "payment_id": "PENDING_CHECKIN",
    });
    let moved = world
        .call("update_opportunity_stage", manager(), arguments.clone())
        .await
        .result
        .unwrap();
    assert_eq!(moved["updated"], true);
    assert_eq!(
        (moved["previous_stage"].as_str(), moved["stage_name"].as_str()),
        (Some("Booking Confirmed"), Some("Checked In"))
    );
    let after = opportunity(&world, &id);
    assert_eq!(after["StageName"], "Checked In");
    assert_eq!(after["CloseDate"], day(3));
    assert_eq!(after["Payment_ID__c"], "PENDING_CHECKIN");

    world.forget_idempotency_records();
    world.sandbox.reset_stats();
    let again = world.call("update_opportunity_stage", manager(), arguments).await;
    assert_eq!(again.result.unwrap()["updated"], false);
    assert_nothing_written(&world);

    let paid = world
        .call(
            "update_opportunity_stage",
            manager(),
            json!({ "opportunity_id": id, "stage_name": "Closed Won", "close_date": day(3), "payment_id": "ch_123" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(paid["payment_id"], "ch_123");
    assert_eq!(opportunity(&world, &id)["StageName"], "Closed Won");
}

/// A lost opportunity stays lost; unknown opportunities and bad input are refused unwritten.
#[tokio::test]
async fn update_opportunity_stage_refuses_illegal_moves_and_bad_input() {
    let world = World::start().await;
    let id = booking(&world, KAY_BOOKING)["Opportunity__c"]
        .as_str()
        .unwrap()
        .to_owned();
    world
        .sandbox
        .update("Opportunity", &id, json!({ "StageName": "Closed Lost" }))
        .unwrap();
    let with = |stage: &str, payment: &str| json!({ "opportunity_id": id, "stage_name": stage, "close_date": day(3), "payment_id": payment });
    assert_refused(
        &world,
        "update_opportunity_stage",
        &manager(),
        &[
            (with("Checked In", "PENDING_CHECKIN"), 409, "INVALID_STATE_TRANSITION"),
            (
                json!({ "opportunity_id": NO_OPPORTUNITY, "stage_name": "Checked In", "close_date": day(3),
                        "payment_id": "x" }),
                400,
                "OPPORTUNITY_NOT_FOUND",
            ),
            (with("Paid", "x"), 400, "VALIDATION_ERROR"),
            (with("Closed Won", ""), 400, "VALIDATION_ERROR"),
            (
                json!({ "opportunity_id": id, "stage_name": "Closed Won", "close_date": day(3) }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
            (
                json!({ "opportunity_id": id, "stage_name": "Closed Won", "close_date": "soon", "payment_id": "x" }),
                400,
                "VALIDATION_ERROR",
            ),
        ],
    )
    .await;
    assert_refused(
        &world,
        "update_opportunity_stage",
        &guest("kay@example.com"),
        &[(with("Closed Won", "x"), 403, "FORBIDDEN")],
    )
    .await;
}

/// The original never found the case (it compared the wrong field): here the token finds it, and
/// two different updates of one case in a row both apply.
#[tokio::test]
async fn update_case_status_finds_the_case_by_its_token() {
    let mut world = World::start().await;
    let working = world
        .call(
            "update_case_status",
            housekeeping(),
            json!({ "idempotency_token": TOWELS_CASE, "status": "Working", "priority": "High",
                    "comments": "Towels on their way" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(working["updated"], true);
    assert_eq!(
        (working["previous_status"].as_str(), working["status"].as_str()),
        (Some("New"), Some("Working"))
    );
    assert_eq!(working["priority"], "High");
    let after = case(&world, TOWELS_CASE);
    assert_eq!(working["case_number"], after["CaseNumber"]);
    assert_eq!(
        (
            after["Status"].as_str(),
            after["Priority"].as_str(),
            after["Comments"].as_str()
        ),
        (Some("Working"), Some("High"), Some("Towels on their way"))
    );

    let closed = world
        .call(
            "update_case_status",
            housekeeping(),
            json!({ "idempotency_token": TOWELS_CASE, "status": "Closed" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(closed["status"], "Closed");
    assert_eq!(closed["priority"], "High", "left as it was");
    assert_eq!(case(&world, TOWELS_CASE)["Status"], "Closed");

    world.forget_idempotency_records();
    world.sandbox.reset_stats();
    let again = world
        .call(
            "update_case_status",
            housekeeping(),
            json!({ "idempotency_token": TOWELS_CASE, "status": "Closed", "priority": "High" }),
        )
        .await;
    assert_eq!(again.result.unwrap()["updated"], false);
    assert_nothing_written(&world);
}

/// A case never goes back to New; an unknown token is the original's message; an update must say
/// what to change.
#[tokio::test]
async fn update_case_status_refuses_illegal_moves_and_bad_input() {
    let world = World::start().await;
    // The seed's second case is Working.
    let working = "9a7c4e2d-1b3f-4c8a-9e6d-5f2a1b7c8d34";
    assert_refused(
        &world,
        "update_case_status",
        &housekeeping(),
        &[
            (
                json!({ "idempotency_token": working, "status": "New" }),
                409,
                "INVALID_STATE_TRANSITION",
            ),
            (
                json!({ "idempotency_token": "no-such-token", "status": "Closed" }),
                400,
                "CASE_NOT_FOUND",
            ),
            (json!({ "idempotency_token": working }), 400, "VALIDATION_ERROR"),
            (
                json!({ "idempotency_token": working, "status": "Done" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "idempotency_token": working, "priority": "Critical" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "idempotency_token": working, "comments": "" }),
                400,
                "VALIDATION_ERROR",
            ),
            (json!({ "status": "Closed" }), 400, "REQUIRED_FIELDS_MISSING"),
        ],
    )
    .await;
    let missing = world
        .call(
            "update_case_status",
            housekeeping(),
            json!({ "idempotency_token": "no-such-token", "status": "Closed" }),
        )
        .await;
    assert!(
        missing.body()["error_message"]
            .as_str()
            .unwrap()
            .starts_with("Case not found for the given idempotency token")
    );
    assert_refused(
        &world,
        "update_case_status",
        &guest("guest2@hotel.com"),
        &[(
            json!({ "idempotency_token": TOWELS_CASE, "status": "Closed" }),
            403,
            "FORBIDDEN",
        )],
    )
    .await;
    assert_eq!(case(&world, working)["Status"], "Working");
}
