//! What the agents call: one generator per orchestrator, and the pools of targets the generators
//! draw from and the answers feed (guests to check out, payments to compensate, bookings to change,
//! cases to update). Every token is chosen once per logical call, so every retry sends the same
//! arguments.

use chrono::{Days, NaiveDate, Utc};
use dewy_e2e::{guest, housekeeping, maintenance, manager, staff};
use dewy_tool::Caller;
use rand::Rng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// One logical tool call: which tool, as whom, with what, and what its answer feeds.
pub struct Call {
    pub tool: &'static str,
    pub caller: Caller,
    pub arguments: Value,
    pub track: Track,
}

/// What a call's answers update once the agent is done with it.
pub enum Track {
    Nothing,
    /// A check-in of this guest: every successful answer must name the one check-in Salesforce
    /// holds; a traveller checked in becomes someone to check out.
    CheckIn {
        email: String,
    },
    /// A checkout of this guest with this token; `contending` when it deliberately races another
    /// checkout of the same stay (it then leaves the pools' bookkeeping of that stay alone).
    Checkout {
        email: String,
        token: String,
        contending: bool,
    },
    /// A compensation of this payment with this token.
    Compensate {
        intent: String,
        email: String,
        token: String,
    },
    /// A call that may create or move a booking; `created` is the booking a create makes.
    Booking {
        created: Option<Booked>,
    },
    /// A call that creates the case with this token.
    NewCase {
        token: String,
    },
    /// A command of this room device (taken from the pool, so no other call commands it now).
    Device {
        device: String,
    },
}

/// A booking made by the run.
#[derive(Clone)]
pub struct Booked {
    pub external_id: String,
    pub email: String,
    pub arguments: Value,
}

/// A generator of calls for one orchestrator.
pub type Workload = fn(&mut StdRng, &Targets) -> Call;

/// Every orchestrator, check-in and checkout twice as often as the rest (the other money paths
/// hang off them), and calls that race on purpose: checkouts of a stay another checkout may be
/// charging (another token, maybe another caller), bookings of a few nights of two rooms, and
/// status changes of the first few cases the run opened (decided on a status another agent may be
/// changing).
pub const WORKLOADS: &[Workload] = &[
    check_in,
    check_in,
    checkout,
    checkout,
    contending_checkout,
    compensate,
    create_booking,
    contending_booking,
    manage_booking,
    manage_case,
    contending_case,
    contending_case,
    contending_case,
    guest_service_request,
    maintenance_request,
    upsert_contact,
    search_rooms_for_guest,
    search_rooms_for_staff,
    search_cases_for_guest,
    search_cases_for_staff,
    blinds_command,
    blinds_command,
    list_devices,
];

/// What the calls aim at. The pools hand a target to one logical call at a time where two calls
/// with different tokens on the same target would race for real (two checkouts of one stay).
pub struct Targets {
    pub travellers: Vec<String>,
    /// Guests checked in with no checkout under way.
    pub to_check_out: Mutex<Vec<String>>,
    /// Guests whose checkout completed (a new checkout of them is refused, unless compensated).
    pub checked_out: Mutex<Vec<String>>,
    /// Guests with a checkout under way: the ordinary checkouts take one guest at a time (the
    /// contending ones do not, to race them).
    pub busy: Mutex<HashSet<String>>,
    /// Travellers the run checked in (each joins `to_check_out` once).
    pub checked_in: Mutex<HashSet<String>>,
    /// Completed checkouts not compensated yet: (payment intent, guest).
    pub paid: Mutex<Vec<(String, String)>>,
    /// Payments compensated (a new compensation of them is refused).
    pub compensated: Mutex<Vec<(String, String)>>,
    pub bookings: Mutex<Vec<Booked>>,
    pub cases: Mutex<Vec<String>>,
    /// Room devices no call is commanding now.
    pub devices: Mutex<Vec<String>>,
    /// The last answer about each device's state, as the blinds' position; a device whose last
    /// command ended without an answer (the agent gave up) is left out: its state is unknown.
    pub device_answers: Mutex<HashMap<String, Value>>,
}

