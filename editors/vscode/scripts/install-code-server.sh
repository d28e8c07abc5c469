#!/usr/bin/env bash
# Installs code-server 4.100.3 (the last release that runs on Node 20: a real VS Code 1.100) into a
# cache folder, once: later runs find it and return at once. Prints the path of the code-server
# executable on stdout.
#
# What it needs from the machine (installed here when missing, as root):
#   - apt: libkrb5-dev (node-pty's and kerberos' native builds), ripgrep (pre-seeds the download of
#     @vscode/ripgrep, which would otherwise fetch a binary from outside the registries);
#   - npm registry access.
# Cache folder: $IAMSCOPE_CACHE (default ~/.cache/iamscope)/code-server-4.100.3.
set -euo pipefail
version=4.100.3
cache=${IAMSCOPE_CACHE:-$HOME/.cache/iamscope}
prefix="$cache/code-server-$version"
bin="$prefix/node_modules/.bin/code-server"
step() { printf '==> %s\n' "$*" >&2; }

if [ -x "$bin" ] && [ -f "$prefix/.installed" ]; then
  echo "$bin"
  exit 0
fi

apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >&2
  fi
}
apt_install libkrb5-dev ripgrep build-essential python3

# @vscode/ripgrep's postinstall downloads ripgrep from outside the registries unless the archive it
# wants is already in its cache folder ($TMPDIR/vscode-ripgrep-cache-<version>): put Debian's rg there.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$rg_tar" ]; then
  step "pre-seeding the @vscode/ripgrep cache from Debian's rg"
  mkdir -p "$rg_cache"
  tmp=$(mktemp -d)
  cp "$(command -v rg)" "$tmp/rg"
  tar -C "$tmp" -czf "$rg_tar" rg
  rm -rf "$tmp"
fi

step "npm install code-server@$version into $prefix (about 2.5 min)"
rm -rf "$prefix"
mkdir -p "$prefix"
cd "$prefix"
echo '{"name": "iamscope-code-server-cache", "private": true}' > package.json
# The machine's npmrc sets yes=false, which breaks node-pty's build; root needs unsafe-perm for the
# install scripts.
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --loglevel=error "code-server@$version" >&2
test -x "$bin"
touch "$prefix/.installed"
echo "$bin"
