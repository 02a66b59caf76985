//! The full refund checkout and compensation both make. Their Stripe keys and metadata limits are
//! the payment skills' (`payments::stripe_key`, `payments::input::metadata_value`).

use crate::payments::input::metadata_value;
use crate::payments::stripe_key;
use dewy_domain::ToolError;
use dewy_stripe::{CreateRefund, Refund, RefundReason, StripeError};
use dewy_tool::Context;

/// Refunds all of `payment_intent` as `requested_by_customer`, with `metadata` (values cut to
/// Stripe's 500 characters), under this operation's `refund` key.
pub(super) async fn refund_in_full(
    ctx: &Context,
    payment_intent: &str,
    metadata: &[(&str, &str)],
) -> Result<Result<Refund, StripeError>, ToolError> {
    let key = stripe_key(ctx, "refund")?;
    let stripe = ctx.stripe()?;
    let mut refund = CreateRefund::full(payment_intent).reason(RefundReason::RequestedByCustomer);
    for (name, value) in metadata {
        refund = refund.metadata(name, metadata_value(value));
    }
    Ok(stripe.create_refund(&refund, &key).await)
}
