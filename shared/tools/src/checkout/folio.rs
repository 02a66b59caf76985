//! A stay's bill (its folio), computed from the system of record: what `get_stay_folio` shows
//! and what `process_guest_checkout` charges. The client never chooses the amount.
//!
//! The formula: **nights × the room's nightly rate**. The nights run from the booking's arrival
//! date to its departure, at least one: for a stay in progress the departure is today, the date a
//! checkout now records as its `Check_Out_Date__c` (so a guest leaving early or late pays the
//! nights they stayed, and the bill of the checked-out stay is the amount it paid); for a finished
//! stay, the recorded check-out date; for a future one, the booked departure. The rate is the
//! room's `Nightly_Rate__c` in dollars, taken to the cent. The org holds no tax rate and no posted
//! charges (minibar, room service), so the bill has one line and no tax; a hotel that records
//! them adds their lines here, and every caller of the folio follows.

use super::process_guest_checkout::CheckoutInput;
use crate::payments::input::{ChargeCents, MAX_CENTS, MIN_CHARGE_CENTS};
use crate::stay::Stay;
use chrono::NaiveDate;
use dewy_domain::input::IsoDate;
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{Context, Persona};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Bills are in US dollars.
pub(super) const CURRENCY: &str = "usd";

/// One line of a bill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FolioLine {
    /// What is charged, e.g. "Room 100, 2 nights".
    pub description: String,
    /// How many units (nights).
    pub quantity: u64,
    /// The price of one unit, in US cents.
    pub unit_amount: u64,
    /// quantity × unit_amount, in US cents.
    pub amount: u64,
}

/// A stay's bill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Folio {
    /// The booking billed, e.g. BK-0001.
    pub booking_number: String,
    /// The room's number.
    pub room_number: String,
    /// The guest billed, by full name: what a checkout names the payer (its `guest_name`).
    pub guest_name: Option<String>,
    /// The booking's status: the bill of a Checked In stay is what its checkout will charge.
    pub booking_status: BookingStatus,
    /// Arrival date (YYYY-MM-DD).
    pub check_in_date: IsoDate,
    /// Departure date (YYYY-MM-DD): today for a stay in progress (the date its checkout records).
    pub check_out_date: IsoDate,
    /// The bill's lines.
    pub lines: Vec<FolioLine>,
    /// The tax, in US cents (none: the hotel's records hold no tax rate).
    pub tax: u64,
    /// The amount due, in US cents: what process_guest_checkout charges for this stay.
    pub total_due: u64,
    /// Always "usd".
    pub currency: String,
    /// The charge that paid the bill, once the stay is checked out.
    pub paid_by: Option<String>,
}

impl Folio {
    /// The bill of `stay` on `today`, or why it cannot be computed (no dates, no rate).
    pub(super) fn of(stay: &Stay, today: NaiveDate) -> Result<Folio, ToolError> {
        let cannot = |what: &str| {
            ToolError::validation(format!(
                "The bill of booking {} cannot be computed: {what}. Ask the front desk to complete the booking in \
                 Salesforce; nothing was charged.",
                stay.booking_number
            ))
            .with_details(json!({ "booking_number": stay.booking_number }))
        };
        let departure = match stay.status {
            BookingStatus::CheckedIn => Some(today),
            _ => stay.check_out_date,
        };
        let (Some(check_in), Some(check_out)) = (stay.check_in_date, departure) else {
            return Err(cannot("it has no check-in or check-out date"));
        };
        let rate = stay
            .nightly_rate
            .filter(|r| r.is_finite() && *r >= 0.0)
            .ok_or_else(|| cannot(&format!("room {} has no nightly rate", stay.room_number)))?;
        let nights = u64::try_from((check_out - check_in).num_days().max(1)).unwrap_or(1);
        // Dollars to cents, rounded to the cent (149.99 is 14999, not 14998.999...).
        let unit_amount = (rate * 100.0).round() as u64;
        let amount = nights.saturating_mul(unit_amount);
        let night_word = if nights == 1 { "night" } else { "nights" };
        Ok(Folio {
            booking_number: stay.booking_number.clone(),
            room_number: stay.room_number.clone(),
            guest_name: stay.guest_name.clone(),
            booking_status: stay.status,
            check_in_date: check_in.into(),
            check_out_date: check_out.into(),
            lines: vec![FolioLine {
                description: format!("Room {}, {nights} {night_word}", stay.room_number),
                quantity: nights,
                unit_amount,
                amount,
            }],
            tax: 0,
            total_due: amount,
            currency: CURRENCY.to_owned(),
            paid_by: (stay.status == BookingStatus::CheckedOut)
                .then(|| stay.payment_id.clone())
                .flatten(),
        })
    }
}

/// What a checkout charges: the bill's total. A client `amount` that differs is `422
/// AMOUNT_MISMATCH` naming the amount due, unless a manager overrides it with
/// `amount_override_reason` (recorded on the audit trail and on the payment).
pub(super) fn amount_to_charge(
    ctx: &Context,
    input: &CheckoutInput,
    folio: &Folio,
) -> Result<ChargeCents, ToolError> {
    let due = folio.total_due;
    let check = "amount_matches_bill";
    let booking = folio.booking_number.as_str();
    match input.amount {
        Some(given) if given.get() != due => {
            let manager = ctx.caller().personas.contains(&Persona::Manager);
            if manager && input.amount_override_reason.is_some() {
                ctx.audit().passed("amount_overridden_by_manager", Some(booking));
                // Parsed as a charge, so already one Stripe takes.
                return Ok(given);
            }
            ctx.audit()
                .check_on(check, booking, Err(mismatch(folio, given.get(), manager)))
        }
        _ => ctx.audit().check_on(check, booking, in_stripe_range(due)),
    }
}

