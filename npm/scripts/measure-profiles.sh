#!/usr/bin/env bash
# Measures the wasm size (and a speed probe) of release-profile choices for the WebAssembly build,
# overriding [profile.wasm-release] through CARGO_PROFILE_WASM_RELEASE_* variables. It builds a
# snapshot of the committed tree (git archive HEAD), so edits in the working tree during the
# run cannot mix into some variants. Each variant is a full rebuild (several minutes on 2 cores).
# Prints a Markdown table for docs/benchmarks.md.
# Usage: npm/scripts/measure-profiles.sh   (after npm/scripts/build.sh, which installs the tools)
set -euo pipefail
npm_dir=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$npm_dir/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src="$work/src"
mkdir -p "$src"
git -C "$root" archive HEAD | tar -x -C "$src"

probe="$work/probe.mjs"
cat > "$probe" <<'JS'
import { readFileSync } from "node:fs";
const [glue, wasmPath, corpus] = process.argv.slice(2);
const g = await import(glue);
g.initSync({ module: readFileSync(wasmPath) });
const ro = readFileSync(corpus + "/ReadOnlyAccess.json", "utf8");
const med = (f, n) => { const t = []; for (let i = 0; i < n; i++) { const s = performance.now(); f(); t.push(performance.now() - s); } t.sort((a, b) => a - b); return t[n >> 1]; };
const enc = (s) => new TextEncoder().encode(s);
const lint = med(() => g.lintReport(enc(ro), undefined), 15);
const p = g.prepare(enc(JSON.stringify({ identity: [ro] })));
const req = JSON.stringify({ principal: "arn:aws:iam::111122223333:user/a", action: "ec2:DescribeInstances", resource: "*" });
const sim = med(() => { for (let i = 0; i < 100; i++) p.simulate(req); }, 9) * 10;
console.log(`${lint.toFixed(1)} ms | ${sim.toFixed(0)} µs`);
JS

# The engine's hot crates, kept at "s" in the mixed variant (the rest of the code at "z").
hot=(iamscope-syntax iamscope-policy iamscope-eval iamscope-lint iamscope-catalog iamscope-wasm)
mixed=()
for c in "${hot[@]}"; do mixed+=(--config "profile.wasm-release.package.$c.opt-level=\"s\""); done

echo "| opt-level | lto | codegen-units | panic | cargo .wasm | after wasm-bindgen + wasm-opt -Oz | gzip -9 | lint ReadOnlyAccess | prepared simulate |"
echo "|---|---|---|---|---|---|---|---|---|"
# VARIANTS (optional): lines of "opt-level lto codegen-units panic" to measure instead.
default_variants="s fat 1 abort
z fat 1 abort
3 fat 1 abort
s thin 16 abort
s fat 1 unwind
z+hot-s fat 1 abort"
while IFS= read -r variant; do
  [ -n "$variant" ] || continue
  read -r opt lto cgu panic <<< "$variant"
  extra=()
  if [ "$opt" = "z+hot-s" ]; then extra=("${mixed[@]}"); level=z; else level=$opt; fi
  (cd "$src" && CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=$level CARGO_PROFILE_WASM_RELEASE_LTO=$lto \
    CARGO_PROFILE_WASM_RELEASE_CODEGEN_UNITS=$cgu CARGO_PROFILE_WASM_RELEASE_PANIC=$panic \
    cargo build -q "${extra[@]}" -p iamscope-wasm --target wasm32-unknown-unknown --profile wasm-release 2>/dev/null)
  in="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/iamscope_wasm.wasm"
  raw=$(wc -c < "$in")
  rm -rf "$work/out" && wasm-bindgen --target web --out-dir "$work/out" --out-name iamscope "$in"
  (cd "$npm_dir" && npx --no-install wasm-opt -Oz --strip-debug --strip-producers "$work/out/iamscope_bg.wasm" -o "$work/out/iamscope_bg.wasm")
  opt_bytes=$(wc -c < "$work/out/iamscope_bg.wasm")
  gz=$(gzip -9 -c "$work/out/iamscope_bg.wasm" | wc -c)
  speed=$(node "$probe" "$work/out/iamscope.js" "$work/out/iamscope_bg.wasm" "$root/tests/corpus/aws-managed-policies")
  echo "| $opt | $lto | $cgu | $panic | $raw | $opt_bytes | $gz | $speed |"
done <<< "${VARIANTS:-$default_variants}"
echo
echo "Snapshot: $(git -C "$root" rev-parse --short HEAD); lint ReadOnlyAccess = median of 15 \`lintReport\`; prepared simulate = median per request (ec2:DescribeInstances against ReadOnlyAccess, full trace)."
