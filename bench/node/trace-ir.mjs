// Instruction counts of the traced prepared simulate in Node, robust to the machine's load (the
// method of decide-ir.mjs): run it under callgrind with 0 and with N calls per request after the
// same warm-up, and divide the difference by 6N (the six requests of scenario.mjs). `what` is
// `public` (prepared.simulate, the whole answer as objects), `trace` (the raw simulateTrace
// binding of a second instance of the same .wasm: evaluation and the answer as numbers, the
// module's share) or `decide` (the raw decideBuffer, for comparison):
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node trace-ir.mjs [dist/node.js] trace 0
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node trace-ir.mjs [dist/node.js] trace 5000
import { readFileSync } from "node:fs";
import { deny, principal, readOnlyAccess, requests, s3FullAccess } from "./scenario.mjs";

const dist = process.argv[2] ?? new URL("../../npm/dist/node.js", import.meta.url).href;
const distUrl = dist.startsWith("/") ? "file://" + dist : dist;
const what = process.argv[3] ?? "trace";
const n = Number(process.argv[4] ?? 0);
const policies = { identity: [readOnlyAccess, s3FullAccess, deny] };
const reqs = requests.map(([action, resource]) => ({ principal, action, resource }));

// `prep(r)` readies a request, `call(x)` makes one call with what it returned.
let prep, call, sync;
if (what === "public") {
  const iamscope = await import(distUrl);
  const p = iamscope.prepare(policies);
  prep = (r) => r;
  call = (r) => p.simulate(r);
} else {
  const glue = await import(new URL("wasm/iamscope.js?raw", distUrl).href);
  const wasm = glue.initSync({ module: readFileSync(new URL("wasm/iamscope_bg.wasm", distUrl)) });
  const raw = glue.prepare(new TextEncoder().encode(JSON.stringify(policies)));
  const enc = new TextEncoder();
  // The request's fields in the set's request buffer, as the npm wrapper writes them (once per
  // request: the calls read them there).
  prep = (r) => {
    const bytes = [r.principal, r.action, r.resource].map((s) => enc.encode(s));
    let o = raw.requestBuffer(bytes.reduce((k, b) => k + b.length, 0));
    const mem = new Uint8Array(wasm.memory.buffer);
    for (const b of bytes) {
      mem.set(b, o);
      o += b.length;
    }
    return bytes.map((b) => b.length);
  };
  // simulateTrace takes the count of strings the caller holds for the set (session 6, tracejs):
  // `known` follows the module as a wrapper that read every answer would, counting the new held
  // strings of each first answer (tag NEW, 0x8000_0000 | bytes: above every other number of
  // these answers but NONE and FRESH); a wrong count would reset the set's strings every call.
  let known = 0;
  sync = (at) => {
    const w = new Uint32Array(wasm.memory.buffer);
    const i = at >>> 2;
    if (w[i + 3] !== 0) known = 0;
    for (let k = 4; k < w[i + 2]; k++) if (w[i + k] >>> 30 === 2) known++;
  };
  call =
    what === "decide"
      ? ([a, b, c]) => raw.decideBuffer(a, b, c, 0xffffffff)
      : ([a, b, c]) => raw.simulateTrace(a, b, c, 0xffffffff, known);
}
const out = [];
for (const r of reqs) {
  const x = prep(r);
  const first = call(x);
  if (what === "trace") sync(first);
  out.push(first !== 0);
  for (let i = 0; i < 3000; i++) call(x);
}
for (const r of reqs) {
  const x = prep(r);
  for (let i = 0; i < n; i++) call(x);
}
console.log(`${what}: ${out.join(",")}; ${n} calls per request after 3000`);
