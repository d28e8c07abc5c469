// Where a Node `lint` of the managed corpus goes: the public `iamscope.lint` against its parts,
// each timed over the whole corpus two ways: one pass after another (bench.mjs's row; min and
// median of the passes) and the sum over the policies of each policy's best of `k` calls in a row
// (what a pass would cost if every call ran as fast as a repeated one).
//   node lint-split.mjs [path to dist/node.js] [passes, default 15] [k, default 5]
// Parts (one module instance per process: `api` loads the package, the others the raw bindings):
// - `api`: `iamscope.lint(text)`, everything;
// - `raw`: the raw `textBuffer` + `encodeInto` + the lint export as the wrapper calls them, the
//   answer left unread: `lintBuffer`'s JSON text for builds before session 7, `lintAnswer`'s
//   numbers after (with a count of held strings of 0, so the module sends every string each
//   call: an upper bound);
// - `encode`: `textBuffer` + `encodeInto` alone;
// - `json`: `JSON.parse` of the JSON answers (`lintReport`) of the corpus (what the wrapper did
//   with them before session 7).
// Prints one line per part; run it twice with two dist folders (alternating) to compare builds.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

const [, self, distArg, passesArg, kArg, part] = process.argv;
const dist = distArg ?? fileURLToPath(new URL("../../npm/dist/node.js", import.meta.url));
const passes = +(passesArg ?? 15);
const k = +(kArg ?? 5);

if (part === undefined) {
  console.log(`${dist}, ${passes} passes, best of ${k} per policy`);
  for (const p of ["api", "raw", "encode", "json"]) {
    const r = spawnSync(process.execPath, [self, dist, String(passes), String(k), p], { encoding: "utf8" });
    process.stdout.write(r.stdout + r.stderr);
  }
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  process.exit(0);
}

const dir = new URL("../../tests/corpus/aws-managed-policies/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const texts = files.map((f) => readFileSync(new URL(f, dir), "utf8"));

let fn;
if (part === "api") {
  const iamscope = await import(pathToFileURL(dist).href);
  fn = (t) => iamscope.lint(t);
} else {
  const distUrl = pathToFileURL(dist);
  const glue = await import(new URL("wasm/iamscope.js", distUrl).href);
  const wasm = glue.initSync({ module: readFileSync(new URL("wasm/iamscope_bg.wasm", distUrl)) });
  const encoder = new TextEncoder();
  let view = new Uint8Array(0);
  const put = (t) => {
    const room = t.length * 3;
    const at = glue.textBuffer(room);
    if (view.byteLength === 0 || view.buffer !== wasm.memory.buffer) view = new Uint8Array(wasm.memory.buffer);
    return encoder.encodeInto(t, view.subarray(at, at + room)).written;
  };
  const raw = glue.lintAnswer === undefined ? (t) => glue.lintBuffer(put(t), undefined) : (t) => glue.lintAnswer(put(t), undefined, 0);
  if (part === "raw") fn = raw;
  else if (part === "encode") fn = put;
  else {
    const answers = new Map(texts.map((t) => [t, glue.lintReport(encoder.encode(t), undefined)]));
    fn = (t) => JSON.parse(answers.get(t));
  }
}

for (const t of texts) fn(t); // warm-up
const all = [];
for (let p = 0; p < passes; p++) {
  const t0 = performance.now();
  for (const t of texts) fn(t);
  all.push(performance.now() - t0);
}
all.sort((a, b) => a - b);
let bestSum = 0;
for (const t of texts) {
  let best = Infinity;
  for (let i = 0; i < k; i++) {
    const t0 = performance.now();
    fn(t);
    best = Math.min(best, performance.now() - t0);
  }
  bestSum += best;
}
console.log(`${part.padEnd(6)} pass min ${all[0].toFixed(1)} ms, median ${all[all.length >> 1].toFixed(1)} ms; sum of per-policy bests ${bestSum.toFixed(1)} ms`);
