// A retry never writes twice. A guest files a request while Salesforce fails after writing (the
// case is saved, the answer lost, the hub's own retries exhausted): the page shows the API's
// retryable error with a Retry button; once Salesforce is back, Retry sends the same idempotency
// token and the request is filed, once. An error that a retry cannot help shows no such button.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, signIn, startStack, trackApiCalls } from "./harness.mjs";

const GUEST = "guest5@hotel.com";

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

test("Retry after a lost answer files the request once, with the same idempotency token", async () => {
  const page = await signIn(browser, stack, GUEST);
  const api = trackApiCalls(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Services" }).click();
  await api.settled();
  const sent = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/api/submit-guest-service-request")) sent.push(JSON.parse(request.postData()));
  });

  // Every write of a Case is saved, then answered 500: the hub retries, then gives up with 503.
  await stack.salesforce.addFault({ fault: "server_error", path_contains: "/sobjects/Case", phase: "after_handling", times: 50 });
  const description = `A reading lamp that works, please (${Date.now()})`;
  await page.getByLabel("Description").fill(description);
  await page.getByRole("button", { name: "Send request" }).click();
  const failure = page.getByRole("alert").filter({ hasText: "SALESFORCE_UNAVAILABLE" });
  await failure.waitFor({ timeout: 60_000 });
  const saved = `SELECT Id, CaseNumber FROM Case WHERE Description = '${description}'`;
  assert.equal((await stack.salesforce.query(saved)).length, 1, "Salesforce saved the case before failing");

  await stack.salesforce.clearFaults();
  await failure.getByRole("button", { name: "Retry" }).click();
  await page.getByRole("status").filter({ hasText: description }).waitFor();
  assert.equal((await stack.salesforce.query(saved)).length, 1, "the retry filed nothing new");
  assert.equal(sent.length, 2);
  assert.ok(sent[0].idempotency_token, "the request carries a token");
  assert.equal(sent[1].idempotency_token, sent[0].idempotency_token, "the retry reuses the action's token");

  // A new request is a new action: a new token.
  await page.getByLabel("Description").fill(`And a second pillow, please (${Date.now()})`);
  await page.getByRole("button", { name: "Send request" }).click();
  await page.getByRole("status").filter({ hasText: "second pillow" }).waitFor();
  assert.notEqual(sent[2].idempotency_token, sent[0].idempotency_token);
  await page.context().close();
});

test("an error a retry cannot help shows its code and message, and no Retry", async () => {
  const page = await signIn(browser, stack, "manager1@hotel.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Front desk" }).click();
  // Carl's room is still being cleaned: ROOM_NOT_VACANT, which only a person can resolve.
  await page.getByLabel("Guest email").first().fill("carl.smith@example.com");
  await page.getByRole("button", { name: "Check in" }).first().click();
  const failure = page.getByRole("alert").filter({ hasText: "ROOM_NOT_VACANT" });
  await failure.waitFor();
  assert.equal(await failure.getByRole("button", { name: "Retry" }).count(), 0);
  await page.context().close();
});
