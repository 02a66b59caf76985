// `npm run screenshots --prefix tests/portal`: a picture of every page of the portal (and of its
// sign-in) in docs/screenshots/, taken from the local stack with Kay checked in.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO, launchBrowser, startStack } from "./harness.mjs";
import { furnish, visitPages } from "./pages.mjs";

const out = join(REPO, "docs/screenshots");
mkdirSync(out, { recursive: true });
const stack = await startStack({ build: true });
const browser = await launchBrowser();
try {
  await furnish(stack);
  const landing = await browser.newPage({ baseURL: stack.url, viewport: { width: 1280, height: 860 } });
  await landing.goto("/");
  await landing.getByRole("button", { name: "Sign in" }).waitFor();
  await landing.screenshot({ path: join(out, "sign-in.png") });
  await landing.close();
  for (const persona of ["guest", "manager"]) {
    await visitPages(browser, stack, persona, async (page, entry) => {
      await page.screenshot({ path: join(out, `${entry.slug}.png`), fullPage: true });
      console.log(`docs/screenshots/${entry.slug}.png`);
    });
  }
} finally {
  await browser.close();
  stack.stop();
}
