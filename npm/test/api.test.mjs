// Behaviour of the built package (npm/dist) under Node: answers, UTF-16 ranges, misuse, hostile
// input. Run with `node --test test/` after `scripts/build.sh`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import * as iam from "../dist/node.js";

const require = createRequire(import.meta.url);
const root = new URL("../../", import.meta.url);
const corpus = new URL("tests/corpus/aws-managed-policies/", root);

/** Slices a JS string with a range: the range must point at exactly this text. */
const slice = (text, r) => text.slice(r.start.offset, r.end.offset);

/** Line and column of a UTF-16 offset, computed independently in JS. */
function lineCol(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, column: offset - (before.lastIndexOf("\n") + 1), offset };
}

const EMOJI_POLICY = `{
  "Version": "2012-10-17",
  "Id": "café 中文 😀👍🏽",
  "Statement": [{"Sid": "😀", "Effect": "Alow",
    "Action": "s3:GetObjekt", "Resource": "*"}]
}`;

test("CommonJS and ES module entries are the same API", () => {
  const cjs = require("../dist/node.cjs");
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(iam).sort());
  assert.deepEqual(cjs.lint(EMOJI_POLICY), iam.lint(EMOJI_POLICY));
  for (const name of ["lint", "lintReport", "simulate", "prepare", "diff", "expandAction", "describeAction", "completions", "hover", "summarize", "listRules", "catalogInfo", "loadCatalog", "resetCatalog", "version"]) {
    assert.equal(typeof iam[name], "function", name);
  }
});

test("lint ranges are UTF-16 positions that slice the JS string", () => {
  const diags = iam.lint(EMOJI_POLICY);
  assert.ok(diags.length >= 2, JSON.stringify(diags));
  const effect = diags.find((d) => d.code === "INVALID_EFFECT");
  assert.ok(effect);
  assert.equal(slice(EMOJI_POLICY, effect.range), '"Alow"');
  assert.deepEqual(effect.range.start, lineCol(EMOJI_POLICY, EMOJI_POLICY.indexOf('"Alow"')));
  assert.deepEqual(effect.range.end, lineCol(EMOJI_POLICY, EMOJI_POLICY.indexOf('"Alow"') + 6));
  const action = diags.find((d) => d.code === "INVALID_ACTION");
  assert.ok(action);
  assert.equal(slice(EMOJI_POLICY, action.range), '"s3:GetObjekt"');
  assert.equal(action.pointer, "/Statement/0/Action");
  for (const d of diags) {
    for (const r of [d.range, ...(d.related ?? []).map((x) => x.range), ...(d.fix?.edits ?? []).map((e) => e.range)]) {
      assert.deepEqual(r.start, lineCol(EMOJI_POLICY, r.start.offset), d.code);
      assert.deepEqual(r.end, lineCol(EMOJI_POLICY, r.end.offset), d.code);
    }
  }
});

test("lint options select, ignore, kind, severity; lintReport says the kind", () => {
  assert.deepEqual(iam.lint(EMOJI_POLICY, { select: ["INVALID_EFFECT"] }).map((d) => d.code), ["INVALID_EFFECT"]);
  assert.ok(!iam.lint(EMOJI_POLICY, { ignore: ["INVALID_EFFECT"] }).some((d) => d.code === "INVALID_EFFECT"));
  const sev = iam.lint(EMOJI_POLICY, { select: ["INVALID_EFFECT"], severity: { INVALID_EFFECT: "WARNING" } });
  assert.equal(sev[0].findingType, "WARNING");
  const report = iam.lintReport(EMOJI_POLICY);
  assert.equal(report.kind, "identity");
  assert.equal(report.kindInferred, true);
  assert.ok(report.kindReason.length > 0);
  assert.equal(iam.lintReport(EMOJI_POLICY, { kind: "scp" }).kind, "scp");
});

test("bad policies never throw", () => {
  for (const text of ["", "{", "[]", "null", '{"Statement": 5}', "\u0000", "{\"a\":1}{", "😀"]) {
    const diags = iam.lint(text);
    assert.ok(Array.isArray(diags), text);
    assert.ok(diags.length > 0, `no diagnostic for ${JSON.stringify(text)}`);
  }
});

test("misuse throws an Error that names the function and the argument", () => {
  const cases = [
    [() => iam.lint(5), /iamscope\.lint: text must be a string, got number/],
    [() => iam.lint(undefined), /text must be a string, got undefined/],
    [() => iam.lint("{}", "scp"), /iamscope\.lint: options must be an object, got string/],
    [() => iam.lint("{}", [1]), /options must be an object, got an array/],
    [() => iam.lint("{}", { selct: ["X"] }), /iamscope\.lint: .*unknown field `selct`/],
    [() => iam.lint("{}", { kind: "idnetity" }), /iamscope\.lint: .*unknown variant `idnetity`/],
    [() => iam.lint("{}", { select: "X" }), /iamscope\.lint: /],
    [() => iam.completions("{}", -1), /iamscope\.completions: offset must be an integer from 0 to text\.length \(2\), got -1/],
    [() => iam.completions("{}", 3), /offset must be an integer/],
    [() => iam.hover("{}", 0.5), /iamscope\.hover: offset must be an integer/],
    [() => iam.hover("{}", "0"), /offset must be an integer .* got string/],
    [() => iam.describeAction(null), /iamscope\.describeAction: name must be a string, got null/],
    [() => iam.expandAction({}), /iamscope\.expandAction: pattern must be a string, got an object/],
    [() => iam.loadCatalog("bytes"), /iamscope\.loadCatalog: bytes must be a Uint8Array or an ArrayBuffer/],
    [() => iam.loadCatalog(new Uint8Array([1, 2, 3])), /iamscope\.loadCatalog: not a usable catalog/],
    [() => iam.simulate(42), /iamscope\.simulate: scenario must be an object, got number/],
    [() => iam.prepare(null), /iamscope\.prepare: policies must be an object, got null/],
    [() => iam.prepare({ identity: [() => 1] }), /iamscope\.prepare: policies at \/identity\/0 is a function, which JSON cannot hold/],
    [() => iam.simulate({ request: { principal: 1n } }), /scenario at \/request\/principal is a bigint/],
    [() => iam.simulate({ request: { n: NaN } }), /scenario at \/request\/n is NaN, which JSON cannot hold/],
    [() => iam.simulate({ request: { s: Symbol("x") } }), /is a symbol/],
  ];
  for (const [f, re] of cases) {
    assert.throws(f, (e) => e instanceof Error && re.test(e.message), String(re));
  }
  const cyclic = { request: { principal: "anonymous", action: "s3:GetObject", resource: "*" } };
  cyclic.policies = { identity: [cyclic] };
  assert.throws(() => iam.simulate(cyclic), /iamscope\.simulate: scenario at \/policies\/identity\/0 refers back to itself \(a cycle\)/);
  // the module still works after every misuse
  assert.equal(iam.lint(EMOJI_POLICY, { select: ["INVALID_EFFECT"] }).length, 1);
});

