//! Which status transitions the hotel allows, as data.
//!
//! Orchestrators and the atomic update skills consult these before writing, so an illegal transition
//! is a clear `409 INVALID_STATE_TRANSITION` rather than a write. Writing the current status again is
//! allowed and reported as [`Transition::Unchanged`], which keeps retries harmless.

use crate::error::{ErrorCode, ToolError};
use crate::objects::booking::BookingStatus;
use crate::objects::case::CaseStatus;
use crate::objects::opportunity::OpportunityStage;
use crate::objects::room::RoomStatus;
use crate::picklist::Picklist;

/// A picklist whose values form a state machine.
pub trait StateMachine: Picklist + PartialEq + std::fmt::Display {
    /// What the record is called in messages ("Booking", "Room").
    const RECORD: &'static str;
    /// The statuses reachable in one step from `self`.
    fn next(self) -> &'static [Self];
}

/// The outcome of a permitted transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The status changes.
    Change,
    /// The record is already in the target status; writing it again changes nothing.
    Unchanged,
}

/// Checks that `from → to` is allowed.
///
/// # Errors
/// `409 INVALID_STATE_TRANSITION`, naming both statuses and the ones allowed from `from`.
pub fn transition<S: StateMachine>(from: S, to: S) -> Result<Transition, ToolError> {
    if from == to {
        return Ok(Transition::Unchanged);
    }
    if from.next().contains(&to) {
        return Ok(Transition::Change);
    }
    let allowed: Vec<&str> = from.next().iter().map(|s| s.api_value()).collect();
    let allowed_text = if allowed.is_empty() {
        "none (final status)".to_owned()
    } else {
        allowed.join(", ")
    };
    Err(ToolError::new(
        ErrorCode::InvalidStateTransition,
        format!(
            "{} cannot change from '{from}' to '{to}'. Allowed from '{from}': {allowed_text}.",
            S::RECORD
        ),
    )
    .with_details(serde_json::json!({
        "record": S::RECORD,
        "from": from.api_value(),
        "to": to.api_value(),
        "allowed": allowed,
    })))
}

impl StateMachine for BookingStatus {
    const RECORD: &'static str = "Booking";
    fn next(self) -> &'static [Self] {
        use BookingStatus::*;
        match self {
            Reserved => &[CheckedIn, Cancelled, NoShow],
            CheckedIn => &[CheckedOut],
            // Compensation: a checkout whose payment was refunded puts the guest back in the room.
            CheckedOut => &[CheckedIn],
            Cancelled | NoShow => &[],
        }
    }
}

impl StateMachine for RoomStatus {
    const RECORD: &'static str = "Room";
    fn next(self) -> &'static [Self] {
        use RoomStatus::*;
        match self {
            Vacant => &[Occupied, Cleaning, Maintenance, OutOfService],
            // Checkout sends the room to Cleaning; an emergency may take it out of use.
            Occupied => &[Cleaning, Maintenance],
            // Housekeeping done, or compensation putting the guest back.
            Cleaning => &[Vacant, Occupied, Maintenance, OutOfService],
            Maintenance => &[Vacant, Cleaning, OutOfService],
            OutOfService => &[Vacant, Cleaning, Maintenance],
        }
    }
}

/// The open (not closed, not checked in) opportunity stages.
const OPEN_STAGES: &[OpportunityStage] = {
    use OpportunityStage::*;
    &[
        Prospecting,
        Qualification,
        NeedsAnalysis,
        ValueProposition,
        PerceptionAnalysis,
        ProposalPriceQuote,
        NegotiationReview,
        BookingConfirmed,
    ]
};

impl StateMachine for OpportunityStage {
    const RECORD: &'static str = "Opportunity";
    fn next(self) -> &'static [Self] {
        use OpportunityStage::*;
        match self {
            // An open opportunity moves freely among open stages, or to check-in or a close
            // (its own stage is in the list too; `transition` answers `Unchanged` for it first).
            Prospecting | Qualification | NeedsAnalysis | ValueProposition | PerceptionAnalysis
            | ProposalPriceQuote | NegotiationReview | BookingConfirmed => &[
                Prospecting,
                Qualification,
                NeedsAnalysis,
                ValueProposition,
                PerceptionAnalysis,
                ProposalPriceQuote,
                NegotiationReview,
                BookingConfirmed,
                CheckedIn,
                ClosedWon,
                ClosedLost,
            ],
            CheckedIn => &[ClosedWon, ClosedLost, NegotiationReview],
            // Compensation reopens a paid stay whose payment was refunded.
            ClosedWon => &[NegotiationReview],
            ClosedLost => &[],
        }
    }
}

