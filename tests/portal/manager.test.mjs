// A manager's journey through the staff pages, in a real browser against the local stack: check
// guests in (one of them choosing among two reservations, one refused), clean a room, file a
// maintenance task and move it on, then see the dashboard's occupancy follow. Every write is
// checked where the hotel's data lives (Salesforce, read with SOQL), and every page's loading
// reads are counted: at most two, started together.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, seriousA11yViolations, signIn, startStack, trackApiCalls } from "./harness.mjs";

const MANAGER = "manager1@hotel.com";

let stack;
let browser;
let page;
let api;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await signIn(browser, stack, MANAGER);
  api = trackApiCalls(page);
});
after(async () => {
  await page?.context().close();
  await browser?.close();
  stack?.stop();
});

/** Opens a page through the main navigation; resolves to the API calls its loading made. */
async function open(link) {
  api.reset();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: link }).waitFor();
  return api.settled();
}

function assertFewParallelReads(calls, pageName) {
  assert.ok(calls.tools.length <= 2, `${pageName} loaded with ${calls.tools.length} calls: ${calls.tools.join(", ")}`);
  assert.ok(calls.parallel, `${pageName}'s calls were made one after the other: ${calls.tools.join(", ")}`);
}

/** The "Rooms by status" counts as shown: { Vacant: 8, … }. */
async function shownCounts() {
  const items = await page.getByRole("list", { name: "Rooms by status" }).getByRole("listitem").allTextContents();
  return Object.fromEntries(
    items.map((text) => {
      const [, count, status] = text.trim().match(/^(\d+)\s+(.+)$/);
      return [status, Number(count)];
    }),
  );
}

/** The same counts from Salesforce itself. */
async function salesforceCounts() {
  const rooms = await stack.salesforce.query("SELECT Status__c FROM Hotel_Room__c");
  const counts = { Vacant: 0, Occupied: 0, Cleaning: 0, Maintenance: 0, "Out of Service": 0 };
  for (const room of rooms) counts[room.Status__c] = (counts[room.Status__c] ?? 0) + 1;
  return { ...counts, Total: rooms.length };
}

async function roomInSalesforce(number) {
  const [room] = await stack.salesforce.query(
    `SELECT Status__c, Current_Guest__r.Unique_Email__c FROM Hotel_Room__c WHERE Room_Number__c = '${number}'`,
  );
  return { status: room.Status__c, guest: room.Current_Guest__r?.Unique_Email__c ?? null };
}

async function bookingsInSalesforce(email) {
  const bookings = await stack.salesforce.query(
    `SELECT Name, Status__c, Room__r.Room_Number__c FROM Booking__c WHERE Primary_Guest__r.Unique_Email__c = '${email}'`,
  );
  return bookings.map((b) => ({ number: b.Name, status: b.Status__c, room: b.Room__r?.Room_Number__c }));
}

function status(text) {
  return page.getByRole("status").filter({ hasText: text });
}

function tile(number) {
  return page.getByRole("list", { name: "Room grid" }).getByRole("link", { name: new RegExp(`^Room ${number}\\W`) });
}

