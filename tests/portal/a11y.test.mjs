// axe-core on every page of the portal, signed in as a guest and as a manager, and on the sign-in
// page: no serious or critical violation. And the keyboard's way in: the first Tab reaches the
// skip link, which moves focus to the page's content.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, seriousA11yViolations, startStack } from "./harness.mjs";
import { GUEST, furnish, visitPages } from "./pages.mjs";

let stack;
let browser;
before(async () => {
  stack = await startStack();
  await furnish(stack);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  stack?.stop();
});

test("the sign-in page has no serious accessibility violation", async () => {
  const page = await browser.newPage({ baseURL: stack.url });
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  assert.deepEqual(await seriousA11yViolations(page), []);
  await page.close();
});

for (const persona of ["guest", "manager"]) {
  test(`every ${persona} page has no serious accessibility violation`, async () => {
    const found = {};
    await visitPages(browser, stack, persona, async (page, entry) => {
      const violations = await seriousA11yViolations(page);
      if (violations.length > 0) found[entry.slug] = violations;
    });
    assert.deepEqual(found, {});
  });
}

test("the keyboard reaches the skip link first, and it leads to the content", async () => {
  const { signIn } = await import("./harness.mjs");
  const page = await signIn(browser, stack, GUEST);
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.textContent);
  assert.equal(focused, "Skip to content");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
  await page.context().close();
});
