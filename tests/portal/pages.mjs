// Every page of the portal, for the accessibility scan and the screenshots: who sees it, the
// navigation link that opens it, and a fixture that gives the pages something to show.

import { trackApiCalls, signIn } from "./harness.mjs";

export const GUEST = "kay@example.com";
export const MANAGER = "manager1@hotel.com";

export const PAGES = [
  { persona: "guest", email: GUEST, link: "Dashboard", slug: "guest-dashboard" },
  { persona: "guest", email: GUEST, link: "Services", slug: "guest-services" },
  { persona: "guest", email: GUEST, link: "Billing", slug: "guest-billing" },
  { persona: "guest", email: GUEST, link: "Room controls", slug: "guest-room-controls" },
  { persona: "manager", email: MANAGER, link: "Dashboard", slug: "manager-dashboard" },
  { persona: "manager", email: MANAGER, link: "Front desk", slug: "manager-front-desk" },
  { persona: "manager", email: MANAGER, link: "Maintenance", slug: "manager-maintenance" },
  { persona: "manager", email: MANAGER, link: "Rooms", slug: "manager-rooms" },
];

/** The hotel as the pages should show it: Kay checked in to room 105 (a stay, a bill, the room's devices) with
 * a request filed. */
export async function furnish(stack) {
  const today = new Date().toISOString().slice(0, 10);
  await stack.call(MANAGER, "check_in_guest", { guest_email: GUEST, check_in_date: today });
  await stack.call(GUEST, "submit_guest_service_request", {
    room_number: "105",
    type: "Housekeeping",
    priority: "Medium",
    description: "Two extra pillows, please",
    idempotency_token: crypto.randomUUID(),
  });
}

/**
 * Visits each page of `persona` in one signed-in session, through its navigation (a reload would
 * drop the in-memory tokens), calling `visit(page, entry, calls)` once the page's API calls have
 * settled.
 */
export async function visitPages(browser, stack, persona, visit) {
  const entries = PAGES.filter((p) => p.persona === persona);
  const page = await signIn(browser, stack, entries[0].email);
  const api = trackApiCalls(page);
  try {
    for (const entry of entries) {
      api.reset();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: entry.link, exact: true }).click();
      const calls = await api.settled();
      await visit(page, entry, calls);
    }
  } finally {
    await page.context().close();
  }
}
