// Instructions per traced prepared `simulate` call (bench.mjs's "simulate, prepared policy set"),
// counted by callgrind (robust to the machine's load, unlike times): node runs the six requests of
// the scenario `n` times each after a warm-up, once with n = 0 and once with the given n, under
// `valgrind --tool=callgrind`, with V8's optimizing wasm compiler only and no helper threads
// (--no-liftoff --single-threaded, as lint-instructions.mjs); the difference divided by 6n is one
// call, JavaScript (the wrapper, the garbage collector) and module together.
//   node simulate-instructions.mjs [path to dist/node.js] [n, default 1000] [same|fresh]
// `same` passes the same request object each call; `fresh` a new one (as bench.mjs does).
// Needs valgrind. Takes a few minutes.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const [, self, distArg, nArg, modeArg, child] = process.argv;
const dist = distArg ?? fileURLToPath(new URL("../../npm/dist/node.js", import.meta.url));
const mode = modeArg ?? "same";

if (child !== undefined) {
  const { deny, principal, readOnlyAccess, requests, s3FullAccess } = await import("./scenario.mjs");
  const iamscope = await import("file://" + dist);
  const p = iamscope.prepare({ identity: [readOnlyAccess, s3FullAccess, deny] });
  const reqs = requests.map(([action, resource]) => ({ principal, action, resource }));
  const run = mode === "fresh"
    ? (j, k) => { const [action, resource] = requests[j]; for (let i = 0; i < k; i++) p.simulate({ principal, action, resource }); }
    : (j, k) => { const q = reqs[j]; for (let i = 0; i < k; i++) p.simulate(q); };
  for (let j = 0; j < reqs.length; j++) run(j, 3000);
  for (let j = 0; j < reqs.length; j++) run(j, +nArg);
  process.exit(0);
}

function refs(n) {
  const r = spawnSync(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, "--no-liftoff", "--single-threaded", self, dist, String(n), mode, "child"],
    { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] },
  );
  const m = /Collected\s*:\s*(\d+)/.exec(r.stderr ?? "");
  if (!m) throw new Error(`no callgrind total in: ${String(r.stderr ?? r.error).slice(-500)}`);
  return Number(m[1]);
}

const n = Number(nArg ?? 1000);
const base = refs(0);
const total = refs(n);
console.log(`${dist} (${mode}): ${Math.round((total - base) / (6 * n))} instructions per call (${base} at n=0, ${total} at n=${n})`);