test("hostile input: 10 MB, deep nesting, lone surrogates, long lines", () => {
  const big = `{"Version":"2012-10-17","Statement":[${'{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},'.repeat(180_000)}{}]}`;
  assert.ok(big.length > 10_000_000);
  const d = iam.lint(big);
  assert.ok(d.some((x) => /limit/.test(x.message)), JSON.stringify(d.slice(0, 2)));
  for (const deep of ["[".repeat(100_000), "{\"a\":".repeat(50_000)]) {
    const diags = iam.lint(deep);
    assert.equal(diags[0].code, "JSON_SYNTAX_ERROR");
    assert.ok(iam.completions(deep, deep.length).items.length === 0);
    assert.equal(iam.hover(deep, 5), undefined);
    const r = iam.simulate(deep.startsWith("{") ? deep : `{"policies":${deep}}`);
    assert.equal(r.decision, null);
  }
  // Lone surrogates cannot cross into UTF-8; they arrive as U+FFFD, one UTF-16 unit each, so
  // positions after them stay right.
  const lone = '{"Id": "\ud800x\udfff", "Statement": [{"Effect": "Alow"}]}';
  const e = iam.lint(lone).find((x) => x.code === "INVALID_EFFECT");
  assert.equal(slice(lone, e.range), '"Alow"');
  assert.equal(iam.hover(lone, lone.indexOf("Effect"))?.kind, "element");
  const c = iam.completions(lone, lone.indexOf("Alow") + 2);
  assert.equal(slice(lone, c.range), "Alow");
  const sim = iam.simulate({ policies: { identity: ['{"Statement": [{"Sid": "\ud800"}]}'] }, request: { principal: "anonymous", action: "s3:GetObject", resource: "*" } });
  assert.equal(sim.decision, null);
  // one long line of non-ASCII text (strings are limited to 256 KB)
  const line = `{"Id": "${"é😀".repeat(40_000)}", "Version": "2012-10-17", "Statement": {"Effect": "Alow"}}`;
  const le = iam.lint(line).find((x) => x.code === "INVALID_EFFECT");
  assert.equal(slice(line, le.range), '"Alow"');
});

test("simulate: decisions, traces with UTF-16 ranges in each policy's text", () => {
  const identity = '{"Version":"2012-10-17","Statement":[{"Sid":"😀 all","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"KeepLogs","Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::logs/*","Condition":{"StringNotEquals":{"aws:PrincipalTag/role":"admin"}}}]}';
  const request = { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:DeleteObject", resource: "arn:aws:s3:::logs/a" };
  const r = iam.simulate({ policies: { identity: [identity] }, request });
  assert.equal(r.decision, "ExplicitDeny");
  assert.deepEqual(r.missingContextKeys, ["aws:PrincipalTag/role"]);
  const deny = r.layers[0].statements.find((s) => s.effect === "Deny");
  assert.ok(slice(identity, deny.range).startsWith('{"Sid":"KeepLogs"'));
  assert.deepEqual(deny.range.start, lineCol(identity, identity.indexOf('{"Sid":"KeepLogs"')));
  assert.equal(slice(identity, deny.conditions[0].range), '"aws:PrincipalTag/role"');
  const admin = iam.simulate({ policies: { identity: [identity] }, request: { ...request, context: { "aws:PrincipalTag/role": "admin" } } });
  assert.equal(admin.decision, "Allow");
  // the scenario as text, policies embedded as objects: scenarioRange points into the scenario
  const scenarioText = JSON.stringify({ policies: { identity: [JSON.parse(identity)] }, request }, null, 2);
  const t = iam.simulate(scenarioText);
  assert.equal(t.decision, "ExplicitDeny");
  const st = t.layers[0].statements.find((s) => s.effect === "Deny");
  assert.ok(slice(scenarioText, st.scenarioRange).includes('"KeepLogs"'));
  // errors are answers
  const bad = iam.simulate({ policies: { identity: ['{"Statement": [{"Effect": "Allow"}]}'] }, request });
  assert.equal(bad.decision, null);
  assert.ok(bad.errors.length > 0);
  assert.equal(iam.simulate("not json").decision, null);
  assert.equal(iam.simulate({ request: {} }).decision, null);
});

test("simulate: policy texts sent apart from the scenario answer as the whole JSON text does", () => {
  // An object scenario whose policies are text takes the fast path (texts as UTF-8 buffers);
  // the same scenario as JSON text takes the document path. Every answer must be the same.
  const ro = readFileSync(new URL("ReadOnlyAccess.json", corpus), "utf8");
  const id = '{"Version":"2012-10-17","Statement":[{"Sid":"café😀","Effect":"Allow","Action":["ec2:*","s3:Get*"],"Resource":"*"},\n{"Sid":"中文","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::secret/*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"équipe"}}}]}';
  const scp = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"ec2:Terminate*","Resource":"*"}]}';
  const broken = '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}}';
  const object = JSON.parse(scp);
  const layerSets = [
    { identity: [id, ro] },
    { identity: id, boundary: '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}', scp: [[scp], [scp, scp]], rcp: [[]] },
    { identity: [{ name: "named ☃", policy: id }], resource: null, session: undefined },
    { identity: [id, broken] },
    { identity: [id, object] },
    { identity: [id], scp: [scp] },
    { identity: [id, "\ud800"] },
    { identity: [id, 42] },
    { identity: [id], bogus: [1] },
  ];
  const requests = [
    { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "arn:aws:s3:::secret/k" },
    { principal: "arn:aws:iam::111122223333:user/alice", action: "ec2:TerminateInstances", resource: "*" },
    { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "arn:aws:s3:::b/k", context: { "aws:PrincipalTag/team": "équipe" } },
    { principal: "nobody", action: "s3:GetObject", resource: "*" },
  ];
  let allowed = 0;
  for (const policies of layerSets) {
    for (const request of requests) {
      const scenario = { policies, request };
      const apart = iam.simulate(scenario);
      // (as the document path sends an object: lone surrogates made U+FFFD)
      const whole = iam.simulate(JSON.stringify(scenario, (_k, v) => (typeof v === "string" ? v.toWellFormed() : v)));
      assert.deepEqual(apart, whole, JSON.stringify(scenario).slice(0, 300));
      if (apart.decision === "Allow") allowed++;
    }
  }
  assert.ok(allowed >= 4, `${allowed}`);
  // ranges still slice each policy's own text
  const r = iam.simulate({ policies: { identity: [id] }, request: requests[0] });
  const deny = r.layers[0].statements.find((s) => s.effect === "Deny");
  assert.ok(slice(id, deny.range).startsWith('{"Sid":"中文"'));
  assert.deepEqual(deny.range.start, lineCol(id, id.indexOf('{"Sid":"中文"')));
  assert.equal(slice(id, deny.conditions[0].range), '"aws:PrincipalTag/team"');
});

