// Instruction counts of prepared.decide in Node, robust to the machine's load: run it under
// callgrind twice, with 0 and with N calls per request after the same warm-up, and divide the
// difference by 6N (the six requests of scenario.mjs):
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node decide-ir.mjs [dist/node.js] 0
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node decide-ir.mjs [dist/node.js] 20000
import { deny, principal, readOnlyAccess, requests, s3FullAccess } from "./scenario.mjs";
const dist = process.argv[2] ?? new URL("../../npm/dist/node.js", import.meta.url).href;
const iamscope = await import(dist.startsWith("/") ? "file://" + dist : dist);
const n = Number(process.argv[3] ?? 0);
const p = iamscope.prepare({ identity: [readOnlyAccess, s3FullAccess, deny] });
const reqs = requests.map(([action, resource]) => ({ principal, action, resource }));
const out = [];
for (const r of reqs) {
  out.push(p.decide(r).decision);
  for (let i = 0; i < 3000; i++) p.decide(r);
}
for (const r of reqs) for (let i = 0; i < n; i++) p.decide(r);
console.log(`decisions ${out.join(",")}; ${n} calls per request after 3000`);
