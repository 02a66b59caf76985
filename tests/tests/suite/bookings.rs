//! `create_booking_orchestrator` and `manage_booking_orchestrator` end to end: the production
//! connector against the seeded Salesforce sandbox, through the invoke path every transport uses.

use crate::skills_support::{
    assert_nothing_written, assert_refused, booking, contact_id, day, error_code, opportunity, room, writes,
};
use dewy_domain::input::IsoDate;
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::objects::room::RoomType;
use dewy_e2e::{Ran, World, after_lease_margin, guest, staff};
use dewy_tool::Caller;
use dewy_tool::dispatch::Invocation;
use dewy_tools::bookings::CreateBookingOrchestrator;
use serde_json::{Value, json};

const KAY: &str = "kay@example.com";
const NEW_GUEST: &str = "wanda.new@example.com";
const EXT_A: &str = "6b0f7a52-1d3c-4e8a-9f21-5c7d8e9a0b11";
const EXT_B: &str = "6b0f7a52-1d3c-4e8a-9f21-5c7d8e9a0b22";

/// A full create request for `email` in `room` from `day(check_in)` to `day(check_out)`.
fn create(external_id: &str, email: &str, room: &str, check_in: i64, check_out: i64) -> Value {
    json!({
        "booking_external_id": external_id,
        "guest_email": email,
        "guest_first_name": "Wanda",
        "guest_last_name": "New",
        "guest_phone": "+1 415 555 0100",
        "room_number": room,
        "check_in_date": day(check_in),
        "check_out_date": day(check_out),
        "number_of_guests": 2,
        "special_requests": "Quiet room, please",
    })
}

/// Calls `create_booking_orchestrator` as `caller`.
async fn book(world: &World, caller: Caller, arguments: Value) -> Invocation {
    world.call("create_booking_orchestrator", caller, arguments).await
}

/// Calls `manage_booking_orchestrator` as `caller`.
async fn change(world: &World, caller: Caller, arguments: Value) -> Invocation {
    world.call("manage_booking_orchestrator", caller, arguments).await
}

fn count(world: &World, soql: &str) -> usize {
    world.sandbox.query(soql).expect("the query runs").len()
}

/// Bookings, opportunities and contacts in the org, to show that nothing new was made.
fn totals(world: &World) -> (usize, usize, usize) {
    (
        count(world, "SELECT Id FROM Booking__c"),
        count(world, "SELECT Id FROM Opportunity"),
        count(world, "SELECT Id FROM Contact"),
    )
}

