// The `iamscope/web` entry: unusable before init(), then the same answers as the node entry.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

test("web entry: init() from bytes, misuse before and of init", async () => {
  const web = await import("../dist/web.js");
  assert.throws(() => web.lint("{}"), (e) => e instanceof Error && /call `await init\(\)` from 'iamscope\/web' first/.test(e.message));
  await assert.rejects(web.init(42), /iamscope\.init: expected a URL, a string, a Request, a Response, bytes or a WebAssembly\.Module/);
  assert.throws(() => web.initSync("x"), /iamscope\.initSync: input must be/);
  const bytes = readFileSync(new URL("../dist/wasm/iamscope_bg.wasm", import.meta.url));
  await web.init(bytes);
  await web.init(); // a second call does nothing
  const node = await import("../dist/node.js");
  const policy = '{"Version": "2012-10-17", "Statement": {"Sid": "é😀", "Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}}';
  assert.deepEqual(web.lint(policy), node.lint(policy));
  assert.deepEqual(web.catalogInfo(), node.catalogInfo());
  assert.deepEqual(web.listRules(), node.listRules());
});

test("web entry: init() with a compiled module", async () => {
  // a fresh copy of the module graph, so this instance starts uninitialized
  const web = await import(`../dist/web.js?fresh=${Date.now()}`);
  const mod = new WebAssembly.Module(readFileSync(new URL("../dist/wasm/iamscope_bg.wasm", import.meta.url)));
  web.initSync(mod);
  assert.equal(web.describeAction("s3:GetObject")?.accessLevel, "Read");
});
