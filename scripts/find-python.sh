#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains what to install.
# Rasa 3.6 (TensorFlow 2.12) installs on Python 3.8-3.10 only, so any other
# interpreter on the machine is of no use here.
set -u

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -t. -k3 -n -r); do
    candidates+=("$(pyenv root)/versions/$version/bin/python3.10")
  done
fi
if command -v uv >/dev/null 2>&1; then
  found=$(uv python find 3.10 2>/dev/null) && candidates+=("$found")
fi
for python in "${candidates[@]}"; do
  if [ -x "$python" ] && is_310 "$python"; then
    echo "$python"
    exit 0
  fi
done

cat >&2 <<'MSG'
error: no Python 3.10 interpreter found.
Rasa 3.6 needs Python 3.8-3.10 (TensorFlow 2.12 has no wheels for 3.11+).
Looked for: $PYTHON, python3.10 on PATH, pyenv versions 3.10.x, `uv python find 3.10`.
Install one of:
  pyenv install 3.10          (then re-run make install)
  uv python install 3.10
  apt-get install python3.10 python3.10-venv   (where your distribution has it)
or point PYTHON at one: make install PYTHON=/path/to/python3.10
MSG
exit 1
