import { useSearchParams } from "react-router";
import { Card, Page } from "../lib/Page";
import { ErrorNotice } from "../lib/ErrorNotice";
import { useTool } from "../lib/useTool";
import { RequestsTable } from "./RequestsTable";
import { ServiceRequestForm } from "./ServiceRequestForm";
import { typeSlug } from "./stay";
import { CASE_TYPES, type CaseList, type CaseType, type GuestRooms } from "./types";
import "./guest.css";

/** Requests to the hotel: a form, and the guest's requests below it. Two reads, started
 * together: the rooms the guest may ask for (their bookings) and their cases. */
export default function Services() {
  const [params] = useSearchParams();
  const rooms = useTool<GuestRooms>("search_rooms_on_behalf_of_guest", { limit: 50 });
  const cases = useTool<CaseList>("search_cases_on_behalf_of_guest", { limit: 50 });
  // `?type=room-service` from the dashboard's quick actions preselects the type.
  const wanted = params.get("type");
  const initialType: CaseType = CASE_TYPES.find((t) => typeSlug(t) === wanted) ?? "Housekeeping";
  // Requests are for a stay in progress or to come; past stays are not offered.
  // The stay in progress comes first, so it is the room preselected.
  const open = (rooms.data?.rooms ?? [])
    .filter((r) => r.room_number && (r.booking_status === "Checked In" || r.booking_status === "Reserved"))
    .sort((a, b) => Number(b.booking_status === "Checked In") - Number(a.booking_status === "Checked In"));

  return (
    <Page title="Services">
      <Card title="New request">
        {rooms.loading && !rooms.data && <p className="muted">Loading your rooms…</p>}
        {rooms.error && <ErrorNotice error={rooms.error} onRetry={rooms.reload} retrying={rooms.loading} />}
        {rooms.data && open.length === 0 && <p>You have no current or upcoming stay to send a request for.</p>}
        {open.length > 0 && <ServiceRequestForm key={initialType} rooms={open} initialType={initialType} onFiled={cases.reload} />}
      </Card>
      <Card title="Your requests">
        {cases.error && <ErrorNotice error={cases.error} onRetry={cases.reload} retrying={cases.loading} />}
        {cases.loading && !cases.data && <p className="muted">Loading your requests…</p>}
        {cases.data && cases.data.cases.length === 0 && <p>You have not made any requests.</p>}
        {cases.data && cases.data.cases.length > 0 && <RequestsTable cases={cases.data.cases} caption="Your requests, newest first" />}
      </Card>
    </Page>
  );
}