impl Targets {
    pub fn new(travellers: Vec<String>, staying: Vec<String>) -> Targets {
        Targets {
            travellers,
            to_check_out: Mutex::new(staying),
            checked_out: Mutex::default(),
            checked_in: Mutex::default(),
            busy: Mutex::default(),
            paid: Mutex::default(),
            compensated: Mutex::default(),
            bookings: Mutex::default(),
            cases: Mutex::default(),
            devices: Mutex::new(
                ROOMS
                    .iter()
                    .map(|room| format!("cover.room_{room}_blinds"))
                    .collect(),
            ),
            device_answers: Mutex::default(),
        }
    }

    /// Feeds the pools with the last answer of a logical call (`None`: the agent gave up).
    pub fn settle(&self, track: &Track, last: Option<Result<&Value, &dewy_domain::ToolError>>) {
        use dewy_domain::ErrorCode::{AmountMismatch, CheckoutRefunded, PaymentFailed, PaymentNotRefundable};
        if let Track::Checkout {
            email,
            contending: false,
            ..
        } = track
        {
            self.busy.lock().unwrap().remove(email);
        }
        if let Track::Device { device } = track {
            let mut answers = self.device_answers.lock().unwrap();
            match last {
                Some(Ok(output)) => {
                    answers.insert(device.clone(), output["position"].clone());
                }
                // A refusal changed nothing; giving up leaves the state unknown.
                Some(Err(_)) => {}
                None => {
                    answers.remove(device);
                }
            }
            self.devices.lock().unwrap().push(device.clone());
        }
        match (track, last) {
            (Track::CheckIn { email }, Some(Ok(_)))
                if email.starts_with("traveller")
                    && self.checked_in.lock().unwrap().insert(email.clone()) =>
            {
                self.to_check_out.lock().unwrap().push(email.clone());
            }
            (Track::Checkout { email, .. }, Some(Ok(output))) => {
                self.to_check_out.lock().unwrap().retain(|e| e != email);
                if let Some(intent) = output["payment_intent_id"].as_str() {
                    self.paid.lock().unwrap().push((intent.to_owned(), email.clone()));
                }
                self.checked_out.lock().unwrap().push(email.clone());
            }
            // Still checked in: another checkout (new token, maybe another card) may follow.
            (
                Track::Checkout {
                    email,
                    contending: false,
                    ..
                },
                Some(Err(e)),
            ) if matches!(e.code, CheckoutRefunded | PaymentFailed | AmountMismatch) => {
                self.to_check_out.lock().unwrap().push(email.clone());
            }
            (Track::Compensate { intent, email, .. }, Some(Ok(output))) => {
                self.compensated
                    .lock()
                    .unwrap()
                    .push((intent.clone(), email.clone()));
                if output["salesforce_reverted"] == json!(true) {
                    self.to_check_out.lock().unwrap().push(email.clone());
                }
            }
            (Track::Compensate { intent, email, .. }, Some(Err(e))) if e.code == PaymentNotRefundable => {
                self.compensated
                    .lock()
                    .unwrap()
                    .push((intent.clone(), email.clone()));
            }
            (
                Track::Booking {
                    created: Some(booked),
                    ..
                },
                Some(Ok(output)),
            ) if output["already_booked"] == json!(false) => {
                self.bookings.lock().unwrap().push(booked.clone());
            }
            (Track::NewCase { token }, Some(Ok(_))) => self.cases.lock().unwrap().push(token.clone()),
            _ => {}
        }
    }
}

/// A UUID drawn from the run's seed, so a replayed seed sends the same tokens.
pub fn uuid(rng: &mut StdRng) -> String {
    dewy_e2e::uuid_v4_from(rng.random())
}

fn pick<T: Clone>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())].clone()
}

/// Takes a random item out of `pool`.
fn take<T>(rng: &mut StdRng, pool: &Mutex<Vec<T>>) -> Option<T> {
    let mut pool = pool.lock().unwrap();
    if pool.is_empty() {
        return None;
    }
    let at = rng.random_range(0..pool.len());
    Some(pool.swap_remove(at))
}

fn peek<T: Clone>(rng: &mut StdRng, pool: &Mutex<Vec<T>>) -> Option<T> {
    let pool = pool.lock().unwrap();
    (!pool.is_empty()).then(|| pool[rng.random_range(0..pool.len())].clone())
}

