// Instructions per prepared-set call in Node, counted by callgrind (robust to the machine's load,
// unlike times): node runs the six requests of the scenario `n` times each after the same
// warm-up, once with n = 0 and once with the given n, under `valgrind --tool=callgrind`, with
// V8's optimizing wasm compiler only and no helper threads (--no-liftoff --single-threaded, as
// lint-instructions.mjs); the difference divided by 6n is one call.
//   node simulate-instructions.mjs [path to dist/node.js] [n, default 1000] [same|fresh|trace|decide]
// - `same`: the public traced `prepared.simulate` (bench.mjs's "simulate, prepared policy set"),
//   JavaScript (the wrapper, the garbage collector) and module together, the same request object
//   each call; `fresh`: a new request object each call, as bench.mjs does.
// - `trace`: the raw `simulateTrace` binding alone (evaluation and the answer as numbers: the
//   module's share); `decide`: the raw `decideBuffer`, for comparison. These load only the raw
//   bindings, so the process holds one instance of the module (a second instance slows the first:
//   docs/benchmarks.md, "Session 6, the wrapper's share").
// Needs valgrind. Takes a few minutes. (Session 6's tracecore figures were taken with this
// method's first form, bench/node/trace-ir.mjs, under V8's default flags.)
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const [, self, distArg, nArg, modeArg, child] = process.argv;
const dist = distArg ?? fileURLToPath(new URL("../../npm/dist/node.js", import.meta.url));
const mode = modeArg ?? "same";
if (!["same", "fresh", "trace", "decide"].includes(mode)) throw new Error(`unknown mode ${mode}`);

if (child !== undefined) {
  const { deny, principal, rawSet, readOnlyAccess, requests, s3FullAccess } = await import("./scenario.mjs");
  const policies = { identity: [readOnlyAccess, s3FullAccess, deny] };
  const reqs = requests.map(([action, resource]) => ({ principal, action, resource }));
  let run;
  if (mode === "same" || mode === "fresh") {
    const iamscope = await import(pathToFileURL(dist).href);
    const p = iamscope.prepare(policies);
    run = mode === "fresh"
      ? (j, k) => { const [action, resource] = requests[j]; for (let i = 0; i < k; i++) p.simulate({ principal, action, resource }); }
      : (j, k) => { const q = reqs[j]; for (let i = 0; i < k; i++) p.simulate(q); };
  } else {
    // The request's fields in the set's request buffer, as the npm wrapper writes them.
    const { wasm, raw, put } = await rawSet(pathToFileURL(dist), policies);
    // simulateTrace takes the count of strings the caller holds for the set: `known` follows the
    // module as a wrapper that read every answer would, counting the new held strings of an
    // answer (tag NEW, 0x8000_0000 | bytes: above every other number of these answers but NONE
    // and FRESH); a wrong count would reset the set's strings on every call.
    let known = 0;
    const sync = (at) => {
      const w = new Uint32Array(wasm.memory.buffer);
      const i = at >>> 2;
      if (w[i + 3] !== 0) known = 0;
      for (let k = 4; k < w[i + 2]; k++) if (w[i + k] >>> 30 === 2) known++;
    };
    run = (j, k) => {
      const [a, b, c] = put(reqs[j]);
      if (mode === "decide") {
        for (let i = 0; i < k; i++) raw.decideBuffer(a, b, c, 0xffffffff);
      } else {
        sync(raw.simulateTrace(a, b, c, 0xffffffff, known));
        for (let i = 0; i < k; i++) raw.simulateTrace(a, b, c, 0xffffffff, known);
      }
    };
  }
  for (let j = 0; j < reqs.length; j++) run(j, 3000);
  for (let j = 0; j < reqs.length; j++) run(j, +nArg);
  process.exit(0);
}

// IAMSCOPE_PREDICTABLE=1: V8's --predictable with fixed hash and random seeds as well, which
// makes the count repeat: two runs of one build at n=3000 (trace) read 10,283 and 10,247 with
// them, 9,975 and 10,478 without (docs/benchmarks.md, "Session 10, the trace writer at
// opt-level 3"). Off by default so that figures stay comparable with earlier sessions'.
const predictable = process.env.IAMSCOPE_PREDICTABLE === "1" ? ["--predictable", "--hash-seed=1", "--random-seed=1"] : [];

function refs(n) {
  const r = spawnSync(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, "--no-liftoff", "--single-threaded", ...predictable, self, dist, String(n), mode, "child"],
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
