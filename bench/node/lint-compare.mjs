// Lint speed of several builds of the npm package in one Node process, interleaved (round after
// round: 40 lints of the largest managed policy, then one pass over the managed corpus, for each
// build in turn), so that a busy machine slows every build alike. Prints min and median per build.
//   node lint-compare.mjs <dist folder> [<dist folder> ...]   (ROUNDS=15 by default)
// e.g. node lint-compare.mjs /tmp/before/npm/dist ../../npm/dist
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dists = process.argv.slice(2);
if (dists.length === 0) {
  console.error("usage: node lint-compare.mjs <dist folder> [<dist folder> ...]");
  process.exit(2);
}
const apis = [];
for (const d of dists) apis.push(await import(pathToFileURL(path.resolve(d, "node.js")).href));
const dir = new URL("../../tests/corpus/aws-managed-policies/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const texts = files.map((f) => readFileSync(new URL(f, dir), "utf8"));
const big = texts.reduce((b, t) => (t.length > b.length ? t : b), "");
const rounds = +(process.env.ROUNDS ?? 15);
const res = dists.map(() => ({ big: [], all: [] }));
for (const a of apis) for (const t of texts) a.lint(t); // warm-up
for (let r = 0; r < rounds; r++) {
  apis.forEach((a, k) => {
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      a.lint(big);
      res[k].big.push(performance.now() - t);
    }
    const t = performance.now();
    for (const x of texts) a.lint(x);
    res[k].all.push(performance.now() - t);
  });
}
const st = (v) => {
  v.sort((a, b) => a - b);
  return `min ${v[0].toFixed(2)} ms, median ${v[v.length >> 1].toFixed(2)} ms`;
};
dists.forEach((d, k) =>
  console.log(`${d}: largest ${st(res[k].big)} | corpus ${st(res[k].all)}`),
);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
