// The size budget of the WebAssembly module (issue #10): the built dist/wasm/iamscope_bg.wasm,
// catalog included, at most 600 KB after gzip -9, measured as bench/node/bench.mjs measures it
// (Node's zlib at level 9). A byte count, not a timing: it fails on the change that makes the
// module outgrow the budget, so that the change has to pay for itself.
// docs/benchmarks.md ("WebAssembly and npm") says where the bytes are.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_GZIP = 600 * 1024;

test("iamscope_bg.wasm is within the gzip budget", () => {
  const wasm = readFileSync(new URL("../dist/wasm/iamscope_bg.wasm", import.meta.url));
  // a real module, not an empty or truncated file that would pass trivially
  assert.deepEqual([...wasm.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
  assert.ok(WebAssembly.validate(wasm), "the module validates");
  const gz = gzipSync(wasm, { level: 9 }).length;
  assert.ok(
    gz <= BUDGET_GZIP,
    `iamscope_bg.wasm is ${gz} bytes gzip -9 (${wasm.length} raw): over the budget of ${BUDGET_GZIP}`,
  );
});
