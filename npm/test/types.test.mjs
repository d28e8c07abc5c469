// The .d.ts against the engine: real answers of the built package, covering every optional field
// the engine emits, are written into a TypeScript file as literals typed with the package's
// interfaces, and `tsc --strict` must accept them. An object literal with a field the interface
// lacks fails (excess property check), as does a missing required field or a wrong literal type,
// so a field added or renamed in Rust breaks this test until the types follow.
// Also: no `any` in the public declarations.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import * as iam from "../dist/node.js";

const npmDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(npmDir, "node_modules", "typescript", "bin", "tsc");

test("the public declarations have no `any`", () => {
  const dist = join(npmDir, "dist");
  const files = readdirSync(dist).filter((f) => f.endsWith(".d.ts") || f.endsWith(".d.cts"));
  assert.ok(files.length >= 5, files.join());
  for (const f of files) {
    const text = readFileSync(join(dist, f), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    assert.doesNotMatch(text, /\bany\b/, f);
  }
});

function samples() {
  const policy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "dup", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObject", "s3:GetObjekt"], "Resource": "*"},
    {"Sid": "dup", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
     "Condition": {"StringEquals": {"aws:SourceIp": "10.0.0.1"}}},
    {"Sid": "x-😀", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
  ]
}`;
  const report = iam.lintReport(policy);
  const keys = new Set(report.diagnostics.flatMap((d) => Object.keys(d)));
  for (const k of ["related", "help", "fix", "url"]) assert.ok(keys.has(k), `no sample diagnostic has ${k}`);
  const identity = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"d","Effect":"Deny","Action":"s3:Delete*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"ops"}}}]}';
  const bucket = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "s3:*", Resource: "*" }] };
  const request = { principal: "arn:aws:iam::444455556666:user/bob", action: "s3:DeleteObject", resource: "arn:aws:s3:::b/k", resourceAccount: "111122223333" };
  const sim = iam.simulate(JSON.stringify({ policies: { identity: [{ name: "id", policy: identity }], resource: bucket, scp: [[identity]], rcp: [[]] }, request }));
  assert.notEqual(sim.decision, null, JSON.stringify(sim));
  const failure = iam.simulate({ policies: { identity: ['{"Statement":{"Effect":"Allow"}}'] }, request });
  assert.equal(failure.decision, null);
  const prepared = iam.prepare({ identity: [identity], bogus: 1 });
  const text = '{"Statement": [{"Action": "s3:Get", "Condition": {"StringLike": {"aws:Req';
  const oldP = '{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/a*","Condition":{"StringEquals":{"aws:PrincipalTag/x":"y"}}},{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}';
  const newP = '{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Action":["s3:GetObject","nope:Thing"],"Resource":"arn:aws:s3:::logs/*"}]}';
  const diffResult = iam.diff(oldP, newP, { witnessesPerAction: 2 });
  assert.ok(diffResult.added.length > 0 && diffResult.removed.length > 0, JSON.stringify(diffResult).slice(0, 300));
  return {
    diff: ["DiffOutcome", diffResult],
    diffResult: ["DiffResult", diffResult],
    diffSets: ["DiffResult", iam.diff({ identity: [oldP] }, { identity: [newP], scp: [[newP]] })],
    diffFailure: ["DiffFailure", iam.diff("{", newP)],
    diffResource: ["DiffResult", iam.diff(JSON.stringify(bucket), JSON.stringify({ ...bucket, Statement: [{ ...bucket.Statement[0], Principal: "*" }] }), { kind: "resource", witnessesPerAction: 2 })],
    lintReport: ["LintReport", report],
    diagnostics: ["Diagnostic[]", iam.lint(policy)],
    rules: ["RuleInfo[]", iam.listRules().slice(0, 3)],
    catalog: ["CatalogInfo", iam.catalogInfo()],
    action: ["ActionInfo", iam.describeAction("s3:PutObject")],
    actions: ["ActionInfo[]", iam.expandAction("iam:PassRole")],
    completionsActions: ["CompletionList", iam.completions(text, text.indexOf("s3:Get") + 6)],
    completionsKeys: ["CompletionList", iam.completions(text, text.length)],
    hoverAction: ["HoverInfo", iam.hover(policy, policy.indexOf("iam:PassRole"))],
    hoverKey: ["HoverInfo", iam.hover(policy, policy.indexOf("aws:SourceIp"))],
    hoverOperator: ["HoverInfo", iam.hover(policy, policy.indexOf("StringEquals"))],
    summary: ["PolicySummary", iam.summarize(policy)],
    summaryNotJson: ["PolicySummary", iam.summarize("{")],
    simulation: ["SimulationOutcome", sim],
    simulationResult: ["SimulationResult", sim],
    failure: ["SimulationFailure", failure],
    preparedErrors: ["EvalError[]", iam.prepare({ identity: ['{"Statement": 1}'] }).errors],
    preparedResult: ["SimulationOutcome", prepared.simulate({ principal: "arn:aws:iam::111122223333:role/r", action: "s3:DeleteBucket", resource: "arn:aws:s3:::b", context: { "aws:PrincipalTag/team": ["dev"] } })],
    preparedWarnings: ["string[]", prepared.warnings],
    verdict: ["Verdict", prepared.decide({ principal: "arn:aws:iam::111122223333:role/r", action: "s3:GetObject", resource: "arn:aws:s3:::b/k" })],
    verdictNoLayer: ["Verdict", iam.prepare({}).decide({ principal: "arn:aws:iam::111122223333:role/r", action: "s3:GetObject", resource: "arn:aws:s3:::b/k" })],
  };
}

test("real answers satisfy the TypeScript interfaces (tsc --strict)", () => {
  const dir = mkdtempSync(join(tmpdir(), "iamscope-types-"));
  try {
    const lines = [`import type * as T from ${JSON.stringify(join(npmDir, "dist", "index.js"))};`];
    for (const [name, [type, value]] of Object.entries(samples())) {
      assert.notEqual(value, undefined, name);
      const t = type === "string[]" ? type : type.replace(/^(\w+)/, "T.$1");
      lines.push(`export const ${name}: ${t} = ${JSON.stringify(value, null, 1)};`);
    }
    writeFileSync(join(dir, "samples.ts"), lines.join("\n") + "\n");
    try {
      execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022", join(dir, "samples.ts")], { encoding: "utf8" });
    } catch (e) {
      assert.fail(`tsc rejected real answers:\n${e.stdout}${e.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the type check fails on a field the interfaces lack (the check can fail)", () => {
  const dir = mkdtempSync(join(tmpdir(), "iamscope-types-"));
  try {
    const d = iam.lint("{}")[0];
    const lines = [
      `import type * as T from ${JSON.stringify(join(npmDir, "dist", "index.js"))};`,
      `export const d: T.Diagnostic = ${JSON.stringify({ ...d, severityRank: 1 })};`,
    ];
    writeFileSync(join(dir, "bad.ts"), lines.join("\n"));
    assert.throws(() => execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--moduleResolution", "bundler", "--module", "es2022", join(dir, "bad.ts")], { encoding: "utf8", stdio: "pipe" }), (e) => /severityRank/.test(e.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