impl OpportunityStage {
    /// Whether the stage is open (before check-in and not closed).
    pub fn is_open(self) -> bool {
        OPEN_STAGES.contains(&self)
    }
}

impl StateMachine for CaseStatus {
    const RECORD: &'static str = "Case";
    fn next(self) -> &'static [Self] {
        use CaseStatus::*;
        match self {
            New => &[Working, Escalated, Closed],
            Working => &[Escalated, Closed],
            Escalated => &[Working, Closed],
            // A closed case may be reopened, never sent back to New.
            Closed => &[Working],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_pairs<S: StateMachine>() -> impl Iterator<Item = (S, S)> {
        S::ALL.iter().flat_map(|&a| S::ALL.iter().map(move |&b| (a, b)))
    }

    #[test]
    fn booking_follows_the_stay_lifecycle() {
        use BookingStatus::*;
        assert_eq!(transition(Reserved, CheckedIn), Ok(Transition::Change));
        assert_eq!(transition(CheckedIn, CheckedOut), Ok(Transition::Change));
        assert_eq!(
            transition(CheckedOut, CheckedIn),
            Ok(Transition::Change),
            "compensation"
        );
        assert_eq!(transition(CheckedIn, CheckedIn), Ok(Transition::Unchanged));
        for (from, to) in [
            (CheckedOut, Reserved),
            (Cancelled, CheckedIn),
            (NoShow, Reserved),
            (Reserved, CheckedOut),
        ] {
            let error = transition(from, to).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidStateTransition);
            assert_eq!(error.http_status(), 409);
        }
    }

    #[test]
    fn a_room_is_checked_into_only_when_vacant() {
        use RoomStatus::*;
        assert_eq!(transition(Vacant, Occupied), Ok(Transition::Change));
        assert_eq!(transition(Occupied, Cleaning), Ok(Transition::Change));
        assert_eq!(
            transition(Cleaning, Occupied),
            Ok(Transition::Change),
            "compensation"
        );
        assert_eq!(transition(Cleaning, Vacant), Ok(Transition::Change));
        for from in [Maintenance, OutOfService] {
            assert!(transition(from, Occupied).is_err(), "{from} → Occupied");
        }
        assert!(
            transition(Occupied, Vacant).is_err(),
            "an occupied room is cleaned before it is vacant"
        );
    }

    #[test]
    fn opportunity_moves_from_confirmed_to_checked_in_to_won_and_back_on_compensation() {
        use OpportunityStage::*;
        assert_eq!(transition(BookingConfirmed, CheckedIn), Ok(Transition::Change));
        assert_eq!(transition(CheckedIn, ClosedWon), Ok(Transition::Change));
        assert_eq!(transition(ClosedWon, NegotiationReview), Ok(Transition::Change));
        assert_eq!(
            transition(NegotiationReview, ClosedWon),
            Ok(Transition::Change),
            "checkout retried"
        );
        assert!(transition(ClosedLost, CheckedIn).is_err());
        assert!(transition(ClosedWon, CheckedIn).is_err());
        assert!(BookingConfirmed.is_open() && !CheckedIn.is_open() && !ClosedWon.is_open());
    }

    #[test]
    fn a_case_is_never_sent_back_to_new() {
        use CaseStatus::*;
        for from in [Working, Escalated, Closed] {
            assert!(transition(from, New).is_err());
        }
        assert_eq!(transition(Closed, Working), Ok(Transition::Change));
        assert_eq!(transition(New, Closed), Ok(Transition::Change));
    }

    #[test]
    fn the_error_names_both_statuses_and_what_is_allowed() {
        let error = transition(BookingStatus::Cancelled, BookingStatus::CheckedIn).unwrap_err();
        assert!(error.message.contains("'Cancelled'") && error.message.contains("'Checked In'"));
        assert!(error.message.contains("none (final status)"));
        assert_eq!(error.details.unwrap()["allowed"], serde_json::json!([]));
    }

    /// Every machine: every status can be reached from some other status or is an initial one.
    #[test]
    fn machines_are_well_formed() {
        fn check<S: StateMachine + std::fmt::Debug>(initial: &[S]) {
            for &s in S::ALL {
                let reachable = all_pairs::<S>().any(|(a, b)| a != b && b == s && a.next().contains(&b));
                assert!(reachable || initial.contains(&s), "{s:?} is unreachable");
            }
        }
        check::<BookingStatus>(&[BookingStatus::Reserved]);
        check::<RoomStatus>(&[RoomStatus::Vacant]);
        check::<OpportunityStage>(&[OpportunityStage::Prospecting]);
        check::<CaseStatus>(&[CaseStatus::New]);
    }
}
