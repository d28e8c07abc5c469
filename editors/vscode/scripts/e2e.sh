#!/usr/bin/env bash
# End-to-end test of the extension in a REAL VS Code: code-server 4.100.3 (VS Code 1.100, the last
# release for Node 20) from npm, the built .vsix installed into it, a workspace with a broken
# policy opened in headless Chromium driven by playwright-core. Checks the squiggle and the
# Problems entry with the iamscope code, applies the quick fix from the light bulb, hovers an
# action for its access level, runs "iamscope: Simulate request". Screenshots go to
# tests-output/vscode/ (at the repository root).
#
# Installs when missing: code-server into $IAMSCOPE_CACHE (default ~/.cache/iamscope), see
# install-code-server.sh (apt libkrb5-dev, ripgrep, build-essential, python3); apt chromium.
# Builds the .vsix with build.sh. Takes about 1 min once installed (install ~3-8 min, once).
# Usage: editors/vscode/scripts/e2e.sh
set -euo pipefail
ext=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$ext/../.." && pwd)
out="$root/tests-output/vscode"
step() { printf '==> %s\n' "$*" >&2; }

if [ ! -x /usr/bin/chromium ]; then
  step "apt-get install chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >&2
fi

# IAMSCOPE_VSIX=<file> tests an already built .vsix instead of building one.
vsix=${IAMSCOPE_VSIX:-}
if [ -z "$vsix" ]; then vsix=$("$ext/scripts/build.sh"); fi
code_server=$("$ext/scripts/install-code-server.sh")

work=$(mktemp -d "${TMPDIR:-/tmp}/iamscope-e2e.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The workspace: copied from the test's fixtures.
cp -r "$ext/test/e2e-workspace" "$work/workspace"
mkdir -p "$work/user/User" "$work/extensions" "$out"
cat > "$work/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "chat.commandCenter.enabled": false,
  "editor.hover.delay": 300,
  "editor.minimap.enabled": false,
  "editor.lightbulb.enabled": "on",
  "files.simpleDialog.enable": true
}
JSON
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$work/config.yaml"

step "installing $(basename "$vsix") into code-server"
"$code_server" --extensions-dir "$work/extensions" --user-data-dir "$work/user" --config "$work/config.yaml" \
  --install-extension "$vsix" >&2
ls "$work/extensions" | grep -q '^iamscope\.iamscope-' || { echo "the extension was not installed" >&2; exit 1; }

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
step "starting code-server on 127.0.0.1:$port"
"$code_server" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$work/user" --extensions-dir "$work/extensions" --config "$work/config.yaml" \
  "$work/workspace" > "$out/code-server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' \
    "http://127.0.0.1:$port/healthz" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$out/code-server.log" >&2; exit 1; fi
  sleep 0.5
done

step "playwright-core in Chromium"
cd "$ext"
CODE_SERVER_URL="http://127.0.0.1:$port/?folder=$work/workspace" \
  E2E_WORKSPACE="$work/workspace" E2E_OUTPUT="$out" \
  node --test --test-timeout=300000 test/e2e/vscode.e2e.mjs
