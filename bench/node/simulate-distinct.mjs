// Prepared `simulate` (the full trace) with a new resource each call, as a workload of ever new
// requests has it (bench.mjs and simulate-prepared-loop.mjs repeat six requests): the benchmark's
// policy set and principal, `s3:GetObject` on arn:aws:s3:::reports/2024/q<i>.csv; best of 60
// batches of 1,000 calls after 20,000, in µs per call. One build per process (a second instance of
// the module slows the first): alternate separate processes to compare two builds.
//   node simulate-distinct.mjs [dist/node.js]
import os from "node:os";
import { deny, principal, readOnlyAccess, s3FullAccess } from "./scenario.mjs";

const dist = process.argv[2] ?? new URL("../../npm/dist/node.js", import.meta.url).href;
const iamscope = await import(dist.startsWith("/") ? "file://" + dist : dist);
const p = iamscope.prepare({ identity: [readOnlyAccess, s3FullAccess, deny] });
let i = 0;
const next = () => p.simulate({ principal, action: "s3:GetObject", resource: `arn:aws:s3:::reports/2024/q${i++}.csv` });
for (let k = 0; k < 20000; k++) next();
let best = Infinity;
for (let b = 0; b < 60; b++) {
  const t = performance.now();
  for (let k = 0; k < 1000; k++) next();
  best = Math.min(best, performance.now() - t);
}
console.log(`${dist} distinct resources: best-of-batches ${best.toFixed(2)} µs per call; load ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