test("prepare: same answers as simulate, errors as answers, free", () => {
  const ro = readFileSync(new URL("ReadOnlyAccess.json", corpus), "utf8");
  const deny = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }] });
  const policies = { identity: [ro, deny] };
  const p = iam.prepare(policies);
  assert.deepEqual(p.errors, []);
  for (const [action, resource, decision] of [
    ["s3:GetObject", "arn:aws:s3:::b/k", "Allow"],
    ["s3:DeleteBucket", "arn:aws:s3:::b", "ExplicitDeny"],
    ["ec2:RunInstances", "*", "ImplicitDeny"],
  ]) {
    const request = { principal: "arn:aws:iam::111122223333:role/r", action, resource };
    const a = p.simulate(request);
    assert.equal(a.decision, decision, action);
    assert.deepEqual(a, iam.simulate({ policies, request }));
    assert.deepEqual(p.decide(request), { decision, decidingLayer: a.decidingLayer ?? null, decidingLevel: a.decidingLevel ?? null });
  }
  assert.equal(p.decide({ principal: "x" }).decision, null);
  assert.equal(p.simulate({ principal: "x" }).decision, null);
  p.free();
  p.free();
  assert.throws(() => p.simulate({ principal: "anonymous", action: "s3:GetObject", resource: "*" }), /was freed/);
  assert.throws(() => p.decide({ principal: "anonymous", action: "s3:GetObject", resource: "*" }), /iamscope\.PreparedPolicies\.decide: this prepared set was freed/);
  const broken = iam.prepare({ identity: ['{"Statement": 1}'], bogus: 1 });
  assert.ok(broken.errors.length > 0);
  assert.equal(broken.simulate({ principal: "anonymous", action: "s3:GetObject", resource: "*" }).decision, null);
  const warned = iam.prepare({ identity: [], bogus: 1 });
  assert.ok(warned.warnings.some((w) => w.includes("bogus")));
});

test("prepare: requests given as fields (no JSON) answer as the JSON path does", () => {
  const scp = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:Get*", Resource: "*" } });
  const id = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "é😀", Effect: "Allow", Action: "s3:*", Resource: "*" }, { Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }] });
  const p = iam.prepare({ identity: [id], scp: [[scp]], vpcEndpoint: [scp], bogus: 1 });
  const principal = "arn:aws:iam::111122223333:user/alice";
  for (const [action, resource, resourceAccount] of [
    ["s3:GetObject", "arn:aws:s3:::b/k", undefined],
    ["s3:DeleteBucket", "arn:aws:s3:::b", undefined],
    ["s3:PutObject", "arn:aws:s3:::b/k", "111122223333"],
    ["ec2:RunInstances", "*", "444455556666"],
  ]) {
    const request = resourceAccount === undefined ? { principal, action, resource } : { principal, action, resource, resourceAccount };
    // an empty context sends the request through the JSON path
    const viaJson = { ...request, context: {} };
    assert.deepEqual(p.simulate(request), p.simulate(viaJson), action);
    assert.deepEqual(p.decide(request), p.decide(viaJson), action);
    const v = p.decide(request);
    assert.deepEqual(Object.keys(v), ["decision", "decidingLayer", "decidingLevel"]);
  }
  // the SCP level and the VPC endpoint policy index cross as numbers too
  assert.deepEqual(p.decide({ principal, action: "s3:PutObject", resource: "*" }), { decision: "ImplicitDeny", decidingLayer: "scp", decidingLevel: 0 });
  // invalid fields fall back to the JSON path, which explains
  for (const bad of [{ principal: "nobody", action: "s3:GetObject", resource: "*" }, { principal, action: "s3:*", resource: "*" }, { principal, action: "s3:GetObject", resource: "*", resourceAccount: "1" }]) {
    const d = p.decide(bad);
    assert.equal(d.decision, null);
    assert.ok(d.errors.length > 0);
    assert.deepEqual(p.simulate(bad), p.simulate({ ...bad, context: {} }));
  }
  assert.equal(p.decide({ principal: 1, action: "s3:GetObject", resource: "*" }).decision, null);
});

