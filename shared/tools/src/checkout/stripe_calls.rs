//! The Stripe calls checkout and compensation share: the `Idempotency-Key` of each write, and the
//! full refund both of them make.

use dewy_domain::ToolError;
use dewy_stripe::{CreateRefund, IdempotencyKey, Refund, RefundReason, StripeError};
use dewy_tool::Context;

/// Stripe's limit on a metadata value.
const METADATA_MAX: usize = 500;

/// The `Idempotency-Key` of the write `step` of this operation, derived from the operation's own
/// key: a retried tool call repeats the same Stripe request, which Stripe then replays instead of
/// charging, refunding or creating twice.
pub(super) fn key(ctx: &Context, step: &str) -> Result<IdempotencyKey, ToolError> {
    let derived = ctx.downstream_key(step).ok_or_else(|| {
        // Only read-only tools lack an operation key, and these tools are not read-only.
        tracing::error!(step, "no operation key for a Stripe write");
        ToolError::internal()
    })?;
    IdempotencyKey::parse(derived).map_err(|error| {
        tracing::error!(step, %error, "derived Stripe idempotency key is invalid");
        ToolError::internal()
    })
}

/// Refunds all of `payment_intent` as `requested_by_customer`, with `metadata` (values cut to
/// Stripe's 500 characters), under this operation's `refund` key.
pub(super) async fn refund_in_full(
    ctx: &Context,
    payment_intent: &str,
    metadata: &[(&str, &str)],
) -> Result<Result<Refund, StripeError>, ToolError> {
    let key = key(ctx, "refund")?;
    let stripe = ctx.stripe()?;
    let mut refund = CreateRefund::full(payment_intent).reason(RefundReason::RequestedByCustomer);
    for (name, value) in metadata {
        refund = refund.metadata(name, truncate(value, METADATA_MAX));
    }
    Ok(stripe.create_refund(&refund, &key).await)
}

/// `text` cut to at most `max` characters (on a character boundary).
pub(super) fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(truncate("héllo", 2), "hé");
        assert_eq!(truncate("short", 500), "short");
    }
}
