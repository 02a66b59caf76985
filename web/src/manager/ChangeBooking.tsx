import { Badge } from "../lib/Badge";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError } from "../lib/api";
import { Confirmation, ErrorNotice } from "../lib/ErrorNotice";
import { Card } from "../lib/Page";
import { day } from "../lib/format";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { todayIso, type BookingSummary, type BookingView } from "./types";

/** What to look a booking up by: the guest and arrival date (the contact's id first, then their
 * bookings that day: two calls, one after the other, on a person's request only). */
export interface Lookup {
  email: string;
  date: string;
  status: string;
}

const FIND_STATUSES = ["Reserved", "Checked In", "Checked Out", "Cancelled", "No Show"];

async function findBookings(call: ReturnType<typeof useSession>["call"], lookup: Lookup): Promise<BookingSummary[]> {
  const contacts = await call<{ contacts: { id: string }[] }>("search_contacts", { email: lookup.email, limit: 1 });
  const contact = contacts.contacts[0];
  if (!contact) {
    throw new ApiError(404, "GUEST_NOT_FOUND", `No contact has the email ${lookup.email}.`);
  }
  const found = await call<{ bookings: BookingSummary[] }>("search_booking_by_contact_and_date", {
    contact_id: contact.id,
    check_in_date: lookup.date,
    status: lookup.status,
  });
  return found.bookings;
}

/** Find a booking, then change it with `manage_booking_orchestrator` (room, dates, guests,
 * requests: what the booking's status allows) or its status with `update_booking_status`. */
