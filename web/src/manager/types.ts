// What the staff pages read and write, as the tools' Rust output structs define it
// (shared/tools/src/searches, shared/tools/src/skills/views). Only the fields the pages use.

export const ROOM_STATUSES = ["Vacant", "Occupied", "Cleaning", "Maintenance", "Out of Service"] as const;
export const CASE_STATUSES = ["New", "Working", "Escalated", "Closed"] as const;
export const CASE_PRIORITIES = ["Low", "Medium", "High", "Urgent"] as const;
/** The case types `submit_maintenance_request` takes. */
export const MAINTENANCE_TYPES = ["Maintenance", "Facilities"] as const;

/** `search_rooms_on_behalf_of_staff`'s input that lists the whole hotel: no filter, the largest
 * page the tool allows (the seed has 22 rooms). */
export const ALL_ROOMS = { limit: 200 } as const;

/** A room as `search_rooms_on_behalf_of_staff` answers it (`StaffRoom`). */
export interface StaffRoom {
  id: string;
  room_number: string;
  name: string | null;
  status: string;
  room_type: string | null;
  floor: number | null;
  current_guest_id: string | null;
  current_guest_name: string | null;
  current_guest_email: string | null;
}

export interface Rooms {
  rooms: StaffRoom[];
  count: number;
  found: boolean;
}

/** A case as `search_cases` / `search_cases_on_behalf_of_staff` answer it (`CaseRow`). */
export interface CaseRow {
  case_id: string;
  case_number: string;
  status: string | null;
  priority: string | null;
  type: string | null;
  origin: string | null;
  subject: string | null;
  description: string | null;
  /** The token the case was filed with: `update_case_status` finds the case by it. */
  idempotency_token: string | null;
  room_number: string | null;
  contact_name: string | null;
  contact_email: string | null;
  /** When the case was filed (`CreatedDate`); absent from stacks older than the field. */
  created_at?: string | null;
}

export interface Cases {
  cases: CaseRow[];
  count: number;
  found: boolean;
}

/** A booking as `search_booking_by_*` answer it (`BookingSummary`). */
export interface BookingSummary {
  booking_id: string;
  booking_number: string;
  status: string;
  check_in_date: string | null;
  check_out_date: string | null;
  total_nights: number | null;
  number_of_guests: number | null;
  special_requests: string | null;
  external_id: string | null;
  guest_name: string | null;
  guest_email: string | null;
  room_number: string | null;
  room_status: string | null;
}

/** A booking as the booking orchestrators answer it (`BookingView`). */
export interface BookingView {
  booking_id: string;
  booking_number: string;
  room_number: string | null;
  room_type: string | null;
  check_in_date: string | null;
  check_out_date: string | null;
  total_nights: number | null;
  number_of_guests: number | null;
  guest_name: string | null;
  guest_email: string | null;
  status: string;
}

export interface Notification {
  channel: string;
  status: string;
  to?: string;
  reason?: string;
}

/** Room counts per status, the hotel's five statuses first (zero included, so a count that
 * drops to nothing still shows), then any other status the rooms have. */
export function countByStatus(rooms: StaffRoom[]): [string, number][] {
  const counts = new Map<string, number>(ROOM_STATUSES.map((s) => [s, 0]));
  for (const room of rooms) counts.set(room.status, (counts.get(room.status) ?? 0) + 1);
  return [...counts.entries()];
}

/** Today in the browser's calendar, as an ISO date for a date input. */
export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

