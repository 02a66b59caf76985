import { Link } from "react-router";
import { Badge } from "../lib/Badge";
import { Card, Page } from "../lib/Page";
import { ErrorNotice } from "../lib/ErrorNotice";
import { day, money } from "../lib/format";
import { useSession } from "../lib/session";
import { useTool } from "../lib/useTool";
import { RequestsTable } from "./RequestsTable";
import { isNoStay, typeSlug } from "./stay";
import type { CaseList, Folio } from "./types";
import "./guest.css";

const QUICK_ACTIONS = ["Housekeeping", "Room Service", "Maintenance"] as const;

/** The guest's home: their stay and what it costs so far (the folio), and their open requests.
 * Two reads, started together. */
export default function Dashboard() {
  const { email } = useSession();
  const folio = useTool<Folio>("get_stay_folio", {});
  const cases = useTool<CaseList>("search_cases_on_behalf_of_guest", { limit: 50 });
  const refresh = () => {
    folio.reload();
    cases.reload();
  };
  // No tool the dashboard reads names the guest except a case's contact; the email otherwise.
  const name = cases.data?.cases.find((c) => c.contact_name)?.contact_name ?? email;
  const stay = folio.data;
  const active = cases.data?.cases.filter((c) => c.status !== "Closed") ?? [];

  return (
    <Page
      title="Dashboard"
      actions={
        <button type="button" onClick={refresh} disabled={folio.loading || cases.loading}>
          {folio.loading || cases.loading ? "Refreshing…" : "Refresh"}
        </button>
      }
    >
      <p className="welcome">
        Welcome, <strong>{name}</strong>
        {stay && stay.booking_status === "Checked In" && <> — room {stay.room_number}</>}
      </p>
      <div className="grid">
        <Card title="Your stay">
          {folio.loading && !stay && <p className="muted">Loading your stay…</p>}
          {folio.error && isNoStay(folio.error) && <p>No active reservation.</p>}
          {folio.error && !isNoStay(folio.error) && <ErrorNotice error={folio.error} onRetry={folio.reload} retrying={folio.loading} />}
          {stay && !folio.error && (
            <dl className="facts">
              <dt>Room</dt>
              <dd>{stay.room_number}</dd>
              <dt>Booking</dt>
              <dd>{stay.booking_number}</dd>
              <dt>Check-in</dt>
              <dd>{day(stay.check_in_date)}</dd>
              <dt>{stay.booking_status === "Checked In" ? "Billed through" : "Check-out"}</dt>
              <dd>{day(stay.check_out_date)}</dd>
              <dt>Status</dt>
              <dd>
                <Badge value={stay.booking_status} />
              </dd>
            </dl>
          )}
        </Card>
        <Card title="Current charges">
          {stay && !folio.error ? (
            <>
              <p className="stat">{money(stay.total_due, stay.currency)}</p>
              <p className="hint">Total due for booking {stay.booking_number}, as checkout would charge it today.</p>
            </>
          ) : (
            <p className="muted">{folio.loading ? "Loading…" : "No charges to show."}</p>
          )}
        </Card>
        <Card title="Quick actions">
          <div className="quick-actions">
            {QUICK_ACTIONS.map((type) => (
              <Link key={type} className="button" to={`/services?type=${typeSlug(type)}`}>
                {type === "Room Service" ? "Room service" : type}
              </Link>
            ))}
            <Link className="button primary" to="/billing">
              View bill
            </Link>
          </div>
        </Card>
      </div>
      <Card title="Active requests">
        {cases.error && <ErrorNotice error={cases.error} onRetry={cases.reload} retrying={cases.loading} />}
        {cases.loading && !cases.data && <p className="muted">Loading your requests…</p>}
        {cases.data && active.length === 0 && <p>No open requests.</p>}
        {active.length > 0 && <RequestsTable cases={active} caption="Your open requests" />}
      </Card>
    </Page>
  );
}
