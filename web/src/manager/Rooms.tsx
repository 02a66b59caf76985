import { Badge } from "../lib/Badge";
import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { Confirmation, ErrorNotice } from "../lib/ErrorNotice";
import { Card, Page } from "../lib/Page";
import { useAction } from "../lib/useAction";
import { useTool } from "../lib/useTool";
import { Loading, StatusCounts } from "./parts";
import { ALL_ROOMS, ROOM_STATUSES, type Rooms as RoomList, type StaffRoom } from "./types";

interface RoomChange {
  room_id: string;
  status: string;
}
interface RoomChanged {
  room_number: string;
  status: string;
  previous_status: string;
  updated: boolean;
}

/** Occupied needs the guest's contact id: check-in (Front desk) sets it with the booking, so it
 * is not offered here. Every other move is the state machine's to allow or refuse. */
const SETTABLE = ROOM_STATUSES.filter((s) => s !== "Occupied");

/** Every room (one read); the search and the status filter narrow what was read, and a status
 * change reads the list again from the API. */
export default function Rooms() {
  const rooms = useTool<RoomList>("search_rooms_on_behalf_of_staff", ALL_ROOMS);
  const change = useAction<RoomChange, RoomChanged>("update_room_status");
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState("");
  const text = params.get("room") ?? "";

  const all = rooms.data?.rooms ?? [];
  const shown = all.filter((room) => matches(room, text) && (status === "" || room.status === status));

  // The list is read again whatever the answer: after a refusal too, it shows the status now.
  const apply = (promise: Promise<unknown>) => void promise.then(rooms.reload);
  const setStatusOf = (room: StaffRoom, next: string) => apply(change.run({ room_id: room.id, status: next }));

  return (
    <Page title="Rooms">
      <Card title="Rooms by status">
        {rooms.error && <ErrorNotice error={rooms.error} onRetry={rooms.reload} retrying={rooms.loading} />}
        {!rooms.data && rooms.loading && <Loading what="rooms" />}
        {rooms.data && <StatusCounts rooms={all} label="Rooms by status" />}
      </Card>
      <Card title="Find a room">
        <form role="search" aria-label="Rooms" className="mgr-filters" onSubmit={(e: FormEvent) => e.preventDefault()}>
          <div className="form-row">
            <label htmlFor="room-search">Room number or guest</label>
            <input
              id="room-search"
              type="search"
              value={text}
              onChange={(e) => setParams(e.target.value ? { room: e.target.value } : {}, { replace: true })}
            />
          </div>
          <div className="form-row">
            <label htmlFor="room-status-filter">Status</label>
            <select id="room-status-filter" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">All statuses</option>
              {ROOM_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
        </form>
        {rooms.data && (
          <p role="status" className="muted">
            {shown.length} of {all.length} rooms shown.
          </p>
        )}
        {change.error && <ErrorNotice error={change.error} onRetry={() => apply(change.retry())} retrying={change.pending} />}
        {change.result && (
          <Confirmation>
            <p>
              {change.result.updated
                ? `Room ${change.result.room_number}: ${change.result.previous_status} → ${change.result.status}.`
                : `Room ${change.result.room_number} was already ${change.result.status}; nothing changed.`}
            </p>
          </Confirmation>
        )}
        <p className="hint">A room becomes Occupied when a guest is checked in at the front desk.</p>
        <ul className="mgr-room-cards" aria-label="Rooms found">
          {shown.map((room) => (
            <li key={room.id}>
              <RoomCard room={room} busy={change.pending} onChange={(next) => setStatusOf(room, next)} />
            </li>
          ))}
        </ul>
      </Card>
    </Page>
  );
}

function matches(room: StaffRoom, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return [room.room_number, room.current_guest_name, room.current_guest_email].some((v) => v?.toLowerCase().includes(needle));
}

function RoomCard({ room, busy, onChange }: { room: StaffRoom; busy: boolean; onChange(status: string): void }) {
  const choices = SETTABLE.filter((s) => s !== room.status);
  const [next, setNext] = useState<string>(choices[0] ?? "");
  // Each read of the list (after a change, or a refusal) starts the choice afresh.
  useEffect(() => setNext(SETTABLE.find((s) => s !== room.status) ?? ""), [room]);
  const headingId = `room-${room.id}-heading`;
  const selectId = `room-${room.id}-status`;
  return (
    <article className="mgr-room-card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        Room {room.room_number} <Badge value={room.status} />
      </h3>
      <p>{room.current_guest_name ?? <span className="muted">No guest</span>}</p>
      <p className="hint">{[room.room_type, room.floor != null ? `floor ${room.floor}` : null].filter(Boolean).join(", ")}</p>
      <form
        className="mgr-change"
        onSubmit={(e) => {
          e.preventDefault();
          onChange(next);
        }}
      >
        <div>
          <label htmlFor={selectId}>New status</label>
          <select id={selectId} value={next} onChange={(e) => setNext(e.target.value)}>
            {choices.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy || !next}>
          Update status
        </button>
      </form>
    </article>
  );
}
