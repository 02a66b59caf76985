//! The input of `create_booking_orchestrator`, and the request it becomes once every rule that
//! needs no backend has been checked.

use crate::bookings::checks;
use crate::bookings::input::{lenient, mark_required, missing, plain_text};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::{Email, ExternalId, IsoDate, RoomNumber, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;

/// Input of `create_booking_orchestrator`. Required fields sent blank count as missing.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = required_in_schema)]
pub struct CreateBookingInput {
    /// The guest's email.
    #[serde(default, deserialize_with = "lenient")]
    pub guest_email: Option<Email>,
    #[serde(default, deserialize_with = "lenient")]
    pub guest_first_name: Option<Text<40>>,
    #[serde(default, deserialize_with = "lenient")]
    pub guest_last_name: Option<Text<80>>,
    #[serde(default, deserialize_with = "lenient")]
    pub guest_phone: Option<Text<40>>,
    #[serde(default, deserialize_with = "lenient")]
    pub room_number: Option<RoomNumber>,
    /// Today or later.
    #[serde(default, deserialize_with = "lenient")]
    pub check_in_date: Option<IsoDate>,
    /// After check_in_date.
    #[serde(default, deserialize_with = "lenient")]
    pub check_out_date: Option<IsoDate>,
    /// At most the room's occupancy.
    #[serde(default = "one_guest")]
    pub number_of_guests: NonZeroU32,
    #[serde(default, deserialize_with = "lenient")]
    pub special_requests: Option<Text<32768>>,
    /// A UUID you choose for this booking; reuse it on retry.
    #[serde(default, deserialize_with = "lenient")]
    pub booking_external_id: Option<ExternalId>,
}

/// The fields a booking cannot be made without, in the order a missing-fields error lists them.
const REQUIRED: &[&str] = &[
    "guest_email",
    "guest_first_name",
    "guest_last_name",
    "room_number",
    "check_in_date",
    "check_out_date",
    "booking_external_id",
];

fn required_in_schema(schema: &mut schemars::Schema) {
    mark_required(schema, REQUIRED);
}

fn one_guest() -> NonZeroU32 {
    NonZeroU32::MIN
}

/// A booking request with every field present and valid.
#[derive(Debug)]
pub(super) struct Request {
    pub(super) email: Email,
    pub(super) first_name: Text<40>,
    pub(super) last_name: Text<80>,
    pub(super) phone: Option<Text<40>>,
    pub(super) room_number: RoomNumber,
    pub(super) check_in: NaiveDate,
    pub(super) check_out: NaiveDate,
    pub(super) nights: i64,
    pub(super) guests: i64,
    pub(super) special_requests: Option<Text<32768>>,
    pub(super) external_id: ExternalId,
}

impl Request {
    /// The request, or the first rule `input` breaks: missing fields (all listed), then text a
    /// Composite request cannot carry, then the dates.
    pub(super) fn parse(input: CreateBookingInput, today: NaiveDate) -> Result<Request, ToolError> {
        let CreateBookingInput {
            guest_email: Some(email),
            guest_first_name: Some(first_name),
            guest_last_name: Some(last_name),
            room_number: Some(room_number),
            check_in_date: Some(check_in),
            check_out_date: Some(check_out),
            booking_external_id: Some(external_id),
            guest_phone: phone,
            number_of_guests,
            special_requests,
        } = input
        else {
            return Err(missing(&[
                ("guest_email", input.guest_email.is_none()),
                ("guest_first_name", input.guest_first_name.is_none()),
                ("guest_last_name", input.guest_last_name.is_none()),
                ("room_number", input.room_number.is_none()),
                ("check_in_date", input.check_in_date.is_none()),
                ("check_out_date", input.check_out_date.is_none()),
                ("booking_external_id", input.booking_external_id.is_none()),
            ]));
        };
        plain_text(&[
            ("guest_email", Some(email.as_str())),
            ("guest_first_name", Some(first_name.as_str())),
            ("guest_last_name", Some(last_name.as_str())),
            ("guest_phone", phone.as_ref().map(Text::as_str)),
            ("special_requests", special_requests.as_ref().map(Text::as_str)),
        ])?;
        let (check_in, check_out) = (check_in.date(), check_out.date());
        let nights = checks::stay_dates(check_in, check_out, true, today)?;
        Ok(Request {
            email,
            first_name,
            last_name,
            phone,
            room_number,
            check_in,
            check_out,
            nights,
            guests: i64::from(number_of_guests.get()),
            special_requests,
            external_id,
        })
    }
}
