#!/usr/bin/env bash
# Supply-chain checks: `cargo deny` (licenses, duplicate versions, sources; advisories when the
# RustSec database on GitHub is reachable) and `npm audit` for npm/ (when the registry answers
# the audit endpoint; the mirror on the build machine answers 405, so it is skipped there).
# Usage: scripts/deny.sh   (needs `cargo install cargo-deny --locked`)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
status=0
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "deny.sh: cargo-deny is not installed (cargo install cargo-deny --locked); skipped" >&2
else
  cargo deny check licenses bans sources || status=1
  if timeout 10 git ls-remote https://github.com/rustsec/advisory-db HEAD >/dev/null 2>&1; then
    cargo deny check advisories || status=1
  else
    echo "deny.sh: RustSec advisory database unreachable (offline); advisories skipped" >&2
  fi
fi
for dir in npm; do
  if out=$(cd "$dir" && timeout 60 npm audit --omit=dev 2>&1); then
    echo "$out" | tail -3
  elif echo "$out" | grep -q "audit endpoint returned an error\|ENOTFOUND\|ECONNREFUSED\|405"; then
    echo "deny.sh: npm audit endpoint unavailable for $dir/; skipped" >&2
  else
    echo "$out" >&2
    status=1
  fi
done
exit $status
