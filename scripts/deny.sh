#!/usr/bin/env bash
# Supply-chain checks (called by scripts/test.sh):
#  1. `cargo deny check licenses bans sources` on the workspace (deny.toml), then on the fuzz
#     workspace (fuzz/deny.toml, against its committed fuzz/Cargo.lock: `--locked`, so a lockfile
#     that no longer matches fuzz/Cargo.toml fails). cargo-deny is installed when missing, pinned
#     (crates.io, ~10 min on 2 busy cores, once per machine); NO_INSTALL=1 skips the install and
#     then the check, saying so.
#  2. `cargo deny check advisories` (both workspaces) only when the RustSec database on GitHub is
#     reachable (it is not on the build machine; docs/robustness.md says how to run it elsewhere or
#     offline).
#  3. `npm audit --package-lock-only` for every committed npm lockfile, when the registry answers
#     the audit endpoint (the build machine's mirror answers 405: reported, not a failure).
# Usage: scripts/deny.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
# 0.20.2 builds with Rust >= 1.88 (checked with 1.95); its own lockfile resolves on crates.io.
deny_version=0.20.2
npm_dirs=(npm npm/lsp www editors/vscode bench/node tests/differential)
status=0

have=$(cargo deny --version 2>/dev/null | awk '{print $2}')
if [ "$have" != "$deny_version" ] && [ -z "${NO_INSTALL:-}" ]; then
  echo "deny.sh: installing cargo-deny $deny_version (found: ${have:-none}); takes ~10 min on 2 busy cores" >&2
  cargo install cargo-deny --version "$deny_version" --locked ||
    cargo install cargo-deny --version "$deny_version"
  have=$(cargo deny --version 2>/dev/null | awk '{print $2}')
fi
if [ -z "$have" ] && [ -n "${NO_INSTALL:-}" ]; then
  echo "deny.sh: SKIPPED cargo deny (not installed and NO_INSTALL is set): licenses, bans, sources NOT checked" >&2
elif [ -z "$have" ]; then
  echo "deny.sh: cargo-deny $deny_version failed to install: licenses, bans, sources NOT checked" >&2
  status=1
else
  echo "cargo-deny $have: licenses, bans, sources"
  cargo deny --log-level warn check licenses bans sources || status=1
  fuzz=(--manifest-path fuzz/Cargo.toml --config fuzz/deny.toml --locked)
  echo "cargo-deny $have: licenses, bans, sources (fuzz/)"
  if ! cargo deny "${fuzz[@]}" --log-level warn check licenses bans sources; then
    echo "deny.sh: fuzz/ failed; if cargo says the lock file needs updating, an engine crate's" >&2
    echo "  dependencies changed: run (cd fuzz && cargo metadata --offline >/dev/null) and commit fuzz/Cargo.lock" >&2
    status=1
  fi
  if timeout 10 git ls-remote https://github.com/rustsec/advisory-db HEAD >/dev/null 2>&1; then
    cargo deny check advisories || status=1
    cargo deny "${fuzz[@]}" check advisories || status=1
  else
    echo "deny.sh: the RustSec advisory database (github.com) is unreachable: advisories skipped (docs/robustness.md, 'Supply chain')" >&2
  fi
fi

for dir in "${npm_dirs[@]}"; do
  [ -f "$dir/package-lock.json" ] || { echo "deny.sh: $dir/package-lock.json missing" >&2; status=1; continue; }
  out=$(cd "$dir" && timeout 120 npm audit --package-lock-only 2>&1)
  rc=$?
  if echo "$out" | grep -q "audit endpoint returned an error\|405 Method Not Allowed\|ENOTFOUND\|ECONNREFUSED\|ETIMEDOUT"; then
    echo "deny.sh: npm audit unavailable from this registry for $dir/ ($(echo "$out" | grep -m1 -o '405 Method Not Allowed\|ENOTFOUND\|ECONNREFUSED\|ETIMEDOUT\|endpoint returned an error')); skipped" >&2
  elif [ "$rc" -eq 0 ]; then
    echo "npm audit $dir/: $(echo "$out" | tail -1)"
  else
    echo "$out" >&2
    status=1
  fi
done
exit $status
