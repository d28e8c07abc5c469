// Tight loop over prepared.simulate (the full trace; bench.mjs's "simulate, prepared policy set"):
// best-of-batches and median per call, in µs, averaged over the six requests; with two builds
// the rounds alternate between them, so that both see the same load.
//   node simulate-prepared-loop.mjs [dist/node.js ...] [--rounds N]
import os from "node:os";
import { deny, principal, readOnlyAccess, requests, s3FullAccess } from "./scenario.mjs";

const args = process.argv.slice(2);
const r = args.indexOf("--rounds");
const rounds = r >= 0 ? Number(args.splice(r, 2)[1]) : 3;
const dists = args.length > 0 ? args : [new URL("../../npm/dist/node.js", import.meta.url).href];
const policies = { identity: [readOnlyAccess, s3FullAccess, deny] };
const reqs = requests.map(([action, resource]) => ({ principal, action, resource }));
const builds = [];
for (const dist of dists) {
  const iamscope = await import(dist.startsWith("/") ? "file://" + dist : dist);
  builds.push({ dist, p: iamscope.prepare(policies), best: [], median: [] });
}
const first = JSON.stringify(reqs.map((q) => builds[0].p.simulate(q)));
for (const b of builds) {
  if (JSON.stringify(reqs.map((q) => b.p.simulate(q))) !== first) throw new Error(`${b.dist} answers differently`);
}
const load0 = os.loadavg();
for (let round = 0; round < rounds; round++) {
  for (const b of builds) {
    let sum = 0, best = 0;
    for (const q of reqs) {
      for (let i = 0; i < 3000; i++) b.p.simulate(q);
      const per = [];
      for (let k = 0; k < 40; k++) {
        const t = performance.now();
        for (let i = 0; i < 500; i++) b.p.simulate(q);
        per.push((performance.now() - t) / 500);
      }
      per.sort((x, y) => x - y);
      sum += per[per.length >> 1];
      best += per[0];
    }
    b.best.push((best / reqs.length) * 1000);
    b.median.push((sum / reqs.length) * 1000);
  }
}
const f = (l) => l.map((x) => x.toFixed(2)).join(" ");
for (const b of builds) console.log(`${b.dist}\n  prepared simulate: best-of-batches ${f(b.best)} µs; median ${f(b.median)} µs`);
console.log(`load ${load0.map((x) => x.toFixed(2)).join(" ")} at the start, ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} at the end`);