export function ChangeBooking({ preset }: { preset: Lookup | null }) {
  const { call } = useSession();
  // The writes live here, not in each booking's editor: a write reads the bookings again, which
  // may remount or drop the editor (a cancelled booking leaves a search for Reserved ones), and
  // its answer must stay on screen.
  const manage = useAction<ManageInput, Managed>("manage_booking_orchestrator");
  const setStatus = useAction<StatusInput, StatusChanged>("update_booking_status");
  const [lookup, setLookup] = useState<Lookup>(preset ?? { email: "", date: todayIso(), status: "Reserved" });
  const [search, setSearch] = useState<{ pending: boolean; error?: ApiError; bookings?: BookingSummary[] }>({ pending: false });

  const find = useCallback(
    (what: Lookup) => {
      setSearch((s) => ({ ...s, pending: true, error: undefined }));
      findBookings(call, { ...what, email: what.email.trim() }).then(
        (bookings) => setSearch({ pending: false, bookings }),
        (error: unknown) =>
          setSearch({ pending: false, error: error instanceof ApiError ? error : new ApiError(0, "CLIENT_ERROR", String(error)) }),
      );
    },
    [call],
  );

  // "Change this booking" after creating one: look it up at once.
  useEffect(() => {
    if (preset) {
      setLookup(preset);
      find(preset);
      // Keyboard and screen reader users are taken to where the booking appears.
      document.getElementById("find-email")?.focus();
    }
  }, [preset, find]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    find(lookup);
  };
  // After a write that landed, the bookings are read again: the list shows them as they are now.
  const after = (promise: Promise<unknown>) =>
    void promise.then((result) => {
      if (result) find(lookup);
    });
  const set = (field: keyof Lookup) => (e: { target: { value: string } }) => setLookup({ ...lookup, [field]: e.target.value });

  return (
    <Card title="Change a booking">
      <form role="search" aria-label="Bookings" onSubmit={submit}>
        <div className="form-row inline">
          <div>
            <label htmlFor="find-email">Guest email</label>
            <input id="find-email" type="email" autoComplete="off" value={lookup.email} onChange={set("email")} required />
          </div>
          <div>
            <label htmlFor="find-date">Arrival date</label>
            <input id="find-date" type="date" value={lookup.date} onChange={set("date")} required />
          </div>
          <div>
            <label htmlFor="find-status">Booking status</label>
            <select id="find-status" value={lookup.status} onChange={set("status")}>
              {FIND_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
          <div className="mgr-submit">
            <button type="submit" disabled={search.pending}>
              {search.pending ? "Finding…" : "Find booking"}
            </button>
          </div>
        </div>
      </form>
      {search.error && <ErrorNotice error={search.error} onRetry={() => find(lookup)} retrying={search.pending} />}
      {search.bookings && (
        <p role="status">
          {search.bookings.length === 0
            ? "No booking matches."
            : `${search.bookings.length} ${search.bookings.length === 1 ? "booking" : "bookings"} found.`}
        </p>
      )}
      {search.bookings?.map((booking) => (
        // Keyed by what may change, so that the form starts from the booking as read again.
        <BookingEditor
          key={`${booking.booking_id}-${booking.status}-${booking.room_number}-${booking.check_in_date}-${booking.check_out_date}-${booking.number_of_guests}`}
          booking={booking}
          busy={manage.pending || setStatus.pending}
          onSave={(changes) => {
            if (!booking.external_id) return;
            setStatus.reset(); // one answer on screen: the latest action's
            after(manage.run({ external_id: booking.external_id, ...changes }));
          }}
          onStatus={(status) => {
            manage.reset();
            after(setStatus.run({ booking_id: booking.booking_id, status, checkout_date: booking.check_out_date ?? todayIso() }));
          }}
        />
      ))}
      {manage.error && <ErrorNotice error={manage.error} onRetry={() => after(manage.retry())} retrying={manage.pending} />}
      {manage.result && (
        <Confirmation>
          <p>
            {manage.result.changed.length > 0
              ? `Booking ${manage.result.booking_number} changed: ${manage.result.changed.join(", ")}.`
              : `Booking ${manage.result.booking_number} already had these values.`}
          </p>
        </Confirmation>
      )}
      {setStatus.error && <ErrorNotice error={setStatus.error} onRetry={() => after(setStatus.retry())} retrying={setStatus.pending} />}
      {setStatus.result && (
        <Confirmation>
          <p>
            {setStatus.result.updated
              ? `Booking ${setStatus.result.booking_number}: ${setStatus.result.previous_status} → ${setStatus.result.status}.`
              : `Booking ${setStatus.result.booking_number} was already ${setStatus.result.status}.`}
          </p>
        </Confirmation>
      )}
    </Card>
  );
}

interface ManageInput {
  external_id: string;
  room_number?: string;
  check_in_date?: string;
  check_out_date?: string;
  number_of_guests?: number;
  special_requests?: string;
}
interface Managed extends BookingView {
  changed: string[];
}
interface StatusInput {
  booking_id: string;
  status: string;
  checkout_date: string;
}
interface StatusChanged {
  booking_number: string;
  status: string;
  previous_status: string;
  updated: boolean;
}

function BookingEditor({
  booking,
  busy,
  onSave,
  onStatus,
}: {
  booking: BookingSummary;
  busy: boolean;
  onSave(changes: Omit<ManageInput, "external_id">): void;
  onStatus(status: string): void;
}) {
  const initial = {
    room_number: booking.room_number ?? "",
    check_in_date: booking.check_in_date ?? "",
    check_out_date: booking.check_out_date ?? "",
    number_of_guests: String(booking.number_of_guests ?? ""),
    special_requests: booking.special_requests ?? "",
  };
  const [form, setForm] = useState(initial);
  const [nextStatus, setNextStatus] = useState("Cancelled");
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const id = booking.booking_id;

  // Only the fields that differ from the booking as read: the tool refuses a request with no change.
  const changes: Omit<ManageInput, "external_id"> = {
    ...(form.room_number.trim() !== initial.room_number ? { room_number: form.room_number.trim() } : {}),
    ...(form.check_in_date !== initial.check_in_date ? { check_in_date: form.check_in_date } : {}),
    ...(form.check_out_date !== initial.check_out_date ? { check_out_date: form.check_out_date } : {}),
    ...(form.number_of_guests !== initial.number_of_guests ? { number_of_guests: Number(form.number_of_guests) } : {}),
    ...(form.special_requests !== initial.special_requests ? { special_requests: form.special_requests } : {}),
  };
  const dirty = Object.keys(changes).length > 0;
  const save = (event: FormEvent) => {
    event.preventDefault();
    onSave(changes);
  };
  const changeStatus = (event: FormEvent) => {
    event.preventDefault();
    onStatus(nextStatus);
  };

  return (
    <section className="mgr-room-card" aria-labelledby={`booking-${id}`}>
      <h3 id={`booking-${id}`}>
        Booking {booking.booking_number} <Badge value={booking.status} />
      </h3>
      <p>
        {booking.guest_name ?? booking.guest_email}, room {booking.room_number ?? "—"}, {day(booking.check_in_date)} to {day(booking.check_out_date)} (
        {booking.total_nights ?? "?"} nights), {booking.number_of_guests ?? "?"} {booking.number_of_guests === 1 ? "guest" : "guests"}.
      </p>
      {booking.external_id ? (
        <form onSubmit={save}>
          <div className="form-row inline">
            <div>
              <label htmlFor={`edit-room-${id}`}>Room number</label>
              <input id={`edit-room-${id}`} value={form.room_number} onChange={set("room_number")} size={8} />
            </div>
            <div>
              <label htmlFor={`edit-in-${id}`}>Arrival</label>
              <input id={`edit-in-${id}`} type="date" value={form.check_in_date} onChange={set("check_in_date")} />
            </div>
            <div>
              <label htmlFor={`edit-out-${id}`}>Departure</label>
              <input id={`edit-out-${id}`} type="date" value={form.check_out_date} onChange={set("check_out_date")} />
            </div>
            <div>
              <label htmlFor={`edit-guests-${id}`}>Guests</label>
              <input id={`edit-guests-${id}`} type="number" min={1} className="mgr-narrow" value={form.number_of_guests} onChange={set("number_of_guests")} />
            </div>
          </div>
          <div className="form-row">
            <label htmlFor={`edit-requests-${id}`}>Special requests</label>
            <textarea id={`edit-requests-${id}`} value={form.special_requests} onChange={set("special_requests")} />
          </div>
          <p className="hint">A reserved booking can change anything; a checked-in one only its guests and requests.</p>
          <button type="submit" className="primary" disabled={busy || !dirty}>
            Save changes
          </button>
        </form>
      ) : (
        <p className="muted">This booking has no external id, so its room and dates cannot be changed here.</p>
      )}
      <form onSubmit={changeStatus} className="form-row inline">
        <div>
          <label htmlFor={`edit-status-${id}`}>Set status</label>
          <select id={`edit-status-${id}`} value={nextStatus} onChange={(e) => setNextStatus(e.target.value)}>
            <option>Cancelled</option>
            <option>No Show</option>
          </select>
        </div>
        <div className="mgr-submit">
          <button type="submit" disabled={busy}>
            Update booking status
          </button>
        </div>
      </form>
      <p className="hint">Checking in (above) and checkout move a booking's status together with its room and opportunity, so they are not offered here.</p>
    </section>
  );
}
