import { statusClass } from "../lib/format";
import { countByStatus, type StaffRoom } from "./types";
import "./manager.css";

/** Counts of rooms per status, as a labelled list: the number and the status in words. */
export function StatusCounts({ rooms, label }: { rooms: StaffRoom[]; label: string }) {
  return (
    <ul className="mgr-counts" aria-label={label}>
      {countByStatus(rooms).map(([status, count]) => (
        <li key={status} className={`mgr-count mgr-count-${statusClass(status)}`}>
          <span className="stat">{count}</span> <span>{status}</span>
        </li>
      ))}
      <li className="mgr-count">
        <span className="stat">{rooms.length}</span> <span>Total</span>
      </li>
    </ul>
  );
}

/** Text read by screen readers only (a separator, a longer name for a short visible one). */
export function ScreenReaderOnly({ children }: { children: React.ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}
