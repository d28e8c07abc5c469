#!/usr/bin/env bash
# Serves the built playground (www/dist) on 127.0.0.1:<port> (default 8080) with the page's
# Content-Security-Policy as a header, application/wasm for the engine, and gzip. Prints the URL.
# Usage: www/scripts/serve.sh [port]          (builds first when www/dist is missing)
set -euo pipefail
www=$(cd "$(dirname "$0")/.." && pwd)
port=${1:-${PORT:-8080}}
[ -f "$www/dist/index.html" ] || "$www/scripts/build.sh"
exec node "$www/scripts/server.mjs" --root "$www/dist" --port "$port"
