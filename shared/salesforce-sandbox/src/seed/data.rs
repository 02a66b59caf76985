//! The demo data as tables. Day offsets are relative to the sandbox's "today", so that every demo
//! flow works on any day (docs/decisions.md#seed-data-dated-from-the-day-it-is-loaded).

use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::objects::case::{CaseOrigin, CasePriority, CaseStatus, CaseType};
use dewy_domain::objects::contact::{ContactMethod, ContactType};
use dewy_domain::objects::room::{RoomStatus, RoomType};

/// Account: key, Name, Type, BillingCity. 1 hotel + 11 vendors + 11 households = 23.
#[rustfmt::skip]
pub(super) const ACCOUNTS: &[(&str, &str, &str, &str)] = &[
    ("hotel",        "Dewy Resort & Spa",              "Hotel",     "Half Moon Bay"),
    ("linen",        "Coastal Linen Services",         "Vendor",    "San Mateo"),
    ("produce",      "Harbor Fresh Produce",           "Vendor",    "Santa Cruz"),
    ("plumbing",     "Bayside Plumbing & Heating",     "Vendor",    "Redwood City"),
    ("electrical",   "Sunrise Electrical Contractors", "Vendor",    "San Jose"),
    ("pool",         "Pacific Pool Care",              "Vendor",    "Pacifica"),
    ("landscaping",  "Evergreen Landscaping",          "Vendor",    "Half Moon Bay"),
    ("hvac",         "Summit HVAC Solutions",          "Vendor",    "Daly City"),
    ("laundry",      "Clearwater Laundry Co.",         "Vendor",    "San Bruno"),
    ("coffee",       "Island Coffee Roasters",         "Vendor",    "Santa Cruz"),
    ("pest",         "Tidewater Pest Control",         "Vendor",    "Burlingame"),
    ("elevator",     "Brightline Elevator Service",    "Vendor",    "Oakland"),
    ("johnson",      "Johnson Household",              "Household", "Portland"),
    ("chen",         "Chen Household",                 "Household", "Seattle"),
    ("rodriguez",    "Rodriguez Household",            "Household", "Phoenix"),
    ("okafor",       "Okafor Household",               "Household", "Houston"),
    ("schulz",       "Schulz Household",               "Household", "Denver"),
    ("haddad",       "Haddad Household",               "Household", "Chicago"),
    ("papadopoulos", "Papadopoulos Household",         "Household", "Boston"),
    ("kim",          "Kim Household",                  "Household", "Los Angeles"),
    ("levi",         "Levi Household",                 "Household", "New York"),
    ("novak",        "Novak Household",                "Household", "Minneapolis"),
    ("smith",        "Smith Household",                "Household", "Sacramento"),
];

/// A contact row.
pub(super) struct ContactRow {
    pub email: &'static str,
    pub first: &'static str,
    pub last: &'static str,
    pub kind: ContactType,
    pub method: ContactMethod,
    /// Account key, if any.
    pub account: Option<&'static str>,
    /// Employee ID for managers, loyalty number for guests.
    pub number: Option<&'static str>,
}

const fn contact(
    email: &'static str,
    first: &'static str,
    last: &'static str,
    kind: ContactType,
    method: ContactMethod,
    account: Option<&'static str>,
    number: Option<&'static str>,
) -> ContactRow {
    ContactRow {
        email,
        first,
        last,
        kind,
        method,
        account,
        number,
    }
}

use ContactMethod::{Email, Phone, Sms};
use ContactType::{Guest, Manager, Vendor};

/// The demo logins: guest1..guest10 (in that order) and the two managers.
#[rustfmt::skip]
pub(super) const DEMO_CONTACTS: &[ContactRow] = &[
    contact("guest1@hotel.com",   "Alice",  "Johnson",      Guest,   Sms,   Some("johnson"),      Some("DRL-100001")),
    contact("guest2@hotel.com",   "Brian",  "Chen",         Guest,   Email, Some("chen"),         Some("DRL-100002")),
    contact("guest3@hotel.com",   "Carmen", "Rodriguez",    Guest,   Sms,   Some("rodriguez"),    None),
    contact("guest4@hotel.com",   "David",  "Okafor",       Guest,   Email, Some("okafor"),       Some("DRL-100004")),
    contact("guest5@hotel.com",   "Emma",   "Schulz",       Guest,   Sms,   Some("schulz"),       None),
    contact("guest6@hotel.com",   "Farah",  "Haddad",       Guest,   Email, Some("haddad"),       Some("DRL-100006")),
    contact("guest7@hotel.com",   "George", "Papadopoulos", Guest,   Sms,   Some("papadopoulos"), None),
    contact("guest8@hotel.com",   "Hannah", "Kim",          Guest,   Email, Some("kim"),          Some("DRL-100008")),
    contact("guest9@hotel.com",   "Isaac",  "Levi",         Guest,   Sms,   Some("levi"),         None),
    contact("guest10@hotel.com",  "Julia",  "Novak",        Guest,   Email, Some("novak"),        Some("DRL-100010")),
    contact("manager1@hotel.com", "Morgan", "Reyes",        Manager, Email, Some("hotel"),        Some("EMP-1001")),
    contact("manager2@hotel.com", "Priya",  "Natarajan",    Manager, Sms,   Some("hotel"),        Some("EMP-1002")),
];

