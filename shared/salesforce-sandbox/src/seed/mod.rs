//! Loads the hotel's demo data through the store's normal insert path, so the seed obeys the same
//! validation as every client write.

mod data;

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveTime};
use dewy_domain::Picklist;
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::objects::opportunity::OpportunityStage;
use dewy_domain::objects::{account, booking, case, contact, opportunity, room};
use serde_json::{Map, Value, json};

use crate::error::SandboxError;
use crate::store::{Store, format_datetime};
use data::{ContactRow, FLOORS, ROOM_KINDS};

/// A JSON object from field/value pairs; null values are left out.
fn fields(pairs: &[(&str, Value)]) -> Value {
    let map: Map<String, Value> = pairs
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    Value::Object(map)
}

struct Loader<'a> {
    store: &'a mut Store,
    accounts: HashMap<&'static str, String>,
    /// Contact id and (first, last, account id) by email.
    contacts: HashMap<&'static str, (String, String, Option<String>)>,
    rooms: HashMap<String, (String, f64)>,
    bookings: HashMap<String, String>,
}

/// Loads every seed record into an empty store.
pub(crate) fn load(store: &mut Store) -> Result<(), SandboxError> {
    let mut loader = Loader {
        store,
        accounts: HashMap::new(),
        contacts: HashMap::new(),
        rooms: HashMap::new(),
        bookings: HashMap::new(),
    };
    for (key, name, kind, city) in data::ACCOUNTS {
        let body = fields(&[
            (account::NAME, json!(name)),
            ("Type", json!(kind)),
            ("BillingCity", json!(city)),
        ]);
        let id = loader.store.insert(account::OBJECT, &body)?;
        loader.accounts.insert(key, id);
    }
    for (i, row) in data::DEMO_CONTACTS
        .iter()
        .chain(data::ORIGINAL_CONTACTS)
        .enumerate()
    {
        loader.contact(row, i)?;
    }
    loader.rooms()?;
    for i in 1..=10u32 {
        let email = data::DEMO_CONTACTS
            .get(i as usize - 1)
            .map(|c| c.email)
            .unwrap_or_default();
        let room = if i <= 5 { 99 + i } else { 194 + i };
        let check_out = if i == 1 { 0 } else { 1 };
        let ext = format!("seed-booking-guest{i}-1");
        loader.booking(
            email,
            &room.to_string(),
            BookingStatus::CheckedIn,
            -2,
            check_out,
            &ext,
            1,
            "",
        )?;
    }
    for (email, room, status, check_in, check_out, ext, guests, requests) in data::BOOKINGS {
        loader.booking(
            email, room, *status, *check_in, *check_out, ext, *guests, requests,
        )?;
    }
    loader.cases()
}

/// A store seeded for 2026-11-23, for unit tests.
#[cfg(test)]
pub(crate) fn test_store() -> Store {
    let mut store = Store::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default());
    if let Err(e) = load(&mut store) {
        panic!("seed rejected: {e}");
    }
    store
}

