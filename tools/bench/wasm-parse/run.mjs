// Minimum time of single parse_policy calls in wasm (robust to a loaded machine), for the largest
// managed policy and ReadOnlyAccess. Usage: node run.mjs path/to.wasm
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const wasm = new WebAssembly.Module(readFileSync(process.argv[2]));
const { buffer, parse_policy, tape, parse_for_s3, memory } = new WebAssembly.Instance(wasm, {}).exports;
const dir = fileURLToPath(new URL('../../../tests/corpus/aws-managed-policies/', import.meta.url));

function best(name, reps, fn = parse_policy, label = 'parse_policy') {
  const bytes = new TextEncoder().encode(readFileSync(dir + name, 'utf8'));
  const at = buffer(bytes.length);
  new Uint8Array(memory.buffer, at, bytes.length).set(bytes);
  fn(3);
  let min = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    fn(1);
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`${label.padEnd(13)} ${name.padEnd(36)} ${min.toFixed(3)} ms  ${(bytes.length / min / 1e3).toFixed(0)} MB/s`);
}

best('AWSSupportServiceRolePolicy.json', 400);
best('ReadOnlyAccess.json', 400);
best('ReadOnlyAccess.json', 400, tape, 'tape');
best('ReadOnlyAccess.json', 400, parse_for_s3, 'parse_for_s3');

// The whole managed corpus, one parse_policy per policy (the text copied into the module first,
// as the npm package's lint does), best of 20 passes: what the linter's parse and lowering cost
// in the module for the corpus (bench.mjs's corpus row), before any rule runs.
{
  const { readdirSync } = await import('node:fs');
  const texts = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => new TextEncoder().encode(readFileSync(dir + f, 'utf8')));
  const pass = () => {
    for (const bytes of texts) {
      const at = buffer(bytes.length);
      new Uint8Array(memory.buffer, at, bytes.length).set(bytes);
      parse_policy(1);
    }
  };
  pass();
  let min = Infinity;
  for (let r = 0; r < 20; r++) {
    const t = process.hrtime.bigint();
    pass();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  const total = texts.reduce((n, b) => n + b.length, 0);
  console.log(`parse_policy  whole corpus (${texts.length} policies, ${(total / 1e6).toFixed(2)} MB)  ${min.toFixed(2)} ms  ${(total / min / 1e3).toFixed(0)} MB/s`);
}