/// The guest themselves or the front desk, half and half.
fn guest_or_staff(rng: &mut StdRng, email: &str) -> Caller {
    if rng.random_bool(0.5) {
        guest(email)
    } else {
        staff()
    }
}

const SEED_GUESTS: &[&str] = &[
    "guest1@hotel.com",
    "guest2@hotel.com",
    "guest3@hotel.com",
    "guest4@hotel.com",
    "guest5@hotel.com",
    "guest7@hotel.com",
    "kay@example.com",
    "maria.garcia@example.com",
];
const SEED_ROOMS: &[&str] = &[
    "100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "200", "201", "202", "203",
    "204", "205", "206", "207", "208", "209", "210",
];
const PRIORITIES: &[&str] = &["Low", "Medium", "High", "Urgent"];

/// Mostly guests with a reservation (as themselves or through the front desk), sometimes a guest
/// whose room is not ready or who has two reservations, or no one at all: those fail cleanly.
fn check_in(rng: &mut StdRng, targets: &Targets) -> Call {
    let roll: f64 = rng.random();
    let email = if roll < 0.85 {
        pick(rng, &targets.travellers)
    } else if roll < 0.90 {
        "carl.smith@example.com".to_owned()
    } else if roll < 0.95 {
        "maria.garcia@example.com".to_owned()
    } else {
        format!("nobody{}@example.com", rng.random_range(0..5))
    };
    Call {
        tool: "check_in_guest",
        caller: guest_or_staff(rng, &email),
        arguments: json!({ "guest_email": email }),
        track: Track::CheckIn { email },
    }
}

/// A checked-in guest checks out, mostly with a good card; now and then a guest already checked
/// out tries again with a new token (refused, nothing charged).
fn checkout(rng: &mut StdRng, targets: &Targets) -> Call {
    let repeat = rng.random_bool(0.1);
    let mut busy = targets.busy.lock().unwrap();
    let mut fresh = (!repeat).then(|| take(rng, &targets.to_check_out)).flatten();
    if let Some(email) = fresh.take_if(|e| busy.contains(e)) {
        targets.to_check_out.lock().unwrap().push(email);
    }
    let email = fresh
        .or_else(|| peek(rng, &targets.checked_out).filter(|e| !busy.contains(e)))
        .unwrap_or_else(|| format!("nobody{}@example.com", rng.random_range(0..5)));
    busy.insert(email.clone());
    drop(busy);
    let card = match rng.random_range(0..20) {
        0 | 1 => "pm_card_chargeDeclined",
        2 => "pm_card_chargeDeclinedInsufficientFunds",
        _ => "pm_card_visa",
    };
    let token = uuid(rng);
    let mut arguments = json!({
        "guest_email": email, "guest_name": "Guest of the run", "payment_method_id": card, "idempotency_token": token,
    });
    if rng.random_bool(0.1) {
        // A client that chooses the amount: refused, nothing charged.
        arguments["amount"] = json!(rng.random_range(50..=1_000));
    }
    Call {
        tool: "process_guest_checkout",
        caller: guest_or_staff(rng, &email),
        arguments,
        track: Track::Checkout {
            email,
            token,
            contending: false,
        },
    }
}

/// A checkout of a guest who may be checking out right now (another tab, the front desk), with a
/// token of its own: at most one of them may charge the stay.
fn contending_checkout(rng: &mut StdRng, targets: &Targets) -> Call {
    let email = first_few(rng, &targets.to_check_out);
    let Some(email) = email.or_else(|| first_few(rng, &targets.checked_out)) else {
        return checkout(rng, targets);
    };
    let token = uuid(rng);
    Call {
        tool: "process_guest_checkout",
        caller: guest_or_staff(rng, &email),
        arguments: json!({
            "guest_email": email, "guest_name": "Guest of the run", "payment_method_id": "pm_card_visa",
            "idempotency_token": token,
        }),
        track: Track::Checkout {
            email,
            token,
            contending: true,
        },
    }
}

