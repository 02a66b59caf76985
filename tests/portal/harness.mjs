// The portal's test harness: the local stack (dewy-local) on free ports, Debian's Chromium driven by
// playwright-core, sign-in through the issuer's login page, and the sandboxes' state read over
// their own APIs (Salesforce SOQL, Stripe's REST API, Home Assistant's states), so a journey is
// checked where the hotel's data lives, not in the page.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO_PASSWORD = "Hotel2026!";

/** Chromium's flags on these machines: no sandbox as root, and no background connections (the
 * network is closed, and each refused connection costs time). */
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** The path of the dewy-local binary: `DEWY_LOCAL_BIN`, else the workspace's debug build. */
export function dewyLocalBin() {
  const bin = process.env.DEWY_LOCAL_BIN ?? resolve(REPO, "target/debug/dewy-local");
  if (!existsSync(bin)) {
    throw new Error(`${bin} does not exist: build it with \`cargo build -p dewy-local\` (or set DEWY_LOCAL_BIN)`);
  }
  return bin;
}

/**
 * Starts the local stack on free ports and resolves once it prints "Ready.".
 * With `build: true` dewy-local first builds the portal if web/ changed (what `cargo run -p
 * dewy-local` does); otherwise it serves web/dist as it is. `tokenTtlSecs` shortens the life of
 * the issuer's access and id tokens (to see the portal refresh them).
 */
