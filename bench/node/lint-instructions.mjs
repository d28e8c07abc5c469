// Instructions per `iamscope.lint` call, counted by callgrind (robust to the machine's load, unlike
// times): node runs the lint `n` times after a warm-up, once with n = 0 and once with the given n,
// under `valgrind --tool=callgrind`, with V8's optimizing wasm compiler only and no helper threads
// (--no-liftoff --single-threaded, so that compiling and tiering up are not counted in one run and
// not the other); the difference divided by n is one call.
//   node lint-instructions.mjs [path to dist/node.js] [calls on the largest policy, default 20] [corpus passes, default 0] [small rounds, default 0]
// `small rounds`: that many calls on each managed policy under 200 bytes without a finding (the
// fixed cost of a call: what the crossing and the engine cost when there is next to nothing to
// lint), reported per call.
// Needs valgrind. Takes about a minute per 20 calls.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [, self, distArg, callsArg, passesArg, smallArg, child] = process.argv;
const dist = distArg ?? fileURLToPath(new URL("../../npm/dist/node.js", import.meta.url));

if (child !== undefined) {
  // the measured process: `child` is "largest" or "corpus", `callsArg` the count
  const iamscope = await import("file://" + dist);
  const dir = new URL("../../tests/corpus/aws-managed-policies/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  const texts = files.map((f) => readFileSync(new URL(f, dir), "utf8"));
  const largest = texts.reduce((best, t) => (t.length > best.length ? t : best), "");
  const small = texts.filter((t) => t.length < 200 && iamscope.lint(t).length === 0);
  for (let i = 0; i < 30; i++) iamscope.lint(largest);
  for (const t of texts) iamscope.lint(t);
  for (let i = 0; i < 300; i++) for (const t of small) iamscope.lint(t);
  for (let i = 0; i < +callsArg; i++) {
    if (child === "largest") iamscope.lint(largest);
    else if (child === "small") for (const t of small) iamscope.lint(t);
    else for (const t of texts) iamscope.lint(t);
  }
  if (child === "small") console.log(small.length);
  process.exit(0);
}

function refs(what, n) {
  const r = spawnSync(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, "--no-liftoff", "--single-threaded", self, dist, String(n), "0", "0", what],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  if (what === "small") smallCount = +r.stdout.trim();
  const m = /I\s+refs:\s+([\d,]+)/.exec(r.stderr ?? "");
  if (!m) throw new Error(`no callgrind total in: ${String(r.stderr ?? r.error).slice(-500)}`);
  return Number(m[1].replaceAll(",", ""));
}
let smallCount = 1;
function perCall(what, n) {
  const base = refs(what, 0);
  return (refs(what, n) - base) / n;
}
const calls = +(callsArg ?? 20);
const passes = +(passesArg ?? 0);
if (calls > 0) console.log(`largest policy: ${(perCall("largest", calls) / 1e6).toFixed(2)} M instructions per lint() (${calls} calls)`);
if (passes > 0) console.log(`corpus: ${(perCall("corpus", passes) / 1e6).toFixed(1)} M instructions per pass (${passes} passes)`);
const small = +(smallArg ?? 0);
if (small > 0) {
  const perRound = perCall("small", small);
  console.log(`small policies: ${(perRound / smallCount / 1e3).toFixed(1)} k instructions per lint() (${smallCount} policies x ${small} rounds)`);
}