/// A manager undoes a checkout the run made; now and then one already undone (refused). With no
/// payment yet, a checkout instead.
fn compensate(rng: &mut StdRng, targets: &Targets) -> Call {
    let repeat = rng.random_bool(0.15);
    let Some((intent, email)) = (!repeat)
        .then(|| take(rng, &targets.paid))
        .flatten()
        .or_else(|| peek(rng, &targets.compensated))
    else {
        return checkout(rng, targets);
    };
    let token = uuid(rng);
    Call {
        tool: "compensate_checkout_failure",
        caller: manager(),
        arguments: json!({
            "payment_intent_id": intent, "guest_email": email, "idempotency_token": token,
            "reason": "Fault-injection run: the guest disputed the bill",
        }),
        track: Track::Compensate { intent, email, token },
    }
}

/// The first day of the far-future window bookings are made in (no seed booking reaches it).
fn window_start() -> NaiveDate {
    Utc::now().date_naive() + Days::new(300)
}

/// Random dates in a 20-day window: with a dozen rooms, clashes happen.
fn stay_dates(rng: &mut StdRng) -> (String, String) {
    let check_in = window_start() + Days::new(rng.random_range(0..20));
    let check_out = check_in + Days::new(rng.random_range(1..=3));
    (check_in.to_string(), check_out.to_string())
}

/// A booking in the window: a fresh external id, or (15%) one the run already used, for the same
/// stay (the booking already made) or another (refused).
fn create_booking(rng: &mut StdRng, targets: &Targets) -> Call {
    if rng.random_bool(0.15)
        && let Some(earlier) = peek(rng, &targets.bookings)
    {
        let mut arguments = earlier.arguments.clone();
        if rng.random_bool(0.5) {
            let (check_in, check_out) = stay_dates(rng);
            arguments["check_in_date"] = json!(check_in);
            arguments["check_out_date"] = json!(check_out);
        }
        return Call {
            tool: "create_booking_orchestrator",
            caller: staff(),
            arguments,
            track: Track::Booking { created: None },
        };
    }
    let email = if rng.random_bool(0.7) {
        format!("booker{}@example.com", rng.random_range(0..40))
    } else {
        pick(rng, SEED_GUESTS).to_owned()
    };
    let external_id = uuid(rng);
    let (check_in, check_out) = stay_dates(rng);
    let arguments = json!({
        "booking_external_id": external_id, "guest_email": email, "guest_first_name": "Booker",
        "guest_last_name": "Of the run", "guest_phone": "+1 415 555 0100",
        "room_number": pick(rng, &SEED_ROOMS[..11]), "check_in_date": check_in, "check_out_date": check_out,
        "number_of_guests": rng.random_range(1..=2), "special_requests": "Quiet room, please",
    });
    let booked = Booked {
        external_id: external_id.clone(),
        email: email.clone(),
        arguments: arguments.clone(),
    };
    Call {
        tool: "create_booking_orchestrator",
        caller: if rng.random_bool(0.3) {
            guest(&email)
        } else {
            staff()
        },
        arguments,
        track: Track::Booking {
            created: Some(booked),
        },
    }
}

/// One of the first few items of `pool`: so that the calls that pick from it meet each other.
fn first_few<T: Clone>(rng: &mut StdRng, pool: &Mutex<Vec<T>>) -> Option<T> {
    let pool = pool.lock().unwrap();
    let few = &pool[..pool.len().min(3)];
    (!few.is_empty()).then(|| few[rng.random_range(0..few.len())].clone())
}

/// A booking of two rooms over a few nights, by many agents at once: most of them must be told
/// the room is booked, and no night may be booked twice.
fn contending_booking(rng: &mut StdRng, _: &Targets) -> Call {
    let check_in = window_start() + Days::new(30 + rng.random_range(0..4));
    let check_out = check_in + Days::new(rng.random_range(1..=2));
    let email = format!("contender{}@example.com", rng.random_range(0..20));
    let external_id = uuid(rng);
    let arguments = json!({
        "booking_external_id": external_id, "guest_email": email, "guest_first_name": "Contender",
        "guest_last_name": "Of the run", "room_number": pick(rng, &["205", "206"]),
        "check_in_date": check_in.to_string(), "check_out_date": check_out.to_string(),
    });
    Call {
        tool: "create_booking_orchestrator",
        caller: guest_or_staff(rng, &email),
        arguments,
        track: Track::Booking { created: None },
    }
}

