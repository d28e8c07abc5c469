#!/usr/bin/env bash
# Runs fuzz targets one at a time at the lowest priority (the machine is shared), then writes the
# executions/time/crashes table into docs/robustness.md (between the fuzz-run markers).
#
#   fuzz/run.sh [seconds-per-target] [target ...]      bounded time (-max_total_time)
#   RUNS=1000000 fuzz/run.sh - [target ...]            bounded executions (-runs), the issue's bar
#
# Build: `cargo +nightly fuzz build -O -a --sanitizer none` (release, debug assertions and
# overflow checks kept, no AddressSanitizer: the engine has no unsafe code for ASan to watch, and
# without it a target runs several times faster). SANITIZER=address rebuilds with ASan.
# The build uses the committed fuzz/Cargo.lock (the same versions as the root Cargo.lock for
# every crate both use) and stops if it is out of date. SKIP_BUILD=1 reuses the binaries already
# built; FUZZ_TARGET_DIR picks the cargo target dir (default fuzz/target). A target's time can be
# overridden with e.g. SECONDS_lint=900.
# Seeds are generated at run time from tests/corpus (small managed policies and the examples),
# so the repository holds no corpus; structure-aware targets start empty. Needs the nightly
# toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Crashes land in fuzz/artifacts/<target>/;
# a non-zero exit means at least one crash. Each crash is kept as a regression test (see
# docs/robustness.md) with its input under fuzz/regressions/<target>/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse_validate lint simulate expand prepared_vs_unprepared)
fi
runs="${RUNS:-}"
sanitizer="${SANITIZER:-none}"
tdir="${FUZZ_TARGET_DIR:-$here/target}"
cd "$here"

seed() {
  local t="$1" dir="$here/corpus/$1"
  set +o pipefail # `head` closes the pipe early
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return 0
  case "$t" in
    parse_validate)
      find "$root/tests/corpus" -name '*.json' -size -3k | sort | head -400 |
        while read -r f; do cp "$f" "$dir/$(basename "$(dirname "$f")")-$(basename "$f")"; done ;;
    lint)
      # The first byte picks the policy kind (or inference).
      local i=0
      find "$root/tests/corpus" -name '*.json' -size -3k | sort | head -400 |
        while read -r f; do
          i=$((i + 1))
          { printf "\\$(printf '%03o' $((i % 9)))"; cat "$f"; } > "$dir/seed-$i"
        done ;;
    expand)
      # Action patterns that occur in the corpus, behind two service-picking bytes and one byte
      # that picks the extra checks.
      grep -rhoE '"[a-z0-9-]+:[A-Za-z0-9*?]+"' "$root/tests/corpus/aws-managed-policies" |
        tr -d '"' | sort -u | head -400 | awk '{ print NR " " $0 }' |
        while read -r n p; do
          printf "\\$(printf '%03o' $((n % 256)))\\$(printf '%03o' $((n / 256)))\\$(printf '%03o' $((n % 64)))%s" "$p" > "$dir/seed-$n"
        done ;;
    *) : ;; # structure-aware targets start from empty input
  esac
  set -o pipefail
}

# Build once, then run the binaries directly so that every target runs exactly this build.
commit=$(git -C "$root" rev-parse --short HEAD)
dirty=$(git -C "$root" status --porcelain --untracked-files=no -- crates fuzz Cargo.lock | wc -l)
[ "$dirty" -eq 0 ] || commit="$commit+changes"
if [ -z "${SKIP_BUILD:-}" ]; then
  # fuzz/Cargo.lock is committed: build exactly those versions (cargo-fuzz has no --locked, so
  # check first that the lockfile needs no update; `cargo update` in fuzz/ to change it on purpose).
  cargo metadata --locked --format-version 1 --manifest-path "$here/Cargo.toml" >/dev/null ||
    { echo "run.sh: fuzz/Cargo.lock does not match fuzz/Cargo.toml (see above)" >&2; exit 2; }
  nice -n 19 cargo +nightly fuzz build -O -a --sanitizer "$sanitizer" --target-dir "$tdir" >&2
  echo "$commit" > "$tdir/iamscope-fuzz-commit"
