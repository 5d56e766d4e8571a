#!/usr/bin/env bash
# `rasa data validate`, failing on any warning except "response not used in a
# story or rule": our actions send most responses, which Rasa cannot see.
# tests/unit/test_responses.py checks those responses exist instead. Intents
# that no buyer types (a sticker's unsupported_content, pushes' EXTERNAL_*)
# have no training examples by design.
set -uo pipefail
cd "$(dirname "$0")/.."
output=$(.venv/bin/rasa data validate 2>&1); status=$?
untyped="The intent '(unsupported_content|buyer_upset|EXTERNAL_[a-z_]+)' is listed in the domain file, but is not found in the NLU training data"
problems=$(grep -E "UserWarning|ERROR" <<<"$output" | grep -v "is not used in any story or rule" | grep -Ev "$untyped")
if [ $status -ne 0 ] || [ -n "$problems" ]; then
  echo "$output" | grep -E "UserWarning|ERROR|Error" | grep -v "is not used in any story or rule" | grep -Ev "$untyped"
  echo "rasa data validate: failed"
  exit 1
fi
echo "rasa data validate: ok"
