import { statusClass } from "./format";

/** A status (or priority) as a badge: always its text, never the colour alone. */
export function Badge({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  return <span className={`badge badge-${statusClass(value)}`}>{value}</span>;
}
