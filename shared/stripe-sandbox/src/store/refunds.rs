//! Refunds of a succeeded PaymentIntent's charge, full or partial.

use std::collections::BTreeMap;

use super::Store;
use crate::error::SandboxError;
use crate::ids;
use crate::records::{PaymentIntentStatus, RefundRecord};

/// The parameters of `POST /v1/refunds`.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewRefund {
    pub payment_intent: String,
    /// Omitted: refund what is left.
    pub amount: Option<i64>,
    pub reason: Option<String>,
    pub metadata: BTreeMap<String, String>,
}

const REASONS: [&str; 3] = ["duplicate", "fraudulent", "requested_by_customer"];

/// `$12.34`.
fn dollars(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

impl Store {
    /// Refunds `amount` (or all that is left) of the PaymentIntent's successful charge.
    pub fn create_refund(&mut self, new: NewRefund) -> Result<RefundRecord, SandboxError> {
        if let Some(reason) = &new.reason
            && !REASONS.contains(&reason.as_str())
        {
            return Err(SandboxError::invalid_value(
                "reason",
                "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer",
            ));
        }
        let id = new.payment_intent.as_str();
        let intent = self
            .payment_intent(id)
            .ok_or_else(|| SandboxError::no_such(400, "payment_intent", id, "payment_intent"))?;
        let charge = match (&intent.latest_charge, intent.status) {
            (Some(charge), PaymentIntentStatus::Succeeded) => self.charge(charge),
            _ => None,
        };
        let Some(charge) = charge else {
            return Err(SandboxError::invalid(
                "charge_not_refundable",
                format!(
                    "This PaymentIntent ({id}) does not have a successful charge to refund: its status is {}.",
                    intent.status.as_str()
                ),
            )
            .param("payment_intent"));
        };
        let refundable = charge.refundable();
        if refundable == 0 {
            return Err(SandboxError::invalid(
                "charge_already_refunded",
                format!("Charge {} has already been refunded.", charge.id),
            ));
        }
        let amount = match new.amount {
            None => refundable,
            Some(amount) if amount <= 0 => {
                return Err(SandboxError::invalid_value("amount", "Invalid positive integer")
                    .code("parameter_invalid_integer"));
            }
            Some(amount) => u64::try_from(amount).unwrap_or(u64::MAX),
        };
        if amount > refundable {
            return Err(SandboxError::invalid(
                "amount_too_large",
                format!(
                    "Refund amount ({}) is greater than unrefunded amount on charge ({})",
                    dollars(amount),
                    dollars(refundable)
                ),
            )
            .param("amount"));
        }
        let refund = RefundRecord {
            id: ids::refund(),
            payment_intent: id.to_owned(),
            charge: charge.id.clone(),
            amount,
            currency: charge.currency.clone(),
            reason: new.reason,
            status: "succeeded".into(),
            metadata: new.metadata,
            created: ids::now_unix(),
        };
        let charge_id = charge.id.clone();
        if let Some(charge) = self.charge_mut(&charge_id) {
            charge.amount_refunded += amount;
        }
        self.refunds.push(refund.clone());
        Ok(refund)
    }
}
