// Tight loop over prepared.decide (issue #10): best-of-batches and median per call, in µs.
//   node decide-loop.mjs [path to dist/node.js]
import { deny, principal, readOnlyAccess, requests, s3FullAccess } from "./scenario.mjs";
import os from "node:os";
const dist = process.argv[2] ?? new URL("../../npm/dist/node.js", import.meta.url).href;
const iamscope = await import(dist.startsWith("/") ? "file://" + dist : dist);
const p = iamscope.prepare({ identity: [readOnlyAccess, s3FullAccess, deny] });
const reqs = requests.map(([action, resource]) => ({ principal, action, resource }));
let sum = 0, best = 0;
const out = [];
for (const r of reqs) {
  out.push(p.decide(r).decision);
  for (let i = 0; i < 20000; i++) p.decide(r);
  const per = [];
  for (let b = 0; b < 60; b++) {
    const t = performance.now();
    for (let i = 0; i < 2000; i++) p.decide(r);
    per.push((performance.now() - t) / 2000);
  }
  per.sort((a, b) => a - b);
  sum += per[per.length >> 1];
  best += per[0];
}
console.log(`decisions ${out.join(",")}`);
console.log(`decide: best-of-batches ${(best / reqs.length * 1000).toFixed(3)} µs, median ${(sum / reqs.length * 1000).toFixed(3)} µs; load ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
