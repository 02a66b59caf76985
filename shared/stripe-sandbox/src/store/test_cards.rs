//! Stripe's test PaymentMethods and what confirming with each does.

/// The outcome of charging a test payment method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Behaviour {
    /// The charge succeeds.
    Succeeds,
    /// The card is declined: a 402 `card_error`.
    Declines {
        code: &'static str,
        decline_code: &'static str,
        message: &'static str,
    },
    /// 3-D Secure is required: the PaymentIntent goes to `requires_action`.
    RequiresAuthentication,
}

const DECLINED: &str = "Your card was declined.";

/// The behaviour of a test payment method, or `None` if the id is not one the sandbox knows (Stripe
/// answers `resource_missing` for an unknown PaymentMethod).
///
/// The names are Stripe's own test PaymentMethods; `pm_card_insufficientFunds` is accepted as an
/// alias of Stripe's `pm_card_chargeDeclinedInsufficientFunds`.
pub(crate) fn behaviour(payment_method: &str) -> Option<Behaviour> {
    let declines = |code, decline_code, message| {
        Some(Behaviour::Declines {
            code,
            decline_code,
            message,
        })
    };
    match payment_method {
        "pm_card_visa" | "pm_card_visa_debit" | "pm_card_mastercard" | "pm_card_amex"
        | "pm_card_discover" | "pm_card_us" => Some(Behaviour::Succeeds),
        "pm_card_chargeDeclined" | "pm_card_visa_chargeDeclined" => {
            declines("card_declined", "generic_decline", DECLINED)
        }
        "pm_card_chargeDeclinedInsufficientFunds"
        | "pm_card_visa_chargeDeclinedInsufficientFunds"
        | "pm_card_insufficientFunds" => declines(
            "card_declined",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
        "pm_card_chargeDeclinedLostCard" | "pm_card_visa_chargeDeclinedLostCard" => {
            declines("card_declined", "lost_card", DECLINED)
        }
        "pm_card_chargeDeclinedStolenCard" | "pm_card_visa_chargeDeclinedStolenCard" => {
            declines("card_declined", "stolen_card", DECLINED)
        }
        "pm_card_chargeDeclinedExpiredCard" => {
            declines("expired_card", "expired_card", "Your card has expired.")
        }
        "pm_card_chargeDeclinedIncorrectCvc" => declines(
            "incorrect_cvc",
            "incorrect_cvc",
            "Your card's security code is incorrect.",
        ),
        "pm_card_chargeDeclinedProcessingError" => declines(
            "processing_error",
            "processing_error",
            "An error occurred while processing your card. Try again in a little bit.",
        ),
        "pm_card_authenticationRequired"
        | "pm_card_threeDSecure2Required"
        | "pm_card_threeDSecureRequired" => Some(Behaviour::RequiresAuthentication),
        _ => None,
    }
}

/// The card behind a test payment method, as Stripe's test cards are: its brand and last four
/// digits. `None` for an id the sandbox does not know.
pub(crate) fn card(payment_method: &str) -> Option<(&'static str, &'static str)> {
    let card = match payment_method {
        "pm_card_visa" | "pm_card_us" => ("visa", "4242"),
        "pm_card_visa_debit" => ("visa", "5556"),
        "pm_card_mastercard" => ("mastercard", "4444"),
        "pm_card_amex" => ("amex", "8431"),
        "pm_card_discover" => ("discover", "1117"),
        "pm_card_chargeDeclined" | "pm_card_visa_chargeDeclined" => ("visa", "0002"),
        "pm_card_chargeDeclinedInsufficientFunds"
        | "pm_card_visa_chargeDeclinedInsufficientFunds"
        | "pm_card_insufficientFunds" => ("visa", "9995"),
        "pm_card_chargeDeclinedLostCard" | "pm_card_visa_chargeDeclinedLostCard" => ("visa", "9987"),
        "pm_card_chargeDeclinedStolenCard" | "pm_card_visa_chargeDeclinedStolenCard" => ("visa", "9979"),
        "pm_card_chargeDeclinedExpiredCard" => ("visa", "0069"),
        "pm_card_chargeDeclinedIncorrectCvc" => ("visa", "0127"),
        "pm_card_chargeDeclinedProcessingError" => ("visa", "0119"),
        "pm_card_authenticationRequired" => ("visa", "3184"),
        "pm_card_threeDSecure2Required" => ("visa", "3220"),
        "pm_card_threeDSecureRequired" => ("visa", "3063"),
        _ => return None,
    };
    Some(card)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every test payment method the sandbox charges has its card, and no other.
    #[test]
    fn every_known_method_has_a_card() {
        for method in [
            "pm_card_visa",
            "pm_card_mastercard",
            "pm_card_chargeDeclined",
            "pm_card_insufficientFunds",
            "pm_card_authenticationRequired",
        ] {
            assert!(behaviour(method).is_some() && card(method).is_some(), "{method}");
        }
        assert_eq!(card("pm_card_visa"), Some(("visa", "4242")));
        assert_eq!(card("pm_nope"), None);
    }
}
