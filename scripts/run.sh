#!/usr/bin/env bash
# `make run`: every service on the embedded defaults, demo orders seeded.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1
.venv/bin/returnbot policy check ${RETURNBOT_POLICY:+"$RETURNBOT_POLICY"}
.venv/bin/returnbot demo seed
exec .venv/bin/python -m bot.run