test("a manager checks guests in, cleans a room, files a task, and the dashboard follows", async (t) => {
  let before;

  await t.test("the dashboard shows Salesforce's rooms by status, the grid and the open cases", async () => {
    await open("Front desk"); // the dashboard loaded at sign-in, before the calls were tracked
    const calls = await open("Dashboard");
    assertFewParallelReads(calls, "Dashboard");
    before = await shownCounts();
    assert.deepEqual(before, await salesforceCounts());
    assert.match(await tile("105").textContent(), /105\W+Vacant\W+No guest/);
    // The guest shows on keyboard focus, not only on hover.
    const guest = tile("100").getByText("Guest: Alice Johnson");
    await tile("100").focus();
    assert.ok((await guest.boundingBox()).width > 20, "the guest's name shows when the room has focus");
    const cases = page.getByRole("region", { name: "Open cases" });
    await cases.getByRole("row", { name: /Air conditioning not cooling/ }).waitFor();
  });

  await t.test("front desk: check-ins, a choice among reservations, a refusal", async () => {
    const calls = await open("Front desk");
    assertFewParallelReads(calls, "Front desk");
    assert.equal(calls.tools.length, 0, "nothing is read before a person asks");
    const desk = page.getByRole("region", { name: "Check a guest in" });

    await desk.getByLabel("Guest email").fill("kay@example.com");
    await desk.getByRole("button", { name: "Check in", exact: true }).click();
    await status("Kay Nakamura is checked in: room 105.").waitFor();
    assert.deepEqual(await bookingsInSalesforce("kay@example.com"), [{ number: "BK-0011", status: "Checked In", room: "105" }]);
    assert.deepEqual(await roomInSalesforce("105"), { status: "Occupied", guest: "kay@example.com" });

    // Two reservations today: the refusal lists them, and one is chosen.
    await desk.getByLabel("Guest email").fill("maria.garcia@example.com");
    await desk.getByRole("button", { name: "Check in", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "MULTIPLE_RESERVATIONS" }).waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);
    await desk.getByRole("button", { name: /^Check in BK-\d+, room 108/ }).click();
    await status("Maria Garcia is checked in: room 108.").waitFor();
    assert.deepEqual(await roomInSalesforce("108"), { status: "Occupied", guest: "maria.garcia@example.com" });
    assert.deepEqual(await roomInSalesforce("109"), { status: "Vacant", guest: null });

    // Carl's room is still being cleaned: the API's code and message, and nothing changes.
    await desk.getByLabel("Guest email").fill("carl.smith@example.com");
    await desk.getByRole("button", { name: "Check in", exact: true }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "ROOM_NOT_VACANT" });
    await refusal.waitFor();
    assert.match(await refusal.textContent(), /Room 106 is not available for check-in \(current status: Cleaning\)/);
    assert.equal(await refusal.getByRole("button", { name: "Retry" }).count(), 0, "not retryable: no Retry");
    assert.deepEqual(await bookingsInSalesforce("carl.smith@example.com"), [{ number: "BK-0012", status: "Reserved", room: "106" }]);
  });

  await t.test("rooms: a room moves from Cleaning to Vacant; a refused move shows the API's error", async () => {
    const calls = await open("Rooms");
    assertFewParallelReads(calls, "Rooms");

    await page.getByLabel("Room number or guest").fill("Kay");
    await status("1 of 22 rooms shown.").waitFor();
    await page.getByRole("article", { name: /^Room 105\b/ }).getByText("Kay Nakamura").waitFor();
    await page.getByLabel("Room number or guest").fill("");

    const room106 = page.getByRole("article", { name: /^Room 106\b/ });
    assert.match(await room106.getByRole("heading").textContent(), /Cleaning/);
    await room106.getByLabel("New status").selectOption("Vacant");
    await room106.getByRole("button", { name: "Update status" }).click();
    await status("Room 106: Cleaning → Vacant.").waitFor();
    assert.deepEqual(await roomInSalesforce("106"), { status: "Vacant", guest: null });
    // The list was read again from the API.
    await page.getByRole("article", { name: /^Room 106 Vacant/ }).waitFor();

    // An occupied room is cleaned before it is vacant: the state machine refuses.
    const room100 = page.getByRole("article", { name: /^Room 100\b/ });
    await room100.getByLabel("New status").selectOption("Vacant");
    await room100.getByRole("button", { name: "Update status" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "INVALID_STATE_TRANSITION" });
    await refusal.waitFor();
    assert.match(await refusal.textContent(), /Room cannot change from 'Occupied' to 'Vacant'/);
    assert.deepEqual(await roomInSalesforce("100"), { status: "Occupied", guest: "guest1@hotel.com" });
    assert.deepEqual(await seriousA11yViolations(page), []);
  });

  let caseNumber;
  await t.test("maintenance: a task is filed, listed and moved on", async () => {
    const calls = await open("Maintenance");
    assertFewParallelReads(calls, "Maintenance");

    const form = page.getByRole("region", { name: "File a maintenance task" });
    await form.getByLabel("Room number").fill("110");
    await form.getByLabel("Type").selectOption("Maintenance");
    await form.getByLabel("Priority").selectOption("High");
    await form.getByLabel("What is wrong").fill("Leaking tap in the bathroom");
    await form.getByRole("button", { name: "File task" }).click();
    const filed = status(/Case \d+ filed for room 110/);
    await filed.waitFor();
    caseNumber = (await filed.textContent()).match(/Case (\d+)/)[1];

    const [filedCase] = await stack.salesforce.query(
      `SELECT Subject, Status, Priority, Type, Origin, Room__r.Room_Number__c, Contact.Unique_Email__c FROM Case WHERE CaseNumber = '${caseNumber}'`,
    );
    assert.equal(filedCase.Subject, "Leaking tap in the bathroom");
    assert.equal(filedCase.Status, "New");
    assert.equal(filedCase.Priority, "High");
    assert.equal(filedCase.Type, "Maintenance");
    assert.equal(filedCase.Origin, "Internal");
    assert.equal(filedCase.Room__r.Room_Number__c, "110");
    assert.equal(filedCase.Contact.Unique_Email__c, MANAGER);

    const row = page.getByRole("row", { name: new RegExp(caseNumber) });
    await row.waitFor();
    await row.getByLabel(`New status of case ${caseNumber}`).selectOption("Working");
    await row.getByRole("button", { name: `Save case ${caseNumber}` }).click();
    await status(`Case ${caseNumber}: New → Working, priority High.`).waitFor();
    const [moved] = await stack.salesforce.query(`SELECT Status FROM Case WHERE CaseNumber = '${caseNumber}'`);
    assert.equal(moved.Status, "Working");
  });

  await t.test("the dashboard shows the new occupancy, the rooms' statuses and the task", async () => {
    const calls = await open("Dashboard");
    assertFewParallelReads(calls, "Dashboard");
    const now = await shownCounts();
    assert.deepEqual(now, await salesforceCounts());
    // 105 and 108 occupied, 106 vacant.
    assert.equal(now.Occupied, before.Occupied + 2);
    assert.equal(now.Vacant, before.Vacant - 2 + 1);
    assert.equal(now.Cleaning, before.Cleaning - 1);
    assert.equal(now.Total, before.Total);
    assert.match(await tile("105").textContent(), /105\W+Occupied\W+Guest: Kay Nakamura/);
    assert.match(await tile("108").textContent(), /108\W+Occupied\W+Guest: Maria Garcia/);
    assert.match(await tile("106").textContent(), /106\W+Vacant\W+No guest/);
    const task = page.getByRole("region", { name: "Open cases" }).getByRole("row", { name: new RegExp(caseNumber) });
    assert.match(await task.textContent(), /Leaking tap in the bathroom.*High.*Working/);
  });
});
