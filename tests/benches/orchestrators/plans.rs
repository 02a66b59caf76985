//! Each orchestrator's workload on a fresh fixture: how ours is called, and the original's steps
//! for the same workflow (with the atomic recipes it called), one request each.
//! The count in each comment is the original's number of sequential requests.

use crate::AMOUNT;
use crate::atomics::{
    booking_by_external_id, booking_search, case_by_token, conflict_search, contact_search, find_contact,
    new_contact, room_search, update_stay, upsert_booking, upsert_case,
};
use crate::fixtures::{Fixtures, day};
use crate::sequential::{Op, Step, find_as};
use dewy_e2e::{guest, housekeeping, maintenance, manager, staff};
use dewy_homeassistant::{EntityId, ServiceCall};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::Caller;
use serde_json::{Value, json};

/// The seeded manager who files maintenance requests.
const MANAGER: &str = "manager1@hotel.com";

/// One orchestrator's workload on one fresh fixture. Each run makes its own plan and uses one half.
pub struct Plan {
    pub caller: Caller,
    pub arguments: Value,
    pub original: Vec<Step>,
}

/// A fresh plan for orchestrator `name`.
pub async fn plan(fx: &Fixtures<'_>, name: &str) -> Plan {
    match name {
        "check_in_guest" => check_in(fx),
        "process_guest_checkout" => checkout(fx),
        "compensate_checkout_failure" => compensation(fx).await,
        "create_booking_orchestrator" => create_booking(fx),
        "manage_booking_orchestrator" => manage_booking(fx),
        "manage_cases_orchestrator" => manage_case(fx),
        "submit_guest_service_request" => service_request(fx),
        "submit_maintenance_request" => maintenance_request(fx),
        "upsert_contact_by_email" => upsert_contact(fx),
        "search_rooms_on_behalf_of_guest" => guest_room_search(fx),
        "search_rooms_on_behalf_of_staff" => staff_room_search(),
        "search_cases_on_behalf_of_guest" => guest_case_search(fx),
        "search_cases_on_behalf_of_staff" => staff_case_search(),
        "list_room_devices" => room_devices(fx),
        "control_light" => dim_the_light(fx),
        other => panic!("no plan for {other}"),
    }
}

/// A guest arriving today. Original, 5: contact search; booking search (contact, today,
/// Reserved, with the room's status); booking, room and opportunity updates.
fn check_in(fx: &Fixtures) -> Plan {
    check_in_reading_the_room(fx, false)
}

/// A guest arriving today, with the original's shape as its documentation describes it rather than
/// as built: "6 API calls, 3 reads + 3 updates". The third read is the room's, which the built
/// recipe takes from the booking search instead.
pub fn documented_check_in(fx: &Fixtures) -> Plan {
    check_in_reading_the_room(fx, true)
}

fn check_in_reading_the_room(fx: &Fixtures, room_read: bool) -> Plan {
    let s = fx.stay("Reserved", 0, None);
    let mut original = vec![
        find_contact(&s.guest.email),
        find_as("booking", booking_search(&s.guest.id, s.check_in, "Reserved")),
    ];
    if room_read {
        original.push(find_as("room", room_search(&s.room.number)));
    }
    original.extend(update_stay(
        json!({"Status__c": "Checked In", "Check_Out_Date__c": s.check_out}),
        json!({"Status__c": "Occupied", "Current_Guest__c": "@contact"}),
        json!({"StageName": "Checked In", "CloseDate": s.check_out, "Payment_ID__c": "PENDING_CHECKIN"}),
    ));
    Plan {
        caller: staff(),
        arguments: json!({ "guest_email": s.guest.email }),
        original,
    }
}

