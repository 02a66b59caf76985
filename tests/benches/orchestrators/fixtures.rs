//! The records each run needs, made straight in the sandboxes while latency is off (not measured,
//! not counted), new for every run so that no run sees another's writes.

use crate::AMOUNT;
use chrono::NaiveDate;
use dewy_e2e::World;
use dewy_stripe::{CreatePaymentIntent, StripeIdempotencyKey};
use serde_json::{Value, json};
use std::cell::Cell;

/// A guest's Contact.
pub struct Guest {
    pub email: String,
    pub id: String,
}

/// A room.
pub struct Room {
    pub id: String,
    pub number: String,
}

/// A guest's booking with its room (and an opportunity).
pub struct Stay {
    pub guest: Guest,
    pub room: Room,
    pub external_id: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
}

/// `today + offset` days.
pub fn day(offset: i64) -> NaiveDate {
    chrono::Utc::now().date_naive() + chrono::TimeDelta::days(offset)
}

/// Makes records in the world's sandboxes.
pub struct Fixtures<'w> {
    world: &'w World,
    next: Cell<u32>,
}

impl<'w> Fixtures<'w> {
    pub fn new(world: &'w World) -> Self {
        Fixtures {
            world,
            next: Cell::new(0),
        }
    }

    /// A number no earlier fixture used.
    fn serial(&self) -> u32 {
        let n = self.next.get();
        self.next.set(n + 1);
        n
    }

    /// A fresh random UUID, for idempotency tokens and external ids.
    pub fn token(&self) -> String {
        dewy_e2e::uuid_v4()
    }

    /// Inserts a record, returning its id.
    pub fn insert(&self, object: &str, fields: Value) -> String {
        self.world
            .sandbox
            .insert(object, fields)
            .unwrap_or_else(|e| panic!("{object} rejected: {e}"))
    }

    /// An email no Contact has yet.
    pub fn new_email(&self) -> String {
        format!("bench-{}@example.com", self.serial())
    }

    /// A new guest who prefers email (so check-in texts no one, as the original did not).
    pub fn guest(&self) -> Guest {
        let email = self.new_email();
        let id = self.insert(
            "Contact",
            json!({"FirstName": "Bench", "LastName": "Guest", "Email": email, "Unique_Email__c": email,
                   "Contact_Type__c": "Guest", "Preferred_Contact_Method__c": "Email"}),
        );
        Guest { email, id }
    }

    /// A room of its own (numbers `Q0000` and up), in `status`, occupied by `guest` if given.
    pub fn room(&self, status: &str, guest: Option<&str>) -> Room {
        let number = format!("Q{:04X}", self.serial());
        let id = self.insert(
            "Hotel_Room__c",
            json!({"Name": "Bench Room", "Room_Number__c": number, "Status__c": status,
                   "Room_Type__c": "Standard", "Floor__c": 9, "Max_Occupancy__c": 2,
                   "Nightly_Rate__c": 150.0, "Current_Guest__c": guest}),
        );
        Room { id, number }
    }

    /// A new guest's booking in `status` (Reserved, Checked In or Checked Out), arriving in
    /// `arrives` days for two nights, its room and opportunity in the matching states. `charge` is
    /// what a checked-out stay was paid with.
    pub fn stay(&self, status: &str, arrives: i64, charge: Option<&str>) -> Stay {
        let guest = self.guest();
        let (check_in, check_out) = (day(arrives), day(arrives + 2));
        let (room_status, occupant, stage, payment) = match status {
            "Reserved" => ("Vacant", None, "Booking Confirmed", None),
            "Checked In" => (
                "Occupied",
                Some(guest.id.as_str()),
                "Checked In",
                Some("PENDING_CHECKIN"),
            ),
            "Checked Out" => ("Cleaning", None, "Closed Won", charge),
            other => panic!("no fixture for a {other} stay"),
        };
        let room = self.room(room_status, occupant);
        let opportunity = self.insert(
            "Opportunity",
            json!({"Name": format!("Booking for Bench Guest - {check_in}"), "StageName": stage,
                   "CloseDate": check_in, "ContactId": guest.id, "Amount": 300.0, "Payment_ID__c": payment}),
        );
        let external_id = self.token();
        self.insert(
            "Booking__c",
            json!({"Opportunity__c": opportunity, "Primary_Guest__c": guest.id, "Room__c": room.id,
                   "Check_In_Date__c": check_in, "Check_Out_Date__c": check_out, "Status__c": status,
                   "Number_of_Guests__c": 1, "External_ID__c": external_id}),
        );
        Stay {
            guest,
            room,
            external_id,
            check_in,
            check_out,
        }
    }

    /// A stay checked out today and paid through Stripe, as a checkout leaves it (the charge on its
    /// opportunity); and its PaymentIntent's id.
    pub async fn paid_stay(&self) -> (Stay, String) {
        let email = self.new_email();
        let stripe = self.world.backends.stripe.as_ref().expect("the world has Stripe");
        let intent = CreatePaymentIntent::new(AMOUNT, "usd")
            .description("Hotel checkout payment")
            .metadata("guest_email", &email)
            .confirm_with("pm_card_visa");
        let key = StripeIdempotencyKey::parse(self.token()).unwrap();
        let paid = stripe.create_payment_intent(&intent, &key).await.unwrap();
        let mut stay = self.stay("Checked Out", 0, paid.charge_id());
        // The guest takes the email the payment was made for.
        self.world
            .sandbox
            .update(
                "Contact",
                &stay.guest.id,
                json!({"Email": email, "Unique_Email__c": email}),
            )
            .unwrap();
        stay.guest.email = email;
        (stay, paid.id)
    }
}
