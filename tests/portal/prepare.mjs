// Before the journeys: start the stack the way a person does (`dewy-local` building the portal
// when web/ changed; on a clean clone that is `npm ci` and the Vite build), check that it serves
// the portal and its configuration, and stop it. The tests then start stacks that serve that build.

import assert from "node:assert/strict";
import { startStack } from "./harness.mjs";

const started = Date.now();
const stack = await startStack({ build: true });
try {
  const index = await fetch(`${stack.url}/`);
  assert.equal(index.status, 200);
  assert.match(await index.text(), /<div id="root"><\/div>/, "dewy-local serves the built portal at /");
  const config = await (await fetch(`${stack.url}/config.json`)).json();
  assert.equal(config.authority, `${stack.url}/auth`);
  console.log(`portal built and served by dewy-local in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  stack.stop();
}
