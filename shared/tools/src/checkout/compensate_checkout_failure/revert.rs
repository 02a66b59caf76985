//! Which checked-out stay a compensation puts back, whether it safely can, and the one write that
//! does it.

use crate::stay::Stay;
use dewy_domain::ToolError;
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_domain::objects::room::{self, RoomStatus};
use dewy_domain::state::transition;
use dewy_salesforce::CompositeRequest;
use dewy_tool::{Context, Verdict};
use serde_json::{Value, json};

/// Where a revert moves the stay's booking, room and opportunity: back to a checked-in guest.
pub(super) const REVERTED: (BookingStatus, RoomStatus, OpportunityStage) = (
    BookingStatus::CheckedIn,
    RoomStatus::Occupied,
    OpportunityStage::NegotiationReview,
);

/// What the compensation does in Salesforce.
#[derive(Debug)]
pub(super) enum Plan {
    /// Put this stay back: booking Checked In, room Occupied by the guest, opportunity reopened.
    Revert { stay: Stay, guest_id: String },
    /// Leave Salesforce as it is, for this reason (and the stay, if one was found).
    Leave { stay: Option<Stay>, why: String },
}

impl Plan {
    /// Records the decision to put the stay back or leave it (a path taken, not a refusal of the
    /// compensation: the refund goes ahead either way).
    pub(super) fn audit(&self, ctx: &Context) {
        let (verdict, stay) = match self {
            Plan::Revert { stay, .. } => (Verdict::Passed, Some(stay)),
            Plan::Leave { stay, .. } => (Verdict::Refused, stay.as_ref()),
        };
        let booking = stay.map(|s| s.booking_id.as_str());
        ctx.audit().decide("stay_revertible", verdict, booking, None);
    }
}

/// The stay this payment paid for: the checked-out stay whose opportunity records the payment's
/// charge, else the guest's most recent checked-out stay as long as it records no other payment.
pub(super) fn paid_stay<'a>(stays: &'a [Stay], charge_id: Option<&str>) -> Option<&'a Stay> {
    let checked_out = || stays.iter().filter(|s| s.status == BookingStatus::CheckedOut);
    let by_charge =
        charge_id.and_then(|charge| checked_out().find(|s| s.payment_id.as_deref() == Some(charge)));
    by_charge.or_else(|| {
        // Most recent first (the query's order); a stay paid by another charge is not this one's.
        checked_out()
            .next()
            .filter(|s| s.payment_id.as_deref().is_none_or(|p| !p.starts_with("ch_")))
    })
}

/// Decides whether `stay` can be put back for `guest_id`: only while its room is still being
/// cleaned or empty, and not given to anyone else.
pub(super) fn plan(stay: Option<&Stay>, guest_id: &str) -> Plan {
    let Some(stay) = stay else {
        return Plan::Leave {
            stay: None,
            why: "no checked-out stay of this guest records this payment".to_owned(),
        };
    };
    let leave = |why: String| Plan::Leave {
        stay: Some(stay.clone()),
        why,
    };
    let room_free = matches!(stay.room_status, RoomStatus::Cleaning | RoomStatus::Vacant)
        && stay.room_guest_id.as_deref().is_none_or(|g| g == guest_id);
    if !room_free {
        return leave(format!(
            "room {} is now {}{}, so the guest cannot be put back in it",
            stay.room_number,
            stay.room_status,
            if stay.room_guest_id.is_some() {
                " by another guest"
            } else {
                ""
            }
        ));
    }
    let (booking, room, opportunity) = REVERTED;
    let allowed = transition(stay.status, booking)
        .and(transition(stay.room_status, room))
        .and(transition(stay.opportunity_stage, opportunity));
    match allowed {
        Ok(_) => Plan::Revert {
            stay: stay.clone(),
            guest_id: guest_id.to_owned(),
        },
        Err(ToolError { message, .. }) => leave(message),
    }
}

/// The revert as one `allOrNone` Composite request: all three records go back, or none does.
pub(super) fn revert_writes(stay: &Stay, guest_id: &str) -> CompositeRequest {
    let booking_update =
        json!({ booking::STATUS: BookingStatus::CheckedIn, booking::CHECK_OUT_DATE: Value::Null });
    let room_update = json!({ room::STATUS: RoomStatus::Occupied, room::CURRENT_GUEST: guest_id });
    // CloseDate is required on an Opportunity, so it cannot be nulled as the original intended
    // (Salesforce would refuse the whole revert): it keeps the checkout's date.
    let opportunity_update = json!({
        opportunity::STAGE: OpportunityStage::NegotiationReview,
        opportunity::PAYMENT_ID: Value::Null,
    });
    stay.update_all(booking_update, room_update, opportunity_update)
}
