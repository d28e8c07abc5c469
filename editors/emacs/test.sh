#!/usr/bin/env bash
# Runs docs/editors.md's Emacs (Eglot) configuration, as written there, in a real Emacs against
# the language server of the npm package (npm/dist/iamscope-lsp.cjs as `iamscope-lsp` on PATH):
#   1. without its initializationOptions: a CloudFormation template gets INVALID_ACTION and
#      MISSING_VERSION (the control);
#   2. the documented configuration: INVALID_ACTION arrives, MISSING_VERSION is ignored (the
#      settings reach the server as initializationOptions);
#   3. plus the documented .dir-locals.el: a file under scp/ is linted as an SCP
#      (SCP_SYNTAX_ERROR_PRINCIPAL), so eglot-workspace-configuration reaches the server.
# Batch Emacs (no terminal). Installs Debian's emacs-nox, elpa-eglot and elpa-yaml-mode with
# apt-get when emacs or Eglot is missing (~1 min once). Needs the server built
# (npm/scripts/build.sh, npm/lsp/build.sh). About 20 s. Usage: editors/emacs/test.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server="$root/npm/dist/iamscope-lsp.cjs"
[ -x "$server" ] || { echo "editors/emacs/test.sh: $server is missing: run npm/scripts/build.sh and npm/lsp/build.sh" >&2; exit 1; }
if ! command -v emacs >/dev/null 2>&1 || ! emacs --batch --eval "(require 'eglot)" >/dev/null 2>&1 ||
  ! emacs --batch --eval "(require 'yaml-mode)" >/dev/null 2>&1; then
  echo "==> installing emacs-nox elpa-eglot elpa-yaml-mode (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends emacs-nox elpa-eglot elpa-yaml-mode >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends emacs-nox elpa-eglot elpa-yaml-mode >/dev/null; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/proj/scp"
ln -s "$server" "$work/bin/iamscope-lsp"
# The two elisp blocks of the "Emacs (Eglot)" section: the configuration and .dir-locals.el.
python3 - "$root/docs/editors.md" "$work" <<'PY'
import re, sys
doc = open(sys.argv[1]).read()
section = doc[doc.index("## Emacs (Eglot)"):]
section = section[: section.index("\n## ", 3)] if "\n## " in section[3:] else section
blocks = re.findall(r"```elisp\n(.*?)```", section, re.S)
assert len(blocks) == 2, f"expected 2 elisp blocks in the Emacs section, found {len(blocks)}"
assert ":initializationOptions" in blocks[0], "the configuration has no initializationOptions"
open(f"{sys.argv[2]}/config.el", "w").write(blocks[0])
control = re.sub(r"\s*:initializationOptions \(.*?\)\)", "", blocks[0], count=1)
assert control != blocks[0] and ":initializationOptions" not in control
open(f"{sys.argv[2]}/control.el", "w").write(control)
open(f"{sys.argv[2]}/dir-locals.el", "w").write(blocks[1])
PY
cat > "$work/proj/template.yaml" <<'YAML'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObjekt
                Resource: "*"
YAML
# JSON is YAML: an SCP kept as .yaml, which only the kinds setting makes the server lint.
printf '%s\n' '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}' > "$work/proj/scp/guard.yaml"
git -C "$work/proj" init -q # the project root (project.el), sent as the workspace folder

status=0
run() { # name snippet file [seconds to wait for a first diagnostic]
  (cd "$work/proj" && PATH="$work/bin:$PATH" SNIPPET="$work/$2" FILE="$work/proj/$3" WAIT="${4:-30}" \
    timeout 90 emacs --batch -l "$here/driver.el" 2>"$work/$1.err" >"$work/$1.out") || true
  sed 's/^/    /' "$work/$1.out" >&2
  expect "$1" "^CONNECTED" present
}
expect() { # name grep-pattern present|absent
  if grep -q "$2" "$work/$1.out"; then found=present; else found=absent; fi
  if [ "$found" = "$3" ]; then echo "ok: $1: $2 $3" >&2; else
    echo "FAIL: $1: $2 is $found, expected $3; Emacs said:" >&2; sed 's/^/    /' "$work/$1.err" >&2; status=1; fi
}
echo "==> Emacs $(emacs --version | head -1 | awk '{print $3}'), Eglot $(ls /usr/share/emacs/site-lisp/elpa/ 2>/dev/null | sed -n 's/^eglot-//p' | head -1)" >&2
run control control.el template.yaml
expect control "\[INVALID_ACTION\]" present
expect control "\[MISSING_VERSION\]" present
run documented config.el template.yaml
expect documented "\[INVALID_ACTION\]" present
expect documented "\[MISSING_VERSION\]" absent
# (The server publishes nothing for a file it does not lint: 5 s of silence.)
run scp-without-dir-locals config.el scp/guard.yaml 5
expect scp-without-dir-locals "DIAG" absent
cp "$work/dir-locals.el" "$work/proj/.dir-locals.el"
run scp-dir-locals config.el scp/guard.yaml
expect scp-dir-locals "\[SCP_SYNTAX_ERROR_PRINCIPAL\]" present
exit $status