/// `422 AMOUNT_MISMATCH`: the amount given is not the bill's.
fn mismatch(folio: &Folio, given: u64, manager: bool) -> ToolError {
    let how = if manager {
        "Leave amount out to charge the bill, or send amount_override_reason to charge another amount."
    } else {
        "Leave amount out to charge the bill (get_stay_folio shows it); only a manager can charge another amount."
    };
    ToolError::new(
        ErrorCode::AmountMismatch,
        format!(
            "amount {given} does not match the bill of booking {}: {} cents are due. {how} Nothing was charged.",
            folio.booking_number, folio.total_due
        ),
    )
    .with_details(json!({
        "field": "amount",
        "amount": given,
        "amount_due": folio.total_due,
        "currency": folio.currency,
        "booking_number": folio.booking_number,
    }))
}

/// The bill as a charge, by the same rule as a client's amount ([`ChargeCents`]: Stripe charges
/// from 50 cents to 99,999,999), but refused in the bill's terms: a bill outside that range is
/// settled at the front desk.
fn in_stripe_range(amount: u64) -> Result<ChargeCents, ToolError> {
    i64::try_from(amount)
        .ok()
        .and_then(|cents| ChargeCents::new(cents).ok())
        .ok_or_else(|| {
            ToolError::validation(format!(
                "{amount} cents cannot be charged by card: Stripe takes {MIN_CHARGE_CENTS} to {MAX_CENTS} cents. \
                 Settle this bill at the front desk."
            ))
            .with_details(json!({ "amount": amount }))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_domain::objects::opportunity::OpportunityStage;
    use dewy_domain::objects::room::RoomStatus;

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 12, d)
    }

    /// A reserved stay of `nights` from the 4th.
    fn stay(rate: Option<f64>, nights: u32) -> Stay {
        Stay {
            booking_id: "a01".into(),
            booking_number: "BK-0001".into(),
            status: BookingStatus::Reserved,
            check_in_date: day(4),
            check_out_date: day(4 + nights),
            total_nights: None,
            checked_in_at: None,
            guest_id: None,
            guest_name: Some("Kay Lee".into()),
            room_id: "a02".into(),
            room_number: "100".into(),
            room_status: RoomStatus::Occupied,
            room_type: None,
            floor: None,
            room_guest_id: None,
            nightly_rate: rate,
            opportunity_id: "006".into(),
            opportunity_stage: OpportunityStage::CheckedIn,
            payment_id: None,
        }
    }

    fn bill(stay: &Stay) -> Result<Folio, ToolError> {
        Folio::of(stay, day(20).unwrap_or_default())
    }

    #[test]
    fn a_stay_in_progress_is_billed_to_today() {
        let mut staying = stay(Some(100.0), 2);
        staying.status = BookingStatus::CheckedIn;
        let folio = Folio::of(&staying, day(9).unwrap_or_default()).unwrap();
        assert_eq!(
            (folio.lines[0].quantity, folio.total_due),
            (5, 50_000),
            "stayed late"
        );
        assert_eq!(folio.check_out_date, IsoDate::from(day(9).unwrap_or_default()));
        let folio = Folio::of(&staying, day(5).unwrap_or_default()).unwrap();
        assert_eq!(folio.total_due, 10_000, "left early");
    }

    #[test]
    fn the_bill_is_nights_times_the_rate_to_the_cent() {
        let folio = bill(&stay(Some(149.99), 2)).unwrap();
        assert_eq!(folio.total_due, 29_998);
        assert_eq!(folio.lines[0].unit_amount, 14_999);
        assert_eq!(folio.lines[0].quantity, 2);
        assert_eq!(folio.lines[0].description, "Room 100, 2 nights");
        assert_eq!(bill(&stay(Some(0.1 + 0.2), 1)).unwrap().total_due, 30);
        assert_eq!(
            bill(&stay(Some(120.0), 0)).unwrap().total_due,
            12_000,
            "at least one night"
        );
    }

    #[test]
    fn a_stay_without_a_rate_or_dates_has_no_bill() {
        assert_eq!(bill(&stay(None, 2)).unwrap_err().code, ErrorCode::ValidationError);
        let mut dateless = stay(Some(100.0), 2);
        dateless.check_out_date = None;
        assert!(bill(&dateless).unwrap_err().message.contains("date"));
        assert!(bill(&stay(Some(f64::NAN), 2)).is_err());
    }

    #[test]
    fn a_mismatch_names_the_amount_due() {
        let folio = bill(&stay(Some(149.99), 2)).unwrap();
        let error = mismatch(&folio, 50, false);
        assert_eq!(
            (error.code, error.http_status()),
            (ErrorCode::AmountMismatch, 422)
        );
        assert_eq!(error.details.unwrap()["amount_due"], 29_998);
        assert!(in_stripe_range(49).is_err() && in_stripe_range(50).is_ok());
    }
}
