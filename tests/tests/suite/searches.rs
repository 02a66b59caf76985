//! The search orchestrators and the web app's search endpoints end to end, against the seeded
//! sandbox through the invoke path every transport uses: what each finds, that finding nothing is
//! `count: 0, found: false`, that limits and picklists are checked before Salesforce is asked,
//! that the web searches refuse to list everything, that guests see only their own rooms and
//! cases, and that every search is one Salesforce round trip.

use crate::skills_support::{assert_refused, booking, error_code};
use dewy_e2e::{World, guest, housekeeping, staff};
use dewy_tool::dispatch::Invocation;
use serde_json::{Value, json};

const KAY: &str = "kay@example.com";
const MARIA: &str = "maria.garcia@example.com";
const GUEST1: &str = "guest1@hotel.com";
const GUEST2: &str = "guest2@hotel.com";
const GUEST7: &str = "guest7@hotel.com";
/// A seeded guest with no bookings and no cases.
const JAMES: &str = "james.wilson@example.com";

/// The successful output of `invocation`, after checking it cost exactly one Salesforce call.
fn one_trip(invocation: Invocation) -> Value {
    assert_eq!(
        (
            invocation.calls.total_calls,
            invocation.calls.sequential_round_trips
        ),
        (1, 1),
        "one Salesforce round trip: {:?}",
        invocation.calls
    );
    invocation.result.unwrap()
}

/// The values of `field` in each item of `items`.
fn column<'a>(output: &'a Value, items: &str, field: &str) -> Vec<&'a str> {
    output[items]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap_or("<none>"))
        .collect()
}

/// Asserts an output found nothing, in the documented shape.
fn assert_empty(output: &Value, items: &str) {
    assert_eq!(output[items], json!([]), "{output}");
    assert_eq!((&output["count"], &output["found"]), (&json!(0), &json!(false)));
}

/// Occupied rooms on floor 1 are guest1..guest5's, in room order, each with the guest's name,
/// email and mobile read through the room's lookup in the same query.
#[tokio::test]
async fn staff_room_search_filters_by_status_floor_and_type_with_the_current_guest() {
    let world = World::start().await;
    let occupied = one_trip(
        world
            .call(
                "search_rooms_on_behalf_of_staff",
                staff(),
                json!({ "status_filter": "Occupied", "floor_filter": 1 }),
            )
            .await,
    );
    assert_eq!(
        column(&occupied, "rooms", "room_number"),
        ["100", "101", "102", "103", "104"]
    );
    assert_eq!(
        (&occupied["count"], &occupied["found"]),
        (&json!(5), &json!(true))
    );
    let first = &occupied["rooms"][0];
    assert_eq!(first["status"], "Occupied");
    assert_eq!(first["floor"], 1);
    assert_eq!(first["current_guest_name"], "Alice Johnson");
    assert_eq!(first["current_guest_email"], GUEST1);
    assert_eq!(first["current_guest_mobile"], "+15550200100");
    assert!(first["current_guest_id"].is_string());

    let suites = one_trip(
        world
            .call(
                "search_rooms_on_behalf_of_staff",
                staff(),
                json!({ "room_type_filter": "Suite" }),
            )
            .await,
    );
    assert_eq!(column(&suites, "rooms", "room_number"), ["110", "210"]);
    assert_eq!(
        suites["rooms"][0]["current_guest_name"],
        Value::Null,
        "a vacant room"
    );

    let all = one_trip(
        world
            .call("search_rooms_on_behalf_of_staff", staff(), json!({}))
            .await,
    );
    assert_eq!(all["count"], 20, "the default limit, of 22 rooms");

    let none = one_trip(
        world
            .call(
                "search_rooms_on_behalf_of_staff",
                staff(),
                json!({ "status_filter": "Out of Service" }),
            )
            .await,
    );
    assert_empty(&none, "rooms");
}

