#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, one at a time and niced (the machine is shared),
# then writes the executions/crashes table into docs/robustness.md ("## Fuzzing" figures).
#
#   fuzz/run.sh [seconds-per-target] [target ...]
#
# Seeds are generated at run time from tests/corpus (small managed policies and the examples),
# so the repository holds no corpus. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`). A target's time can be overridden with e.g. SECONDS_lint=900.
# Crashes land in fuzz/artifacts/<target>/; a non-zero exit means at least one crash.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse_validate lint simulate expand prepared_vs_unprepared)
fi
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
      # Action patterns that occur in the corpus, each behind a service-picking byte.
      grep -rhoE '"[a-z0-9-]+:[A-Za-z0-9*?]+"' "$root/tests/corpus/aws-managed-policies" |
        tr -d '"' | sort -u | head -400 | awk '{ print NR " " $0 }' |
        while read -r n p; do
          printf "\\$(printf '%03o' $((n % 256)))%s" "$p" > "$dir/seed-$n"
        done ;;
    *) : ;; # structure-aware targets start from empty input
  esac
  set -o pipefail
}

# Build once (release, with debug assertions, sanitizer), then run the binaries directly so that
# every target runs exactly this build.
[ -n "${SKIP_BUILD:-}" ] || nice -n 10 cargo +nightly fuzz build -O >&2
bindir="$here/target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
results=()
status=0
for t in "${targets[@]}"; do
  seed "$t"
  var="SECONDS_$t"
  s="${!var:-$secs}"
  log="$here/artifacts/$t.log"
  mkdir -p "$here/artifacts/$t"
  echo "== $t for ${s}s" >&2
  set +e
  nice -n 10 "$bindir/$t" "corpus/$t" -artifact_prefix="$here/artifacts/$t/" \
    -max_total_time="$s" -print_final_stats=1 -rss_limit_mb=2048 -timeout=20 \
    > "$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
  rate=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' | tail -1)
  crashes=$(find "$here/artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
  [ "$rc" -ne 0 ] && status=1
  results+=("| \`$t\` | ${s} | ${execs:-?} | ${rate:-?} | $crashes | $rc |")
  echo "   $t: ${execs:-?} executions, ${rate:-?}/s, $crashes crash files, exit $rc" >&2
done

table="$here/artifacts/last-run.md"
{
  echo "Run of \`fuzz/run.sh $secs ${targets[*]}\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), shared with other work, niced):"
  echo
  echo "| target | seconds | executions | exec/s | crash files | exit |"
  echo "|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${results[@]}"
} > "$table"
cat "$table"
# Replace the table between the markers in docs/robustness.md.
python3 - "$root/docs/robustness.md" "$table" <<'PY'
import sys
doc, table = sys.argv[1], open(sys.argv[2]).read()
start, end = "<!-- fuzz-run:start -->", "<!-- fuzz-run:end -->"
text = open(doc).read()
if start in text and end in text:
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    open(doc, "w").write(head + start + "\n" + table + end + tail)
PY
exit $status
