// prepared.decide per call in wall-clock and in CPU time (process.cpuUsage, less sensitive to other
// processes than the wall clock): best and median of 40 batches of 2,000 calls per request, mean
// over the six requests of scenario.mjs.   node decide-cpu.mjs <dist/node.js> [decide|simulate]
import { deny, principal, readOnlyAccess, requests, s3FullAccess } from "./scenario.mjs";
import os from "node:os";
const dist = process.argv[2];
const mode = process.argv[3] ?? "decide";
const iamscope = await import(dist.startsWith("/") ? "file://" + dist : dist);
const p = iamscope.prepare({ identity: [readOnlyAccess, s3FullAccess, deny] });
const reqs = requests.map(([action, resource]) => ({ principal, action, resource }));
const N = mode === "decide" ? 2000 : 100;
let wsum = 0, wbest = 0, csum = 0, cbest = 0;
for (const r of reqs) {
  for (let i = 0; i < 10 * N; i++) p[mode](r);
  const w = [], c = [];
  for (let b = 0; b < 40; b++) {
    const c0 = process.cpuUsage(); const t = performance.now();
    for (let i = 0; i < N; i++) p[mode](r);
    const t1 = performance.now(); const c1 = process.cpuUsage(c0);
    w.push((t1 - t) * 1000 / N); c.push((c1.user + c1.system) / N);
  }
  w.sort((a, b) => a - b); c.sort((a, b) => a - b);
  wsum += w[w.length >> 1]; wbest += w[0]; csum += c[c.length >> 1]; cbest += c[0];
}
const k = reqs.length;
console.log(`${mode} ${dist}: wall best ${(wbest / k).toFixed(3)} med ${(wsum / k).toFixed(3)} | cpu best ${(cbest / k).toFixed(3)} med ${(csum / k).toFixed(3)} µs; load ${os.loadavg()[0].toFixed(2)}`);
