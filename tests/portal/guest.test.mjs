// The guest's journeys in the browser, each checked where the hotel's data lives: the case in
// Salesforce (SOQL), the light in Home Assistant, the payment in Stripe, the booking in Salesforce.
// One stack; each journey signs in as its own checked-in demo guest (guest1..guest4 occupy rooms
// 100..103), so none depends on another's state. Every page is also held to two API calls at load,
// started together.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, seriousA11yViolations, signIn, startStack, trackApiCalls } from "./harness.mjs";

let stack;
let browser;
before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  stack?.stop();
});

/** Opens a page through the main navigation (a reload would drop the in-memory tokens) and checks
 * its load: at most two API calls, all started before the first ended. */
async function open(page, api, link) {
  await api.settled(); // what the previous page (or sign-in's landing) started is not counted
  api.reset();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link, exact: true }).click();
  return loaded(api, link);
}

async function loaded(api, what) {
  const { tools, parallel } = await api.settled();
  assert.ok(tools.length >= 1 && tools.length <= 2, `${what} loaded with ${tools.length} API calls: ${tools.join(", ")}`);
  assert.ok(parallel, `${what}'s calls started one after another: ${tools.join(", ")}`);
  return tools;
}

/** "$299.98" as the portal's money() writes it. */
const usd = (cents) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(cents / 100);

async function bookingStatus(number) {
  const [booking] = await stack.salesforce.query(`SELECT Status__c FROM Booking__c WHERE Name = '${number}'`);
  return booking.Status__c;
}

/** The guest's PaymentIntents in Stripe: those of their Stripe customer, and a first-time payer's,
 * which checkout makes without a customer (created beside it) and names the guest in metadata. */
async function paymentIntentsOf(email) {
  const customers = (await stack.stripe.get(`/v1/customers?email=${encodeURIComponent(email)}`)).data.map((c) => c.id);
  const intents = (await stack.stripe.get("/v1/payment_intents?limit=100")).data;
  return intents.filter((pi) => customers.includes(pi.customer) || pi.metadata?.guest_email === email);
}

/** The bill as the folio tool gives it to the guest, and as the page must show it. */
async function billPage(email) {
  const folio = await stack.call(email, "get_stay_folio", {});
  const page = await signIn(browser, stack, email);
  const api = trackApiCalls(page);
  assert.deepEqual(await open(page, api, "Billing"), ["get-stay-folio"]);
  const total = page.getByRole("row", { name: /Total due/ });
  await assert.doesNotReject(total.getByText(usd(folio.total_due), { exact: true }).waitFor());
  return { folio, page, api };
}

/** Checks the guest's stay out through the portal's form with `method` (a radio's label). */
async function pay(page, folio, method) {
  await page.getByRole("button", { name: "Check out and pay" }).click();
  await page.getByRole("radio", { name: method }).check();
  await page.getByRole("button", { name: `Pay ${usd(folio.total_due)} and check out` }).click();
}

/** What a paid checkout leaves: the page's paid state, one succeeded PaymentIntent of exactly the
 * folio's total for the guest's Stripe customer, and the booking Checked Out. */
async function assertPaid(page, email, folio) {
  await page.getByText("All charges paid — thank you for your stay").waitFor();
  await page.getByRole("status").filter({ hasText: `Booking ${folio.booking_number} is checked out` }).waitFor();
  const succeeded = (await paymentIntentsOf(email)).filter((pi) => pi.status === "succeeded");
  assert.equal(succeeded.length, 1, `one succeeded payment for ${email}`);
  assert.equal(succeeded[0].amount, folio.total_due);
  assert.equal(succeeded[0].currency, "usd");
  assert.equal(await bookingStatus(folio.booking_number), "Checked Out");
}

test("a guest sees their dashboard and requests towels from its quick action", async () => {
  const page = await signIn(browser, stack, "guest1@hotel.com");
  const api = trackApiCalls(page);
  // The dashboard's load is measured from the navigation (sign-in lands on it before tracking).
  await open(page, api, "Services");
  assert.deepEqual((await open(page, api, "Dashboard")).sort(), ["get-stay-folio", "search-cases-on-behalf-of-guest"]);
  await page.getByRole("region", { name: "Your stay" }).getByText("Checked In").waitFor();
  const folio = await stack.call("guest1@hotel.com", "get_stay_folio", {});
  await page.getByRole("region", { name: "Current charges" }).getByText(usd(folio.total_due), { exact: true }).waitFor();

  api.reset();
  await page.getByRole("link", { name: "Housekeeping" }).click();
  assert.deepEqual((await loaded(api, "Services")).sort(), ["search-cases-on-behalf-of-guest", "search-rooms-on-behalf-of-guest"]);
  assert.equal(await page.getByLabel("Type of request").inputValue(), "Housekeeping");

  // Too short: the form says so and sends nothing.
  api.reset();
  await page.getByLabel("Description").fill("Towels");
  await page.getByRole("button", { name: "Send request" }).click();
  await page.getByRole("alert").filter({ hasText: "at least 10 characters" }).waitFor();
  assert.deepEqual((await api.settled()).tools, []);
  assert.deepEqual(await seriousA11yViolations(page), [], "the form with its validation message");

  const description = `Please bring two extra bath towels (${Date.now()})`;
  await page.getByLabel("Description").fill(description);
  await page.getByLabel("Priority").selectOption("High");
  await page.getByRole("button", { name: "Send request" }).click();
  const confirmation = page.getByRole("status").filter({ hasText: "Housekeeping request" });
  await confirmation.waitFor();
  assert.match(await confirmation.innerText(), new RegExp(`filed for room 100.*${description.replace(/[()]/g, "\\$&")}`, "s"));

  const cases = await stack.salesforce.query(
    `SELECT CaseNumber, Type, Priority, Status FROM Case WHERE Description = '${description}'`,
  );
  assert.equal(cases.length, 1);
  assert.equal(cases[0].Type, "Housekeeping");
  assert.equal(cases[0].Priority, "High");
  // The list below the form is read again and shows it.
  await page.getByRole("region", { name: "Your requests" }).getByRole("cell", { name: description }).waitFor();
  await page.getByRole("region", { name: "Your requests" }).getByRole("cell", { name: cases[0].CaseNumber }).waitFor();

  // Back on the dashboard: the request is active, and its contact names the guest.
  await open(page, api, "Dashboard");
  await page.getByRole("region", { name: "Active requests" }).getByRole("cell", { name: description }).waitFor();
  await page.getByText("Welcome, Alice Johnson").waitFor();
  await page.context().close();
});