fi
built=$(cat "$tdir/iamscope-fuzz-commit" 2>/dev/null || echo "unknown")
bindir="$tdir/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
if [ -n "$runs" ]; then limit=(-runs="$runs"); what="RUNS=$runs"; else limit=(); what=""; fi
results=()
status=0
for t in "${targets[@]}"; do
  seed "$t"
  var="SECONDS_$t"
  s="${!var:-$secs}"
  log="$here/artifacts/$t.log"
  mkdir -p "$here/artifacts/$t"
  if [ -n "$runs" ]; then
    echo "== $t for $runs executions" >&2
    bound=("${limit[@]}")
  else
    echo "== $t for ${s}s" >&2
    bound=(-max_total_time="$s")
  fi
  load0=$(cut -d" " -f1 /proc/loadavg)
  stamp=$(date -u "+%m-%d %H:%M")
  start=$(date +%s.%N)
  set +e
  nice -n 19 "$bindir/$t" "corpus/$t" -artifact_prefix="$here/artifacts/$t/" \
    "${bound[@]}" -print_final_stats=1 -rss_limit_mb=2048 -timeout=20 \
    > "$log" 2>&1
  rc=$?
  set -e
  end=$(date +%s.%N)
  load1=$(cut -d' ' -f1 /proc/loadavg)
  wall=$(python3 -c "print(round($end - $start))")
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
  rate=$(python3 -c "print(round(${execs:-0} / max($end - $start, 1e-9)))")
  crashes=$(find "$here/artifacts/$t" -type f -newermt "@${start%.*}" \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
  [ "$rc" -ne 0 ] && status=1
  results+=("| \`$t\` | $built | $stamp | ${what:-${s}s} | ${execs:-?} | $wall | ${rate} | $crashes | $rc | $load0 / $load1 |")
  echo "   $t: ${execs:-?} executions in ${wall}s, ${rate}/s, $crashes new crash files, exit $rc" >&2
done

table="$here/artifacts/last-run.md"
header="| target | commit | run (UTC) | bound | executions | seconds | exec/s | new crash files | exit | load avg start / end |"
{
  echo "$header"
  echo "|---|---|---|---|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${results[@]}"
} > "$table"
cat "$table"
[ -n "${NO_DOC:-}" ] && exit $status
# Put these rows into the table between the markers in docs/robustness.md, keeping the rows of
# targets not run this time (each row names its own commit and run).
python3 - "$root/docs/robustness.md" "$table" <<'PY'
import sys
doc, table = sys.argv[1], open(sys.argv[2]).read().splitlines()
start, end = "<!-- fuzz-run:start -->", "<!-- fuzz-run:end -->"
order = ["parse_validate", "lint", "simulate", "expand", "prepared_vs_unprepared"]
text = open(doc).read()
if start not in text or end not in text:
    sys.exit(0)
head, rest = text.split(start, 1)
old, tail = rest.split(end, 1)
def rows(lines):
    out = {}
    for l in lines:
        cells = [c.strip() for c in l.strip().strip("|").split("|")]
        if l.startswith("| `") and len(cells) == 10:
            out[cells[0].strip("`")] = l
    return out
merged = rows(old.splitlines())
merged.update(rows(table))
keys = [k for k in order if k in merged] + sorted(k for k in merged if k not in order)
block = [
    "Machine: 2 vCPU AMD EPYC, shared with four other engineers' builds and benchmarks; every "
    "target runs alone under `nice -n 19`. Rows are replaced target by target by `fuzz/run.sh`; "
    "the commit is the one the binaries were built from.",
    "",
    table[0],
    table[1],
] + [merged[k] for k in keys]
open(doc, "w").write(head + start + "\n" + "\n".join(block) + "\n" + end + tail)
PY
exit $status
