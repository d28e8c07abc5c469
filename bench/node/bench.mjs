// Node benchmark: iamscope (the built npm package, ../../npm/dist) against
// @cloud-copilot/iam-simulate and @cloud-copilot/iam-policy, in one process, on the same inputs.
// The cloud-copilot packages are AGPL: they are only run here, as a yardstick; nothing is copied.
//
//   npm/scripts/build.sh && cd bench/node && npm ci && node bench.mjs
//
// Prints each measurement, the ratios against the targets, and the sizes of the .wasm and the npm
// tarball, as the Markdown that docs/benchmarks.md ("WebAssembly and npm") carries.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import { fileURLToPath } from "node:url";

import { validatePolicySyntax } from "@cloud-copilot/iam-policy";
import * as iamscope from "../../npm/dist/node.js";
import { deny, iamSimulate, principal, readManaged, readOnlyAccess, requests, s3FullAccess } from "./scenario.mjs";

const root = new URL("../../", import.meta.url);
const corpusDir = new URL("tests/corpus/aws-managed-policies/", root);
const read = readManaged;

/** Median time per call in ms: batches of `batch` calls, for at least `minMs` after warm-up. */
async function measure(fn, { batch = 1, minMs = 1500, warm = 3 } = {}) {
  for (let i = 0; i < warm; i++) await fn();
  const per = [];
  const start = performance.now();
  while (performance.now() - start < minMs || per.length < 5) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    per.push((performance.now() - t) / batch);
  }
  per.sort((a, b) => a - b);
  return per[per.length >> 1];
}

/**
 * `measure` for a synchronous function (every iamscope call): the same batches and median, but the
 * calls are not awaited. Awaiting a value that is not a promise still queues a microtask per call
 * (0.6-0.9 µs per call in the runs of docs/benchmarks.md), which `measure` needs for iam-simulate's promises but which would be counted as
 * iamscope's time.
 */
function measureSync(fn, { batch = 1, minMs = 1500, warm = 3 } = {}) {
  for (let i = 0; i < warm; i++) fn();
  const per = [];
  const start = performance.now();
  while (performance.now() - start < minMs || per.length < 5) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    per.push((performance.now() - t) / batch);
  }
  per.sort((a, b) => a - b);
  return per[per.length >> 1];
}

