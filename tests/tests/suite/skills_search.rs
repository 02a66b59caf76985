//! The Salesforce atomic search skills end to end, against the seeded sandbox through the invoke
//! path every transport uses: what each finds, that finding nothing is `found: false`, that every
//! bad input is refused before Salesforce is asked, and that guests see only their own records.

use crate::skills_support::{
    NO_CONTACT, TOWELS_CASE, assert_nothing_written, assert_refused, contact_id, day, error_code,
};
use dewy_domain::objects::contact::ContactType;
use dewy_e2e::{World, guest, housekeeping, staff};
use dewy_salesforce_sandbox::{Fault, FaultRule};
use dewy_tools::skills::search_contact_by_email::SearchContactByEmail;
use serde_json::{Value, json};

const KAY: &str = "kay@example.com";

/// A contact is found by email with its names and type; an unknown email is a successful
/// `found: false`, in one Salesforce call.
#[tokio::test]
async fn search_contact_by_email_finds_a_contact_or_says_it_is_not_there() {
    let world = World::start().await;

    let found = world
        .run::<SearchContactByEmail>(staff(), json!({ "email": "Kay@Example.com " }))
        .await;
    let contact = found.output.record.expect("found");
    assert!(found.output.found);
    assert_eq!(contact.id, contact_id(&world, KAY));
    assert_eq!(contact.email.as_deref(), Some(KAY));
    assert_eq!(
        (contact.first_name.as_deref(), contact.last_name.as_deref()),
        (Some("Kay"), Some("Nakamura"))
    );
    assert_eq!(contact.contact_type, Some(ContactType::Guest));
    assert_eq!(found.invocation.calls.total_calls, 1);

    let missing = world
        .call(
            "search_contact_by_email",
            staff(),
            json!({ "email": "nobody@example.com" }),
        )
        .await;
    assert_eq!(missing.result.unwrap(), json!({ "found": false }));

    assert_refused(
        &world,
        "search_contact_by_email",
        &staff(),
        &[
            (json!({}), 400, "REQUIRED_FIELDS_MISSING"),
            (json!({ "email": "not-an-email" }), 400, "VALIDATION_ERROR"),
            (json!({ "email": 42 }), 400, "VALIDATION_ERROR"),
            (json!({ "email": KAY, "name": "Kay" }), 400, "VALIDATION_ERROR"),
        ],
    )
    .await;
}

/// Looking up a contact or a booking by id is the front desk's job, not a guest's: the guest's
/// orchestrators find their records from the token. A guest is refused before Salesforce is asked.
#[tokio::test]
async fn guests_look_up_no_contacts_or_bookings_by_id() {
    let world = World::start().await;
    let kay = contact_id(&world, KAY);
    for (tool, arguments) in [
        ("search_contact_by_email", json!({ "email": KAY })),
        (
            "search_booking_by_contact_and_date",
            json!({ "contact_id": kay, "check_in_date": day(0) }),
        ),
    ] {
        let refused = world.call(tool, guest(KAY), arguments).await;
        assert_eq!(
            (refused.http_status(), error_code(&refused.body())),
            (403, "FORBIDDEN"),
            "{tool}"
        );
        assert_eq!(refused.calls.total_calls, 0, "{tool}: Salesforce was not asked");
    }
}

/// A search that cannot reach Salesforce is an error naming Salesforce, never `found: false`.
#[tokio::test]
async fn a_backend_failure_is_an_error_not_an_empty_result() {
    let world = World::start().await;
    world
        .sandbox
        .add_fault(FaultRule::new(Fault::ServerError).rate(1.0).path("/query"));
    let searches = [
        ("search_contact_by_email", json!({ "email": KAY })),
        ("search_room_by_number", json!({ "room_number": "105" })),
        (
            "search_case_by_token",
            json!({ "idempotency_token": TOWELS_CASE }),
        ),
        (
            "search_booking_by_external_id",
            json!({ "external_id": "seed-booking-kay-1" }),
        ),
    ];
    for (tool, arguments) in searches {
        // A manager holds every staff job, so may run every one of them.
        let invocation = world.call(tool, dewy_e2e::manager(), arguments).await;
        let body = invocation.body();
        assert!(invocation.http_status() >= 500, "{tool}: {body}");
        assert!(error_code(&body).starts_with("SALESFORCE_"), "{tool}: {body}");
        assert_eq!(body["details"]["backend"], "salesforce");
    }
}