/// The original's 24 contacts: 1 manager, 12 guests, 11 vendors.
#[rustfmt::skip]
pub(super) const ORIGINAL_CONTACTS: &[ContactRow] = &[
    contact("manager@dewyhotel.com",     "Dana",   "Whitfield", Manager, Email, Some("hotel"), Some("EMP-1000")),
    contact("kay@example.com",           "Kay",    "Nakamura",  Guest,   Email, None,          Some("DRL-200001")),
    contact("carl.smith@example.com",    "Carl",   "Smith",     Guest,   Sms,   Some("smith"), None),
    contact("maria.garcia@example.com",  "Maria",  "Garcia",    Guest,   Email, None,          Some("DRL-200003")),
    contact("liam.obrien@example.com",   "Liam",   "O'Brien",   Guest,   Sms,   None,          None),
    contact("sofia.rossi@example.com",   "Sofia",  "Rossi",     Guest,   Email, None,          Some("DRL-200005")),
    contact("noah.williams@example.com", "Noah",   "Williams",  Guest,   Email, None,          None),
    contact("olivia.brown@example.com",  "Olivia", "Brown",     Guest,   Sms,   None,          None),
    contact("ethan.davis@example.com",   "Ethan",  "Davis",     Guest,   Email, None,          Some("DRL-200008")),
    contact("ava.martin@example.com",    "Ava",    "Martin",    Guest,   Phone, None,          None),
    contact("lucas.moreau@example.com",  "Lucas",  "Moreau",    Guest,   Email, None,          None),
    contact("mia.andersson@example.com", "Mia",    "Andersson", Guest,   Sms,   None,          Some("DRL-200011")),
    contact("james.wilson@example.com",  "James",  "Wilson",    Guest,   Email, None,          None),
    contact("tom.baker@coastal-linen.example.com",           "Tom",     "Baker",    Vendor, Email, Some("linen"),       None),
    contact("rosa.delgado@harbor-fresh.example.com",         "Rosa",    "Delgado",  Vendor, Phone, Some("produce"),     None),
    contact("mike.sullivan@bayside-plumbing.example.com",    "Mike",    "Sullivan", Vendor, Phone, Some("plumbing"),    None),
    contact("nadia.petrova@sunrise-electric.example.com",    "Nadia",   "Petrova",  Vendor, Email, Some("electrical"),  None),
    contact("kai.nakoa@pacific-pool.example.com",            "Kai",     "Nakoa",    Vendor, Sms,   Some("pool"),        None),
    contact("owen.fletcher@evergreen-land.example.com",      "Owen",    "Fletcher", Vendor, Email, Some("landscaping"), None),
    contact("grace.liu@summit-hvac.example.com",             "Grace",   "Liu",      Vendor, Phone, Some("hvac"),        None),
    contact("samuel.adeyemi@clearwater-laundry.example.com", "Samuel",  "Adeyemi",  Vendor, Email, Some("laundry"),     None),
    contact("leilani.kahale@island-coffee.example.com",      "Leilani", "Kahale",   Vendor, Email, Some("coffee"),      None),
    contact("victor.hale@tidewater-pest.example.com",        "Victor",  "Hale",     Vendor, Sms,   Some("pest"),        None),
    contact("helen.park@brightline-elevator.example.com",    "Helen",   "Park",     Vendor, Email, Some("elevator"),    None),
];

/// Room layout per floor: (floor, view, names for Standard / Deluxe / Suite).
pub(super) const FLOORS: &[(u32, &str, [&str; 3])] = &[
    (1, "Garden", ["Garden Standard", "Garden Deluxe", "Garden Suite"]),
    (2, "Ocean", ["Ocean View Standard", "Ocean Deluxe", "Royal Suite"]),
];

