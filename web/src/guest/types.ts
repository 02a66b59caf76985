// The tools' answers the guest pages read, as the OpenAPI document (`GET /openapi.json`) gives
// them. Only the fields the pages show are typed.

export type BookingStatus = "Reserved" | "Checked In" | "Checked Out" | "Cancelled" | "No Show";

/** `get_stay_folio`: the bill, in US cents, exactly what checkout charges. */
export interface Folio {
  booking_number: string;
  room_number: string;
  /** The booking's guest, by full name; null when the record has none. */
  guest_name: string | null;
  booking_status: BookingStatus;
  check_in_date: string;
  /** Today for a stay in progress: the date a checkout now would record. */
  check_out_date: string;
  lines: { description: string; quantity: number; unit_amount: number; amount: number }[];
  tax: number;
  total_due: number;
  currency: string;
  /** The charge that paid the bill, once the stay is checked out. */
  paid_by?: string | null;
}

export const CASE_TYPES = ["Housekeeping", "Room Service", "Maintenance", "Concierge", "Service Request", "Facilities"] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_PRIORITIES = ["Low", "Medium", "High", "Urgent"] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

/** One row of `search_cases_on_behalf_of_guest` (newest first). */
export interface CaseRow {
  case_id: string;
  case_number: string;
  type?: CaseType | null;
  status?: "New" | "Working" | "Escalated" | "Closed" | null;
  priority?: CasePriority | null;
  subject?: string | null;
  description?: string | null;
  room_number?: string | null;
  contact_name?: string | null;
  /** When it was filed (an ISO date-time). */
  created_at?: string | null;
}

export interface CaseList {
  cases: CaseRow[];
  count: number;
  found: boolean;
}

/** `submit_guest_service_request`'s answer. */
export interface FiledRequest {
  case_id: string;
  case_number: string;
  room_number: string;
  status?: string | null;
  created: boolean;
}

/** One row of `search_rooms_on_behalf_of_guest`: a room of one of the guest's bookings. */
export interface GuestRoom {
  booking_number: string;
  booking_status: BookingStatus;
  room_number?: string | null;
  room_type?: string | null;
  check_in_date?: string | null;
  check_out_date?: string | null;
}

export interface GuestRooms {
  rooms: GuestRoom[];
  count: number;
  found: boolean;
}

/** `process_guest_checkout`, HTTP 200: paid and checked out. */
export interface CheckoutCompleted {
  success: true;
  requires_action?: undefined;
  transaction_id: string;
  payment_intent_id: string;
  amount: number;
  currency: string;
  booking_number: string;
  room_number: string;
  room_status: string;
  checkout_date: string;
  message: string;
}

/** `process_guest_checkout`, HTTP 202: the card needs the guest's authentication (3-D Secure). */
export interface PaymentRequiresAction {
  requires_action: true;
  payment_intent_id: string;
  booking_number: string;
  next_action_type: string;
  next_action_url?: string | null;
  message: string;
}

export type CheckoutOutput = CheckoutCompleted | PaymentRequiresAction;

interface DeviceBase {
  device_id: string;
  name: string;
  room_number: string;
}

export interface Light extends DeviceBase {
  kind: "light";
  on: boolean;
  brightness_pct?: number | null;
  hue?: number | null;
  saturation?: number | null;
  effect?: string | null;
  /** What it can do beyond on and off: `brightness`, `color`, `effects`. */
  features: string[];
  effects: string[];
}

export interface Thermostat extends DeviceBase {
  kind: "thermostat";
  mode: string;
  target_f?: number | null;
  current_f?: number | null;
  min_f: number;
  max_f: number;
}

export interface Blinds extends DeviceBase {
  kind: "blinds";
  state: string;
  position?: number | null;
}

export type Device = Light | Thermostat | Blinds;

export interface RoomDevices {
  room_number?: string | null;
  devices: Device[];
}

/** The colour presets `control_light` takes. */
export const COLOR_PRESETS = ["Warm White", "Cool White", "Red", "Orange", "Yellow", "Green", "Cyan", "Blue", "Purple", "Pink"] as const;
