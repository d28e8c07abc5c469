// Runs the bench module's `lint`: after 30 warm-up lints, `node lint.mjs <wasm> <n>` lints the largest
// managed policy n more times (for callgrind: lint-instructions.sh takes the difference of n = 20 and n = 0);
// `node lint.mjs <wasm> <n> time` prints the minimum time of n single lints instead.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const wasm = new WebAssembly.Module(readFileSync(process.argv[2]));
const { buffer, lint, memory } = new WebAssembly.Instance(wasm, {}).exports;
const file = fileURLToPath(new URL('../../../tests/corpus/aws-managed-policies/AWSSupportServiceRolePolicy.json', import.meta.url));
const bytes = new TextEncoder().encode(readFileSync(file, 'utf8'));
const at = buffer(bytes.length);
new Uint8Array(memory.buffer, at, bytes.length).set(bytes);
lint(30);
const n = +(process.argv[3] ?? 20);
if (process.argv[4] === 'time') {
  let min = Infinity;
  for (let r = 0; r < n; r++) {
    const t = process.hrtime.bigint();
    lint(1);
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`lint, largest managed policy, in the module: min ${min.toFixed(3)} ms of ${n}`);
} else {
  lint(n);
}