test("prepare: the traced answer read from numbers equals the JSON answer, for many sets and requests", () => {
  // A fields-only request takes the numbers path (`simulateTrace`, read by the wrapper); the same
  // request with an empty context takes the JSON path (the engine's answer serialised by serde and
  // parsed by JSON.parse). Both must give the same objects, with the same keys in the same order.
  const ro = readFileSync(new URL("ReadOnlyAccess.json", corpus), "utf8");
  const id = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "café😀", Effect: "Allow", Action: ["s3:*", "sts:AssumeRole", "kms:Decrypt"], Resource: "*" },
      { Sid: "中文", Effect: "Deny", Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::keep-${aws:username}" },
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:PrincipalTag/team}/*" },
      { Effect: "Deny", Action: "s3:PutObject", Resource: "*", Principal: "*", Condition: { StringNotEquals: { "aws:username": ["alice", "${aws:PrincipalTag/x}"] }, Bool: { "aws:SecureTransport": "true" }, "ForAnyValue:StringLike": { "aws:TagKeys": "é*" } } },
      { Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:sqs:*", Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" }, StringEqualsIfExists: { "aws:ResourceAccount": "111122223333" } } },
    ],
  });
  const resource = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "🔑", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: ["s3:GetObject", "kms:Decrypt"], Resource: "*" },
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:user/alice" }, Action: "sqs:*", Resource: "*" },
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/r" }, Action: ["sts:AssumeRole", "s3:ListBucket"], Resource: "*" },
      { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111122223333:user/bob" }, Action: "s3:GetBucketPolicy", Resource: "*" },
      { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
    ],
  };
  const boundary = JSON.stringify({ Statement: { Effect: "Allow", Action: ["s3:*", "sqs:*", "sts:*", "kms:*"], Resource: "*" } });
  const scp = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "ec2:Terminate*", Resource: "*" }] });
  const narrow = { Version: "2012-10-17", Statement: { Sid: "only-s3", Effect: "Allow", Action: "s3:*", Resource: "*" } };
  const rcp = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "*", Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-1" } } } });
  const sets = [
    { identity: [ro, id] },
    { identity: [id, { name: "bound é", policy: boundary }], boundary, session: narrow },
    { identity: id, boundary, scp: [[scp], [scp, narrow]], resource, rcp: [[]], bogus: 1 },
    { identity: [{ name: "embedded", policy: JSON.parse(id) }], resource: { name: "res", policy: resource }, rcp: [[rcp], []], vpcEndpoint: [scp, narrow], managementAccount: "111122223333" },
    { identity: [], resource, scp: [[narrow]], rcpFullAccess: false, rcp: [[rcp]] },
    { session: narrow, vpcEndpoint: narrow },
  ];
  const principals = [
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/😀",
    "arn:aws:iam::444455556666:user/bob",
    "arn:aws:iam::111122223333:role/r",
    "arn:aws:sts::111122223333:assumed-role/r/s",
    "arn:aws:sts::111122223333:federated-user/f",
    "arn:aws:iam::111122223333:root",
    "111122223333",
    "lambda.amazonaws.com",
    "anonymous",
  ];
  const requests = [
    ["s3:GetObject", "arn:aws:s3:::home/x/k", undefined],
    ["s3:GetObject", "arn:aws:s3:::b/é", "444455556666"],
    ["s3:DeleteBucket", "arn:aws:s3:::keep-alice", undefined],
    ["s3:PutObject", "*", "111122223333"],
    ["s3:GetBucketPolicy", "arn:aws:s3:::b", undefined],
    ["s3:DeleteObject", "arn:aws:s3:::b/k", undefined],
    ["sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q", undefined],
    ["sts:AssumeRole", "arn:aws:iam::111122223333:role/target", undefined],
    ["kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", "111122223333"],
    ["ec2:TerminateInstances", "*", undefined],
    ["iam:CreateUser", "*", "444455556666"],
  ];
  let compared = 0;
  const seen = new Set();
  const keys = (v, path) => {
    if (Array.isArray(v)) v.forEach((x) => keys(x, `${path}[]`));
    else if (v !== null && typeof v === "object") for (const k of Object.keys(v)) { seen.add(`${path}/${k}`); if (k !== "range" && k !== "scenarioRange") keys(v[k], `${path}/${k}`); }
  };
  for (const policies of sets) {
    const p = iam.prepare(policies);
    assert.deepEqual(p.errors, [], JSON.stringify(policies).slice(0, 200));
    for (const principal of principals) {
      for (const [action, resource, resourceAccount] of requests) {
        const request = resourceAccount === undefined ? { principal, action, resource } : { principal, action, resource, resourceAccount };
        const ours = p.simulate(request);
        const json = p.simulate({ ...request, context: {} });
        if (json.decision === null) continue;
        assert.deepEqual(ours, json, JSON.stringify(request));
        assert.equal(JSON.stringify(ours), JSON.stringify(json), JSON.stringify(request));
        // nothing shared between answers: a second answer is equal but made of new objects
        const again = p.simulate(request);
        assert.deepEqual(again, ours);
        if (ours.layers.length > 0) assert.notEqual(again.layers[0], ours.layers[0]);
        const st = ours.layers.flatMap((l) => l.statements)[0];
        if (st !== undefined) assert.notEqual(again.layers.flatMap((l) => l.statements)[0].range.start, st.range.start);
        keys(ours, "");
        compared++;
      }
    }
    p.free();
  }
  assert.ok(compared >= 400, `${compared}`);
  // every optional field of the answer was exercised
  for (const k of ["/decidingLevel", "/resourceAccount", "/resourcePolicyRequired", "/warnings", "/principal/account", "/layers[]/level", "/layers[]/grant", "/layers[]/note",
    "/layers[]/statements[]/policyName", "/layers[]/statements[]/sid", "/layers[]/statements[]/scenarioRange", "/layers[]/statements[]/principalMatched", "/layers[]/statements[]/grant",
    "/layers[]/statements[]/notes", "/layers[]/statements[]/conditions[]/requestValues", "/layers[]/statements[]/conditions[]/notes"]) {
    assert.ok(seen.has(k), `no answer has ${k}`);
  }
});

test("prepare: the strings a set's answers share (sent once, then by index) are always the right ones", () => {
  // The module sends each string of a traced answer once per set; later answers name it by its
  // index in the wrapper's list for that set, which is bounded (the module starts both over when
  // it is full). Every answer must still equal the JSON path's, key order included: many sets
  // used in turn (each with its own list), alternating principals and requests, strings with
  // emoji, lone surrogates (U+FFFD on both paths) and other non-ASCII text, strings too long to be
  // held, and enough distinct strings to fill a set's list several times over.
  const id = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "😀é", Effect: "Allow", Action: ["s3:*", "sqs:*"], Resource: "*" },
      { Effect: "Deny", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/🔒*", Condition: { StringNotEquals: { "aws:username": ["alice", "ü😀"] } } },
    ],
  });
  const resource = JSON.stringify({
    Version: "2012-10-17",
    Statement: { Sid: "x", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "s3:GetObject", Resource: "*" },
  });
  const sets = [
    iam.prepare({ identity: [id] }),
    iam.prepare({ identity: [id], resource, bogus: 1 }),
    iam.prepare({ identity: [id, resource.replace("444455556666", "111122223333")], boundary: id }),
  ];
  const principals = [
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/ü😀",
    "arn:aws:iam::444455556666:user/bob",
    "arn:aws:iam::111122223333:user/lone\ud800x",
    "arn:aws:sts::111122223333:assumed-role/r/\udc00",
  ];
  const check = (p, request) => {
    const ours = p.simulate(request);
    const json = p.simulate({ ...request, context: {} });
    assert.deepEqual(ours, json, JSON.stringify(request).slice(0, 300));
    assert.equal(JSON.stringify(ours), JSON.stringify(json), JSON.stringify(request).slice(0, 300));
    return ours;
  };
  let n = 0;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 40; i++) {
      const p = sets[(i + round) % sets.length];
      const principal = principals[(i * 7 + round) % principals.length];
      const resources = ["arn:aws:s3:::b/🔒k", `arn:aws:s3:::b/${"é".repeat(i)}😀${i}`, "*", `arn:aws:sqs:us-east-1:111122223333:q${i % 3}`];
      const actions = ["s3:GetObject", "s3:DeleteObject", "sqs:SendMessage", "s3:PutObject"];
      const request = { principal, action: actions[i % 4], resource: resources[(i >> 1) % 4] };
      if (i % 5 === 0) request.resourceAccount = "444455556666";
      check(p, request);
      n++;
    }
  }
  // Fill one set's list (at most 4,096 strings or 128 KB, strings above 1 KB never held) several
  // times: long distinct resources (about 1 KB, just below and above the bound per string) and
  // distinct short ones, interleaved with requests whose strings were held before each start-over.
  const p = sets[0];
  const principal = principals[1];
  for (let i = 0; i < 700; i++) {
    const size = [1000, 1020, 1030, 3000, 10][i % 5];
    const resource = `arn:aws:s3:::b/${i}-${"ü😀x".repeat(size >> 2)}`.slice(0, size);
    check(p, { principal, action: "s3:GetObject", resource });
    if (i % 50 === 0) check(p, { principal: principals[i % principals.length], action: "s3:DeleteObject", resource: "arn:aws:s3:::b/🔒k" });
    n++;
  }
  for (let i = 0; i < 5000; i++) {
    // short distinct strings: the count bound (checked against the JSON path every 97th)
    const request = { principal, action: "s3:GetObject", resource: `arn:aws:s3:::b/${i}` };
    if (i % 97 === 0) check(p, request);
    else assert.equal(p.simulate(request).resource, request.resource);
  }
  check(p, { principal: principals[0], action: "s3:GetObject", resource: "arn:aws:s3:::b/🔒k" });
  // the other sets' lists were not disturbed
  for (const q of sets) check(q, { principal: principals[0], action: "s3:DeleteObject", resource: "arn:aws:s3:::b/🔒k" });
  assert.ok(n >= 800, `${n}`);
  for (const q of sets) q.free();
});

test("prepare: answer values that are the request's own fields (named, not sent) and values that differ from them", () => {
  // The module names an answer's string that is byte for byte one of the request's fields (the
  // principal's id, the action, the resource, resourceAccount, a derived context value) by the
  // field instead of sending it; the wrapper then uses the field as the module read it. Values
  // that only look alike must still be the engine's: a principal given as an account id (its id
  // is the root ARN, while aws:PrincipalAccount and aws:userid are the field itself), an assumed
  // role (aws:PrincipalArn is the role's ARN), a resourceAccount equal to the principal's account
  // or not, fields equal to one another, lone surrogates (U+FFFD as the module reads them) and
  // other non-ASCII text, fields kept from the last request while others change.
  const id = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:*", "sqs:*"], Resource: "*" },
      { Sid: "d", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } } },
    ],
  });
  const p = iam.prepare({ identity: [id] });
  const principals = [
    "111122223333",
    "arn:aws:iam::111122223333:root",
    "arn:aws:sts::111122223333:assumed-role/r/s",
    "arn:aws:iam::111122223333:user/ü😀",
    "arn:aws:iam::111122223333:user/lone\ud800x",
    "arn:aws:iam::444455556666:user/bob",
  ];
  const actions = ["s3:GetObject", "S3:GETOBJECT", "s3:DeleteObject", "sqs:SendMessage"];
  const resources = ["arn:aws:s3:::b/k", "arn:aws:s3:::b/\udc00😀", "*", "111122223333", "arn:aws:sqs:us-east-1:111122223333:q"];
  const accounts = [undefined, "111122223333", "444455556666"];
  let n = 0;
  let named = 0;
  for (let i = 0; i < 360; i++) {
    // principals change slowest, so that kept fields and changed ones mix
    const principal = principals[Math.floor(i / 60) % principals.length];
    const request = { principal, action: actions[i % actions.length], resource: resources[Math.floor(i / 4) % resources.length] };
    const ra = accounts[Math.floor(i / 20) % accounts.length];
    if (ra !== undefined) request.resourceAccount = ra;
    const ours = p.simulate(request);
    const json = p.simulate({ ...request, context: {} });
    assert.notEqual(json.decision, null, JSON.stringify(request));
    assert.deepEqual(ours, json, JSON.stringify(request));
    assert.equal(JSON.stringify(ours), JSON.stringify(json), JSON.stringify(request));
    if (ours.action === request.action) named++;
    n++;
  }
  assert.equal(n, 360);
  assert.ok(named > 0);
  // the cases the values differ from the fields were met
  const root = p.simulate({ principal: "111122223333", action: "s3:GetObject", resource: "*" });
  assert.equal(root.principal.id, "arn:aws:iam::111122223333:root");
  assert.deepEqual(root.derivedContext["aws:PrincipalAccount"], ["111122223333"]);
  const session = p.simulate({ principal: principals[2], action: "s3:GetObject", resource: "*" });
  assert.deepEqual(session.derivedContext["aws:PrincipalArn"], ["arn:aws:iam::111122223333:role/r"]);
  const lone = p.simulate({ principal: principals[4], action: "s3:GetObject", resource: resources[1] });
  assert.equal(lone.principal.id, "arn:aws:iam::111122223333:user/lone\ufffdx");
  assert.equal(lone.resource, "arn:aws:s3:::b/\ufffd😀");
  p.free();
});

test("prepare: fields inherited from Object.prototype are not the request's (the fields path and the JSON path agree)", () => {
  // The wrapper takes the fields path when `for...in` lists only the four names and, when
  // Object.prototype has one of them, each is the object's own. JSON.stringify (the JSON path)
  // sees own properties only, so an inherited field is an absent one on both paths.
  const id = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });
  const p = iam.prepare({ identity: [id] });
  const principal = "arn:aws:iam::111122223333:user/alice";
  const both = (request) => {
    const ours = p.simulate(request);
    const json = p.simulate(Object.assign(JSON.parse(JSON.stringify(request)), { context: {} }));
    // (an error's range points into the request's JSON text, which the added context moves)
    const strip = (a) => (a.decision === null ? { decision: null, errors: a.errors.map((e) => [e.code, e.message]) } : a);
    assert.deepEqual(strip(ours), strip(json), JSON.stringify(request));
    assert.equal(p.decide(request).decision, json.decision);
    return ours;
  };
  const plain = both({ principal, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" });
  assert.equal(plain.decision, "Allow");
  for (const name of ["principal", "action", "resource", "resourceAccount"]) {
    Object.defineProperty(Object.prototype, name, { value: "444455556666", enumerable: true, configurable: true, writable: true });
    try {
      const request = { principal, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" };
      if (name !== "resourceAccount") delete request[name];
      const answer = both(request);
      if (name === "resourceAccount") assert.deepEqual(answer, plain);
      else assert.equal(answer.decision, null, name);
      // own fields shadow the inherited one
      assert.deepEqual(both({ principal, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }), plain);
    } finally {
      delete Object.prototype[name];
    }
    // a non-enumerable name on Object.prototype is not listed by for...in, but still makes the check own-only
    Object.defineProperty(Object.prototype, name, { value: "x", enumerable: false, configurable: true });
    try {
      assert.deepEqual(both({ principal, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }), plain);
    } finally {
      delete Object.prototype[name];
    }
  }
  // an own field that is not enumerable is absent to JSON.stringify, so absent on both paths
  const hidden = { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" };
  Object.defineProperty(hidden, "principal", { value: principal, enumerable: false });
  assert.equal(both(hidden).decision, null);
  p.free();
});

test("prepare: the request buffer (non-ASCII, long and odd requests, memory growth)", () => {
  const id = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "s3:*", Resource: "*" },
      { Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::café/*" },
      { Effect: "Deny", Action: "s3:PutObject", Resource: "*", Condition: { StringEquals: { "aws:username": "😀" } } },
    ],
  });
  const p = iam.prepare({ identity: [id] });
  const alice = "arn:aws:iam::111122223333:user/alice";
  const same = (request, decision) => {
    const v = p.decide(request);
    assert.deepEqual(v, p.decide({ ...request, context: {} }), JSON.stringify(request));
    assert.deepEqual(p.simulate(request), p.simulate({ ...request, context: {} }), JSON.stringify(request));
    if (decision !== undefined) assert.equal(v.decision, decision, JSON.stringify(request));
  };
  same({ principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::café/k" }, "ExplicitDeny");
  same({ principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::cafe/k" }, "Allow");
  same({ principal: "arn:aws:iam::111122223333:user/😀", action: "s3:PutObject", resource: "arn:aws:s3:::b/é" }, "ExplicitDeny");
  same({ principal: alice, action: "s3:PutObject", resource: "arn:aws:s3:::b/k", resourceAccount: "111122223333" }, "Allow");
  // a lone surrogate becomes U+FFFD, as TextEncoder makes it
  assert.deepEqual(p.decide({ principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::caf\ud800/k" }), p.decide({ principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::caf\ufffd/k" }));
  // long fields grow the buffer; short ones after them still answer
  same({ principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::café/" + "k".repeat(100_000) }, "ExplicitDeny");
  same({ principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/" + "é".repeat(50_000) }, "Allow");
  same({ principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::café/k" }, "ExplicitDeny");
  // the module's memory grows under the wrapper's view of it (a large policy set): answers hold
  const ro = readFileSync(new URL("ReadOnlyAccess.json", corpus), "utf8");
  const big = [];
  for (let i = 0; i < 40; i++) big.push(iam.prepare({ identity: [ro, ro] }));
  same({ principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::café/k" }, "ExplicitDeny");
  for (const b of big) b.free();
  // plain objects only, own fields only; getters are read once
  same(Object.assign(Object.create(null), { principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::café/k" }), "ExplicitDeny");
  let reads = 0;
  const getter = { get principal() { reads++; return alice; }, action: "s3:GetObject", resource: "arn:aws:s3:::café/k" };
  assert.equal(p.decide(getter).decision, "ExplicitDeny");
  assert.equal(reads, 1);
  class Req { constructor() { this.principal = alice; this.action = "s3:GetObject"; this.resource = "arn:aws:s3:::café/k"; } }
  assert.equal(p.decide(new Req()).decision, "ExplicitDeny");
  const inherited = Object.create({ resourceAccount: "1" });
  Object.assign(inherited, { principal: alice, action: "s3:GetObject", resource: "*" });
  assert.equal(p.decide(inherited).decision, "Allow");
  for (const odd of [
    { principal: alice, action: "s3:GetObject" },
    { principal: alice, action: "s3:GetObject", resource: "*", resourceAccount: 5 },
    { principal: alice, action: "s3:GetObject", resource: "*", extra: 1 },
    { principal: alice, action: "s3:GetObject", resource: "*", resourceAccount: undefined, extra: 1 },
  ]) {
    const d = p.decide(odd);
    assert.deepEqual(d, p.decide(JSON.parse(JSON.stringify(odd))), JSON.stringify(odd));
  }
  assert.equal(p.decide({ principal: alice, action: "s3:GetObject", resource: "*", resourceAccount: undefined }).decision, "Allow");
  p.free();
});

test("diff: new access with a witness the evaluator confirms, UTF-16 ranges, sets, failures, misuse", () => {
  const old = '{"Version":"2012-10-17","Statement":[{"Sid":"😀","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/a*"}]}';
  const nu = old.replace("logs/a*", "logs/*");
  const r = iam.diff(old, nu);
  assert.ok(!("errors" in r), JSON.stringify(r));
  assert.equal(r.added.length, 1);
  assert.deepEqual(r.removed, []);
  const change = r.added[0];
  assert.equal(change.action, "s3:GetObject");
  assert.equal(slice(nu, change.newStatements[0].range), nu.slice(nu.indexOf('{"Sid"'), nu.length - 2));
  assert.equal(iam.simulate({ policies: { identity: [nu] }, request: change.witness }).decision, "Allow");
  assert.notEqual(iam.simulate({ policies: { identity: [old] }, request: change.witness }).decision, "Allow");
  assert.deepEqual(iam.diff(old, old).added, []);
  const sets = iam.diff({ identity: [old] }, { identity: [nu], boundary: nu });
  assert.equal(sets.added[0].action, "s3:GetObject");
  const scp = iam.diff(old, nu, { kind: "scp", account: "444455556666" });
  assert.ok(!("errors" in scp));
  const failed = iam.diff("{", nu);
  assert.equal(failed.side, "old");
  assert.ok(failed.errors.length > 0);
  assert.throws(() => iam.diff(old, { identity: [] }), /iamscope\.diff: give two policies \(strings\) or two policy sets \(objects\), not one of each/);
  assert.throws(() => iam.diff(old, nu, { account: "1" }), /iamscope\.diff: .*12-digit/);
  assert.throws(() => iam.diff(old, nu, { kind: "nope" }), /iamscope\.diff: .*unknown variant/);
  assert.throws(() => iam.diff(old, nu, { acount: "1" }), /unknown field `acount`/);
  assert.throws(() => iam.diff(5, 6), /iamscope\.diff: oldPolicies must be an object, got number/);
  assert.throws(() => iam.diff(5, nu), /not one of each/);
});

test("diff: the placement each witness carries reproduces its decisions", () => {
  // The scenario a placement describes (as WitnessPlacement's documentation says).
  const placed = (p, policy, request) => {
    const policies = { identity: [...p.identity] };
    if (p.layer === "identity") policies.identity.push(policy);
    else if (p.layer === "scp" || p.layer === "rcp") policies[p.layer] = [[policy]];
    else if (p.layer === "vpcEndpoint") policies.vpcEndpoint = [policy];
    else policies[p.layer] = policy;
    return { policies, request };
  };
  const identity = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/a*"}]}';
  const bucket = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:role/app", "arn:aws:iam::444455556666:root"] }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/a*" }],
  });
  const rcp = identity.replace('"Allow"', '"Deny","Principal":"*"');
  const vpce = identity.replace('"Allow"', '"Allow","Principal":"*"');
  const trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}';
  let checked = 0;
  const seen = new Set();
  for (const [kind, old, nu] of [
    ["identity", identity, identity.replace("logs/a*", "logs/*")],
    ["boundary", identity, identity.replace("logs/a*", "logs/*")],
    ["session", identity, identity.replace("logs/a*", "logs/*")],
    ["scp", identity, identity.replace("logs/a*", "logs/*")],
    ["rcp", rcp, rcp.replace("logs/a*", "logs/ab*")],
    ["vpc-endpoint", vpce, vpce.replace("logs/a*", "logs/*")],
    ["resource", bucket, bucket.replace("b/a*", "b/*")],
    ["trust", trust, trust.replace("444455556666:root", "*")],
  ]) {
    const r = iam.diff(old, nu, { kind, witnessesPerAction: 3 });
    assert.ok(!("errors" in r), JSON.stringify(r));
    const changes = [...r.added.map((c) => [c, nu, old]), ...r.removed.map((c) => [c, old, nu])];
    assert.ok(changes.length > 0, kind);
    for (const [c, allowing, other] of changes) {
      const witnesses = [c.witness, ...(c.moreWitnesses ?? [])];
      const placements = [c.placement, ...(c.morePlacements ?? [])];
      assert.equal(placements.length, witnesses.length, kind);
      const [allowingDecision, otherDecision] = c.newDecision === "Allow" ? [c.newDecision, c.oldDecision] : [c.oldDecision, c.newDecision];
      witnesses.forEach((w, i) => {
        const p = placements[i];
        seen.add(`${p.layer}:${p.identity.length}`);
        const a = iam.simulate(placed(p, allowing, w)).decision;
        const o = iam.simulate(placed(p, other, w)).decision;
        if (i === 0) assert.deepEqual([a, o], [allowingDecision, otherDecision], `${kind} ${JSON.stringify(w)}`);
        else assert.ok(a === "Allow" && o !== "Allow", `${kind} ${JSON.stringify(w)}`);
        checked++;
      });
    }
  }
  // Every layer, and resource policies both with (callers from another account) and without the
  // identity policy that allows everything.
  for (const k of ["identity:0", "boundary:1", "session:1", "scp:1", "rcp:1", "vpcEndpoint:1", "resource:0", "resource:1"]) assert.ok(seen.has(k), `${k} in ${[...seen]}`);
  assert.ok(checked >= 8, String(checked));
  const sets = iam.diff({ identity: [identity] }, { identity: [identity.replace("logs/a*", "logs/*")] });
  assert.equal(sets.added[0].placement, undefined);
});

test("catalog: info, describe, expand, load and reset", () => {
  const info = iam.catalogInfo();
  assert.ok(info.actions > 10_000 && info.services > 300);
  assert.match(info.dataDate, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(iam.describeAction("S3:GETOBJECT").name, "s3:GetObject");
  assert.equal(iam.describeAction("s3:Get*"), undefined);
  assert.equal(iam.describeAction(""), undefined);
  const gets = iam.expandAction("s3:GetObject*");
  assert.ok(gets.length > 3 && gets.every((a) => a.name.startsWith("s3:GetObject")));
  assert.deepEqual(iam.expandAction("nope:*"), []);
  const bytes = readFileSync(new URL("crates/iamscope-catalog/data/catalog.bin", root));
  assert.deepEqual(iam.loadCatalog(bytes), info);
  assert.deepEqual(iam.loadCatalog(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), info);
  const truncated = bytes.subarray(0, bytes.length >> 1);
  assert.throws(() => iam.loadCatalog(truncated), /not a usable catalog/);
  assert.deepEqual(iam.catalogInfo(), info); // unchanged after a failed load
  iam.resetCatalog();
  assert.deepEqual(iam.catalogInfo(), info);
});

test("listRules: every code once, documented", () => {
  const rules = iam.listRules();
  assert.ok(rules.length > 20);
  assert.equal(new Set(rules.map((r) => r.code)).size, rules.length);
  const mv = rules.find((r) => r.code === "MISSING_VERSION");
  assert.ok(mv && mv.docs.includes("## Bad") && mv.url.endsWith("MISSING_VERSION.md"));
  // the text comes from a JavaScript module beside the WebAssembly one (scripts/rule-docs.mjs):
  // every rule has its own, naming its code, in every entry point
  for (const r of rules) assert.ok(r.docs.startsWith("# ") && r.docs.includes(r.code), r.code);
  assert.deepEqual(require("../dist/node.cjs").listRules(), rules);
});

test("completions and hover in UTF-16", () => {
  const text = '{"Id": "😀😀", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObj"], "Condition": {"StringEquals": {"aws:Sou';
  const c = iam.completions(text, text.indexOf("s3:GetObj") + "s3:GetObj".length);
  assert.equal(slice(text, c.range), "s3:GetObj");
  assert.ok(c.items.some((i) => i.label === "s3:GetObject" && i.kind === "action" && i.detail === "Read"));
  const keys = iam.completions(text, text.length);
  assert.equal(slice(text, keys.range), "aws:Sou");
  assert.ok(keys.items.some((i) => i.label === "aws:SourceIp" && i.kind === "conditionKey"));
  const top = iam.completions("{", 1);
  assert.deepEqual(top.items.map((i) => i.insertText), ['"Id"', '"Statement"', '"Version"']);
  const policy = '{"Statement": {"Sid": "😀", "Action": ["iam:PassRole", "ec2:*"], "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": "x"}}}}';
  const h = iam.hover(policy, policy.indexOf("iam:PassRole") + 3);
  assert.equal(h.kind, "action");
  assert.equal(slice(policy, h.range), '"iam:PassRole"');
  assert.equal(h.action.name, "iam:PassRole");
  assert.equal(iam.hover(policy, policy.indexOf("ec2:*")).kind, "actionPattern");
  assert.equal(iam.hover(policy, policy.indexOf("ForAnyValue")).kind, "operator");
  const k = iam.hover(policy, policy.indexOf("aws:TagKeys"));
  assert.equal(k.kind, "conditionKey");
  assert.equal(k.conditionKey.type, "ArrayOfString");
  assert.equal(iam.hover(policy, 0), undefined);
});

test("summarize: per service, per wildcard and per statement, with UTF-16 statement ranges", () => {
  const policy = `{"Id": "😀", "Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket", "nope:Thing"], "Resource": "arn:aws:s3:::b/*"},
  {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"},
  {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]}`;
  const s = iam.summarize(policy);
  const get = iam.expandAction("s3:Get*").length;
  assert.equal(s.error, undefined);
  assert.equal(s.catalogVersion, iam.catalogInfo().version);
  // s3:Get* + ListBucket - the unconditional Deny of GetObject on "*", + iam:PassRole
  assert.equal(s.totalActions, get + 1 - 1 + 1);
  const s3 = s.services.find((x) => x.prefix === "s3");
  assert.equal(s3.allowed, get);
  assert.equal(s3.onAllResources, false);
  assert.deepEqual(s.wildcards.map((w) => [w.pattern, w.statement, w.expandsTo]), [["s3:Get*", 0, get]]);
  assert.deepEqual(s.unknownActions, ["nope:Thing"]);
  assert.equal(s.statements.length, 3);
  const [a, d, p] = s.statements;
  assert.equal(slice(policy, a.range), policy.slice(policy.indexOf('{"Sid"'), policy.indexOf("},\n  {") + 1));
  assert.equal(a.range.start.line, 1);
  assert.equal(a.sid, "Read");
  assert.equal(a.totalActions, get + 1);
  assert.deepEqual(a.services, [{ prefix: "s3", matched: get + 1, total: iam.expandAction("s3:*").length }]);
  assert.equal(a.levels.reduce((n, l) => n + l.matched, 0), a.totalActions);
  assert.equal(a.levels.find((l) => l.level === "List").matched, 1);
  assert.deepEqual(a.unknownActions, ["nope:Thing"]);
  assert.equal(d.effect, "Deny");
  assert.equal(d.totalActions, 1);
  assert.equal(p.conditional, true);
  assert.equal(p.onAllResources, true);
  assert.deepEqual(p.levels, [{ level: "Write", matched: 1 }]);
  assert.deepEqual(iam.summarize(policy, { statements: false }).statements, []);
  const bad = iam.summarize('{"Statement": [');
  assert.equal(bad.error.code, "JSON_SYNTAX_ERROR");
  assert.equal(bad.totalActions, 0);
  assert.throws(() => iam.summarize(policy, { statement: false }), /iamscope\.summarize: options: unknown field `statement`/);
  assert.throws(() => iam.summarize(1), /iamscope\.summarize: text must be a string, got number/);
});

test("version matches package.json and the Cargo workspace", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  assert.equal(iam.version(), pkg.version);
  const cargo = readFileSync(new URL("Cargo.toml", root), "utf8");
  const ws = /\[workspace\.package\][^[]*?version = "([^"]+)"/s.exec(cargo);
  assert.equal(ws?.[1], pkg.version);
});

test("lint's text buffer answers as the byte-array path does", async () => {
  // `lint` encodes the text into the module's text buffer (encodeInto); the raw `lintReport`
  // takes TextEncoder's bytes. Both must give the same report for every kind of text, one after
  // another (the buffer is reused, grows, and a large one is released after its call).
  const glue = await import("../dist/wasm/iamscope.js");
  const encoder = new TextEncoder();
  const largest = readFileSync(new URL("AWSSupportServiceRolePolicy.json", corpus), "utf8");
  const texts = [
    EMOJI_POLICY,
    "",
    "x",
    '{"Id": "\ud800x\udfff", "Statement": [{"Effect": "Alow"}]}',
    largest,
    EMOJI_POLICY.slice(0, 40),
    `{"Id": "${"é😀".repeat(2_000_000)}", "Statement": {"Effect": "Alow"}}`,
    '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}',
  ];
  for (const t of texts) {
    for (const options of [undefined, { kind: "scp" }]) {
      const want = JSON.parse(glue.lintReport(encoder.encode(t), options === undefined ? undefined : JSON.stringify(options)));
      assert.deepEqual(iam.lintReport(t, options), want, t.slice(0, 60));
    }
  }
});