/// A guest's rooms come from their bookings, with each booking's number, dates and status; a
/// no-show booking does not list its room; a guest without bookings has none.
#[tokio::test]
async fn guest_room_search_lists_the_rooms_of_the_guests_bookings() {
    let world = World::start().await;
    let maria = one_trip(
        world
            .call("search_rooms_on_behalf_of_guest", guest(MARIA), json!({}))
            .await,
    );
    assert_eq!(column(&maria, "rooms", "room_number"), ["108", "109"]);
    let seeded = booking(&world, "seed-booking-maria-1");
    let room = &maria["rooms"][0];
    assert_eq!(room["booking_number"], seeded["Name"]);
    assert_eq!(room["booking_status"], "Reserved");
    assert_eq!(room["check_in_date"], seeded["Check_In_Date__c"]);
    assert_eq!(room["check_out_date"], seeded["Check_Out_Date__c"]);
    assert_eq!(
        (&room["room_type"], &room["floor"]),
        (&json!("Deluxe"), &json!(1))
    );

    // A no-show stay for Kay (in the same opportunity as her real one) is left out.
    let kay = booking(&world, "seed-booking-kay-1");
    let suite = world.one("SELECT Id FROM Hotel_Room__c WHERE Room_Number__c = '210'");
    world
        .sandbox
        .insert(
            "Booking__c",
            json!({"Opportunity__c": kay["Opportunity__c"], "Primary_Guest__c": kay["Primary_Guest__c"],
                   "Room__c": suite["Id"], "Check_In_Date__c": "2025-01-10",
                   "Check_Out_Date__c": "2025-01-12", "Status__c": "No Show"}),
        )
        .unwrap();
    let staff_view = one_trip(
        world
            .call(
                "search_rooms_on_behalf_of_guest",
                staff(),
                json!({ "guest_email": KAY }),
            )
            .await,
    );
    assert_eq!(column(&staff_view, "rooms", "room_number"), ["105"]);

    let nobody = one_trip(
        world
            .call("search_rooms_on_behalf_of_guest", guest(JAMES), json!({}))
            .await,
    );
    assert_empty(&nobody, "rooms");
}

/// A guest's cases are their own only; the status and type filters are honoured (the original
/// ignored the status filter).
#[tokio::test]
async fn guest_case_search_shows_only_the_guests_own_cases() {
    let world = World::start().await;
    let own = one_trip(
        world
            .call("search_cases_on_behalf_of_guest", guest(GUEST2), json!({}))
            .await,
    );
    assert_eq!(column(&own, "cases", "subject"), ["Extra towels"]);
    let case = &own["cases"][0];
    assert_eq!(case["room_number"], "101");
    assert_eq!(case["contact_email"], GUEST2);
    assert_eq!(
        (&case["status"], &case["type"]),
        (&json!("New"), &json!("Housekeeping"))
    );

    for (filters, expected) in [
        (json!({ "status_filter": "New" }), 1),
        (json!({ "status_filter": "Closed" }), 0),
        (json!({ "case_type_filter": "Housekeeping" }), 1),
        (json!({ "case_type_filter": "Room Service" }), 0),
    ] {
        let output = one_trip(
            world
                .call("search_cases_on_behalf_of_guest", guest(GUEST2), filters.clone())
                .await,
        );
        assert_eq!(output["count"], expected, "{filters}");
    }

    // The front desk sees a guest's cases through its own search, naming the guest.
    let by_staff = one_trip(
        world
            .call(
                "search_cases_on_behalf_of_staff",
                staff(),
                json!({ "guest_email": GUEST7 }),
            )
            .await,
    );
    assert_eq!(column(&by_staff, "cases", "subject"), ["Breakfast in room"]);

    let nobody = one_trip(
        world
            .call("search_cases_on_behalf_of_guest", guest(JAMES), json!({}))
            .await,
    );
    assert_empty(&nobody, "cases");
}

/// Naming another guest is refused, whether or not that guest exists, and guests cannot use the
/// staff and web searches at all.
#[tokio::test]
async fn guests_are_scoped_to_their_own_email_and_kept_out_of_staff_searches() {
    let world = World::start().await;
    for tool in [
        "search_rooms_on_behalf_of_guest",
        "search_cases_on_behalf_of_guest",
    ] {
        assert_refused(
            &world,
            tool,
            &guest(GUEST7),
            &[
                (json!({ "guest_email": GUEST2 }), 403, "FORBIDDEN"),
                (json!({ "guest_email": "nobody@example.com" }), 403, "FORBIDDEN"),
            ],
        )
        .await;
        let own = world
            .call(tool, guest(GUEST7), json!({ "guest_email": "Guest7@Hotel.com" }))
            .await;
        assert!(own.result.is_ok(), "{tool}: their own email, in any case");
    }
    for tool in [
        "search_rooms_on_behalf_of_staff",
        "search_cases_on_behalf_of_staff",
        "search_rooms",
        "search_cases",
        "search_contacts",
    ] {
        assert_refused(
            &world,
            tool,
            &guest(GUEST2),
            &[(json!({ "status": "New" }), 403, "FORBIDDEN")],
        )
        .await;
    }
}