export async function startStack({ build = false, tokenTtlSecs } = {}) {
  const [api, salesforce, stripe, twilio, homeAssistant] = await Promise.all(Array.from({ length: 5 }, freePort));
  const args = [
    "--port", api,
    "--salesforce-port", salesforce,
    "--stripe-port", stripe,
    "--twilio-port", twilio,
    "--home-assistant-port", homeAssistant,
  ].map(String);
  if (!build) args.push("--no-portal-build");
  if (tokenTtlSecs) args.push("--token-ttl-secs", String(tokenTtlSecs));
  const child = spawn(dewyLocalBin(), args, { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const printed = await new Promise((ok, fail) => {
    let stdout = "";
    const timer = setTimeout(() => fail(new Error(`dewy-local did not get ready in 180 s:\n${stdout}${output}`)), 180_000);
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (stdout.includes("Ready.")) {
        clearTimeout(timer);
        ok(stdout);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`dewy-local exited with ${code} before it was ready:\n${stdout}${output}`));
    });
  });
  const line = (label) => printed.split("\n").find((l) => l.trimStart().startsWith(label)) ?? "";
  const url = `http://127.0.0.1:${api}`;
  const [, clientId, clientSecret] = line("client id / secret").match(/secret\s+(\S+) \/ (\S+)/) ?? [];
  const stripeKey = line("Stripe sandbox").match(/key (\S+)\)/)?.[1];
  const haToken = line("Home Assistant").match(/token (\S+)\)/)?.[1];
  const stack = {
    url,
    salesforce: new SalesforceReader(`http://127.0.0.1:${salesforce}`, clientId, clientSecret),
    stripe: new BearerReader(`http://127.0.0.1:${stripe}`, stripeKey),
    homeAssistant: new BearerReader(`http://127.0.0.1:${homeAssistant}`, haToken),
    /** A demo user's access token, from the issuer's password sign-in (for set-up steps). */
    async token(email, password = DEMO_PASSWORD) {
      const response = await fetch(`${url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(`sign-in of ${email} failed: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    /** Calls a tool over REST as `email` (set-up steps, such as checking a guest in). */
    async call(email, tool, input) {
      const response = await fetch(`${url}/api/${tool.replaceAll("_", "-")}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await stack.token(email)}` },
        body: JSON.stringify(input),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(`${tool} as ${email} answered ${response.status}: ${JSON.stringify(body)}`);
      return body;
    },
    stop() {
      child.kill("SIGTERM");
    },
  };
  return stack;
}

/** A sandbox's knobs (`/__sandbox/*`, shared by the four sandboxes): faults to inject, and clear. */
class Sandbox {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A fault rule, e.g. `{ fault: "server_error", path_contains: "/sobjects/Case", times: 10 }`. */
  async addFault(rule) {
    const response = await fetch(`${this.baseUrl}/__sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(rule),
    });
    if (!response.ok) throw new Error(`adding the fault ${JSON.stringify(rule)} answered ${response.status}`);
  }

  async clearFaults() {
    const response = await fetch(`${this.baseUrl}/__sandbox/faults`, { method: "DELETE" });
    if (!response.ok) throw new Error(`clearing faults answered ${response.status}`);
  }
}

/** Reads a sandbox's REST API with its bearer credential (Stripe's key, Home Assistant's token). */
class BearerReader extends Sandbox {
  constructor(baseUrl, token) {
    super(baseUrl);
    this.token = token;
  }

  async get(path) {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    const body = await response.json();
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  }

  /** Home Assistant: one entity's state (`light.room_101_ceiling`, say). */
  state(entityId) {
    return this.get(`/api/states/${entityId}`);
  }
}

/** Salesforce over its REST API: the client-credentials token, then SOQL. */
class SalesforceReader extends Sandbox {
  constructor(baseUrl, clientId, clientSecret) {
    super(baseUrl);
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  async query(soql) {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.clientId,
      client_secret: this.clientSecret,
    });
    const tokenResponse = await fetch(`${this.baseUrl}/services/oauth2/token`, { method: "POST", body: form });
    const { access_token: token, instance_url: instance } = await tokenResponse.json();
    const response = await fetch(`${instance ?? this.baseUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`SOQL ${soql} answered ${response.status}: ${JSON.stringify(body)}`);
    return body.records;
  }
}

/** Debian's Chromium (`CHROMIUM`, default /usr/bin/chromium), headless. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/**
 * Signs `email` in as a person would: the portal's "Sign in", the issuer's login page (the OpenID
 * Connect code flow with PKCE), back to the portal. Resolves to the signed-in page.
 */
export async function signIn(browser, stack, email, { viewport = { width: 1280, height: 860 } } = {}) {
  const context = await browser.newContext({ baseURL: stack.url, viewport });
  const page = await context.newPage();
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
  return page;
}

/**
 * Records the page's calls to the REST API (`/api/<tool>`): `reset()` before navigating, then
 * `settled()` resolves once no call has been in flight for `quietMs`, with the calls since.
 * `parallel` is true when the calls all started before the first one ended (no waterfall).
 */
export function trackApiCalls(page) {
  let calls = [];
  const open = new Map();
  const isApi = (request) => request.method() === "POST" && new URL(request.url()).pathname.startsWith("/api/");
  page.on("request", (request) => {
    if (!isApi(request)) return;
    const call = { tool: new URL(request.url()).pathname.slice(5), start: Date.now(), end: null };
    calls.push(call);
    open.set(request, call);
  });
  const finish = (request) => {
    const call = open.get(request);
    if (call) {
      call.end = Date.now();
      open.delete(request);
    }
  };
  page.on("requestfinished", finish);
  page.on("requestfailed", finish);
  return {
    reset() {
      calls = [];
    },
    async settled(quietMs = 400) {
      let quietSince = Date.now();
      for (;;) {
        await new Promise((ok) => setTimeout(ok, 50));
        if (open.size > 0) quietSince = Date.now();
        else if (Date.now() - quietSince >= quietMs) break;
      }
      const tools = calls.map((c) => c.tool);
      const firstEnd = Math.min(...calls.map((c) => c.end ?? Infinity));
      return { calls: [...calls], tools, parallel: calls.every((c) => c.start <= firstEnd) };
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's scan of the page as it is: its serious and critical violations (WCAG 2.x A/AA and
 * best practices). */
export async function seriousA11yViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}
