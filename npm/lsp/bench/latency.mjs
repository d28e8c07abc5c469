// didChange -> publishDiagnostics latency of the language server, over stdio as an editor sees it.
// For each policy: open it, then N times send an incremental didChange (one character of
// whitespace inserted or removed) and time until the diagnostics of that version arrive. Also
// times the engine's lintReport on the same text in this process, the floor of that latency.
//
// Usage: node npm/lsp/bench/latency.mjs [N]   (the server bin must be built: npm/lsp/build.sh)

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Client, fileUri } from "../test/client.mjs";

const N = Number(process.argv[2] ?? 30);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const engine = createRequire(import.meta.url)("../../dist/node.cjs");

const policies = [
  ["AWSSupportServiceRolePolicy.json (largest managed policy)", "tests/corpus/aws-managed-policies/AWSSupportServiceRolePolicy.json"],
  ["ReadOnlyAccess.json", "tests/corpus/aws-managed-policies/ReadOnlyAccess.json"],
  ["AmazonS3ReadOnlyAccess.json (typical)", "tests/corpus/aws-managed-policies/AmazonS3ReadOnlyAccess.json"],
];

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { min: s[0], median: q(0.5), p90: q(0.9), max: s[s.length - 1] };
}
const fmt = (x) => `${x.toFixed(1)} ms`;

const client = new Client();
await client.initialize({ rootPath: root });
const rows = [];
for (const [name, rel] of policies) {
  const text = readFileSync(root + rel, "utf8");
  const uri = fileUri(`${root}bench-${rel.split("/").pop()}`);
  await client.open(uri, text);
  const times = [];
  let inserted = false;
  for (let i = 0; i < N; i++) {
    // Insert a space after the first "{", or remove it again.
    const change = inserted
      ? { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 2 } }, text: "" }
      : { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: " " };
    inserted = !inserted;
    const t0 = performance.now();
    await client.change(uri, [change]);
    times.push(performance.now() - t0);
  }
  const lint = [];
  for (let i = 0; i < Math.min(N, 10); i++) {
    const t0 = performance.now();
    engine.lintReport(text);
    lint.push(performance.now() - t0);
  }
  rows.push({ name, bytes: text.length, lsp: stats(times), lint: stats(lint) });
  await client.notify("textDocument/didClose", { textDocument: { uri } });
}
await client.close();

console.log(`didChange -> publishDiagnostics, ${N} incremental edits each (node ${process.version})`);
console.log("| policy | size | didChange -> diagnostics: median | p90 | min | engine lintReport alone: median |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.name} | ${(r.bytes / 1024).toFixed(0)} KB | ${fmt(r.lsp.median)} | ${fmt(r.lsp.p90)} | ${fmt(r.lsp.min)} | ${fmt(r.lint.median)} |`);
}