/// A change to a booking the run made: its requests, its guest count, its dates or its room.
fn manage_booking(rng: &mut StdRng, targets: &Targets) -> Call {
    let Some(booked) = peek(rng, &targets.bookings) else {
        return create_booking(rng, targets);
    };
    let mut arguments = json!({ "external_id": booked.external_id });
    match rng.random_range(0..4) {
        0 => arguments["special_requests"] = json!(format!("Request no. {}", rng.random_range(0..1000))),
        1 => arguments["number_of_guests"] = json!(rng.random_range(1..=2)),
        kind => {
            let (check_in, check_out) = stay_dates(rng);
            arguments["check_in_date"] = json!(check_in);
            arguments["check_out_date"] = json!(check_out);
            if kind == 3 {
                arguments["room_number"] = json!(pick(rng, &SEED_ROOMS[..11]));
            }
        }
    }
    Call {
        tool: "manage_booking_orchestrator",
        caller: if rng.random_bool(0.3) {
            guest(&booked.email)
        } else {
            staff()
        },
        arguments,
        track: Track::Booking { created: None },
    }
}

/// Staff open a case, or move one the run opened along its lifecycle.
fn manage_case(rng: &mut StdRng, targets: &Targets) -> Call {
    if rng.random_bool(0.5)
        && let Some(token) = peek(rng, &targets.cases)
    {
        let arguments = if rng.random_bool(0.7) {
            json!({ "idempotency_token": token, "status": pick(rng, &["Working", "Escalated", "Closed"]) })
        } else {
            json!({ "idempotency_token": token, "priority": pick(rng, PRIORITIES) })
        };
        return Call {
            tool: "manage_cases_orchestrator",
            caller: housekeeping(),
            arguments,
            track: Track::Nothing,
        };
    }
    let token = uuid(rng);
    Call {
        tool: "manage_cases_orchestrator",
        caller: housekeeping(),
        arguments: json!({
            "idempotency_token": token, "guest_email": pick(rng, SEED_GUESTS), "room_number": pick(rng, SEED_ROOMS),
            "type": pick(rng, &["Housekeeping", "Maintenance", "Concierge", "Room Service"]),
            "priority": pick(rng, PRIORITIES), "description": "Opened by the fault-injection run.",
        }),
        track: Track::NewCase { token },
    }
}

/// A status change of the first case the run opened, by many agents at once: each is
/// decided on the status it read, and none may overwrite a change it did not see.
fn contending_case(rng: &mut StdRng, targets: &Targets) -> Call {
    let first = targets.cases.lock().unwrap().first().cloned();
    let Some(token) = first else {
        return manage_case(rng, targets);
    };
    Call {
        tool: "manage_cases_orchestrator",
        caller: housekeeping(),
        // A note of its own makes each agent's change its own operation, not a replay of another's.
        arguments: json!({
            "idempotency_token": token, "status": pick(rng, &["Working", "Escalated", "Closed"]),
            "description": format!("Status set by agent call {}.", uuid(rng)),
        }),
        track: Track::Nothing,
    }
}

/// A guest's request: Brian for his own room, or the front desk for any guest and room.
fn guest_service_request(rng: &mut StdRng, _: &Targets) -> Call {
    let mut arguments = json!({
        "idempotency_token": uuid(rng), "type": pick(rng, &["Housekeeping", "Room Service", "Concierge"]),
        "priority": pick(rng, PRIORITIES), "description": "Two extra bath towels, please.",
    });
    let caller = if rng.random_bool(0.5) {
        arguments["room_number"] = json!("101");
        guest("guest2@hotel.com")
    } else {
        arguments["guest_email"] = json!(pick(rng, SEED_GUESTS));
        arguments["room_number"] = json!(pick(rng, SEED_ROOMS));
        staff()
    };
    Call {
        tool: "submit_guest_service_request",
        caller,
        arguments,
        track: Track::Nothing,
    }
}