test("a guest dims the lights", async () => {
  const page = await signIn(browser, stack, "guest1@hotel.com");
  const api = trackApiCalls(page);
  assert.deepEqual(await open(page, api, "Room controls"), ["list-room-devices"]);
  const light = page.getByRole("region", { name: "Room 100 Main Light" });
  await light.getByRole("button", { name: "Dim (20%)" }).click();
  await light.getByText("20% brightness").waitFor();
  assert.deepEqual(await seriousA11yViolations(page), [], "the room controls after a command");
  const state = await stack.homeAssistant.state("light.room_100_main");
  assert.equal(state.state, "on");
  assert.equal(Math.round((state.attributes.brightness / 255) * 100), 20);

  // The brightness slider, by its label, then its own button.
  await light.getByLabel("Brightness").fill("65");
  await light.getByRole("button", { name: "Set brightness" }).click();
  await light.getByText("65% brightness").waitFor();
  const after = await stack.homeAssistant.state("light.room_100_main");
  assert.equal(Math.round((after.attributes.brightness / 255) * 100), 65);
  await page.context().close();
});

test("a guest sees the bill and checks out with a Visa card", async () => {
  const email = "guest2@hotel.com";
  const { folio, page } = await billPage(email);
  assert.equal(folio.booking_status, "Checked In");
  await pay(page, folio, "Visa ending 4242");
  await assertPaid(page, email, folio);
  await page.context().close();
});

/** The bank's page opens in its own window; the guest answers there, and it closes on return. */
async function authenticate(page, answer) {
  const [bank] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Authenticate payment" }).click()]);
  await bank.getByRole("heading", { name: "Authenticate your payment" }).waitFor();
  await bank.getByRole("button", { name: answer }).click();
  await bank.waitForEvent("close");
}

test("a guest checks out with a card that needs 3-D Secure, authenticated in the browser", async () => {
  const email = "guest3@hotel.com";
  const { folio, page } = await billPage(email);
  await pay(page, folio, "Card requiring 3-D Secure authentication");
  await page.getByRole("heading", { name: "Confirm the payment with your bank" }).waitFor();
  // Nothing is recorded while the payment waits on the guest.
  assert.equal(await bookingStatus(folio.booking_number), "Checked In");
  assert.deepEqual(await seriousA11yViolations(page), [], "the page waiting for authentication");

  // First the guest refuses at the bank: nothing is charged, and they may try again.
  await authenticate(page, "Fail authentication");
  await page.getByRole("alert").filter({ hasText: "PAYMENT_FAILED" }).waitFor();
  assert.deepEqual((await paymentIntentsOf(email)).filter((pi) => pi.status === "succeeded"), []);
  assert.equal(await bookingStatus(folio.booking_number), "Checked In");

  await page.getByRole("radio", { name: "Card requiring 3-D Secure authentication" }).check();
  await page.getByRole("button", { name: `Pay ${usd(folio.total_due)} and check out` }).click();
  await authenticate(page, "Complete authentication");
  await assertPaid(page, email, folio);
  await page.context().close();
});

test("a declined card shows PAYMENT_FAILED, charges nothing, and another card can be chosen", async () => {
  const email = "guest4@hotel.com";
  const { folio, page } = await billPage(email);
  await pay(page, folio, "Card that will be declined");
  const alert = page.getByRole("alert").filter({ hasText: "PAYMENT_FAILED" });
  await alert.waitFor();
  assert.match(await alert.innerText(), /declined/i);
  assert.deepEqual(await seriousA11yViolations(page), [], "the checkout form with its error");

  assert.deepEqual((await paymentIntentsOf(email)).filter((pi) => pi.status === "succeeded"), []);
  assert.equal(await bookingStatus(folio.booking_number), "Checked In");
  // The bill is untouched, and the form still offers the cards.
  await page.getByRole("row", { name: /Total due/ }).getByText(usd(folio.total_due), { exact: true }).waitFor();
  await page.getByRole("radio", { name: "Visa ending 4242" }).check();
  await page.getByRole("button", { name: `Pay ${usd(folio.total_due)} and check out` }).click();
  await assertPaid(page, email, folio);
  await page.context().close();
});