/// Staff case filters combine with AND, through the case's contact and room.
#[tokio::test]
async fn staff_case_search_ands_its_filters() {
    let world = World::start().await;
    let all = one_trip(
        world
            .call("search_cases_on_behalf_of_staff", staff(), json!({}))
            .await,
    );
    assert_eq!(
        column(&all, "cases", "subject"),
        [
            "Breakfast in room",
            "Air conditioning not cooling",
            "Extra towels"
        ],
        "newest first"
    );
    assert_eq!(all["cases"][1]["contact_name"], "Morgan Reyes");

    for (filters, expected) in [
        (
            json!({ "status": "New" }),
            vec!["Breakfast in room", "Extra towels"],
        ),
        (
            json!({ "priority": "High" }),
            vec!["Air conditioning not cooling"],
        ),
        (json!({ "room_number": "201" }), vec!["Breakfast in room"]),
        (
            json!({ "guest_email": GUEST2, "type": "Housekeeping", "status": "New", "priority": "Medium" }),
            vec!["Extra towels"],
        ),
        (json!({ "type": "Maintenance", "status": "New" }), vec![]),
        (json!({ "guest_email": JAMES }), vec![]),
    ] {
        let output = one_trip(
            world
                .call("search_cases_on_behalf_of_staff", staff(), filters.clone())
                .await,
        );
        assert_eq!(column(&output, "cases", "subject"), expected, "{filters}");
        assert_eq!(output["found"], !expected.is_empty(), "{filters}");
    }
}

/// The web app's searches find by their own field names, with the same queries as the staff
/// orchestrators.
#[tokio::test]
async fn web_searches_find_rooms_cases_and_contacts() {
    let world = World::start().await;
    let room = one_trip(
        world
            .call("search_rooms", housekeeping(), json!({ "room_number": "105" }))
            .await,
    );
    assert_eq!(column(&room, "rooms", "room_number"), ["105"]);
    assert_eq!(room["rooms"][0]["status"], "Vacant");
    let maintenance = one_trip(
        world
            .call(
                "search_rooms",
                housekeeping(),
                json!({ "status": "Maintenance", "floor": 2 }),
            )
            .await,
    );
    assert_eq!(column(&maintenance, "rooms", "room_number"), ["207"]);

    let cases = one_trip(
        world
            .call(
                "search_cases",
                housekeeping(),
                json!({ "contact_email": GUEST7, "type": "Room Service" }),
            )
            .await,
    );
    assert_eq!(column(&cases, "cases", "subject"), ["Breakfast in room"]);

    let kay = one_trip(
        world
            .call("search_contacts", staff(), json!({ "query": "naka" }))
            .await,
    );
    assert_eq!(column(&kay, "contacts", "email"), [KAY]);
    assert_eq!(kay["contacts"][0]["contact_type"], "Guest");
    let full_name = one_trip(
        world
            .call("search_contacts", staff(), json!({ "query": "Kay Nakamura" }))
            .await,
    );
    assert_eq!(full_name["count"], 1);
    // A quote in the search text is data, never SOQL.
    let quoted = one_trip(
        world
            .call("search_contacts", staff(), json!({ "query": "O'Brien" }))
            .await,
    );
    assert_eq!(column(&quoted, "contacts", "email"), ["liam.obrien@example.com"]);
    let managers = one_trip(
        world
            .call("search_contacts", staff(), json!({ "contact_type": "Manager" }))
            .await,
    );
    assert_eq!(managers["count"], 3);
    let exact = one_trip(
        world
            .call(
                "search_contacts",
                staff(),
                json!({ "email": GUEST1, "contact_type": "Guest" }),
            )
            .await,
    );
    assert_eq!(column(&exact, "contacts", "last_name"), ["Johnson"]);
    assert_eq!(exact["contacts"][0]["mobile_phone"], "+15550200100");
    let guests_at_hotel = one_trip(
        world
            .call(
                "search_contacts",
                staff(),
                json!({ "query": "@hotel.com", "contact_type": "Guest" }),
            )
            .await,
    );
    assert_eq!(guests_at_hotel["count"], 10);

    let none = one_trip(
        world
            .call("search_contacts", staff(), json!({ "query": "zz-nobody" }))
            .await,
    );
    assert_empty(&none, "contacts");
}

/// The web searches refuse to list everything: no filter (a limit is not a filter) is a 400
/// saying which filters there are.
#[tokio::test]
async fn web_searches_require_at_least_one_filter() {
    let world = World::start().await;
    for (tool, names) in [
        ("search_rooms", "room_number"),
        ("search_cases", "contact_email"),
        ("search_contacts", "contact_type"),
    ] {
        for arguments in [json!({}), json!({ "limit": 5 })] {
            let invocation = world.call(tool, dewy_e2e::manager(), arguments).await;
            let body = invocation.body();
            assert_eq!(
                (invocation.http_status(), error_code(&body)),
                (400, "VALIDATION_ERROR"),
                "{tool}: {body}"
            );
            let message = body["error_message"].as_str().unwrap();
            assert!(
                message.contains("At least one filter") && message.contains(names),
                "{message}"
            );
            assert_eq!(
                invocation.calls.total_calls, 0,
                "refused before Salesforce is asked"
            );
        }
    }
}

