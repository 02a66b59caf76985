// The whole app's JavaScript, as shipped: at most 150 KB gzipped (what a guest's phone downloads
// before the first page shows).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { REPO } from "./harness.mjs";

const BUDGET_BYTES = 150 * 1024;

test("the portal ships at most 150 KB of gzipped JavaScript", () => {
  const assets = join(REPO, "web/dist/assets");
  const scripts = readdirSync(assets).filter((name) => name.endsWith(".js"));
  assert.ok(scripts.length > 0, "web/dist has no JavaScript: is the portal built?");
  const gzipped = scripts.reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length, 0);
  console.log(`JavaScript: ${scripts.length} file(s), ${(gzipped / 1024).toFixed(1)} KB gzipped (budget 150 KB)`);
  assert.ok(gzipped <= BUDGET_BYTES, `${gzipped} bytes gzipped is over the budget of ${BUDGET_BYTES}`);
});