/// A new guest: their Contact, an opportunity and a Reserved booking are made in one composite,
/// after one round of parallel reads: two sequential round trips, five calls. The room is left as
/// it was (a future booking does not occupy it).
#[tokio::test]
async fn books_a_new_guest_in_two_round_trips() {
    let world = World::start().await;
    let room_before = room(&world, "209");

    let Ran { output, invocation } = world
        .run::<CreateBookingOrchestrator>(staff(), create(EXT_A, NEW_GUEST, "209", 3, 5))
        .await;

    assert_eq!(invocation.http_status(), 201, "{}", invocation.body());
    let booked = &output.booking;
    let date = |d: Option<IsoDate>| d.map(|d| d.to_string());
    assert!(booked.booking_number.starts_with("BK-"));
    assert_eq!(
        booked.room_number.as_deref(),
        Some("209"),
        "the room's number, not its name"
    );
    assert_eq!(booked.room_type, Some(RoomType::Deluxe));
    assert_eq!(booked.floor, Some(2));
    assert_eq!(date(booked.check_in_date), Some(day(3)));
    assert_eq!(date(booked.check_out_date), Some(day(5)));
    assert_eq!(booked.total_nights, Some(2));
    assert_eq!(booked.status, BookingStatus::Reserved);
    assert_eq!(booked.guest_name.as_deref(), Some("Wanda New"));
    assert_eq!(booked.guest_email.as_deref(), Some(NEW_GUEST));
    assert!(output.guest_created);
    assert!(!output.already_booked);

    let contact = world.one(&format!(
        "SELECT Id, FirstName, LastName, Phone, Contact_Type__c FROM Contact WHERE Unique_Email__c = '{NEW_GUEST}'"
    ));
    assert_eq!(contact["Contact_Type__c"], "Guest");
    assert_eq!(contact["Phone"], "+1 415 555 0100");
    assert_eq!(booked.guest_id.as_deref(), contact["Id"].as_str());
    let saved = booking(&world, EXT_A);
    assert_eq!(saved["Id"], booked.booking_id.as_str());
    assert_eq!(saved["Status__c"], "Reserved");
    assert_eq!(saved["Number_of_Guests__c"], 2.0);
    assert_eq!(saved["Special_Requests__c"], "Quiet room, please");
    assert_eq!(saved["Primary_Guest__c"], contact["Id"]);
    let opp = opportunity(&world, saved["Opportunity__c"].as_str().unwrap());
    assert_eq!(opp["Id"], booked.opportunity_id.as_str());
    assert_eq!(opp["StageName"], "Booking Confirmed");
    assert_eq!(opp["CloseDate"], day(3));
    assert_eq!(opp["Name"], format!("Booking for Wanda New - {}", day(3)));
    assert_eq!(opp["ContactId"], contact["Id"]);
    assert_eq!(opp["Amount"], 399.98, "two nights at the Deluxe rate");
    assert_eq!(room(&world, "209"), room_before, "the room is not touched");

    assert_eq!(
        invocation.calls.sequential_round_trips, 2,
        "{:?}",
        invocation.calls
    );
    assert_eq!(
        invocation.calls.total_calls, 5,
        "four parallel reads and one composite"
    );
}

/// An existing guest books for themselves (their email comes from their token): the Contact is
/// reused, not touched, and the opportunity is filed under it.
#[tokio::test]
async fn an_existing_guest_books_for_themselves() {
    let world = World::start().await;
    let kay = contact_id(&world, KAY);
    let mut arguments = create(EXT_A, KAY, "210", 10, 12);
    arguments.as_object_mut().unwrap().remove("guest_email");
    let contacts = count(&world, "SELECT Id FROM Contact");

    let invocation = book(&world, guest(KAY), arguments).await;

    assert_eq!(invocation.http_status(), 201, "{}", invocation.body());
    let output = invocation.result.unwrap();
    assert_eq!(output["guest_created"], false);
    assert_eq!(output["guest_id"], kay);
    assert_eq!(output["guest_email"], KAY);
    assert_ne!(output["guest_name"], "Wanda New", "the contact's own name");
    assert_eq!(count(&world, "SELECT Id FROM Contact"), contacts);
    assert_eq!(booking(&world, EXT_A)["Primary_Guest__c"], kay);
    assert_eq!(invocation.calls.sequential_round_trips, 2);
}

/// A retry with the same external id, by another caller (so not the idempotency layer's replay),
/// returns the booking already made with 200 and creates nothing.
#[tokio::test]
async fn a_retry_with_the_same_external_id_returns_the_booking_already_made() {
    let world = World::start().await;
    let first = book(&world, staff(), create(EXT_A, KAY, "209", 3, 5)).await;
    assert_eq!(first.http_status(), 201, "{}", first.body());
    let first = first.result.unwrap();
    let before = totals(&world);
    // Past the room lease's margin: a call right after the first would read twice (the first may
    // have written after its reads started), which is the contention tests' subject.
    after_lease_margin().await;
    world.sandbox.reset_stats();

    let mut again = create(EXT_A, KAY, "209", 3, 5);
    again.as_object_mut().unwrap().remove("guest_email");
    let retry = book(&world, guest(KAY), again).await;

    assert!(!retry.replayed, "the tool ran: another caller's key");
    assert_eq!(retry.http_status(), 200, "{}", retry.body());
    let output = retry.result.unwrap();
    assert_eq!(output["already_booked"], true);
    for field in [
        "booking_id",
        "booking_number",
        "opportunity_id",
        "guest_id",
        "room_id",
        "total_nights",
        "status",
    ] {
        assert_eq!(output[field], first[field], "{field}");
    }
    assert_nothing_written(&world);
    assert_eq!(totals(&world), before);
    assert_eq!(retry.calls.sequential_round_trips, 1, "reads only");

    // The same caller again within the replay window: the first answer, replayed, with its 201.
    let replay = book(&world, staff(), create(EXT_A, KAY, "209", 3, 5)).await;
    assert!(replay.replayed);
    assert_eq!(replay.http_status(), 201);
}