fn maintenance_request(rng: &mut StdRng, _: &Targets) -> Call {
    Call {
        tool: "submit_maintenance_request",
        caller: maintenance(),
        arguments: json!({
            "idempotency_token": uuid(rng), "manager_email": "manager1@hotel.com",
            "room_number": pick(rng, SEED_ROOMS), "type": pick(rng, &["Maintenance", "Facilities"]),
            "priority": pick(rng, PRIORITIES), "description": "The tap drips.",
        }),
        track: Track::Nothing,
    }
}

/// Mostly new emails from a small pool (so concurrent calls race to create the same contact),
/// sometimes an existing guest.
fn upsert_contact(rng: &mut StdRng, _: &Targets) -> Call {
    let email = if rng.random_bool(0.75) {
        format!("contact{}@example.com", rng.random_range(0..30))
    } else {
        pick(rng, SEED_GUESTS).to_owned()
    };
    Call {
        tool: "upsert_contact_by_email",
        caller: staff(),
        arguments: json!({
            "email": email, "first_name": "Contact", "last_name": "Of the run", "phone": "+1 415 555 0142",
            "contact_type": pick(rng, &["Guest", "Vendor"]),
        }),
        track: Track::Nothing,
    }
}

fn search_rooms_for_guest(rng: &mut StdRng, _: &Targets) -> Call {
    on_behalf_of_a_guest(rng, "search_rooms_on_behalf_of_guest")
}

/// A guest searching their own records, or staff searching them by the guest's email.
fn on_behalf_of_a_guest(rng: &mut StdRng, tool: &'static str) -> Call {
    let email = pick(rng, SEED_GUESTS);
    // Half the calls by the guest, half by the front desk naming them, where the front desk may.
    let front_desk = dewy_tool::Persona::Staff;
    let by_staff = dewy_tools::find(tool).is_some_and(|t| t.spec().personas.contains(&front_desk));
    let (caller, arguments) = if !by_staff || rng.random_bool(0.5) {
        (guest(email), json!({}))
    } else {
        (staff(), json!({ "guest_email": email }))
    };
    Call {
        tool,
        caller,
        arguments,
        track: Track::Nothing,
    }
}

fn search_rooms_for_staff(rng: &mut StdRng, _: &Targets) -> Call {
    let arguments = pick(
        rng,
        &[
            json!({}),
            json!({ "status_filter": "Vacant" }),
            json!({ "floor_filter": 1 }),
            json!({ "room_type_filter": "Suite" }),
        ],
    );
    Call {
        tool: "search_rooms_on_behalf_of_staff",
        caller: staff(),
        arguments,
        track: Track::Nothing,
    }
}

fn search_cases_for_guest(rng: &mut StdRng, _: &Targets) -> Call {
    on_behalf_of_a_guest(rng, "search_cases_on_behalf_of_guest")
}

fn search_cases_for_staff(rng: &mut StdRng, _: &Targets) -> Call {
    let arguments = pick(
        rng,
        &[
            json!({}),
            json!({ "status": "New" }),
            json!({ "priority": "High" }),
        ],
    );
    Call {
        tool: "search_cases_on_behalf_of_staff",
        caller: staff(),
        arguments,
        track: Track::Nothing,
    }
}

/// The hotel's rooms.
const ROOMS: [u32; 22] = [
    100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209,
    210,
];

/// Staff set a room's blinds to a position, on a device no other call is commanding (so its final
/// state is the last answer's); a list of the hotel's devices when every device is taken.
fn blinds_command(rng: &mut StdRng, targets: &Targets) -> Call {
    let Some(device) = take(rng, &targets.devices) else {
        return list_devices(rng, targets);
    };
    Call {
        tool: "set_blinds",
        caller: maintenance(),
        arguments: json!({
            "device_id": device, "position": rng.random_range(0..=100u8), "idempotency_token": uuid(rng),
        }),
        track: Track::Device { device },
    }
}

/// A room's devices, or the whole hotel's.
fn list_devices(rng: &mut StdRng, _: &Targets) -> Call {
    let arguments = if rng.random_bool(0.5) {
        json!({ "room_number": pick(rng, &ROOMS).to_string() })
    } else {
        json!({})
    };
    Call {
        tool: "list_room_devices",
        caller: maintenance(),
        arguments,
        track: Track::Nothing,
    }
}
