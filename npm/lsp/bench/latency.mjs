// didChange -> publishDiagnostics latency of the language server, over stdio as an editor sees it.
// For each policy: open it, then N times send an incremental didChange (one character of
// whitespace inserted or removed) and time until the diagnostics of that version arrive. Also
// times the engine's lintReport on the same text in this process, the floor of that latency.
//
// The server runs with IAMSCOPE_LSP_TIMING=1 and logs, per publish, the time from the change
// event to the diagnostics written and the part the engine took in the lint worker: their
// difference is the server's own share (scheduling, analysis, the worker round trip, conversion).
//
// Usage: node npm/lsp/bench/latency.mjs [N]   (the server bin must be built: npm/lsp/build.sh)
// IAMSCOPE_LSP_INLINE_MS is passed on to the server (100000: every lint in the server's thread).

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

const client = new Client({ env: { IAMSCOPE_LSP_TIMING: "1", ...(process.env.IAMSCOPE_LSP_INLINE_MS ? { IAMSCOPE_LSP_INLINE_MS: process.env.IAMSCOPE_LSP_INLINE_MS } : {}) } });
const timings = [];
client.conn.onNotification("window/logMessage", (p) => {
  const m = /^iamscope-timing (.*)$/.exec(p.message);
  if (m) timings.push(JSON.parse(m[1]));
});
await client.initialize({ rootPath: root });
const rows = [];
for (const [name, rel] of policies) {
  const text = readFileSync(root + rel, "utf8");
  const uri = fileUri(`${root}bench-${rel.split("/").pop()}`);
  await client.open(uri, text);
  const times = [];
  const server = [];
  const inWorker = [];
  let inserted = false;
  for (let i = 0; i < N; i++) {
    // Insert a space after the first "{", or remove it again.
    const change = inserted
      ? { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 2 } }, text: "" }
      : { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: " " };
    inserted = !inserted;
    const t0 = performance.now();
    const p = await client.change(uri, [change]);
    times.push(performance.now() - t0);
    // the log line is sent before the diagnostics' promise resolves here; wait for it if not
    for (let k = 0; k < 50 && !timings.some((x) => x.uri === uri && x.version === p.version); k++) await new Promise((r) => setTimeout(r, 2));
    const t = timings.find((x) => x.uri === uri && x.version === p.version);
    if (t && t.total !== null) {
      server.push(t.total - t.engine);
      inWorker.push(t.engine);
    }
  }
  const lint = [];
  for (let i = 0; i < Math.min(N, 10); i++) {
    const t0 = performance.now();
    engine.lintReport(text);
    lint.push(performance.now() - t0);
  }
  rows.push({ name, bytes: text.length, lsp: stats(times), server: stats(server), worker: stats(inWorker), lint: stats(lint) });
  await client.notify("textDocument/didClose", { textDocument: { uri } });
}
await client.close();

console.log(`didChange -> publishDiagnostics, ${N} incremental edits each (node ${process.version})`);
console.log("| policy | size | didChange -> diagnostics: median | p90 | min | of which the engine (worker): median | the server's own share: median | min | engine lintReport alone (this process): median |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${(r.bytes / 1024).toFixed(0)} KB | ${fmt(r.lsp.median)} | ${fmt(r.lsp.p90)} | ${fmt(r.lsp.min)} | ${fmt(r.worker.median)} | ${fmt(r.server.median)} | ${fmt(r.server.min)} | ${fmt(r.lint.median)} |`,
  );
}
