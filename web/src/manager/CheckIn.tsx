import { useState, type FormEvent } from "react";
import { Confirmation, ErrorNotice } from "../lib/ErrorNotice";
import { Card } from "../lib/Page";
import { day } from "../lib/format";
import { useAction } from "../lib/useAction";
import { todayIso, type Notification } from "./types";

interface CheckInInput {
  guest_email: string;
  check_in_date: string;
  booking_number?: string;
}
interface CheckedIn {
  booking_number: string;
  room_number: string;
  room_type: string | null;
  floor: number | null;
  check_in_date: string;
  check_out_date: string | null;
  total_nights: number | null;
  guest_name: string;
  guest_email: string;
  checked_in_at: string;
  already_checked_in: boolean;
  notification: Notification;
}
/** One of the reservations a MULTIPLE_RESERVATIONS refusal lists in `details.bookings`. */
interface Candidate {
  booking_number: string;
  room_number?: string;
  check_in_date?: string;
  check_out_date?: string;
  status?: string;
}

/** `check_in_guest`: keyed by guest, date and booking, so a repeat is the same check-in. */
export function CheckIn() {
  const checkIn = useAction<CheckInInput, CheckedIn>("check_in_guest");
  const [form, setForm] = useState({ guest_email: "", check_in_date: todayIso(), booking_number: "" });
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  // A booking number belongs to one guest: another guest starts without it.
  const setEmail = (e: { target: { value: string } }) => setForm({ ...form, guest_email: e.target.value, booking_number: "" });

  const send = (bookingNumber: string) => {
    const booking_number = bookingNumber.trim();
    void checkIn.run({
      guest_email: form.guest_email.trim(),
      check_in_date: form.check_in_date,
      ...(booking_number ? { booking_number } : {}),
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send(form.booking_number);
  };
  const choose = (candidate: Candidate) => {
    setForm({ ...form, booking_number: candidate.booking_number });
    send(candidate.booking_number);
  };

  const candidates =
    checkIn.error?.code === "MULTIPLE_RESERVATIONS" && Array.isArray(checkIn.error.details.bookings)
      ? (checkIn.error.details.bookings as Candidate[])
      : [];
  const done = checkIn.result;

  return (
    <Card title="Check a guest in">
      <form onSubmit={submit}>
        <div className="form-row">
          <label htmlFor="checkin-email">Guest email</label>
          <input id="checkin-email" type="email" autoComplete="off" value={form.guest_email} onChange={setEmail} required />
        </div>
        <div className="form-row inline">
          <div>
            <label htmlFor="checkin-date">Arrival date</label>
            <input id="checkin-date" type="date" value={form.check_in_date} onChange={set("check_in_date")} required />
          </div>
          <div>
            <label htmlFor="checkin-booking">Booking number (optional)</label>
            <input
              id="checkin-booking"
              value={form.booking_number}
              onChange={set("booking_number")}
              placeholder="BK-0042"
              aria-describedby="checkin-booking-hint"
              size={10}
            />
          </div>
        </div>
        <p className="hint" id="checkin-booking-hint">
          Only needed when the guest has several reservations arriving that day.
        </p>
        <button type="submit" className="primary" disabled={checkIn.pending}>
          {checkIn.pending ? "Checking in…" : "Check in"}
        </button>
      </form>
      {checkIn.error && (
        <>
          <ErrorNotice error={checkIn.error} onRetry={() => void checkIn.retry()} retrying={checkIn.pending} />
          {candidates.length > 0 && (
            <div>
              <p id="checkin-choices">Choose the reservation to check in:</p>
              <ul className="mgr-choices" aria-labelledby="checkin-choices">
                {candidates.map((c) => (
                  <li key={c.booking_number}>
                    <button type="button" onClick={() => choose(c)} disabled={checkIn.pending}>
                      Check in {c.booking_number}
                      {c.room_number ? `, room ${c.room_number}` : ""}
                      {c.check_out_date ? ` (to ${day(c.check_out_date)})` : ""}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
      {done && (
        <Confirmation>
          <div className="mgr-result">
            <p>
              <strong>
                {done.guest_name} {done.already_checked_in ? "was already checked in" : "is checked in"}: room {done.room_number}.
              </strong>
            </p>
            <dl>
              <dt>Booking</dt>
              <dd>{done.booking_number}</dd>
              <dt>Room</dt>
              <dd>
                {done.room_number}
                {done.room_type ? `, ${done.room_type}` : ""}
                {done.floor != null ? `, floor ${done.floor}` : ""}
              </dd>
              <dt>Stay</dt>
              <dd>
                {day(done.check_in_date)} to {day(done.check_out_date)}
                {done.total_nights != null ? ` (${done.total_nights} nights)` : ""}
              </dd>
              <dt>Checked in at</dt>
              <dd>{new Date(done.checked_in_at).toLocaleString()}</dd>
              <dt>Welcome text</dt>
              <dd>
                {done.notification.status}
                {done.notification.reason ? `: ${done.notification.reason}` : ""}
              </dd>
            </dl>
          </div>
        </Confirmation>
      )}
    </Card>
  );
}