/// A checked-in guest paying for the first time. Original, 9: contact search; Stripe customer
/// search (none) and create; PaymentIntent create, then confirm; booking search (contact, today,
/// Checked In); booking, room and opportunity updates.
fn checkout(fx: &Fixtures) -> Plan {
    let s = fx.stay("Checked In", 0, None);
    let email = s.guest.email.clone();
    let mut original = vec![
        find_contact(&email),
        Op::FindCustomer(email.clone()).into(),
        Step::from(Op::NewCustomer(email.clone(), "@contact".into())).saved_as("customer"),
        Step::from(Op::NewPayment("@customer".into(), "@contact".into())).saved_as("payment"),
        Step::from(Op::ConfirmPayment("@payment".into())).saved_as("charge"),
        find_as("booking", booking_search(&s.guest.id, s.check_in, "Checked In")),
    ];
    original.extend(update_stay(
        json!({"Status__c": "Checked Out", "Check_Out_Date__c": day(0)}),
        json!({"Status__c": "Cleaning", "Current_Guest__c": null}),
        json!({"StageName": "Closed Won", "CloseDate": day(0), "Payment_ID__c": "@charge"}),
    ));
    Plan {
        caller: guest(&email),
        arguments: json!({ "guest_email": email, "guest_name": "Bench Guest", "amount": AMOUNT,
                           "payment_method_id": "pm_card_visa", "idempotency_token": fx.token() }),
        original,
    }
}

/// A paid checkout to undo. Original, 7: PaymentIntent read; contact search; full refund; booking
/// search (contact, today, Checked Out); booking, room and opportunity reverts. (It also nulled
/// the opportunity's CloseDate, a required field: left out, as ours does.)
async fn compensation(fx: &Fixtures<'_>) -> Plan {
    let (s, intent) = fx.paid_stay().await;
    let mut original = vec![
        Op::RetrievePayment(intent.clone()).into(),
        find_contact(&s.guest.email),
        Op::Refund(intent.clone()).into(),
        find_as("booking", booking_search(&s.guest.id, s.check_in, "Checked Out")),
    ];
    original.extend(update_stay(
        json!({"Status__c": "Checked In", "Check_Out_Date__c": null}),
        json!({"Status__c": "Occupied", "Current_Guest__c": "@contact"}),
        json!({"StageName": "Negotiation/Review", "Payment_ID__c": null}),
    ));
    Plan {
        caller: manager(),
        arguments: json!({ "payment_intent_id": intent, "guest_email": s.guest.email,
                           "idempotency_token": fx.token(), "reason": "Benchmark compensation" }),
        original,
    }
}

/// A new guest books a vacant room. Original, 8: contact search (none), then `create_contact`'s
/// upsert; room search; conflict search (none); `create_opportunity`'s own contact search, then
/// its create; `upsert_booking`'s upsert, then its read-back.
fn create_booking(fx: &Fixtures) -> Plan {
    let room = fx.room("Vacant", None);
    let (email, external_id) = (fx.new_email(), fx.token());
    let (check_in, check_out) = (day(3), day(5));
    let mut original = Vec::from(new_contact(&email, "Booker", "+1 415 555 0100", "Guest"));
    original.extend([
        find_as("room", room_search(&room.number)),
        Op::Miss(conflict_search(&room.number, check_in, check_out)).into(),
        Op::Find(contact_search(&email)).into(),
        Step::from(Op::Create(
            "Opportunity",
            json!({"Name": format!("Booking for Bench Booker - {check_in}"), "StageName": "Booking Confirmed",
                   "CloseDate": check_in, "ContactId": "@contact", "Type": "New Business"}),
        ))
        .saved_as("opportunity"),
    ]);
    original.extend(upsert_booking(
        &external_id,
        json!({"Opportunity__c": "@opportunity", "Primary_Guest__c": "@contact", "Room__c": "@room",
               "Check_In_Date__c": check_in, "Check_Out_Date__c": check_out, "Number_of_Guests__c": 1}),
    ));
    Plan {
        caller: staff(),
        arguments: json!({ "booking_external_id": external_id, "guest_email": email,
                           "guest_first_name": "Bench", "guest_last_name": "Booker",
                           "guest_phone": "+1 415 555 0100", "room_number": room.number,
                           "check_in_date": check_in, "check_out_date": check_out, "number_of_guests": 1 }),
        original,
    }
}

