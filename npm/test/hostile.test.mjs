// Hostile input through the JS API (issue 9), beyond test/api.test.mjs: 5,000 conditions, 1 MB
// keys, 10,000 statements, 400-digit numbers, backtracking wildcards, lone surrogates in every
// string argument, cyclic and non-JSON values in options and scenarios, a prepared set under
// misuse. Each gets diagnostics, an answer or an Error with a clear message; the wasm module
// never traps (it keeps answering afterwards). No timing assertions.

import { test } from "node:test";
import assert from "node:assert/strict";

import * as iam from "../dist/node.js";

const ALICE = "arn:aws:iam::111122223333:user/alice";
const req = (extra = {}) => ({ principal: ALICE, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", ...extra });
const allowWith = (tail) =>
  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"${tail}}]}`;

function stillWorks() {
  const d = iam.lint('{"Statement": {"Effect": "Alow"}}', { select: ["INVALID_EFFECT"] });
  assert.equal(d.length, 1);
  assert.equal(iam.simulate({ policies: { identity: [allowWith("")] }, request: req() }).decision, "Allow");
}

test("5,000 conditions and 10,000 statements: lint and simulate answer", () => {
  const keys = Array.from({ length: 5000 }, (_, i) => `"aws:PrincipalTag/k${i}":"v${i}"`);
  const policy = allowWith(`,"Condition":{"StringEquals":{${keys.join(",")}}}`);
  assert.ok(Array.isArray(iam.lint(policy)));
  const context = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`aws:PrincipalTag/k${i}`, `v${i}`]));
  assert.equal(iam.simulate({ policies: { identity: [policy] }, request: req({ context }) }).decision, "Allow");
  context["aws:PrincipalTag/k4999"] = "other";
  assert.equal(iam.simulate({ policies: { identity: [policy] }, request: req({ context }) }).decision, "ImplicitDeny");
  const stmt = '{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}';
  const many = `{"Version":"2012-10-17","Statement":[${Array(10000).fill(stmt).join(",")}]}`;
  assert.ok(Array.isArray(iam.lint(many)));
  const prepared = iam.prepare({ identity: [many] });
  assert.equal(prepared.simulate(req()).decision, "Allow");
  prepared.free?.();
  stillWorks();
});

test("1 MB keys and 400-digit numbers: a diagnostic or an error naming the problem", () => {
  const big = "k".repeat(1 << 20);
  const policy = allowWith(`,"Condition":{"StringEquals":{"aws:PrincipalTag/${big}":"v"}}`);
  const d = iam.lint(policy);
  assert.ok(d.some((x) => x.findingType === "ERROR" && /limit|long/.test(x.message)), JSON.stringify(d.slice(0, 2)).slice(0, 500));
  const r = iam.simulate({ policies: { identity: [policy] }, request: req() });
  assert.equal(r.decision, null);
  assert.ok(r.errors.length > 0 && r.errors[0].message.length > 0);
  // a 1 MB key in the request context is carried, not rejected
  const ok = iam.simulate({ policies: { identity: [allowWith("")] }, request: req({ context: { [`aws:PrincipalTag/${big}`]: big } }) });
  assert.equal(ok.decision, "Allow");
  const digits = "9".repeat(400);
  for (const v of [digits, `"${digits}"`]) {
    const p = allowWith(`,"Condition":{"NumericLessThan":{"s3:max-keys":${v}}}`);
    assert.ok(Array.isArray(iam.lint(p)));
    const s = iam.simulate({ policies: { identity: [p] }, request: req({ context: { "s3:max-keys": digits } }) });
    assert.ok(s.decision === null ? s.errors.length > 0 : typeof s.decision === "string");
  }
  stillWorks();
});

