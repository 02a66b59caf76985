#!/usr/bin/env bash
# Lints template.yaml offline: cfn-lint, `sam validate --lint`, then cfn-lint again on what SAM's
# transform makes of the template (tests/template_lint_transformed.py: what the first two cannot see,
# such as a circular dependency between the API and a function). Each must find nothing.
#
# SAM CLI and cfn-lint (tests/sam-requirements.txt) live in a virtualenv of their own, cached under
# ~/.cache/dewy-resort and reused while the file is unchanged: SAM pins its own boto3, which must not
# replace moto's.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${DEWY_CACHE:-$HOME/.cache/dewy-resort}"
venv="$cache/sam-venv"
requirements="tests/sam-requirements.txt"
stamp="$venv/.requirements.sha256"
if ! sha256sum --status -c "$stamp" 2>/dev/null; then
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  sha256sum "$requirements" > "$stamp"
fi
export SAM_CLI_TELEMETRY=0

echo "cfn-lint $("$venv/bin/cfn-lint" --version | awk '{print $2}')"
"$venv/bin/cfn-lint" template.yaml
"$venv/bin/sam" validate --lint --region us-east-1 --template-file template.yaml
"$venv/bin/python" tests/template_lint_transformed.py template.yaml
