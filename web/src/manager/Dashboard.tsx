import { dateTime } from "../lib/format";
import { Badge } from "../lib/Badge";
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ErrorNotice } from "../lib/ErrorNotice";
import { Card, Page } from "../lib/Page";
import { useTool } from "../lib/useTool";
import { Loading, ScreenReaderOnly, StatusCounts } from "./parts";
import { ALL_ROOMS, type Cases, type StaffRoom, type Rooms } from "./types";

/** The staff search without a filter lists every case (the web app's `search_cases` refuses
 * that); open ones are the listed ones not Closed, as no filter says "not Closed". */
const ALL_CASES = { limit: 200 } as const;
const REFRESH_MS = 30_000;

/** The hotel at a glance: two reads, made at once (rooms, cases), again every 30 s. */
export default function Dashboard() {
  const rooms = useTool<Rooms>("search_rooms_on_behalf_of_staff", ALL_ROOMS);
  const cases = useTool<Cases>("search_cases_on_behalf_of_staff", ALL_CASES);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const { reload: reloadRooms } = rooms;
  const { reload: reloadCases } = cases;

  useEffect(() => {
    const timer = window.setInterval(() => {
      reloadRooms();
      reloadCases();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reloadRooms, reloadCases]);

  useEffect(() => {
    if (rooms.data || cases.data) setUpdatedAt(new Date());
  }, [rooms.data, cases.data]);

  const refresh = () => {
    reloadRooms();
    reloadCases();
  };
  const busy = rooms.loading || cases.loading;

  return (
    <Page
      title="Dashboard"
      actions={
        <>
          {updatedAt && <span className="muted">Updated {updatedAt.toLocaleTimeString()}</span>}
          <button type="button" onClick={refresh} disabled={busy}>
            {busy ? "Refreshing…" : "Refresh"}
          </button>
        </>
      }
    >
      <Card title="Occupancy">
        {rooms.error && <ErrorNotice error={rooms.error} onRetry={reloadRooms} retrying={rooms.loading} />}
        {!rooms.data && rooms.loading && <Loading what="rooms" />}
        {rooms.data && (
          <>
            <StatusCounts rooms={rooms.data.rooms} label="Rooms by status" />
            <h3>Rooms</h3>
            <RoomGrid rooms={rooms.data.rooms} />
          </>
        )}
      </Card>
      <Card title="Open cases">
        {cases.error && <ErrorNotice error={cases.error} onRetry={reloadCases} retrying={cases.loading} />}
        {!cases.data && cases.loading && <Loading what="cases" />}
        {cases.data && <OpenCases data={cases.data} />}
      </Card>
      <ContactSearch />
    </Page>
  );
}

/** Each room a link to its card on the Rooms page; the guest shows on hover and keyboard focus,
 * and is part of the link's name for screen readers. */
function RoomGrid({ rooms }: { rooms: StaffRoom[] }) {
  return (
    <ul className="mgr-room-grid" aria-label="Room grid">
      {rooms.map((room) => (
        <li key={room.id}>
          <Link className="mgr-room" to={`/rooms?room=${encodeURIComponent(room.room_number)}`}>
            <ScreenReaderOnly>Room </ScreenReaderOnly>
            <span className="mgr-room-no">{room.room_number}</span>
            <ScreenReaderOnly>, </ScreenReaderOnly>
            <Badge value={room.status} />
            <ScreenReaderOnly>, </ScreenReaderOnly>
            <span className="mgr-tip">{room.current_guest_name ? `Guest: ${room.current_guest_name}` : "No guest"}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function OpenCases({ data }: { data: Cases }) {
  const open = data.cases.filter((c) => c.status !== "Closed");
  if (open.length === 0) return <p>No open cases.</p>;
  return (
    <div className="mgr-table-wrap">
      <table className="data">
        <caption className="visually-hidden">Open maintenance tasks and service requests, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Filed</th>
            <th scope="col">Room</th>
            <th scope="col">Type</th>
            <th scope="col">Subject</th>
            <th scope="col">Priority</th>
            <th scope="col">Status</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {open.map((c) => (
            <tr key={c.case_id}>
              <td>{c.case_number}</td>
              <td>{dateTime(c.created_at)}</td>
              <td>{c.room_number ?? "—"}</td>
              <td>{c.type ?? "—"}</td>
              <td>{c.subject ?? c.description ?? "—"}</td>
              <td>
                <Badge value={c.priority} />
              </td>
              <td>
                <Badge value={c.status} />
              </td>
              <td>{c.contact_name ?? c.contact_email ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.count >= ALL_CASES.limit && <p className="hint">The newest {ALL_CASES.limit} cases are shown.</p>}
    </div>
  );
}

interface ContactRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  mobile_phone: string | null;
  contact_type: string | null;
}

/** A person's email and phone: `search_contacts` on submit only, never on page load. */
function ContactSearch() {
  const [text, setText] = useState("");
  const [query, setQuery] = useState<string | null>(null);
  const found = useTool<{ contacts: ContactRow[]; count: number }>("search_contacts", query === null ? null : { query });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = text.trim();
    // The same text again reads again (fresh data); a new one changes the input, which reads.
    if (next === query) found.reload();
    else setQuery(next);
  };
  return (
    <Card title="Contact search">
      <form role="search" aria-label="Contacts" onSubmit={submit} className="form-row inline mgr-search-form">
        <div>
          <label htmlFor="contact-query">Name or email</label>
          <input id="contact-query" type="search" value={text} onChange={(e) => setText(e.target.value)} required />
        </div>
        <div className="mgr-submit">
          <button type="submit" className="primary" disabled={found.loading}>
            {found.loading ? "Searching…" : "Search"}
          </button>
        </div>
      </form>
      {found.error && <ErrorNotice error={found.error} onRetry={found.reload} retrying={found.loading} />}
      {found.data && !found.loading && (
        <>
          <p role="status">
            {found.data.count === 0
              ? `No contact matches “${query}”.`
              : `${found.data.count} ${found.data.count === 1 ? "contact matches" : "contacts match"} “${query}”.`}
          </p>
          {found.data.count > 0 && (
            <table className="data">
              <caption className="visually-hidden">Contacts matching “{query}”</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Phone</th>
                  <th scope="col">Type</th>
                </tr>
              </thead>
              <tbody>
                {found.data.contacts.map((c) => (
                  <tr key={c.id}>
                    <td>{[c.first_name, c.last_name].filter(Boolean).join(" ") || "—"}</td>
                    <td>{c.email ?? "—"}</td>
                    <td>{c.phone ?? c.mobile_phone ?? "—"}</td>
                    <td>{c.contact_type ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Card>
  );
}
