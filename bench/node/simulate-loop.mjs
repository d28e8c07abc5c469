// Text simulate (issue #10's "simulate, policies as text each call"): iamscope.simulate with the
// three policy texts of scenario.mjs each call, against iam-simulate (AGPL; only run here) on the
// same requests, interleaved so both see the same load. Per call, in µs: the minimum and the
// median of single calls, summed over the six requests and divided by six, as bench.mjs does.
//   node simulate-loop.mjs [path to dist/node.js] [rounds]
import os from "node:os";
import { deny, iamSimulate, principal, readOnlyAccess, requests, s3FullAccess } from "./scenario.mjs";

const dist = process.argv[2] ?? new URL("../../npm/dist/node.js", import.meta.url).href;
const iamscope = await import(dist.startsWith("/") ? "file://" + dist : dist);
const rounds = Number(process.argv[3] ?? 300);
const policies = { identity: [readOnlyAccess, s3FullAccess, deny] };
const ours = ([action, resource]) => iamscope.simulate({ policies, request: { principal, action, resource } });
const theirs = iamSimulate;
const load0 = os.loadavg();
const stats = { ours: requests.map(() => []), theirs: requests.map(() => []) };
for (let round = 0; round < rounds; round++) {
  for (const [i, r] of requests.entries()) {
    let t = performance.now();
    ours(r);
    stats.ours[i].push(performance.now() - t);
    if (round % 5 === 0) {
      t = performance.now();
      await theirs(r);
      stats.theirs[i].push(performance.now() - t);
    }
  }
}
const summary = (lists) => {
  let min = 0, median = 0;
  for (const l of lists) {
    l.sort((a, b) => a - b);
    min += l[0];
    median += l[l.length >> 1];
  }
  return { min: (min / lists.length) * 1000, median: (median / lists.length) * 1000 };
};
const a = summary(stats.ours);
const b = summary(stats.theirs);
const f = (x) => x.toFixed(1);
console.log(`decisions ${requests.map((r) => ours(r).decision).join(",")}`);
console.log(`iamscope text simulate: min ${f(a.min)} µs, median ${f(a.median)} µs`);
console.log(`iam-simulate:           min ${f(b.min)} µs, median ${f(b.median)} µs`);
console.log(`ratio: min ${(b.min / a.min).toFixed(1)}x, median ${(b.median / a.median).toFixed(1)}x`);
console.log(`load ${load0.map((x) => x.toFixed(2)).join(" ")} at the start, ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} at the end`);
