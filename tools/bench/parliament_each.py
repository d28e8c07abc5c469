"""Runs parliament's analysis on every *.json file of a directory in ONE process, going on past a
file that makes it raise (parliament 1.6.3's own CLI, `--directory`, stops at the first such
exception: "Unknown data format: ArrayOfARN" on the managed-policy corpus). Prints the number of
files analysed, failed and findings, so the time measured covers the same files as iamscope's.

    python parliament_each.py DIR
"""
import sys
from pathlib import Path

from parliament import analyze_policy_string

ok = failed = findings = 0
errors = {}
for path in sorted(Path(sys.argv[1]).glob("*.json")):
    try:
        policy = analyze_policy_string(path.read_text(), str(path))
        findings += len(policy.findings)
        ok += 1
    except Exception as e:  # parliament raises plain Exceptions on data it does not know
        failed += 1
        key = str(e)[:80]
        errors[key] = errors.get(key, 0) + 1
print(f"files analysed {ok}, raised {failed}, findings {findings}")
for key, n in sorted(errors.items(), key=lambda kv: -kv[1]):
    print(f"  {n} x {key}")
