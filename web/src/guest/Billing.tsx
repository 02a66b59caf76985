import { useCallback, useState } from "react";
import { useSearchParams } from "react-router";
import { Badge } from "../lib/Badge";
import { Card, Page } from "../lib/Page";
import { Confirmation, ErrorNotice } from "../lib/ErrorNotice";
import { money } from "../lib/format";
import { useSession } from "../lib/session";
import { useTool } from "../lib/useTool";
import { CheckoutForm } from "./CheckoutForm";
import { FolioTable } from "./FolioTable";
import { isNoStay } from "./stay";
import { takePending, type PendingPayment } from "./threeDSecure";
import type { CheckoutCompleted, Folio } from "./types";
import "./guest.css";

/** The bill and checkout, from one read: the folio, the bill checkout charges, which also names the
 * guest the Stripe customer is named after. After a checkout the page shows that booking's bill,
 * paid (`?booking=BK-…`, so a reload shows it too). */
export default function Billing() {
  const { email } = useSession();
  const [params, setParams] = useSearchParams();
  const booking = params.get("booking");
  const folio = useTool<Folio>("get_stay_folio", booking ? { booking_number: booking } : {});
  // A payment left waiting by a full-page 3-D Secure redirect is completed once, on return.
  const [resume] = useState<PendingPayment | null>(() => takePending());
  const [checkingOut, setCheckingOut] = useState(resume !== null);
  const [paid, setPaid] = useState<CheckoutCompleted | null>(null);

  const onPaid = useCallback(
    (result: CheckoutCompleted) => {
      setPaid(result);
      setCheckingOut(false);
      setParams({ booking: result.booking_number }, { replace: true });
    },
    [setParams],
  );

  const bill = folio.data;
  // The Stripe customer's name: the booking's guest's, or the email when the record has none.
  const guestName = bill?.guest_name?.trim() || email;
  const settled = bill?.booking_status === "Checked Out";

  return (
    <Page title="Billing & checkout">
      {paid && (
        <Confirmation>
          <p>
            Paid {money(paid.amount, paid.currency)} (payment {paid.payment_intent_id}, charge {paid.transaction_id}). Booking {paid.booking_number}{" "}
            is checked out; room {paid.room_number} is now {paid.room_status}.
          </p>
        </Confirmation>
      )}
      <Card title="Your bill">
        {folio.loading && !bill && <p className="muted">Loading your bill…</p>}
        {folio.error && isNoStay(folio.error) && <p>No active reservation: there is no bill to pay.</p>}
        {folio.error && !isNoStay(folio.error) && <ErrorNotice error={folio.error} onRetry={folio.reload} retrying={folio.loading} />}
        {bill && !folio.error && (
          <>
            <p>
              Booking {bill.booking_number}, room {bill.room_number}:{" "}
              <Badge value={bill.booking_status} />{" "}
              {settled ? "Paid" : "Not paid yet"} · Currency {bill.currency.toUpperCase()}
            </p>
            <FolioTable folio={bill} />
            {settled && (
              <p className="paid" role="status">
                All charges paid — thank you for your stay.{bill.paid_by ? ` (Charge ${bill.paid_by}.)` : ""}
              </p>
            )}
          </>
        )}
      </Card>
      {bill && !folio.error && bill.booking_status === "Checked In" && (
        <Card title="Checkout">
          {checkingOut ? (
            <CheckoutForm folio={bill} guestName={guestName} resume={resume} onPaid={onPaid} onCancel={() => setCheckingOut(false)} />
          ) : (
            <button type="button" className="primary" onClick={() => setCheckingOut(true)}>
              Check out and pay
            </button>
          )}
        </Card>
      )}
    </Page>
  );
}