/// The same external id for another stay is not a retry: refused, naming the booking only to the
/// guest who owns it, and nothing is written.
#[tokio::test]
async fn an_external_id_reused_for_another_stay_is_refused() {
    let world = World::start().await;
    let made = book(&world, guest(KAY), create(EXT_A, KAY, "209", 3, 5)).await;
    assert_eq!(made.http_status(), 201, "{}", made.body());
    world.sandbox.reset_stats();

    let own = book(&world, staff(), create(EXT_A, KAY, "209", 4, 6)).await;
    assert_eq!(
        (own.http_status(), error_code(&own.body())),
        (422, "IDEMPOTENCY_KEY_REUSED")
    );
    assert_eq!(
        own.body()["details"]["booking_number"],
        made.result.unwrap()["booking_number"]
    );
    let other = book(
        &world,
        guest("carl.smith@example.com"),
        create(EXT_A, "carl.smith@example.com", "209", 3, 5),
    )
    .await;
    assert_eq!(
        (other.http_status(), error_code(&other.body())),
        (422, "IDEMPOTENCY_KEY_REUSED")
    );
    assert!(
        other.body()["details"].is_null(),
        "nothing about Kay's booking: {}",
        other.body()
    );
    assert_nothing_written(&world);
}

/// A second booking of a room for overlapping dates is a 409 listing the clash; a guest is not
/// told whose booking it is.
#[tokio::test]
async fn double_booking_a_room_is_refused() {
    let world = World::start().await;
    let first = book(&world, staff(), create(EXT_A, NEW_GUEST, "209", 3, 5)).await;
    assert_eq!(first.http_status(), 201);
    world.sandbox.reset_stats();

    let clash = book(&world, guest(KAY), create(EXT_B, KAY, "209", 4, 7)).await;

    let body = clash.body();
    assert_eq!(
        (clash.http_status(), error_code(&body)),
        (409, "ROOM_ALREADY_BOOKED"),
        "{body}"
    );
    assert_eq!(body["details"]["conflict_count"], 1);
    assert_eq!(body["details"]["conflicts"][0]["check_in_date"], day(3));
    assert!(body["details"]["conflicts"][0].get("booking_number").is_none());
    assert!(!body.to_string().contains(NEW_GUEST), "{body}");
    assert_nothing_written(&world);

    let staff_view = book(&world, staff(), create(EXT_B, KAY, "209", 5, 7)).await;
    assert_eq!(
        error_code(&staff_view.body()),
        "ROOM_ALREADY_BOOKED",
        "a same-day turnover clashes"
    );
    assert!(staff_view.body()["details"]["conflicts"][0]["booking_number"].is_string());
}

