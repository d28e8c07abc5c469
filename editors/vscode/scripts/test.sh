#!/usr/bin/env bash
# Tests of the language server and the packaged extension, without VS Code:
#   - builds the .vsix (scripts/build.sh: npm package if missing, server bundle, extension);
#   - npm/lsp/test: the server driven over stdio by vscode-jsonrpc (node --test);
#   - test/package.test.mjs: the .vsix's contents and manifest, and the server copy inside the
#     .vsix started over stdio against a broken policy;
#   - editors/emacs/test.sh: docs/editors.md's Emacs (Eglot) configuration in a real batch Emacs
#     against the same server (~20 s).
# Installs npm ci in npm/lsp and editors/vscode, and Debian's emacs-nox, elpa-eglot and
# elpa-yaml-mode when missing (apt-get, ~1 min once). About 1.5 min once built.
# Usage: editors/vscode/scripts/test.sh
set -euo pipefail
ext=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$ext/../.." && pwd)
# IAMSCOPE_VSIX=<file> checks an already built .vsix (the server bin is then rebuilt if missing).
vsix=${IAMSCOPE_VSIX:-}
if [ -z "$vsix" ]; then
  vsix=$("$ext/scripts/build.sh")
elif [ ! -f "$root/npm/dist/iamscope-lsp.cjs" ]; then
  "$root/npm/lsp/build.sh"
fi
cd "$root/npm/lsp"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
IAMSCOPE_VSIX="$vsix" node --test --test-timeout=120000 test/*.test.mjs "$ext"/test/*.test.mjs
"$root/editors/emacs/test.sh"
