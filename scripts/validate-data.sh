#!/usr/bin/env bash
# `rasa data validate`, failing on any warning except "response not used in a
# story or rule": our actions send most responses, which Rasa cannot see.
# tests/unit/test_responses.py checks those responses exist instead.
set -uo pipefail
cd "$(dirname "$0")/.."
output=$(.venv/bin/rasa data validate 2>&1); status=$?
problems=$(grep -E "UserWarning|ERROR" <<<"$output" | grep -v "is not used in any story or rule")
if [ $status -ne 0 ] || [ -n "$problems" ]; then
  echo "$output" | grep -E "UserWarning|ERROR|Error" | grep -v "is not used in any story or rule"
  echo "rasa data validate: failed"
  exit 1
fi
echo "rasa data validate: ok"