/// A guest's bookings arriving on a date, Reserved by default or in the status asked for, with the
/// room's number (not its descriptive name); another date or status finds nothing.
#[tokio::test]
async fn search_booking_by_contact_and_date_lists_a_guests_bookings() {
    let world = World::start().await;
    let kay = contact_id(&world, KAY);

    let today = world
        .call(
            "search_booking_by_contact_and_date",
            staff(),
            json!({ "contact_id": kay, "check_in_date": day(0) }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(
        (today["found"].as_bool(), today["count"].as_u64()),
        (Some(true), Some(1))
    );
    let booking = &today["bookings"][0];
    assert_eq!(
        booking["room_number"], "105",
        "Room_Number__c, never the room's Name"
    );
    assert_eq!(booking["room_status"], "Vacant");
    assert_eq!(booking["room_type"], "Standard");
    assert_eq!(booking["status"], "Reserved");
    assert_eq!(booking["check_out_date"], day(3));
    assert_eq!(booking["total_nights"], 3);
    assert_eq!(booking["guest_id"], kay);
    assert!(booking["booking_number"].as_str().unwrap().starts_with("BK-"));
    assert!(booking["opportunity_id"].is_string() && booking["room_id"].is_string());

    let maria = contact_id(&world, "maria.garcia@example.com");
    let two = world
        .call(
            "search_booking_by_contact_and_date",
            staff(),
            json!({ "contact_id": maria, "check_in_date": day(0) }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(two["count"], 2);

    let guest1 = contact_id(&world, "guest1@hotel.com");
    let checked_in = world
        .call(
            "search_booking_by_contact_and_date",
            staff(),
            json!({ "contact_id": guest1, "check_in_date": day(-2), "status": "Checked In" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(checked_in["bookings"][0]["room_number"], "100");

    for arguments in [
        json!({ "contact_id": kay, "check_in_date": day(1) }),
        json!({ "contact_id": kay, "check_in_date": day(0), "status": "Cancelled" }),
        json!({ "contact_id": NO_CONTACT, "check_in_date": day(0) }),
    ] {
        let nothing = world
            .call("search_booking_by_contact_and_date", staff(), arguments)
            .await;
        assert_eq!(
            nothing.result.unwrap(),
            json!({ "found": false, "count": 0, "bookings": [] })
        );
    }

    assert_refused(
        &world,
        "search_booking_by_contact_and_date",
        &staff(),
        &[
            (json!({ "check_in_date": day(0) }), 400, "REQUIRED_FIELDS_MISSING"),
            (json!({ "contact_id": kay }), 400, "REQUIRED_FIELDS_MISSING"),
            (
                json!({ "contact_id": "kay", "check_in_date": day(0) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "contact_id": kay, "check_in_date": "tomorrow" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "contact_id": kay, "check_in_date": "2026-02-30" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "contact_id": kay, "check_in_date": day(0), "status": "Booked" }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "contact_id": kay, "check_in_date": day(0), "guest_email": KAY }),
                400,
                "VALIDATION_ERROR",
            ),
        ],
    )
    .await;

    // 18 characters whose last 3 are not the checksum of the first 15: no id Salesforce gave out.
    // Refused before Salesforce is asked (it would refuse the query, which is no server fault).
    world.sandbox.reset_stats();
    for bad in ["KeD4sSoj2mf520Z000", "07171e00Yxkb40DIj5"] {
        let arguments = json!({ "contact_id": bad, "check_in_date": day(0) });
        let invocation = world
            .call("search_booking_by_contact_and_date", staff(), arguments)
            .await;
        let body = invocation.body();
        assert_eq!(
            (invocation.http_status(), error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{body}"
        );
        assert!(
            body["error_message"].as_str().unwrap().contains("checksum"),
            "{body}"
        );
    }
    assert_eq!(world.sandbox.request_count(), 0, "Salesforce was not asked");
}

/// A booking by its external id, with every booking, guest and room field; an unknown id is
/// `found: false`; an external id several bookings share is a conflict, not a guess.
#[tokio::test]
async fn search_booking_by_external_id_returns_the_booking_with_guest_and_room() {
    let world = World::start().await;
    let found = world
        .call(
            "search_booking_by_external_id",
            staff(),
            json!({ "external_id": "seed-booking-kay-1" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(found["found"], true);
    assert_eq!(found["external_id"], "seed-booking-kay-1");
    assert_eq!(found["room_number"], "105");
    assert_eq!(found["floor"], 1);
    assert_eq!(found["guest_name"], "Kay Nakamura");
    assert_eq!(found["guest_email"], KAY);
    assert_eq!(found["number_of_guests"], 2);
    assert_eq!(found["special_requests"], "Late arrival, around 9pm");
    assert_eq!(found["check_in_date"], day(0));

    let missing = world
        .call(
            "search_booking_by_external_id",
            staff(),
            json!({ "external_id": "no-such-booking" }),
        )
        .await;
    assert_eq!(missing.result.unwrap(), json!({ "found": false }));

    let seed = world.one(
        "SELECT Opportunity__c, Primary_Guest__c, Room__c FROM Booking__c WHERE External_ID__c = 'seed-booking-kay-1'",
    );
    world
        .sandbox
        .insert(
            "Booking__c",
            json!({ "Opportunity__c": seed["Opportunity__c"], "Primary_Guest__c": seed["Primary_Guest__c"],
                    "Room__c": seed["Room__c"], "External_ID__c": "seed-booking-kay-1" }),
        )
        .unwrap();
    assert_refused(
        &world,
        "search_booking_by_external_id",
        &staff(),
        &[
            (
                json!({ "external_id": "seed-booking-kay-1" }),
                409,
                "MULTIPLE_RESERVATIONS",
            ),
            (json!({}), 400, "REQUIRED_FIELDS_MISSING"),
            (json!({ "external_id": "a/b" }), 400, "VALIDATION_ERROR"),
            (json!({ "external_id": "" }), 400, "VALIDATION_ERROR"),
        ],
    )
    .await;
    assert_refused(
        &world,
        "search_booking_by_external_id",
        &guest(KAY),
        &[(json!({ "external_id": "seed-booking-kay-1" }), 403, "FORBIDDEN")],
    )
    .await;
}

fn conflicts(output: &Value) -> Vec<&str> {
    output["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["external_id"].as_str().unwrap())
        .collect()
}

/// Clashes for a room and dates: inclusive bounds (a same-day turnover clashes), finished stays
/// never clash, and an unknown room is an error rather than "no conflicts".
#[tokio::test]
async fn search_bookings_by_room_and_dates_finds_clashes_with_inclusive_bounds() {
    let world = World::start().await;
    let search = |room: &str, check_in: String, check_out: String| {
        world.call(
            "search_bookings_by_room_and_dates",
            staff(),
            json!({ "room_number": room, "check_in": check_in, "check_out": check_out }),
        )
    };

    // Kay is in 105 from today to day 3.
    let overlap = search("105", day(1), day(2)).await.result.unwrap();
    assert_eq!(
        (
            overlap["has_conflicts"].as_bool(),
            overlap["conflict_count"].as_u64()
        ),
        (Some(true), Some(1))
    );
    assert_eq!(conflicts(&overlap), ["seed-booking-kay-1"]);
    assert_eq!(overlap["conflicts"][0]["room_number"], "105");

    let turnover = search("105", day(3), day(5)).await.result.unwrap();
    assert_eq!(
        conflicts(&turnover),
        ["seed-booking-kay-1"],
        "arriving the day Kay leaves"
    );
    let before = search("105", day(-2), day(0)).await.result.unwrap();
    assert_eq!(
        conflicts(&before),
        ["seed-booking-kay-1"],
        "leaving the day Kay arrives"
    );

    let free = search("105", day(4), day(6)).await.result.unwrap();
    assert_eq!(
        free,
        json!({ "has_conflicts": false, "conflict_count": 0, "conflicts": [] })
    );
    // Noah's stay in 110 (days -5 to -2) is Checked Out: it no longer holds the room.
    let finished = search("110", day(-5), day(-2)).await.result.unwrap();
    assert_eq!(finished["conflict_count"], 0);

    assert_refused(
        &world,
        "search_bookings_by_room_and_dates",
        &staff(),
        &[
            (
                json!({ "room_number": "999", "check_in": day(1), "check_out": day(2) }),
                400,
                "ROOM_NOT_FOUND",
            ),
            (
                json!({ "room_number": "105", "check_in": day(2), "check_out": day(2) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "room_number": "105", "check_in": day(3), "check_out": day(1) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "room_number": "10'5", "check_in": day(1), "check_out": day(2) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "room_number": "105", "check_in": "01/02/2027", "check_out": day(2) }),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({ "room_number": "105", "check_in": day(1) }),
                400,
                "REQUIRED_FIELDS_MISSING",
            ),
        ],
    )
    .await;
    assert_refused(
        &world,
        "search_bookings_by_room_and_dates",
        &guest(KAY),
        &[(
            json!({ "room_number": "105", "check_in": day(1), "check_out": day(2) }),
            403,
            "FORBIDDEN",
        )],
    )
    .await;
}

/// A room by its number: `room_number` is Room_Number__c and the descriptive label is `name`.
#[tokio::test]
async fn search_room_by_number_finds_the_room_by_its_number() {
    let world = World::start().await;
    let found = world
        .call(
            "search_room_by_number",
            housekeeping(),
            json!({ "room_number": "106" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(found["found"], true);
    assert_eq!(found["room_number"], "106");
    assert_eq!(found["name"], "Garden Standard");
    assert_eq!(found["status"], "Cleaning");
    assert_eq!(found["room_type"], "Standard");
    assert_eq!(found["floor"], 1);
    assert_eq!(found["nightly_rate"], 149.99);

    let occupied = world
        .call(
            "search_room_by_number",
            housekeeping(),
            json!({ "room_number": "100" }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(
        occupied["current_guest_id"],
        contact_id(&world, "guest1@hotel.com")
    );

    let missing = world
        .call(
            "search_room_by_number",
            housekeeping(),
            json!({ "room_number": "999" }),
        )
        .await;
    assert_eq!(missing.result.unwrap(), json!({ "found": false }));

    assert_refused(
        &world,
        "search_room_by_number",
        &housekeeping(),
        &[
            (json!({}), 400, "REQUIRED_FIELDS_MISSING"),
            (json!({ "room_number": "105105" }), 400, "VALIDATION_ERROR"),
            (json!({ "room_number": 105 }), 400, "VALIDATION_ERROR"),
        ],
    )
    .await;
    assert_refused(
        &world,
        "search_room_by_number",
        &guest(KAY),
        &[(json!({ "room_number": "105" }), 403, "FORBIDDEN")],
    )
    .await;
}

/// A case by the token it was filed with, with its fields; an unknown token is `found: false`.
#[tokio::test]
async fn search_case_by_token_finds_the_case_filed_with_a_token() {
    let world = World::start().await;
    let found = world
        .call(
            "search_case_by_token",
            housekeeping(),
            json!({ "idempotency_token": TOWELS_CASE }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(found["found"], true);
    assert_eq!(found["idempotency_token"], TOWELS_CASE);
    assert_eq!(found["status"], "New");
    assert_eq!(found["priority"], "Medium");
    assert_eq!(found["type"], "Housekeeping");
    assert_eq!(found["origin"], "Web");
    assert_eq!(found["subject"], "Extra towels");
    assert_eq!(found["contact_id"], contact_id(&world, "guest2@hotel.com"));
    assert!(found["case_number"].as_str().is_some_and(|n| !n.is_empty()));

    let missing = world
        .call(
            "search_case_by_token",
            housekeeping(),
            json!({ "idempotency_token": "no-such-token" }),
        )
        .await;
    assert_eq!(missing.result.unwrap(), json!({ "found": false }));

    assert_refused(
        &world,
        "search_case_by_token",
        &housekeeping(),
        &[
            (json!({}), 400, "REQUIRED_FIELDS_MISSING"),
            (json!({ "idempotency_token": "a b" }), 400, "VALIDATION_ERROR"),
            (
                json!({ "idempotency_token": "x", "status": "New" }),
                400,
                "VALIDATION_ERROR",
            ),
        ],
    )
    .await;
    assert_refused(
        &world,
        "search_case_by_token",
        &guest(KAY),
        &[(json!({ "idempotency_token": TOWELS_CASE }), 403, "FORBIDDEN")],
    )
    .await;
    assert_nothing_written(&world);
}
