import { useState, type FormEvent } from "react";
import { Confirmation, ErrorNotice } from "../lib/ErrorNotice";
import { Card } from "../lib/Page";
import { day } from "../lib/format";
import { useAction } from "../lib/useAction";
import { todayIso, type BookingView } from "./types";

interface BookingInput {
  guest_email: string;
  guest_first_name: string;
  guest_last_name: string;
  guest_phone?: string;
  room_number: string;
  check_in_date: string;
  check_out_date: string;
  number_of_guests: number;
  special_requests?: string;
}
interface Booked extends BookingView {
  guest_created: boolean;
  already_booked: boolean;
}

const EMPTY = {
  guest_email: "",
  guest_first_name: "",
  guest_last_name: "",
  guest_phone: "",
  room_number: "",
  check_in_date: todayIso(),
  check_out_date: "",
  number_of_guests: "1",
  special_requests: "",
};

/** `create_booking_orchestrator`; the hook adds `booking_external_id` per booking (reused on
 * Retry), so a double click or a retry books once. `onBooked` lets the page find the booking. */
export function NewBooking({ onBooked }: { onBooked(email: string, checkIn: string): void }) {
  const book = useAction<BookingInput, Booked>("create_booking_orchestrator");
  const [form, setForm] = useState(EMPTY);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void book.run({
      guest_email: form.guest_email.trim(),
      guest_first_name: form.guest_first_name.trim(),
      guest_last_name: form.guest_last_name.trim(),
      guest_phone: optional(form.guest_phone),
      room_number: form.room_number.trim(),
      check_in_date: form.check_in_date,
      check_out_date: form.check_out_date,
      number_of_guests: Number(form.number_of_guests),
      special_requests: optional(form.special_requests),
    });
  };
  const done = book.result;

  return (
    <Card title="Create a booking">
      <form onSubmit={submit}>
        <fieldset className="mgr-fields">
          <legend>Guest</legend>
          <div className="form-row">
            <label htmlFor="new-email">Email</label>
            <input id="new-email" type="email" autoComplete="off" value={form.guest_email} onChange={set("guest_email")} required />
          </div>
          <div className="form-row inline">
            <div>
              <label htmlFor="new-first">First name</label>
              <input id="new-first" value={form.guest_first_name} onChange={set("guest_first_name")} required />
            </div>
            <div>
              <label htmlFor="new-last">Last name</label>
              <input id="new-last" value={form.guest_last_name} onChange={set("guest_last_name")} required />
            </div>
            <div>
              <label htmlFor="new-phone">Phone (optional)</label>
              <input id="new-phone" type="tel" value={form.guest_phone} onChange={set("guest_phone")} />
            </div>
          </div>
          <p className="hint">A guest with no contact yet gets one, from these names and phone.</p>
        </fieldset>
        <fieldset className="mgr-fields">
          <legend>Stay</legend>
          <div className="form-row inline">
            <div>
              <label htmlFor="new-room">Room number</label>
              <input id="new-room" value={form.room_number} onChange={set("room_number")} required inputMode="numeric" size={8} />
            </div>
            <div>
              <label htmlFor="new-in">Arrival</label>
              <input id="new-in" type="date" value={form.check_in_date} onChange={set("check_in_date")} required />
            </div>
            <div>
              <label htmlFor="new-out">Departure</label>
              <input id="new-out" type="date" value={form.check_out_date} onChange={set("check_out_date")} required />
            </div>
            <div>
              <label htmlFor="new-guests">Guests</label>
              <input id="new-guests" type="number" min={1} className="mgr-narrow" value={form.number_of_guests} onChange={set("number_of_guests")} required />
            </div>
          </div>
          <div className="form-row">
            <label htmlFor="new-requests">Special requests (optional)</label>
            <textarea id="new-requests" value={form.special_requests} onChange={set("special_requests")} />
          </div>
        </fieldset>
        <button type="submit" className="primary" disabled={book.pending}>
          {book.pending ? "Booking…" : "Book"}
        </button>
      </form>
      {book.error && <ErrorNotice error={book.error} onRetry={() => void book.retry()} retrying={book.pending} />}
      {book.error?.code === "ROOM_ALREADY_BOOKED" && <Clashes details={book.error.details} />}
      {done && (
        <Confirmation>
          <div className="mgr-result">
            <p>
              <strong>
                {done.already_booked ? "Already booked" : "Booked"}: {done.booking_number}, room {done.room_number ?? "—"}, {day(done.check_in_date)} to{" "}
                {day(done.check_out_date)} ({done.total_nights ?? "?"} nights), status {done.status}.
              </strong>
            </p>
            <p>
              {done.guest_name ?? done.guest_email}
              {done.guest_created ? " (new contact created)" : ""}.{" "}
              <button type="button" onClick={() => onBooked(done.guest_email ?? form.guest_email, done.check_in_date ?? form.check_in_date)}>
                Change this booking
              </button>
            </p>
          </div>
        </Confirmation>
      )}
    </Card>
  );
}

/** The dates a ROOM_ALREADY_BOOKED refusal lists (`details.conflicts`), when it lists them. */
function Clashes({ details }: { details: Record<string, unknown> }) {
  const conflicts = Array.isArray(details.conflicts) ? (details.conflicts as Record<string, unknown>[]) : [];
  if (conflicts.length === 0) return null;
  return (
    <>
      <p id="new-clashes">Bookings in the way:</p>
      <ul aria-labelledby="new-clashes">
        {conflicts.map((c, i) => (
          <li key={i}>
            {[c.booking_number, `${day(String(c.check_in_date ?? ""))} to ${day(String(c.check_out_date ?? ""))}`, c.status]
              .filter(Boolean)
              .join(", ")}
          </li>
        ))}
      </ul>
    </>
  );
}
