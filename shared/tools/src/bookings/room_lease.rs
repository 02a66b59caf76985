//! One booking write per room at a time: the lease that makes "a room is never booked twice for a
//! night" hold across callers, tokens and Lambda instances.
//!
//! Salesforce stays the one record of which nights are taken; the lease only makes each
//! read-check-write of a room's bookings run alone. A booking, a change of a booking's room or
//! dates, or an upsert that sets them takes `room:<number>` beside the read of the room's
//! overlapping bookings, reads them again if the previous holder released it after that read
//! started, and releases it after its write. So the second of two bookings of the same nights
//! reads the first one's booking and answers `409 ROOM_ALREADY_BOOKED`.
//!
//! A caller that finds the lease held **waits** for it (a booking holds it for about two
//! Salesforce round trips) rather than answering at once: whether it clashes depends on the
//! nights the holder books, and two bookings of different nights of one room must both succeed.
//! A holder that does not release in [`WAIT`] (it died, or Salesforce is slow) gets the caller a
//! retryable `409 CONCURRENT_UPDATE`, with nothing written.
//!
//! Why a lease per room rather than a claim per room-night: the claims would be a second record of
//! the bookings, to be kept in step with Salesforce on every cancellation, status change and
//! change made outside the hub; the lease is a mutex with nothing to keep in step.

use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::lease::{LeaseOn, WhenHeld, refusal};
use dewy_tool::{Context, HeldLease};
use serde_json::json;
use std::future::Future;
use std::time::Duration;

/// How long a booking waits for another booking of the same room.
const WAIT: Duration = Duration::from_secs(5);

/// The audit check of the lease.
const NOT_BEING_BOOKED: &str = "room_not_being_booked";

/// The lease's name for room `number` (`Room_Number__c`, as [`dewy_domain::input::RoomNumber`]
/// writes it: upper case).
fn name(number: &str) -> String {
    format!("room:{}", number.trim().to_ascii_uppercase())
}

/// Takes room `number`'s lease while running `read` (the reads the clash check rests on), and
/// runs `read` again if another booking of the room wrote after it started.
pub(crate) async fn read_under_lease<T, F, Fut>(
    ctx: &Context,
    number: &str,
    read: F,
) -> Result<(HeldLease, T), ToolError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ToolError>>,
{
    let name = name(number);
    let lease = LeaseOn {
        name: &name,
        when_held: WhenHeld::Wait(WAIT),
        check: NOT_BEING_BOOKED,
    };
    ctx.read_under_lease(lease, |retry_after| busy(number, retry_after), read)
        .await
}

/// Takes room `number`'s lease (waiting for another booking of it), when it could not be taken
/// beside the reads.
pub(crate) async fn acquire(ctx: &Context, number: &str) -> Result<HeldLease, ToolError> {
    let taken = ctx
        .acquire_lease_when_held(&name(number), WhenHeld::Wait(WAIT))
        .await;
    ctx.audit().check(
        NOT_BEING_BOOKED,
        taken.map_err(|e| refusal(&e, |after| busy(number, after))),
    )
}

/// Runs `work` under `lease` and releases it whatever `work` answers: nothing a booking writes is
/// state the next holder needs, Salesforce has it.
pub(crate) async fn release_after<T>(
    ctx: &Context,
    lease: HeldLease,
    work: impl Future<Output = Result<T, ToolError>>,
) -> Result<T, ToolError> {
    let result = work.await;
    lease.release(ctx, None).await;
    result
}

/// Another booking of room `number` holding the lease too long, as the caller is answered.
fn busy(number: &str, retry_after: u64) -> ToolError {
    ToolError::new(
        ErrorCode::ConcurrentUpdate,
        format!(
            "Another booking of room {number} is being written and did not finish in time. Nothing was booked \
             by this call. Retry in {retry_after} s: the retry checks the room's nights as they then are."
        ),
    )
    .with_details(json!({ "room_number": number }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_tool::lease::LeaseError;

    #[test]
    fn one_lease_per_room_whatever_the_spelling() {
        assert_eq!(name("209"), "room:209");
        assert_eq!(name(" 12a "), name("12A"));
    }

    #[test]
    fn a_room_held_too_long_is_a_retryable_conflict() {
        let until = std::time::SystemTime::now() + Duration::from_secs(3);
        let error = refusal(&LeaseError::Held { until }, |after| busy("209", after));
        assert_eq!(error.code, ErrorCode::ConcurrentUpdate);
        assert_eq!(error.http_status(), 409);
        assert!(error.code.is_retryable());
        assert!(error.message.contains("room 209"));
    }
}