test("backtracking wildcard patterns: answered (linear-time matcher)", () => {
  const n = 20000;
  const text = "a".repeat(n);
  for (const pattern of ["*a".repeat(n / 2) + "*b", "*a".repeat(n / 2) + "*b*"]) {
    const p = allowWith(`,"Condition":{"StringLike":{"aws:PrincipalTag/t":"${pattern}"}}`);
    const r = iam.simulate({ policies: { identity: [p] }, request: req({ context: { "aws:PrincipalTag/t": text } }) });
    assert.equal(r.decision, "ImplicitDeny");
    const res = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::${pattern}"}]}`;
    const r2 = iam.simulate({ policies: { identity: [res] }, request: req({ resource: `arn:aws:s3:::${text}` }) });
    assert.equal(r2.decision, "ImplicitDeny");
    assert.deepEqual(iam.expandAction(`s3:${pattern}`), []);
    assert.ok(Array.isArray(iam.lint(res)));
  }
  stillWorks();
});

test("lone surrogates in every string argument", () => {
  const lone = ["\ud800", "\udfff", "a\udc00b", "\ud83d"];
  for (const s of lone) {
    assert.ok(Array.isArray(iam.lint(s)));
    assert.ok(Array.isArray(iam.lint(allowWith(`,"Sid":"${s}"`))));
    const r = iam.simulate({ policies: { identity: [allowWith("")] }, request: req({ principal: s, context: { [s]: s } }) });
    assert.ok(r.decision === null ? r.errors[0].message.length > 0 : typeof r.decision === "string");
    const r2 = iam.simulate({ policies: { identity: [allowWith("")] }, request: req({ action: `s3:${s}`, resource: s }) });
    assert.ok(r2.decision === null || typeof r2.decision === "string");
    assert.ok(Array.isArray(iam.expandAction(`s3:${s}*`)));
    iam.describeAction(s);
    assert.ok(Array.isArray(iam.completions(s, 0).items));
    iam.hover(s, 0);
    // as an option value
    try {
      iam.lint("{}", { kind: s });
    } catch (e) {
      assert.ok(e instanceof Error && /iamscope\.lint/.test(e.message), e.message);
    }
    assert.ok(Array.isArray(iam.lint("{}", { ignore: [s], select: [] })));
  }
  stillWorks();
});

test("cyclic and non-JSON values in options and scenarios: a clear Error, never a trap", () => {
  const cyclicOpts = { ignore: [] };
  cyclicOpts.ignore.push(cyclicOpts);
  const cyclicCtx = {};
  cyclicCtx.self = cyclicCtx;
  const cases = [
    [() => iam.lint("{}", cyclicOpts), /iamscope\.lint/],
    [() => iam.lint("{}", { kind: 1n }), /iamscope\.lint/],
    [() => iam.lint("{}", { select: [() => 1] }), /iamscope\.lint/],
    [() => iam.lint(Symbol("x")), /iamscope\.lint: text must be a string/],
    [() => iam.lint(new String("{}")), /iamscope\.lint: text must be a string/],
    [() => iam.lint(undefined), /iamscope\.lint: text must be a string/],
    [() => iam.simulate({ policies: { identity: [allowWith("")] }, request: req({ context: cyclicCtx }) }), /iamscope\.simulate: .*cycle/],
    [() => iam.simulate({ policies: { identity: [allowWith("")] }, request: req({ context: { k: 10n ** 400n } }) }), /bigint/],
    [() => iam.simulate({ policies: { identity: [allowWith("")] }, request: req({ context: { k: Infinity } }) }), /Infinity|JSON cannot hold/],
    [() => iam.simulate({ policies: { identity: [allowWith("")] }, request: req({ context: { k: () => 1 } }) }), /function/],
    [() => iam.prepare({ identity: [cyclicCtx] }), /iamscope\.prepare: .*cycle/],
    [() => iam.expandAction(1n), /iamscope\.expandAction: pattern must be a string/],
  ];
  for (const [f, re] of cases) {
    assert.throws(f, (e) => e instanceof Error && re.test(e.message), String(re));
  }
  // a prepared set: cyclic and non-JSON requests
  const prepared = iam.prepare({ identity: [allowWith("")] });
  assert.throws(() => prepared.simulate({ ...req(), context: cyclicCtx }), (e) => e instanceof Error && /cycle/.test(e.message));
  assert.throws(() => prepared.simulate({ ...req(), principal: 5n }), (e) => e instanceof Error && /bigint/.test(e.message));
  assert.equal(prepared.simulate(req()).decision, "Allow");
  stillWorks();
});
