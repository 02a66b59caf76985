// Sign-in as the portal does it: the code flow with PKCE through the issuer's login page, the
// persona from the token's groups, tokens kept in memory only and refreshed before they expire,
// and signing out through the issuer's logout endpoint.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, signIn, startStack, trackApiCalls } from "./harness.mjs";

/** Tokens that expire 75 s after they are issued: oidc-client-ts renews a minute before expiry,
 * so the portal must refresh within about 15 s of signing in. */
const TOKEN_TTL_SECS = 75;

let stack;
let browser;
before(async () => {
  stack = await startStack({ tokenTtlSecs: TOKEN_TTL_SECS });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  stack?.stop();
});

test("the pages come from the token's groups: each job gets the pages of its tools", async () => {
  for (const [email, nav] of [
    ["kay@example.com", ["Dashboard", "Services", "Billing", "Room controls"]],
    ["manager1@hotel.com", ["Dashboard", "Front desk", "Maintenance", "Rooms"]],
    ["staff1@hotel.com", ["Dashboard", "Front desk"]],
    ["housekeeping1@hotel.com", ["Rooms"]],
    ["maintenance1@hotel.com", ["Maintenance", "Rooms"]],
  ]) {
    const page = await signIn(browser, stack, email);
    const links = await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
    assert.deepEqual(links, nav, email);
    if (nav[0] !== "Dashboard") {
      // A job without the dashboard starts on its first page.
      await assert.doesNotReject(page.getByRole("heading", { level: 1, name: nav[0] }).waitFor(), email);
    }
    await page.context().close();
  }
});

test("tokens live in memory only, and are refreshed before they expire", async () => {
  const page = await signIn(browser, stack, "manager1@hotel.com");
  const refreshed = page.waitForResponse(
    (response) =>
      response.url().endsWith("/auth/oauth2/token") &&
      (response.request().postData() ?? "").includes("grant_type=refresh_token"),
    { timeout: TOKEN_TTL_SECS * 1000 },
  );
  const tokens = [];
  page.on("request", (request) => {
    const authorization = request.headers().authorization;
    if (authorization) tokens.push(authorization.slice("Bearer ".length));
  });
  const api = trackApiCalls(page);
  const open = async (link) => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
    await api.settled();
  };
  await open("Rooms");
  const first = tokens.at(-1);
  assert.ok(first, "the page called the API with a token");
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.doesNotMatch(stored, /eyJ/, "no token (a JWT) in web storage");

  const renewal = await refreshed;
  assert.equal(renewal.status(), 200);
  const { access_token: renewed } = await renewal.json();
  assert.notEqual(renewed, first);
  await page.waitForTimeout(300); // the app stores the new user after the response
  await open("Dashboard");
  assert.equal(tokens.at(-1), renewed, "the call after the refresh carries the refreshed token");
  await page.context().close();
});

test("signing out forgets the tokens and goes through the issuer's logout back to the portal", async () => {
  const page = await signIn(browser, stack, "kay@example.com");
  const logout = page.waitForRequest((request) => new URL(request.url()).pathname === "/auth/logout");
  await page.getByRole("button", { name: "Sign out" }).click();
  const query = new URL((await logout).url()).searchParams;
  assert.equal(query.get("logout_uri"), `${stack.url}/`);
  assert.ok(query.get("client_id"));
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  assert.equal(page.url(), `${stack.url}/`);
  assert.equal(await page.getByRole("navigation", { name: "Main" }).count(), 0);
  await page.context().close();
});