/// Every refusal of create: its code, an actionable message, and nothing written.
#[tokio::test]
async fn every_refused_booking_has_its_error_code_and_writes_nothing() {
    let world = World::start().await;
    let room_id = room(&world, "207")["Id"].as_str().unwrap().to_owned();
    world
        .sandbox
        .update("Hotel_Room__c", &room_id, json!({"Status__c": "Out of Service"}))
        .unwrap();
    let with =
        |changes: Value| crate::skills_support::merged(&create(EXT_B, NEW_GUEST, "209", 3, 5), changes);
    let cases = [
        (json!({}), 400, "REQUIRED_FIELDS_MISSING"),
        (
            with(json!({"guest_first_name": "  ", "room_number": null})),
            400,
            "REQUIRED_FIELDS_MISSING",
        ),
        (
            with(json!({"booking_external_id": ""})),
            400,
            "REQUIRED_FIELDS_MISSING",
        ),
        (with(json!({"number_of_guests": "two"})), 400, "VALIDATION_ERROR"),
        (with(json!({"number_of_guests": 0})), 400, "VALIDATION_ERROR"),
        (
            with(json!({"check_in_date": "tomorrow"})),
            400,
            "VALIDATION_ERROR",
        ),
        (
            with(json!({"guest_email": "not-an-email"})),
            400,
            "VALIDATION_ERROR",
        ),
        (with(json!({"room": "209"})), 400, "VALIDATION_ERROR"),
        (
            with(json!({"check_in_date": day(5), "check_out_date": day(3)})),
            400,
            "VALIDATION_ERROR",
        ),
        (
            with(json!({"check_in_date": day(4), "check_out_date": day(4)})),
            400,
            "VALIDATION_ERROR",
        ),
        (with(json!({"check_in_date": day(-1)})), 400, "VALIDATION_ERROR"),
        (
            with(json!({"special_requests": "bring @{guest.id}"})),
            400,
            "VALIDATION_ERROR",
        ),
        (with(json!({"room_number": "999"})), 400, "ROOM_NOT_FOUND"),
        (
            with(json!({"room_number": "205", "number_of_guests": 3})),
            400,
            "VALIDATION_ERROR",
        ),
        (
            with(json!({"room_number": "105", "check_in_date": day(1), "check_out_date": day(2)})),
            409,
            "ROOM_ALREADY_BOOKED",
        ),
        (with(json!({"room_number": "207"})), 409, "ROOM_NOT_VACANT"),
    ];
    assert_refused(&world, "create_booking_orchestrator", &staff(), &cases).await;

    let missing = book(&world, staff(), json!({})).await.body();
    assert_eq!(
        missing["details"]["missing_fields"],
        json!([
            "guest_email",
            "guest_first_name",
            "guest_last_name",
            "room_number",
            "check_in_date",
            "check_out_date",
            "booking_external_id"
        ]),
        "every missing field at once"
    );
    let backwards = book(
        &world,
        staff(),
        with(json!({"check_in_date": day(5), "check_out_date": day(3)})),
    )
    .await
    .body();
    let message = backwards["error_message"].as_str().unwrap();
    assert!(
        message.contains("check_out_date") && message.contains("check_in_date"),
        "{message}"
    );

    // A guest books only for themselves.
    let other = [(create(EXT_B, NEW_GUEST, "209", 3, 5), 403, "FORBIDDEN")];
    assert_refused(&world, "create_booking_orchestrator", &guest(KAY), &other).await;
}

/// The input schema lists the required fields (blank ones are refused as missing, not as malformed).
#[tokio::test]
async fn the_schemas_name_the_required_fields() {
    let create = dewy_tools::find("create_booking_orchestrator")
        .unwrap()
        .input_schema();
    let required: Vec<&str> = create["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in [
        "guest_email",
        "guest_first_name",
        "guest_last_name",
        "room_number",
        "check_in_date",
        "check_out_date",
        "booking_external_id",
    ] {
        assert!(required.contains(&field), "{field} in {required:?}");
    }
    let email = &create["properties"]["guest_email"];
    assert_eq!(email["type"], "string", "not nullable: {email}");
    assert!(email.get("default").is_none(), "{email}");
    let manage = dewy_tools::find("manage_booking_orchestrator")
        .unwrap()
        .input_schema();
    assert_eq!(manage["required"], json!(["external_id"]));
}

// ---- manage_booking_orchestrator ----

/// Liam's future booking (room 205, days 7 to 9).
const LIAM: &str = "seed-booking-liam-1";

