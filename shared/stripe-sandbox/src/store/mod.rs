//! The sandbox's data and Stripe's rules for changing it. Plain synchronous code over `&mut Store`,
//! so the HTTP layer can run each request under one lock and tests can call it directly.

mod customers;
mod payment_intents;
mod refunds;
pub(crate) mod render;
pub(crate) mod test_cards;
#[cfg(test)]
mod tests;

pub(crate) use customers::NewCustomer;
pub(crate) use payment_intents::{Confirmation, IntentFilter, NewPaymentIntent};
pub(crate) use refunds::NewRefund;

use crate::records::{ChargeRecord, CustomerRecord, PaymentIntentRecord, RefundRecord};

/// Every object, in creation order. Lookups scan: the sandbox holds thousands of objects at most,
/// and keeping one `Vec` per type keeps the list order (newest first) trivial.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub customers: Vec<CustomerRecord>,
    pub payment_intents: Vec<PaymentIntentRecord>,
    pub charges: Vec<ChargeRecord>,
    pub refunds: Vec<RefundRecord>,
    /// Where a customer's browser reaches this sandbox (its base URL), for the 3-D Secure page a
    /// `redirect_to_url` next action sends them to; empty in tests of the store alone.
    pub browser_base: String,
}

impl Store {
    pub fn customer(&self, id: &str) -> Option<&CustomerRecord> {
        self.customers.iter().find(|c| c.id == id)
    }

    pub fn payment_intent(&self, id: &str) -> Option<&PaymentIntentRecord> {
        self.payment_intents.iter().find(|p| p.id == id)
    }

    pub fn charge(&self, id: &str) -> Option<&ChargeRecord> {
        self.charges.iter().find(|c| c.id == id)
    }

    pub fn refund(&self, id: &str) -> Option<&RefundRecord> {
        self.refunds.iter().find(|r| r.id == id)
    }

    fn payment_intent_mut(&mut self, id: &str) -> Option<&mut PaymentIntentRecord> {
        self.payment_intents.iter_mut().find(|p| p.id == id)
    }

    fn charge_mut(&mut self, id: &str) -> Option<&mut ChargeRecord> {
        self.charges.iter_mut().find(|c| c.id == id)
    }
}