const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(2)} µs`);
const out = [];
const log = (line = "") => {
  out.push(line);
  console.log(line);
};

// ---- simulate --------------------------------------------------------------------------------

const theirDecision = (r) => {
  const v = r.overallResult ?? r.result?.analysis?.result;
  return { Allowed: "Allow", ExplicitlyDenied: "ExplicitDeny", ImplicitlyDenied: "ImplicitDeny" }[v] ?? String(v);
};

const policies = { identity: [readOnlyAccess, s3FullAccess, deny] };
const req = ([action, resource]) => ({ principal, action, resource });

log("### Simulate: ReadOnlyAccess (118 KB) + AmazonS3FullAccess + a Deny");
log();
log("| request | iamscope | iam-simulate |");
log("|---|---|---|");
const prepared = iamscope.prepare(policies);
for (const r of requests) {
  const ours = iamscope.simulate({ policies, request: req(r) }).decision;
  const theirs = theirDecision(await iamSimulate(r));
  log(`| ${r[0]} | ${ours} | ${theirs}${ours === theirs ? "" : " (differs)"} |`);
  if (prepared.simulate(req(r)).decision !== ours || prepared.decide(req(r)).decision !== ours) {
    throw new Error("prepared and simulate disagree");
  }
}
log();

let theirsMs = 0;
let textMs = 0;
let preparedMs = 0;
let decideMs = 0;
for (const r of requests) {
  theirsMs += await measure(() => iamSimulate(r), { minMs: 2000 });
  textMs += await measureSync(() => iamscope.simulate({ policies, request: req(r) }), { minMs: 1500 });
  preparedMs += await measureSync(() => prepared.simulate(req(r)), { batch: 200, minMs: 1000 });
  decideMs += await measureSync(() => prepared.decide(req(r)), { batch: 200, minMs: 1000 });
}
const n = requests.length;
theirsMs /= n;
textMs /= n;
preparedMs /= n;
decideMs /= n;
const prepareMs = await measureSync(() => iamscope.prepare(policies).free(), { minMs: 1500 });

// ---- lint ------------------------------------------------------------------------------------

const files = readdirSync(corpusDir).filter((f) => f.endsWith(".json")).sort();
const texts = files.map(read);
const totalBytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
const lintAll = () => {
  let d = 0;
  for (const t of texts) d += iamscope.lint(t).length;
  return d;
};
const validateAll = () => {
  let e = 0;
  for (const t of texts) e += validatePolicySyntax(JSON.parse(t)).length;
  return e;
};
const ourDiags = lintAll();
const theirErrors = validateAll();
const lintMs = await measureSync(lintAll, { minMs: 8000, warm: 1 });
const validateMs = await measureSync(validateAll, { minMs: 4000, warm: 1 });
// The floor under the corpus target: V8's own JSON.parse of every text, which reads the text and
// nothing more (no validation, no rule); iam-policy's time above includes it.
let parsed = 0;
const parseAll = () => {
  for (const t of texts) parsed += JSON.parse(t) === null ? 0 : 1;
};
const parseOnlyMs = await measureSync(parseAll, { minMs: 3000, warm: 1 });

let largest = 0;
for (let i = 1; i < texts.length; i++) if (texts[i].length > texts[largest].length) largest = i;
const largestMs = await measureSync(() => iamscope.lint(texts[largest]), { minMs: 2000 });

// ---- sizes -----------------------------------------------------------------------------------

const wasm = readFileSync(new URL("npm/dist/wasm/iamscope_bg.wasm", root));
const gz = gzipSync(wasm, { level: 9 }).length;
const pack = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: fileURLToPath(new URL("npm/", root)), encoding: "utf8" }),
)[0];

// ---- report ----------------------------------------------------------------------------------

const ratio = (a, b) => `${(a / b).toFixed(1)}x`;
const verdict = (ok) => (ok ? "met" : "**missed**");
log("| measurement | iamscope | cloud-copilot | ratio | target |");
log("|---|---|---|---|---|");
log(`| simulate, policies as text each call (mean of ${n} requests) | ${fmt(textMs)} | iam-simulate ${fmt(theirsMs)} | ${ratio(theirsMs, textMs)} | 10x: ${verdict(theirsMs / textMs >= 10)} |`);
log(`| simulate, prepared policy set | ${fmt(preparedMs)} | iam-simulate ${fmt(theirsMs)} | ${ratio(theirsMs, preparedMs)} | 2,000x: ${verdict(theirsMs / preparedMs >= 2000)} |`);
log(`| prepared policy set, decision only (\`decide\`, no trace) | ${fmt(decideMs)} | iam-simulate ${fmt(theirsMs)} | ${ratio(theirsMs, decideMs)} | 2,000x: ${verdict(theirsMs / decideMs >= 2000)} |`);
log(`| prepare (parse + compile the three policies) | ${fmt(prepareMs)} | | | |`);
log(`| lint the managed corpus (${texts.length} policies, ${(totalBytes / 1e6).toFixed(1)} MB), every rule | ${fmt(lintMs)} | iam-policy syntax only ${fmt(validateMs)} | ${(lintMs / validateMs).toFixed(2)} of theirs | at most 0.20: ${verdict(lintMs / validateMs <= 0.2)} |`);
log(`| V8's \`JSON.parse\` alone of the same corpus (reads the text, checks nothing) | | ${fmt(parseOnlyMs)} | ${(parseOnlyMs / validateMs).toFixed(2)} of iam-policy | the floor under the corpus target: 0.20 of iam-policy is ${parseOnlyMs / validateMs > 0.2 ? "**below it**" : "above it"} |`);
log(`| lint the largest managed policy (${files[largest]}, ${(texts[largest].length / 1024).toFixed(0)} KB) | ${fmt(largestMs)} | | | under 2 ms: ${verdict(largestMs < 2)} |`);
log();
log(`Findings: iamscope ${ourDiags} diagnostics over the corpus (every finding type); iam-policy ${theirErrors} syntax errors.`);
log();
log("| size | bytes | target |");
log("|---|---|---|");
log(`| iamscope_bg.wasm (catalog included) | ${wasm.length.toLocaleString("en")} raw, ${gz.toLocaleString("en")} gzip -9 | gzip at most 600 KB: ${verdict(gz <= 600 * 1024)} |`);
log(`| npm tarball (${pack.filename}, ${pack.entryCount} files) | ${pack.size.toLocaleString("en")} (unpacked ${pack.unpackedSize.toLocaleString("en")}) | at most 1.5 MB: ${verdict(pack.size <= 1.5 * 1024 * 1024)} |`);
log();
log(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} at the end.`);