/// New dates: the booking keeps its status and room, the opportunity follows the arrival, and
/// (with the room unnamed) the clash check is a second read before the one write.
#[tokio::test]
async fn changes_the_dates_and_the_opportunity_follows() {
    let world = World::start().await;
    let before = booking(&world, LIAM);

    let invocation = change(
        &world,
        staff(),
        json!({"external_id": LIAM, "check_in_date": day(8), "check_out_date": day(11)}),
    )
    .await;

    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    let output = invocation.result.unwrap();
    assert_eq!(output["changed"], json!(["check_in_date", "check_out_date"]));
    assert_eq!(output["status"], "Reserved");
    assert_eq!(output["room_number"], "205");
    assert_eq!(output["total_nights"], 3);
    assert_eq!(output["booking_number"], before["Name"]);
    let after = booking(&world, LIAM);
    assert_eq!(
        (
            after["Check_In_Date__c"].as_str(),
            after["Check_Out_Date__c"].as_str()
        ),
        (Some(day(8).as_str()), Some(day(11).as_str()))
    );
    assert_eq!(after["Status__c"], "Reserved");
    let opp = opportunity(&world, before["Opportunity__c"].as_str().unwrap());
    assert_eq!(opp["CloseDate"], day(8));
    assert_eq!(opp["Amount"], 449.97, "three nights at the Standard rate");
    assert_eq!(
        invocation.calls.sequential_round_trips, 3,
        "{:?}",
        invocation.calls
    );

    // The same change again (after the replay window): nothing differs, nothing is written.
    let mut world = world;
    world.forget_idempotency_records();
    world.sandbox.reset_stats();
    let again = change(
        &world,
        staff(),
        json!({"external_id": LIAM, "check_in_date": day(8), "check_out_date": day(11)}),
    )
    .await;
    assert_eq!(again.result.unwrap()["changed"], json!([]));
    assert_nothing_written(&world);
}

/// A new room with its dates is read, checked and written in two round trips; a room already
/// booked for the dates is refused and nothing is written.
#[tokio::test]
async fn changes_the_room_unless_it_is_already_booked() {
    let world = World::start().await;
    world.sandbox.reset_stats();
    let clash = change(
        &world,
        guest("liam.obrien@example.com"),
        json!({"external_id": LIAM, "room_number": "105", "check_in_date": day(1), "check_out_date": day(4)}),
    )
    .await;
    assert_eq!(
        (clash.http_status(), error_code(&clash.body())),
        (409, "ROOM_ALREADY_BOOKED"),
        "{}",
        clash.body()
    );
    assert_nothing_written(&world);

    let moved = change(
        &world,
        guest("liam.obrien@example.com"),
        json!({"external_id": LIAM, "room_number": "209", "check_in_date": day(7), "check_out_date": day(10)}),
    ).await;
    assert_eq!(moved.http_status(), 200, "{}", moved.body());
    let output = moved.result.unwrap();
    assert_eq!(output["changed"], json!(["room_number", "check_out_date"]));
    assert_eq!(
        (output["room_number"].as_str(), output["room_type"].as_str()),
        (Some("209"), Some("Deluxe"))
    );
    assert_eq!(booking(&world, LIAM)["Room__c"], room(&world, "209")["Id"]);
    assert_eq!(moved.calls.sequential_round_trips, 2, "{:?}", moved.calls);
}

/// A Checked In booking changes only its guest count and requests; a Checked Out one nothing.
#[tokio::test]
async fn a_booking_changes_only_as_far_as_its_status_allows() {
    let world = World::start().await;
    let stay = "seed-booking-guest2-1";
    let cases = [
        (
            json!({"external_id": stay, "check_out_date": day(3)}),
            409,
            "INVALID_STATE_TRANSITION",
        ),
        (
            json!({"external_id": stay, "room_number": "209"}),
            409,
            "INVALID_STATE_TRANSITION",
        ),
        (
            json!({"external_id": "seed-booking-noah-1", "special_requests": "Late checkout"}),
            409,
            "INVALID_STATE_TRANSITION",
        ),
    ];
    assert_refused(&world, "manage_booking_orchestrator", &staff(), &cases).await;

    let requests = change(
        &world,
        staff(),
        json!({"external_id": stay, "special_requests": "Extra pillows"}),
    )
    .await;
    assert_eq!(requests.http_status(), 200, "{}", requests.body());
    assert_eq!(requests.result.unwrap()["changed"], json!(["special_requests"]));
    let after = booking(&world, stay);
    assert_eq!(after["Status__c"], "Checked In", "the status is kept");
    assert_eq!(after["Special_Requests__c"], "Extra pillows");
}

