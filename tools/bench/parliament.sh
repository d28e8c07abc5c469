#!/usr/bin/env bash
# Times parliament (Duo Labs' IAM linter, PyPI, in a virtualenv) against `iamscope check` on the
# same files: the AWS managed policies of tests/corpus, every file read once by one process of
# each tool. Figures go to docs/benchmarks.md ("Peers").
#
#   tools/bench/parliament.sh [iamscope-binary] [runs]     (PARLIAMENT_RUNS=n: parliament's runs)
#
# The binary defaults to $CARGO_TARGET_DIR/release/iamscope (build it with
# `cargo build --release -p iamscope-cli`); runs defaults to 3 (the minimum is reported). Both
# tools run under `nice -n 19` (the machine is shared): the CPU time (user + sys) is the figure
# to compare, the wall time depends on the load, which is printed with each run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-${CARGO_TARGET_DIR:-$root/target}/release/iamscope}
runs=${2:-3}
venv=${VENV:-/tmp/venv-parliament}
version=1.6.3
if [ ! -x "$venv/bin/parliament" ] || ! "$venv/bin/pip" show parliament 2>/dev/null | grep -qx "Version: $version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "parliament==$version"
fi
dir="$root/tests/corpus/aws-managed-policies"
n=$(find "$dir" -maxdepth 1 -name '*.json' | wc -l)
echo "corpus: $n files, $(du -sb "$dir" | cut -f1) bytes ($dir)"
echo "iamscope: $bin ($("$bin" --version 2>/dev/null || echo "?"), built $(date -u -r "$bin" "+%F %H:%M UTC"); checkout at $(git -C "$root" rev-parse --short HEAD))"
echo "parliament: $version ($("$venv/bin/python" --version))"

# measure NAME CMD...: runs CMD $runs times, prints each run and the minimum CPU and wall time.
measure() {
  local name=$1 n=$2 best_cpu="" best_wall="" out i
  shift 2
  for i in $(seq "$n"); do
    nice -n 19 /usr/bin/time -o /tmp/bench-peer.time -f "%e %U %S" "$@" > /tmp/bench-peer.out 2> /tmp/bench-peer.err || true
    out=$(tail -1 /tmp/bench-peer.time)
    read -r wall user sys <<< "$out"
    cpu=$(echo "$user + $sys" | bc)
    echo "  $name run $i: wall ${wall} s, cpu ${cpu} s (user $user, sys $sys), stdout $(wc -c < /tmp/bench-peer.out) bytes, load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc)" = 1 ]; then best_cpu=$cpu; fi
    if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc)" = 1 ]; then best_wall=$wall; fi
  done
  echo "$name: min cpu ${best_cpu} s, min wall ${best_wall} s over $n runs"
}
# parliament's own `--directory` stops at the first file that makes it raise ("Unknown data
# format: ArrayOfARN" here), so the timed run uses parliament_each.py: the same analysis
# (analyze_policy_string) over every file in one process, going on past such files.
measure "parliament (parliament_each.py)" "${PARLIAMENT_RUNS:-$runs}" "$venv/bin/python" "$root/tools/bench/parliament_each.py" "$dir"
cat /tmp/bench-peer.out
measure "iamscope check --format json" "$runs" "$bin" check --format json "$dir"/*.json
