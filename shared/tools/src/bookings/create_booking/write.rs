//! The one write of a new booking: a Composite `allOrNone` request that creates what is missing in
//! dependency order and reads the result back, so that either everything exists or nothing does,
//! in a single round trip.
//!
//! 1. `guest`: the Contact, only when none has the email, upserted on `Unique_Email__c` (so a
//!    contact made meanwhile by someone else is reused, not duplicated);
//! 2. `opportunity`: stage Booking Confirmed, closing on the check-in date;
//! 3. `booking`: upserted on `External_ID__c`, Reserved, pointing at both through `@{ref.id}`;
//! 4. `saved`: a GET of the booking for what Salesforce computes (its number, nights, creation time).
//!
//! The room is not touched: a booking is for later dates, and marking the room Occupied or
//! Reserved now would turn away today's guests (the original did not mark it either). The room's
//! status changes at check-in.

use super::request::Request;
use crate::bookings::output::BookingView;
use crate::bookings::records::{Guest, Room};
use crate::record::Record;
use crate::skills::create_opportunity::{DEFAULT_TYPE, MAX_NAME};
use crate::skills::sf::Body;
use dewy_domain::ToolError;
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::contact::{self, ContactType};
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_salesforce::{CompositeRequest, CompositeSubresponse, RecordKey, Reference};

const GUEST: &str = "guest";
const OPPORTUNITY: &str = "opportunity";
const BOOKING: &str = "booking";
const SAVED: &str = "saved";

/// The Composite request making the booking for `guest` (an existing Contact) or, when `None`, for
/// a Contact it creates from the request.
pub(super) fn booking_writes(request: &Request, guest: Option<&Guest>, room: &Room) -> CompositeRequest {
    let mut write = CompositeRequest::new(true);
    let guest_id = match guest {
        Some(guest) => RecordKey::from(guest.id.as_str()),
        None => {
            let contact = Body::default()
                .always(contact::EMAIL, &request.email)
                .always(contact::FIRST_NAME, &request.first_name)
                .always(contact::LAST_NAME, &request.last_name)
                .set(contact::PHONE, request.phone.as_ref())
                .always(contact::CONTACT_TYPE, ContactType::Guest)
                .into_value();
            write = write.upsert(
                GUEST,
                contact::OBJECT,
                contact::UNIQUE_EMAIL,
                request.email.as_str(),
                &contact,
            );
            RecordKey::from(Reference::id(GUEST))
        }
    };
    let guest_name = match guest {
        Some(guest) => guest.name.clone(),
        None => format!("{} {}", request.first_name, request.last_name),
    };
    let name: String = format!("Booking for {guest_name} - {}", request.check_in)
        .chars()
        .take(MAX_NAME)
        .collect();
    let opportunity = Body::default()
        .always(opportunity::NAME, name)
        .always(opportunity::STAGE, OpportunityStage::BookingConfirmed)
        .always(opportunity::CLOSE_DATE, request.check_in)
        .always(opportunity::TYPE, DEFAULT_TYPE)
        .always(opportunity::CONTACT, key_value(&guest_id))
        .set(opportunity::ACCOUNT, guest.and_then(|g| g.account_id.as_ref()))
        .set(opportunity::AMOUNT, room.price(request.nights))
        .always(opportunity::ARRIVAL_DATE, request.check_in)
        .always(opportunity::DEPARTURE_DATE, request.check_out)
        .into_value();
    let booking = Body::default()
        .always(booking::OPPORTUNITY, Reference::id(OPPORTUNITY))
        .always(booking::PRIMARY_GUEST, key_value(&guest_id))
        .always(booking::ROOM, &room.id)
        .always(booking::CHECK_IN_DATE, request.check_in)
        .always(booking::CHECK_OUT_DATE, request.check_out)
        .always(booking::STATUS, BookingStatus::Reserved)
        .always(booking::NUMBER_OF_GUESTS, request.guests)
        .set(booking::SPECIAL_REQUESTS, request.special_requests.as_ref())
        .into_value();
    write
        .create(OPPORTUNITY, opportunity::OBJECT, &opportunity)
        .upsert(
            BOOKING,
            booking::OBJECT,
            booking::EXTERNAL_ID,
            request.external_id.as_str(),
            &booking,
        )
        .get(
            SAVED,
            booking::OBJECT,
            Reference::id(BOOKING),
            &[
                booking::NAME,
                booking::STATUS,
                booking::TOTAL_NIGHTS,
                "CreatedDate",
            ],
        )
}

/// A record key as a body value: an id, or the reference that becomes one.
fn key_value(key: &RecordKey) -> String {
    match key {
        RecordKey::Literal(id) => id.clone(),
        RecordKey::Reference(reference) => reference.to_string(),
    }
}

/// The booking as the write left it, from the Composite answers.
pub(super) fn saved(
    answers: &[CompositeSubresponse],
    request: &Request,
    guest: Option<&Guest>,
    room: &Room,
) -> Result<BookingView, ToolError> {
    let record: Record = answer(answers, SAVED)?
        .decode()
        .map_err(dewy_tool::backend_error::salesforce)?;
    let guest = match guest {
        Some(guest) => guest.clone(),
        None => Guest {
            id: id_of(answers, GUEST)?,
            name: format!("{} {}", request.first_name, request.last_name),
            email: Some(request.email.to_string()),
            account_id: None,
        },
    };
    let mut view = BookingView {
        opportunity_id: id_of(answers, OPPORTUNITY)?,
        booking_id: id_of(answers, BOOKING)?,
        booking_number: record.required_text(booking::NAME)?.to_owned(),
        room_id: None,
        room_number: None,
        room_type: None,
        floor: None,
        check_in_date: None,
        check_out_date: None,
        total_nights: None,
        number_of_guests: Some(request.guests),
        special_requests: request.special_requests.as_ref().map(ToString::to_string),
        guest_id: None,
        guest_name: None,
        guest_email: None,
        status: record.picklist(booking::STATUS)?,
        created_at: record.date_time("CreatedDate")?.unwrap_or_default(),
    };
    view.set_room(room);
    view.set_guest(&guest);
    view.set_dates(request.check_in, request.check_out);
    // Salesforce's own count of nights, when it answered with one.
    view.total_nights = record.integer(booking::TOTAL_NIGHTS)?.or(view.total_nights);
    Ok(view)
}

fn answer<'a>(
    answers: &'a [CompositeSubresponse],
    reference: &str,
) -> Result<&'a CompositeSubresponse, ToolError> {
    answers
        .iter()
        .find(|a| a.reference_id == reference)
        .ok_or_else(|| missing_answer(reference))
}

fn id_of(answers: &[CompositeSubresponse], reference: &str) -> Result<String, ToolError> {
    answer(answers, reference)?
        .id()
        .map(str::to_owned)
        .ok_or_else(|| missing_answer(reference))
}

/// Salesforce said the write succeeded but left out part of its answer: not the caller's to fix.
fn missing_answer(reference: &str) -> ToolError {
    tracing::error!(reference, "the composite answer lacks a subrequest's result");
    ToolError::internal()
}