/// A reserved booking moved to another room and dates. Original, 4: booking search by external
/// id; room search; `upsert_booking`'s upsert (old values merged, status reset to Reserved, no
/// conflict check), then its read-back. No email is given, so no contact search.
fn manage_booking(fx: &Fixtures) -> Plan {
    let s = fx.stay("Reserved", 3, None);
    let to = fx.room("Vacant", None);
    let (check_in, check_out) = (day(4), day(6));
    let mut original = vec![
        find_as("booking", booking_by_external_id(&s.external_id)),
        find_as("room", room_search(&to.number)),
    ];
    original.extend(upsert_booking(
        &s.external_id,
        json!({"Opportunity__c": "@booking.Opportunity__c", "Primary_Guest__c": "@booking.Primary_Guest__c",
               "Room__c": "@room", "Check_In_Date__c": check_in, "Check_Out_Date__c": check_out,
               "Number_of_Guests__c": 1}),
    ));
    Plan {
        caller: staff(),
        arguments: json!({ "external_id": s.external_id, "room_number": to.number,
                           "check_in_date": check_in, "check_out_date": check_out }),
        original,
    }
}

/// Staff open a case for a guest and a room. Original, 5: case search by token (none); contact
/// search; room search; `upsert_case`'s upsert, then its read of the case.
fn manage_case(fx: &Fixtures) -> Plan {
    let (g, room, token) = (fx.guest(), fx.room("Vacant", None), fx.token());
    let text = "Late check-out requested.";
    let mut original = vec![
        Op::Miss(case_by_token(&token)).into(),
        find_contact(&g.email),
        find_as("room", room_search(&room.number)),
    ];
    original.extend(upsert_case(
        &token,
        case_fields("Concierge", "Low", text, "Internal"),
    ));
    Plan {
        caller: housekeeping(),
        arguments: json!({ "idempotency_token": token, "guest_email": g.email, "room_number": room.number,
                           "type": "Concierge", "priority": "Low", "description": text }),
        original,
    }
}

/// A checked-in guest asks for towels. Original, 4: contact search (type checked); room search;
/// `upsert_case`'s upsert (New, origin Web), then its read of the case.
fn service_request(fx: &Fixtures) -> Plan {
    let (s, token) = (fx.stay("Checked In", 0, None), fx.token());
    let text = "Two extra bath towels, please.";
    let mut original = vec![
        find_contact(&s.guest.email),
        find_as("room", room_search(&s.room.number)),
    ];
    original.extend(upsert_case(
        &token,
        case_fields("Housekeeping", "Medium", text, "Web"),
    ));
    Plan {
        caller: guest(&s.guest.email),
        arguments: json!({ "idempotency_token": token, "room_number": s.room.number, "type": "Housekeeping",
                           "priority": "Medium", "description": text }),
        original,
    }
}

/// A manager reports a fault. Original, 4: contact search (type checked); room search;
/// `upsert_case`'s upsert (New, origin Internal), then its read of the case. It texted no one;
/// ours texts the on-call number.
fn maintenance_request(fx: &Fixtures) -> Plan {
    let (room, token) = (fx.room("Vacant", None), fx.token());
    let text = "Shower drain is blocked.";
    let mut original = vec![find_contact(MANAGER), find_as("room", room_search(&room.number))];
    original.extend(upsert_case(
        &token,
        case_fields("Maintenance", "High", text, "Internal"),
    ));
    Plan {
        caller: maintenance(),
        arguments: json!({ "idempotency_token": token, "manager_email": MANAGER, "room_number": room.number,
                           "type": "Maintenance", "priority": "High", "description": text }),
        original,
    }
}

/// A new case's fields, for the contact and room steps saved as `contact` and `room`.
fn case_fields(kind: &str, priority: &str, text: &str, origin: &str) -> Value {
    json!({"ContactId": "@contact", "Room__c": "@room", "Type": kind, "Priority": priority, "Status": "New",
           "Subject": text, "Description": text, "Origin": origin})
}

/// A new vendor's contact. Original, 2: contact search (none); `upsert_contact`'s upsert.
fn upsert_contact(fx: &Fixtures) -> Plan {
    let email = fx.new_email();
    Plan {
        caller: staff(),
        arguments: json!({ "email": email, "first_name": "Bench", "last_name": "Vendor",
                           "phone": "+1 555 010 0177", "contact_type": "Vendor" }),
        original: new_contact(&email, "Vendor", "+1 555 010 0177", "Vendor").into(),
    }
}

