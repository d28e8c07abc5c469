#!/usr/bin/env bash
# Measures what the embedded catalog adds to a binary: builds a tiny program with and without
# a catalog lookup, natively and for wasm32-unknown-unknown (release, stripped), and prints raw
# and gzip sizes. Used for docs/benchmarks.md (## Catalog).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
mkdir -p "$probe/src"
cat > "$probe/Cargo.toml" <<TOML
[package]
name = "catalog-size-probe"
version = "0.0.0"
edition = "2024"
publish = false
[lib]
crate-type = ["cdylib", "rlib"]
path = "src/lib.rs"
[[bin]]
name = "probe"
path = "src/main.rs"
[features]
with = ["dep:iamscope-catalog"]
[dependencies]
iamscope-catalog = { path = "$root/crates/iamscope-catalog", optional = true }
[profile.release]
opt-level = 3
lto = true
codegen-units = 1
panic = "abort"
strip = true
[workspace]
TOML
cat > "$probe/src/lib.rs" <<'RS'
/// Returns the access level (as a number) of the action named by the bytes at `ptr`.
#[unsafe(no_mangle)]
pub extern "C" fn probe(ptr: *const u8, len: usize) -> i32 {
    // SAFETY: the caller passes a valid byte range (this is a size probe, never called).
    let name = unsafe { std::slice::from_raw_parts(ptr, len) };
    let name = std::str::from_utf8(name).unwrap_or("");
    #[cfg(feature = "with")]
    {
        iamscope_catalog::Catalog::embedded().action(name).map_or(-1, |a| a.access_level() as i32)
    }
    #[cfg(not(feature = "with"))]
    {
        name.len() as i32
    }
}
RS
cat > "$probe/src/main.rs" <<'RS'
fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    println!("{}", catalog_size_probe::probe(name.as_ptr(), name.len()));
}
RS
size() { printf '%-44s %9d raw %9d gzip\n' "$1" "$(stat -c %s "$2")" "$(gzip -9 -c "$2" | wc -c)"; }
export CARGO_TARGET_DIR="$probe/target"
for feat in "" "with"; do
  label="${feat:-without}"
  (cd "$probe" && cargo build -q --release ${feat:+--features $feat})
  cp "$probe/target/release/probe" "$probe/native-$label"
  if rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
    (cd "$probe" && cargo build -q --release --lib --target wasm32-unknown-unknown ${feat:+--features $feat})
    cp "$probe/target/wasm32-unknown-unknown/release/catalog_size_probe.wasm" "$probe/wasm-$label.wasm"
  fi
done
size "catalog.bin" "$root/crates/iamscope-catalog/data/catalog.bin"
for kind in native wasm; do
  for label in without with; do
    f="$probe/$kind-$label"; [ "$kind" = wasm ] && f="$f.wasm"
    [ -f "$f" ] && size "$kind binary, $label catalog" "$f"
  done
done