impl Loader<'_> {
    fn day(&self, offset: i64) -> NaiveDate {
        let today = self.store.today();
        let days = Days::new(offset.unsigned_abs());
        let day = if offset >= 0 {
            today.checked_add_days(days)
        } else {
            today.checked_sub_days(days)
        };
        day.unwrap_or(today)
    }

    fn contact(&mut self, row: &ContactRow, index: usize) -> Result<(), SandboxError> {
        let account = row.account.and_then(|k| self.accounts.get(k)).cloned();
        let is_manager = row.kind.api_value() == "Manager";
        // Numbers in the 555-01xx range, reserved for fiction.
        let phone = format!("+1555010{:04}", 100 + index);
        let mobile = (row.method.api_value() == "SMS").then(|| format!("+1555020{:04}", 100 + index));
        let body = fields(&[
            (contact::FIRST_NAME, json!(row.first)),
            (contact::LAST_NAME, json!(row.last)),
            (contact::EMAIL, json!(row.email)),
            (contact::UNIQUE_EMAIL, json!(row.email)),
            (contact::PHONE, json!(phone)),
            (contact::MOBILE_PHONE, json!(mobile)),
            (contact::ACCOUNT, json!(account)),
            (contact::CONTACT_TYPE, json!(row.kind.api_value())),
            (contact::PREFERRED_CONTACT_METHOD, json!(row.method.api_value())),
            (contact::EMPLOYEE_ID, json!(row.number.filter(|_| is_manager))),
            (contact::LOYALTY_NUMBER, json!(row.number.filter(|_| !is_manager))),
        ]);
        let id = self.store.insert(contact::OBJECT, &body)?;
        self.contacts
            .insert(row.email, (id, format!("{} {}", row.first, row.last), account));
        Ok(())
    }

    fn rooms(&mut self) -> Result<(), SandboxError> {
        for (floor, view, names) in FLOORS {
            for position in 0..=10u32 {
                let kind_index = ROOM_KINDS.iter().position(|k| position <= k.0).unwrap_or(0);
                let Some((_, room_type, rate, beds, occupancy, sqft)) = ROOM_KINDS.get(kind_index) else {
                    continue;
                };
                let number = (floor * 100 + position).to_string();
                let status = data::room_status(position);
                // guest1..5 occupy 100..104, guest6..10 occupy 200..204.
                let guest_email = (status.api_value() == "Occupied")
                    .then(|| data::DEMO_CONTACTS.get(((floor - 1) * 5 + position) as usize))
                    .flatten()
                    .map(|c| c.email);
                let guest = guest_email
                    .and_then(|e| self.contacts.get(e))
                    .map(|c| c.0.clone());
                let body = fields(&[
                    (room::NAME, json!(names.get(kind_index))),
                    (room::ROOM_NUMBER, json!(number)),
                    (room::STATUS, json!(status.api_value())),
                    (room::ROOM_TYPE, json!(room_type.api_value())),
                    (room::VIEW_TYPE, json!(view)),
                    (room::BED_CONFIGURATION, json!(beds)),
                    (room::FLOOR, json!(floor)),
                    (room::MAX_OCCUPANCY, json!(occupancy)),
                    (room::NIGHTLY_RATE, json!(rate)),
                    (room::SQUARE_FOOTAGE, json!(sqft + 10 * position)),
                    (room::ACCESSIBLE, json!(position == 0)),
                    (room::CURRENT_GUEST, json!(guest)),
                ]);
                let id = self.store.insert(room::OBJECT, &body)?;
                self.rooms.insert(number, (id, *rate));
            }
        }
        Ok(())
    }

    /// One booking and the Opportunity it belongs to (master-detail).
    #[allow(clippy::too_many_arguments)]
    fn booking(
        &mut self,
        email: &str,
        room_number: &str,
        status: BookingStatus,
        check_in: i64,
        check_out: i64,
        external_id: &str,
        guests: u32,
        requests: &str,
    ) -> Result<(), SandboxError> {
        let missing =
            |what: &str| SandboxError::new(500, "SEED_ERROR", format!("seed refers to unknown {what}"));
        let (guest_id, guest_name, account_id) =
            self.contacts.get(email).cloned().ok_or_else(|| missing(email))?;
        let (room_id, rate) = self
            .rooms
            .get(room_number)
            .cloned()
            .ok_or_else(|| missing(room_number))?;
        let (arrive, depart) = (self.day(check_in), self.day(check_out));
        let nights = (depart - arrive).num_days().max(0) as f64;
        let (stage, payment) = match status {
            BookingStatus::CheckedIn => (OpportunityStage::CheckedIn, Some("PENDING_CHECKIN")),
            BookingStatus::CheckedOut => (OpportunityStage::ClosedWon, Some(data::PAID_CHARGE_ID)),
            _ => (OpportunityStage::BookingConfirmed, None),
        };
        let opportunity_body = fields(&[
            (
                opportunity::NAME,
                json!(format!("Booking for {guest_name} - {arrive}")),
            ),
            (opportunity::STAGE, json!(stage.api_value())),
            (opportunity::CLOSE_DATE, json!(depart.to_string())),
            (opportunity::AMOUNT, json!(nights * rate)),
            (opportunity::TYPE, json!("Hotel Booking")),
            (opportunity::CONTACT, json!(guest_id)),
            (opportunity::ACCOUNT, json!(account_id)),
            (opportunity::PAYMENT_ID, json!(payment)),
            (opportunity::ARRIVAL_DATE, json!(arrive.to_string())),
            (opportunity::DEPARTURE_DATE, json!(depart.to_string())),
        ]);
        let opportunity_id = self.store.insert(opportunity::OBJECT, &opportunity_body)?;
        // Checked in (and out) at 3pm on the arrival day.
        let checked_in_at = (status != BookingStatus::Reserved).then(|| {
            format_datetime(
                arrive
                    .and_time(NaiveTime::from_hms_opt(15, 0, 0).unwrap_or_default())
                    .and_utc(),
            )
        });
        let body = fields(&[
            (booking::OPPORTUNITY, json!(opportunity_id)),
            (booking::PRIMARY_GUEST, json!(guest_id)),
            (booking::ROOM, json!(room_id)),
            (booking::CHECK_IN_DATE, json!(arrive.to_string())),
            (booking::CHECK_OUT_DATE, json!(depart.to_string())),
            (booking::STATUS, json!(status.api_value())),
            (booking::NUMBER_OF_GUESTS, json!(guests)),
            (booking::SPECIAL_REQUESTS, json!(requests)),
            (booking::EXTERNAL_ID, json!(external_id)),
            (booking::CHECKED_IN_AT, json!(checked_in_at)),
        ]);
        let id = self.store.insert(booking::OBJECT, &body)?;
        self.bookings.insert(external_id.to_owned(), id);
        Ok(())
    }

    fn cases(&mut self) -> Result<(), SandboxError> {
        for row in data::CASES {
            let contact_id = self.contacts.get(row.contact).map(|c| c.0.clone());
            let room_id = self.rooms.get(row.room).map(|r| r.0.clone());
            let booking_id = row.booking.and_then(|b| self.bookings.get(b)).cloned();
            let body = fields(&[
                (case::EXTERNAL_ID, json!(row.token)),
                (case::CONTACT, json!(contact_id)),
                (case::ROOM, json!(room_id)),
                (case::BOOKING, json!(booking_id)),
                (case::TYPE, json!(row.kind.api_value())),
                (case::PRIORITY, json!(row.priority.api_value())),
                (case::STATUS, json!(row.status.api_value())),
                (case::ORIGIN, json!(row.origin.api_value())),
                (case::SUBJECT, json!(row.subject)),
                (case::DESCRIPTION, json!(row.description)),
            ]);
            self.store.insert(case::OBJECT, &body)?;
        }
        Ok(())
    }
}