/// Room kinds by position on the floor (00..=10): last position, type, rate, beds, max
/// occupancy, square feet.
#[rustfmt::skip]
pub(super) const ROOM_KINDS: &[(u32, RoomType, f64, &str, u32, u32)] = &[
    (6,  RoomType::Standard, 149.99, "Queen",           2, 320),
    (9,  RoomType::Deluxe,   199.99, "King",            3, 420),
    (10, RoomType::Suite,    299.99, "King + Sofa Bed", 4, 650),
];

/// A room's status by position on the floor: 00–04 Occupied, 06 Cleaning, 07 Maintenance.
pub(super) fn room_status(position: u32) -> RoomStatus {
    match position {
        0..=4 => RoomStatus::Occupied,
        6 => RoomStatus::Cleaning,
        7 => RoomStatus::Maintenance,
        _ => RoomStatus::Vacant,
    }
}

/// A booking: guest email, room number, status, check-in and check-out day offsets, external
/// id, number of guests, special requests.
pub(super) type BookingRow = (
    &'static str,
    &'static str,
    BookingStatus,
    i64,
    i64,
    &'static str,
    u32,
    &'static str,
);

use BookingStatus::{CheckedOut, Reserved};

/// Bookings besides the ten stays of guest1..guest10 (which `seed` generates).
#[rustfmt::skip]
pub(super) const BOOKINGS: &[BookingRow] = &[
    // The check-in demo: due today, room Vacant.
    ("kay@example.com",           "105", Reserved,   0,  3,  "seed-booking-kay-1",   2, "Late arrival, around 9pm"),
    // ROOM_NOT_VACANT: the room is still being cleaned.
    ("carl.smith@example.com",    "106", Reserved,   0,  2,  "seed-booking-carl-1",  1, ""),
    // MULTIPLE_RESERVATIONS: two bookings due today.
    ("maria.garcia@example.com",  "108", Reserved,   0,  2,  "seed-booking-maria-1", 2, ""),
    ("maria.garcia@example.com",  "109", Reserved,   0,  2,  "seed-booking-maria-2", 2, "Adjoining rooms"),
    // Future stays.
    ("liam.obrien@example.com",   "205", Reserved,   7,  9,  "seed-booking-liam-1",  1, ""),
    ("sofia.rossi@example.com",   "208", Reserved,   14, 16, "seed-booking-sofia-1", 2, "Anniversary"),
    // A finished, paid stay.
    ("noah.williams@example.com", "110", CheckedOut, -5, -2, "seed-booking-noah-1",  2, ""),
];

/// The charge id of the checked-out stay.
pub(super) const PAID_CHARGE_ID: &str = "ch_3QdEwYR2eSoRt0A1b2C3d4E5";

/// A case: external id (the idempotency token), contact email, room, booking external id, type,
/// priority, status, origin, subject, description.
pub(super) struct CaseRow {
    pub token: &'static str,
    pub contact: &'static str,
    pub room: &'static str,
    pub booking: Option<&'static str>,
    pub kind: CaseType,
    pub priority: CasePriority,
    pub status: CaseStatus,
    pub origin: CaseOrigin,
    pub subject: &'static str,
    pub description: &'static str,
}

#[rustfmt::skip]
pub(super) const CASES: &[CaseRow] = &[
    CaseRow {
        token: "3f2b8c1e-7d4a-4e9b-8c2f-1a6d5e4b3c21", contact: "guest2@hotel.com", room: "101",
        booking: Some("seed-booking-guest2-1"),
        kind: CaseType::Housekeeping, priority: CasePriority::Medium, status: CaseStatus::New, origin: CaseOrigin::Web,
        subject: "Extra towels", description: "Please bring two extra bath towels to room 101.",
    },
    CaseRow {
        token: "9a7c4e2d-1b3f-4c8a-9e6d-5f2a1b7c8d34", contact: "manager1@hotel.com", room: "107", booking: None,
        kind: CaseType::Maintenance, priority: CasePriority::High, status: CaseStatus::Working,
        origin: CaseOrigin::Internal,
        subject: "Air conditioning not cooling",
        description: "AC unit in 107 blows warm air; technician from Summit HVAC scheduled.",
    },
    CaseRow {
        token: "c5e1d9b7-3a2f-4d6c-8b1e-7f4a2c9d6e58", contact: "guest7@hotel.com", room: "201",
        booking: Some("seed-booking-guest7-1"),
        kind: CaseType::RoomService, priority: CasePriority::Low, status: CaseStatus::New, origin: CaseOrigin::Web,
        subject: "Breakfast in room", description: "Continental breakfast for two at 8am tomorrow.",
    },
];
