#!/usr/bin/env bash
# The playground's end-to-end tests in headless Chromium: ensures Debian's chromium is installed
# (apt-get, ~1 min the first time), builds the site (scripts/build.sh), and runs test/*.test.mjs
# with node --test (playwright-core drives /usr/bin/chromium; no browser download). Screenshots and
# the exported scenario go to tests-output/playground/.
# Usage: www/scripts/test.sh
set -euo pipefail
www=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$www/.." && pwd)
step() { printf '==> %s\n' "$*" >&2; }

if ! command -v chromium >/dev/null 2>&1; then
  step "installing chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
fi

"$www/scripts/build.sh"

mkdir -p "$root/tests-output/playground"
step "end-to-end tests (node --test, headless Chromium $(chromium --version 2>/dev/null | awk '{print $2}'))"
cd "$www"
PLAYGROUND_TEST_OUTPUT="$root/tests-output/playground" node --test --test-concurrency=1 --test-reporter=spec test/*.test.mjs
