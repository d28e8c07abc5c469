// Where a prepared `simulate` (the full trace) spends its time in Node, on bench.mjs's scenario:
// the public call, the raw binding alone (a fresh instance of the same .wasm): `simulateTrace`
// (evaluation, the answer as numbers in the module's memory) or, in builds before it,
// `simulateBuffer` (evaluation, serde_json, the string out of the module), JSON.parse of the JSON
// answer alone, and the raw decideBuffer for comparison. Per call in µs: best-of-batches and
// median, averaged over the six requests.
//   node simulate-split.mjs [path to dist/node.js] [batches]
import os from "node:os";
import { deny, principal, rawSet, readOnlyAccess, requests, s3FullAccess } from "./scenario.mjs";

const dist = process.argv[2] ?? new URL("../../npm/dist/node.js", import.meta.url).href;
const distUrl = dist.startsWith("/") ? "file://" + dist : dist;
const iamscope = await import(distUrl);
const batches = Number(process.argv[3] ?? 40);
const policies = { identity: [readOnlyAccess, s3FullAccess, deny] };
const p = iamscope.prepare(policies);
const reqs = requests.map(([action, resource]) => ({ principal, action, resource }));

// A second instance of the module, to call the raw bindings directly.
const { wasm, raw, put } = await rawSet(distUrl, policies);

function time(fn, calls = 500) {
  for (let i = 0; i < 2000; i++) fn();
  const per = [];
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    for (let i = 0; i < calls; i++) fn();
    per.push(((performance.now() - t) / calls) * 1000);
  }
  per.sort((a, b) => a - b);
  return [per[0], per[per.length >> 1]];
}

const traced = typeof raw.simulateTrace === "function";
const rawName = traced ? "raw simulateTrace (numbers out)" : "raw simulateBuffer (string out)";
// Since session 6 `simulateTrace` takes the count of strings the caller holds for the set (the
// strings earlier answers sent; other counts reset the set's list each call): `known` follows
// the module as a wrapper that read every answer would, counting the new held strings (tag NEW,
// 0x8000_0000 | bytes: above every other number of these answers but NONE and FRESH).
let known = 0;
const sync = (a, b, c) => {
  const at = raw.simulateTrace(a, b, c, 0xffffffff, known);
  const w = new Uint32Array(wasm.memory.buffer);
  const n = w[(at >>> 2) + 2];
  if (w[(at >>> 2) + 3] !== 0) known = 0;
  for (let i = 4; i < n; i++) if (w[(at >>> 2) + i] >>> 30 === 2) known++;
};
const rawCall = traced ? (a, b, c) => raw.simulateTrace(a, b, c, 0xffffffff, known) : (a, b, c) => raw.simulateBuffer(a, b, c, 0xffffffff);
const rows = { "public simulate": [0, 0], [rawName]: [0, 0], "JSON.parse of the JSON answer": [0, 0], "raw decideBuffer": [0, 0] };
let chars = 0;
for (const r of reqs) {
  const [a, b, c] = put(r);
  if (traced) sync(a, b, c);
  const answer = raw.simulate(JSON.stringify(r));
  if (answer !== JSON.stringify(p.simulate(r))) throw new Error("the trace answer differs from the JSON answer");
  chars += answer.length;
  const add = (name, v) => { rows[name][0] += v[0] / reqs.length; rows[name][1] += v[1] / reqs.length; };
  add("public simulate", time(() => p.simulate(r)));
  add(rawName, time(() => rawCall(a, b, c)));
  add("JSON.parse of the JSON answer", time(() => JSON.parse(answer)));
  add("raw decideBuffer", time(() => raw.decideBuffer(a, b, c, 0xffffffff)));
}
console.log(`answers: ${(chars / reqs.length).toFixed(0)} UTF-16 units on average`);
for (const [name, [best, median]] of Object.entries(rows)) {
  console.log(`${name.padEnd(34)} best ${best.toFixed(2)} µs, median ${median.toFixed(2)} µs`);
}
console.log(`load ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
