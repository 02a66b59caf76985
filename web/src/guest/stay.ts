import type { ApiError } from "../lib/api";

/** The answers that mean "this guest has no stay in progress": the pages show that as a state
 * of the guest ("No active reservation"), not as a failure. */
export function isNoStay(error: ApiError | undefined): boolean {
  return error?.code === "RESERVATION_NOT_FOUND" || error?.code === "NOT_CHECKED_IN";
}

/** Query-string slugs for the service types the dashboard's quick actions preselect
 * (`/services?type=room-service`), so links stay readable. */
export function typeSlug(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