/// Every search caps its results at `limit` (1 to 200); anything else is a 400 naming the field.
#[tokio::test]
async fn limits_are_bounded() {
    let world = World::start().await;
    let searches = [
        ("search_rooms_on_behalf_of_guest", json!({ "guest_email": MARIA })),
        ("search_rooms_on_behalf_of_staff", json!({})),
        ("search_cases_on_behalf_of_guest", json!({})),
        ("search_cases_on_behalf_of_staff", json!({})),
        ("search_rooms", json!({ "floor": 1 })),
        ("search_cases", json!({ "status": "New" })),
        ("search_contacts", json!({ "contact_type": "Guest" })),
    ];
    for (tool, filters) in searches {
        let with_limit = |limit: Value| {
            let mut arguments = filters.clone();
            arguments["limit"] = limit;
            arguments
        };
        let caller = searcher(tool);
        let one = one_trip(world.call(tool, caller.clone(), with_limit(json!(1))).await);
        assert_eq!(
            (&one["count"], &one["found"]),
            (&json!(1), &json!(true)),
            "{tool}"
        );
        let most = world.call(tool, caller.clone(), with_limit(json!(200))).await;
        assert!(most.result.is_ok(), "{tool}");
        assert_refused(
            &world,
            tool,
            &caller,
            &[
                (with_limit(json!(0)), 400, "VALIDATION_ERROR"),
                (with_limit(json!(201)), 400, "VALIDATION_ERROR"),
                (with_limit(json!(-1)), 400, "VALIDATION_ERROR"),
                (with_limit(json!("ten")), 400, "VALIDATION_ERROR"),
            ],
        )
        .await;
    }
    let all_rooms = one_trip(
        world
            .call(
                "search_rooms_on_behalf_of_staff",
                staff(),
                json!({ "limit": 200 }),
            )
            .await,
    );
    assert_eq!(all_rooms["count"], 22);
}

/// Picklist values, emails, room numbers, floors and search texts are checked before Salesforce
/// is asked, and inputs the schema does not list (such as the original's ignored `filter`) are
/// refused rather than ignored.
#[tokio::test]
async fn invalid_filters_are_refused_before_salesforce_is_asked() {
    let world = World::start().await;
    let world = &world;
    let invalid = |tool: &'static str, cases: Vec<Value>| async move {
        let cases: Vec<(Value, u16, &str)> =
            cases.into_iter().map(|c| (c, 400, "VALIDATION_ERROR")).collect();
        assert_refused(world, tool, &searcher(tool), &cases).await;
    };
    invalid(
        "search_rooms_on_behalf_of_staff",
        vec![
            json!({ "status_filter": "Dirty" }),
            json!({ "room_type_filter": "Presidential" }),
            json!({ "floor_filter": 0 }),
            json!({ "floor_filter": "two" }),
        ],
    )
    .await;
    invalid(
        "search_rooms_on_behalf_of_guest",
        vec![
            json!({ "guest_email": KAY, "filter": "suite" }),
            json!({ "guest_email": "not-an-email" }),
        ],
    )
    .await;
    invalid(
        "search_cases_on_behalf_of_guest",
        vec![
            json!({ "status_filter": "Open" }),
            json!({ "case_type_filter": "Laundry" }),
        ],
    )
    .await;
    invalid(
        "search_cases_on_behalf_of_staff",
        vec![
            json!({ "status": "Open" }),
            json!({ "priority": "Critical" }),
            json!({ "type": "Plumbing" }),
            json!({ "room_number": "10'1" }),
            json!({ "guest_email": "guest2" }),
        ],
    )
    .await;
    invalid(
        "search_rooms",
        vec![json!({ "status": "" }), json!({ "room_number": "123456" })],
    )
    .await;
    invalid(
        "search_cases",
        vec![
            json!({ "priority": "urgent!" }),
            json!({ "contact_email": "x@y" }),
        ],
    )
    .await;
    invalid(
        "search_contacts",
        vec![
            json!({ "query": "k" }),
            json!({ "query": "  " }),
            json!({ "contact_type": "Customer" }),
            json!({ "email": "kay" }),
        ],
    )
    .await;
    // The guest's own case search is the guest's alone: the front desk has its own.
    let by_staff = world
        .call(
            "search_cases_on_behalf_of_guest",
            staff(),
            json!({ "guest_email": GUEST2 }),
        )
        .await;
    assert_eq!(
        (by_staff.http_status(), error_code(&by_staff.body())),
        (403, "FORBIDDEN")
    );
    assert_eq!(
        by_staff.calls.total_calls, 0,
        "refused before Salesforce is asked"
    );
}

/// Who runs `tool` in the tests that try every search: the guest for the guest's own case search,
/// a manager (who holds every staff job) for the others.
fn searcher(tool: &str) -> dewy_tool::Caller {
    if tool == "search_cases_on_behalf_of_guest" {
        guest(GUEST2)
    } else {
        dewy_e2e::manager()
    }
}
