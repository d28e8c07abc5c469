// Lint loop (issue #10): min and median of `iamscope.lint` on the largest managed policy and on
// the whole managed corpus, in ms. bench.mjs reports medians only; the gap between the two shows
// how much of a call is the garbage collector and JSON.parse of the answer rather than the engine.
//   node lint-loop.mjs [path to dist/node.js] [calls on the largest policy] [corpus passes]
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
const dist = process.argv[2] ?? new URL("../../npm/dist/node.js", import.meta.url).href;
const iamscope = await import(dist.startsWith("/") ? "file://" + dist : dist);
const dir = new URL("../../tests/corpus/aws-managed-policies/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const texts = files.map((f) => readFileSync(new URL(f, dir), "utf8"));
const largest = texts.reduce((best, t, i) => (t.length > texts[best].length ? i : best), 0);

/** Times `n` calls of `fn`, returns [min, median] in ms. */
function times(fn, n) {
  const all = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    all.push(performance.now() - t);
  }
  all.sort((a, b) => a - b);
  return [all[0], all[all.length >> 1]];
}

let diagnostics = 0;
const corpus = () => {
  diagnostics = 0;
  for (const t of texts) diagnostics += iamscope.lint(t).length;
};
corpus(); // warm-up: catalog decode, JIT
const [bigMin, bigMed] = times(() => iamscope.lint(texts[largest]), +(process.argv[3] ?? 300));
const [allMin, allMed] = times(corpus, +(process.argv[4] ?? 8));
console.log(`largest (${files[largest]}): min ${bigMin.toFixed(2)} ms, median ${bigMed.toFixed(2)} ms`);
console.log(`corpus (${texts.length} policies, ${diagnostics} diagnostics): min ${allMin.toFixed(1)} ms, median ${allMed.toFixed(1)} ms`);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