/// A guest with a booking lists their rooms. Original, 1: one SOQL on the rooms of the guest's
/// bookings (a semi-join there; here the same single query, read from the bookings' side).
fn guest_room_search(fx: &Fixtures) -> Plan {
    let s = fx.stay("Reserved", 3, None);
    let live = ["Reserved", "Checked In", "Checked Out", "Cancelled"];
    let rooms = Soql::select(&["Id", "Room__c", "Room__r.Room_Number__c", "Room__r.Room_Type__c"])
        .from("Booking__c")
        .filter(
            Cond::eq("Primary_Guest__r.Unique_Email__c", s.guest.email.as_str())
                .and(Cond::is_in("Status__c", live)),
        )
        .limit(10);
    Plan {
        caller: guest(&s.guest.email),
        arguments: json!({ "guest_email": s.guest.email }),
        original: vec![Op::Find(rooms).into()],
    }
}

/// Staff list the occupied rooms of floor 1 (seeded, and only read, so runs share them).
/// Original, 1: one SOQL on Hotel_Room__c with the filters, the current guest's details through
/// the relationship.
fn staff_room_search() -> Plan {
    let rooms = Soql::select(&[
        "Id",
        "Room_Number__c",
        "Status__c",
        "Room_Type__c",
        "Floor__c",
        "Current_Guest__r.FirstName",
        "Current_Guest__r.LastName",
        "Current_Guest__r.Email",
        "Current_Guest__r.MobilePhone",
    ])
    .from("Hotel_Room__c")
    .filter(Cond::eq("Status__c", "Occupied").and(Cond::eq("Floor__c", 1)))
    .limit(20);
    Plan {
        caller: staff(),
        arguments: json!({ "status_filter": "Occupied", "floor_filter": 1 }),
        original: vec![Op::Find(rooms).into()],
    }
}

/// A guest with a case lists their cases. Original, 1: one SOQL on Case by the contact's email.
fn guest_case_search(fx: &Fixtures) -> Plan {
    let g = fx.guest();
    fx.insert(
        "Case",
        json!({"ContactId": g.id, "Subject": "Extra pillows", "Description": "Two more pillows, please.",
               "Status": "New", "Type": "Housekeeping", "Priority": "Low", "Origin": "Web",
               "External_ID__c": fx.token()}),
    );
    let cases = Soql::select(&["Id", "CaseNumber", "Subject", "Status", "Priority", "Type"])
        .from("Case")
        .filter(Cond::eq("Contact.Unique_Email__c", g.email.as_str()))
        .limit(10);
    Plan {
        caller: guest(&g.email),
        arguments: json!({ "guest_email": g.email }),
        original: vec![Op::Find(cases).into()],
    }
}

/// Staff list the new cases (seeded; only read). Original, 1: one SOQL on Case with the filters.
fn staff_case_search() -> Plan {
    let cases = Soql::select(&["Id", "CaseNumber", "Subject", "Status", "Priority", "Type"])
        .from("Case")
        .filter(Cond::eq("Status", "New"))
        .limit(50);
    Plan {
        caller: staff(),
        arguments: json!({ "status": "New" }),
        original: vec![Op::Find(cases).into()],
    }
}

/// The checked-in seeded guest whose room (101) the room-control plans use: the device commands
/// set absolute states, so runs can share the room.
const ROOM_GUEST: &str = "guest2@hotel.com";

/// A guest lists their room's devices. Original, 1: every entity from Home Assistant (its app
/// took the guest's room and devices from its own database, which this shape does not count).
fn room_devices(_: &Fixtures) -> Plan {
    Plan {
        caller: guest(ROOM_GUEST),
        arguments: json!({}),
        original: vec![Op::HaStates.into()],
    }
}

/// A guest dims their main light to 40 %. Original, 2: the turn-on call, then a read of the new
/// state (its recipe re-read the light; the device's room came from its own database).
fn dim_the_light(fx: &Fixtures) -> Plan {
    let light = EntityId::parse("light.room_101_main").unwrap();
    Plan {
        caller: guest(ROOM_GUEST),
        arguments: json!({
            "device_id": "light.room_101_main", "brightness_pct": 40, "idempotency_token": fx.token(),
        }),
        original: vec![
            Op::HaCall(ServiceCall::LightOn {
                entity_id: light,
                brightness: Some(102),
                hs_color: None,
                effect: None,
            })
            .into(),
            Op::HaState("light.room_101_main").into(),
        ],
    }
}
