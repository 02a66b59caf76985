import { useEffect, useRef } from "react";

/** 3-D Secure in the browser. Checkout answers 202 with a `redirect_to_url` next action: the
 * guest's bank (here the Stripe sandbox's authentication page) asks them to confirm, then sends
 * the browser back to our `return_url` with Stripe's `payment_intent` and `redirect_status`.
 *
 * The portal keeps its tokens in memory only, so the page is opened in a window of its own
 * rather than navigated away from: this page, still signed in, watches that window come back to
 * our origin and then completes the checkout. Where popups are blocked the whole page goes, the
 * payment waiting in sessionStorage, and is completed after the guest has signed in again. */

/** Where the bank sends the guest back: the billing page. */
export function returnUrl(): string {
  return `${window.location.origin}/billing`;
}

export function openAuthentication(url: string): Window | null {
  return window.open(url, "dewy-3ds", "popup,width=520,height=700");
}

export interface Returned {
  /** Stripe's `redirect_status` (succeeded, failed), when the page gave one; the checkout tool
   * reads the payment itself either way. */
  redirectStatus: string | null;
}

/** Watches `popup` until it is back on our origin (then closes it and calls `onReturn`), or
 * closed by the guest (`onClosed`). Reading a window's location throws while it shows another
 * origin, which is how "not back yet" is told. */
export function useAuthenticationWindow(popup: Window | null, onReturn: (r: Returned) => void, onClosed: () => void) {
  // The latest callbacks, so the watch restarts only for another window.
  const callbacks = useRef({ onReturn, onClosed });
  useEffect(() => {
    callbacks.current = { onReturn, onClosed };
  });
  useEffect(() => {
    if (!popup) return;
    const timer = window.setInterval(() => {
      if (popup.closed) {
        window.clearInterval(timer);
        callbacks.current.onClosed();
        return;
      }
      let href = "";
      try {
        href = popup.location.href;
      } catch {
        return; // still on the bank's page
      }
      // Not about:blank (our origin too, before the bank's page loads): our return URL.
      if (!href.startsWith(returnUrl())) return;
      window.clearInterval(timer);
      popup.close();
      callbacks.current.onReturn({ redirectStatus: new URL(href).searchParams.get("redirect_status") });
    }, 400);
    return () => window.clearInterval(timer);
  }, [popup]);
}

/** A payment waiting for authentication across a full-page redirect (popups blocked). */
export interface PendingPayment {
  payment_intent_id: string;
  booking_number: string;
  amount: number;
}

const KEY = "dewy.guest.pending-payment";

export function savePending(pending: PendingPayment) {
  window.sessionStorage.setItem(KEY, JSON.stringify(pending));
}

export function takePending(): PendingPayment | null {
  const raw = window.sessionStorage.getItem(KEY);
  window.sessionStorage.removeItem(KEY);
  try {
    return raw ? (JSON.parse(raw) as PendingPayment) : null;
  } catch {
    return null;
  }
}
