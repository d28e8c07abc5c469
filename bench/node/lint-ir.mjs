// Instructions per lint inside the module, for callgrind (independent of the machine's load):
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node lint-ir.mjs <dist folder> <mode>
// lints the managed corpus once and the largest policy 5 times to warm up, then per <mode>:
// `warm` nothing more, `big` 200 lints of the largest policy, `corpus` one more pass over the
// corpus. The cost of one lint is the difference of two runs' totals ("I refs") divided by the
// count (run `warm` twice to see its run-to-run spread).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [distDir, mode = "warm"] = process.argv.slice(2);
if (!distDir) {
  console.error("usage: node lint-ir.mjs <dist folder> [warm|big|corpus]");
  process.exit(2);
}
const api = await import(pathToFileURL(path.resolve(distDir, "node.js")).href);
const dir = new URL("../../tests/corpus/aws-managed-policies/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const texts = files.map((f) => readFileSync(new URL(f, dir), "utf8"));
const big = texts.reduce((b, t) => (t.length > b.length ? t : b), "");
for (const t of texts) api.lint(t);
for (let i = 0; i < 5; i++) api.lint(big);
let n = 0;
if (mode === "big") for (let i = 0; i < 200; i++) n += api.lint(big).length;
if (mode === "corpus") for (const t of texts) n += api.lint(t).length;
console.log(mode, n);
