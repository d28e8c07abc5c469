// The lint's answer crosses as numbers and texts read by the wrapper (`lintAnswer` + `readLint`)
// instead of JSON (`lintReport`/`lintBuffer` + `JSON.parse`). Both must give the same report,
// key order included: every policy of the corpus and of the fixtures, under several options,
// compared with the JSON answer of a second instance of the module (an independent oracle that
// shares no state with the package's held strings), as `JSON.stringify` text and deep-equal.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";

import * as iam from "../dist/node.js";
// the package's own raw bindings (the same module instance as `iam`)
import * as own from "../dist/wasm/iamscope.js";

const root = new URL("../../", import.meta.url);
// a second instance of the glue and the module (the query makes it a separate ES module)
const glue = await import(new URL("npm/dist/wasm/iamscope.js?oracle", root).href);
glue.initSync({ module: readFileSync(new URL("npm/dist/wasm/iamscope_bg.wasm", root)) });
const encoder = new TextEncoder();
const oracle = (text, options) =>
  glue.lintReport(encoder.encode(text), options === undefined ? undefined : JSON.stringify(options));

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = new URL(name, dir);
    if (statSync(p).isDirectory()) out.push(...files(new URL(name + "/", dir)));
    else if (name.endsWith(".json")) out.push(p);
  }
  return out;
}

const texts = [
  ...files(new URL("tests/corpus/", root)),
  ...files(new URL("tests/fixtures/", root)),
].map((p) => readFileSync(p, "utf8"));

function same(text, options) {
  const want = oracle(text, options);
  const got = iam.lintReport(text, options);
  // key order included: the text JSON.stringify writes of the objects is the module's JSON
  assert.equal(JSON.stringify(got), want);
  assert.deepStrictEqual(got, JSON.parse(want));
  assert.deepStrictEqual(iam.lint(text, options), got.diagnostics);
}

test("the corpus and the fixtures: the same report as the JSON answer", () => {
  assert.ok(texts.length > 2000, `${texts.length} texts`);
  let diagnostics = 0;
  for (const t of texts) {
    same(t);
    diagnostics += iam.lint(t).length;
  }
  assert.ok(diagnostics > 4000, `${diagnostics} diagnostics`);
});

test("options, text outside ASCII, bad input: the same report as the JSON answer", () => {
  const odd = [
    "",
    "not json \u{1F600}",
    '{"Statement": {"Effect": "Alow", "Action": "s3:GetObjekt", "Resource": "*", "Sid": "caf\u00e9 \u4e2d \u{1F600}\ud800"}}',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:GetObject"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b/*"]}]}',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}',
    "[".repeat(5000),
    '{"a":"\\u0000\\n\\t\\"\\\\ \\ud83d\\ude00 \\u00e9"}',
  ];
  const options = [
    undefined,
    { kind: "scp" },
    { kind: "resource" },
    { select: ["SECURITY_WARNING", "REDUNDANT*"] },
    { ignore: ["MISSING_VERSION"], severity: { INVALID_EFFECT: "SUGGESTION" } },
  ];
  const some = texts.filter((_, i) => i % 37 === 0);
  for (const o of options) for (const t of [...odd, ...some]) same(t, o);
});

test("held strings carry over between answers and start over when the lists differ", () => {
  const t = texts.find((x) => iam.lint(x).length > 3);
  const first = JSON.stringify(iam.lintReport(t));
  // the package's raw binding called with a wrong count of held strings: the module starts
  // over, and the wrapper's next answer (its count differs from the module's now) as well
  for (let k = 0; k < 3; k++) {
    own.textBuffer(0);
    assert.notEqual(own.lintAnswer(0, undefined, 1e6), 0);
    assert.equal(JSON.stringify(iam.lintReport(t)), first);
    assert.equal(JSON.stringify(iam.lintReport(t)), first);
  }
  same(t);
});
