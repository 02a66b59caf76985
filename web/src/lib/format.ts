/** An amount in the currency's minor units (cents), as the tools give it. */
export function money(minor: number, currency = "usd"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(minor / 100);
}

/** An ISO date (`2026-12-06`) or date-time, as a person reads it. */
export function day(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
}

/** A moment (an ISO date-time), as a person reads it: "Dec 6, 2026, 7:11 PM". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

/** A status as a CSS class suffix: "Checked In" → "checked-in". */
export function statusClass(status: string | null | undefined): string {
  return (status ?? "unknown").toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