/// A guest gets the same "not found" for someone else's booking as for one that does not exist,
/// and every other refusal has its code; none writes anything.
#[tokio::test]
async fn every_refused_change_has_its_error_code_and_writes_nothing() {
    let world = World::start().await;
    let theirs = change(
        &world,
        guest(KAY),
        json!({"external_id": LIAM, "number_of_guests": 1}),
    )
    .await
    .body();
    let nobodys = change(
        &world,
        guest(KAY),
        json!({"external_id": "no-such-booking", "number_of_guests": 1}),
    )
    .await
    .body();
    assert_eq!(error_code(&theirs), "BOOKING_NOT_FOUND");
    assert_eq!(
        theirs["error_message"].as_str().unwrap().replace(LIAM, "ID"),
        nobodys["error_message"]
            .as_str()
            .unwrap()
            .replace("no-such-booking", "ID"),
        "the refusal reveals nothing"
    );

    let guest_cases = [
        (
            json!({"external_id": LIAM, "special_requests": "x"}),
            400,
            "BOOKING_NOT_FOUND",
        ),
        (
            json!({"external_id": "seed-booking-kay-1", "guest_email": "liam.obrien@example.com"}),
            403,
            "FORBIDDEN",
        ),
        (
            json!({"external_id": "seed-booking-kay-1"}),
            400,
            "VALIDATION_ERROR",
        ),
    ];
    assert_refused(&world, "manage_booking_orchestrator", &guest(KAY), &guest_cases).await;

    let staff_cases = [
        (json!({}), 400, "REQUIRED_FIELDS_MISSING"),
        (json!({"external_id": LIAM}), 400, "VALIDATION_ERROR"),
        (
            json!({"external_id": "no-such-booking", "number_of_guests": 1}),
            400,
            "BOOKING_NOT_FOUND",
        ),
        (
            json!({"external_id": LIAM, "room_number": "999"}),
            400,
            "ROOM_NOT_FOUND",
        ),
        (
            json!({"external_id": LIAM, "guest_email": "nobody@example.com"}),
            404,
            "GUEST_NOT_FOUND",
        ),
        (
            json!({"external_id": LIAM, "check_out_date": day(6)}),
            400,
            "VALIDATION_ERROR",
        ),
        (
            json!({"external_id": LIAM, "check_in_date": day(-1)}),
            400,
            "VALIDATION_ERROR",
        ),
        (
            json!({"external_id": LIAM, "number_of_guests": 3}),
            400,
            "VALIDATION_ERROR",
        ),
        (
            json!({"external_id": LIAM, "number_of_guests": "3"}),
            400,
            "VALIDATION_ERROR",
        ),
        (
            json!({"external_id": LIAM, "room_number": "208", "check_in_date": day(13), "check_out_date": day(15)}),
            409,
            "ROOM_ALREADY_BOOKED",
        ),
    ];
    assert_refused(&world, "manage_booking_orchestrator", &staff(), &staff_cases).await;
}

/// Staff can move a booking to another guest; the opportunity follows the guest.
#[tokio::test]
async fn staff_move_a_booking_to_another_guest() {
    let world = World::start().await;
    let kay = contact_id(&world, KAY);
    world.sandbox.reset_stats();
    let invocation = change(&world, staff(), json!({"external_id": LIAM, "guest_email": KAY})).await;
    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    let output = invocation.result.unwrap();
    assert_eq!(
        (output["guest_id"].as_str(), output["guest_email"].as_str()),
        (Some(kay.as_str()), Some(KAY))
    );
    assert_eq!(output["changed"], json!(["guest_email"]));
    let after = booking(&world, LIAM);
    assert_eq!(after["Primary_Guest__c"], kay);
    assert_eq!(
        opportunity(&world, after["Opportunity__c"].as_str().unwrap())["ContactId"],
        kay
    );
    assert_eq!(writes(&world).len(), 1, "one composite: {:?}", writes(&world));
}
