import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ErrorNotice } from "../lib/ErrorNotice";
import { money } from "../lib/format";
import { useAction } from "../lib/useAction";
import {
  openAuthentication,
  returnUrl,
  savePending,
  useAuthenticationWindow,
  type PendingPayment,
  type Returned,
} from "./threeDSecure";
import type { CheckoutCompleted, CheckoutOutput, Folio, PaymentRequiresAction } from "./types";

/** The portal never sees card numbers: in production a Stripe Element turns the card into a
 * payment method. Here the Stripe sandbox's test payment methods stand in for it. */
const METHODS = [
  { id: "pm_card_visa", label: "Visa ending 4242" },
  { id: "pm_card_authenticationRequired", label: "Card requiring 3-D Secure authentication" },
  { id: "pm_card_chargeDeclined", label: "Card that will be declined" },
] as const;

interface Props {
  folio: Folio;
  guestName: string;
  /** A payment left waiting by a full-page 3-D Secure redirect, to complete now. */
  resume: PendingPayment | null;
  onPaid(result: CheckoutCompleted): void;
  onCancel(): void;
}

/** Checks the guest out through `process_guest_checkout`, charging exactly the folio's total.
 * A card that needs 3-D Secure is authenticated in a window of its own, then the same tool
 * completes the checkout with the payment's id (a new idempotency token, as the tool asks). */
export function CheckoutForm({ folio, guestName, resume, onPaid, onCancel }: Props) {
  const id = useId();
  const [method, setMethod] = useState<string>(METHODS[0].id);
  const [waiting, setWaiting] = useState<PaymentRequiresAction | null>(null);
  const [popup, setPopup] = useState<Window | null>(null);
  const [windowClosed, setWindowClosed] = useState(false);
  const [authFailed, setAuthFailed] = useState(false);

  // What the tool answered, from a first attempt or a retry: a payment waiting for the guest's
  // bank, or a paid checkout.
  const answered = (out: CheckoutOutput) => {
    if (out.requires_action) {
      setWaiting(out);
    } else {
      setWaiting(null);
      onPaid(out);
    }
  };
  const start = useAction<object, CheckoutOutput>("process_guest_checkout", answered);
  const complete = useAction<object, CheckoutOutput>("process_guest_checkout", answered);

  const completeRun = complete.run;
  const finish = useCallback(
    async (payment: PendingPayment) => {
      setPopup(null);
      setWindowClosed(false);
      if (!(await completeRun({ guest_name: guestName, ...payment }))) {
        setWaiting(null); // refused (e.g. PAYMENT_FAILED): another card starts a new payment
      }
    },
    [completeRun, guestName],
  );

  // Back from a full-page redirect: complete the payment once.
  const resumed = useRef(false);
  useEffect(() => {
    if (resume && !resumed.current) {
      resumed.current = true;
      void finish(resume);
    }
  }, [resume, finish]);

  const onReturn = useCallback(
    (r: Returned) => {
      setAuthFailed(r.redirectStatus === "failed");
      if (waiting) void finish({ payment_intent_id: waiting.payment_intent_id, booking_number: waiting.booking_number, amount: folio.total_due });
    },
    [waiting, finish, folio.total_due],
  );
  const onClosed = useCallback(() => {
    setPopup(null);
    setWindowClosed(true);
  }, []);
  useAuthenticationWindow(popup, onReturn, onClosed);

  async function pay(event: FormEvent) {
    event.preventDefault();
    complete.reset();
    setAuthFailed(false);
    await start.run({
      guest_name: guestName,
      payment_method_id: method,
      amount: folio.total_due,
      booking_number: folio.booking_number,
      return_url: returnUrl(),
    });
  }

  function authenticate() {
    if (!waiting?.next_action_url) return;
    const opened = openAuthentication(waiting.next_action_url);
    if (opened) {
      setWindowClosed(false);
      setPopup(opened);
      return;
    }
    // Popups blocked: the whole page goes to the bank, and this payment is completed on return.
    savePending({ payment_intent_id: waiting.payment_intent_id, booking_number: waiting.booking_number, amount: folio.total_due });
    window.location.assign(waiting.next_action_url);
  }

  const error = complete.error ?? start.error;
  // A payment of this stay already waits for authentication (started earlier, then left): the
  // tool refuses a new one until that one is finished, so offer to continue it.
  const waitingPayment =
    error?.code === "CHECKOUT_IN_PROGRESS" && error.details.payment_status === "requires_action" && typeof error.details.payment_intent_id === "string"
      ? error.details.payment_intent_id
      : null;
  const busy = start.pending || complete.pending;
  const total = money(folio.total_due, folio.currency);

  if (waiting) {
    const canRedirect = waiting.next_action_type === "redirect_to_url" && !!waiting.next_action_url;
    return (
      <div aria-live="polite">
        <h3>Confirm the payment with your bank</h3>
        <p>
          Your card needs 3-D Secure authentication before {total} can be charged (payment {waiting.payment_intent_id}). Nothing has been
          charged yet and you are still checked in.
        </p>
        {!canRedirect && <p role="alert">This card asks for an authentication the portal cannot show. Please choose another card.</p>}
        {popup && <p role="status">Waiting for you to finish in the authentication window…</p>}
        {complete.pending && <p role="status">Completing your checkout…</p>}
        <div className="toolbar">
          {canRedirect && (
            <button type="button" className="primary" onClick={authenticate} disabled={busy || !!popup}>
              Authenticate payment
            </button>
          )}
          {windowClosed && (
            <button
              type="button"
              onClick={() => void finish({ payment_intent_id: waiting.payment_intent_id, booking_number: waiting.booking_number, amount: folio.total_due })}
              disabled={busy}
            >
              I have authenticated — finish checkout
            </button>
          )}
        </div>
        <p className="hint">
          To pay with another card instead, open the authentication and refuse it (“Fail authentication”): the payment then ends and
          you can choose again.
        </p>
        {error && <ErrorNotice error={error} onRetry={() => void complete.retry()} retrying={complete.pending} />}
      </div>
    );
  }

  return (
    <form onSubmit={pay} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Check out and pay {total}</h3>
      <fieldset className="pay-methods">
        <legend>Payment method</legend>
        {METHODS.map((m) => (
          <label key={m.id}>
            <input type="radio" name={`${id}-method`} value={m.id} checked={method === m.id} onChange={() => setMethod(m.id)} />
            {m.label} <span className="muted">({m.id})</span>
          </label>
        ))}
        <p className="hint">Test payment methods of the Stripe sandbox; the portal never asks for card numbers.</p>
      </fieldset>
      {error && (
        <>
          <ErrorNotice error={error} onRetry={() => void (complete.error ? complete.retry() : start.retry())} retrying={busy} />
          {waitingPayment && (
            <p>
              <button
                type="button"
                onClick={() => void finish({ payment_intent_id: waitingPayment, booking_number: folio.booking_number, amount: folio.total_due })}
                disabled={busy}
              >
                Continue the waiting payment
              </button>
            </p>
          )}
          {(error.code === "PAYMENT_FAILED" || authFailed) && (
            <p>Nothing was charged and your bill is unchanged. You can choose another card and try again.</p>
          )}
        </>
      )}
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Processing payment…" : `Pay ${total} and check out`}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
