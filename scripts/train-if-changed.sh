#!/usr/bin/env bash
# Trains a model only when the training inputs changed since the last one.
# The fingerprint covers everything that goes into a model: data, domain,
# config and our own NLU components.
set -euo pipefail
cd "$(dirname "$0")/.."
fingerprint=$(cat config.yml domain.yml $(find data bot/components -type f \( -name '*.yml' -o -name '*.py' \) | sort) | sha256sum | cut -c1-16)
model="models/returnbot-$fingerprint.tar.gz"
if [ -f "$model" ]; then
  echo "model is up to date: $model"
else
  echo "training $model (inputs changed)"
  .venv/bin/rasa train --fixed-model-name "returnbot-$fingerprint" --out models --quiet
fi
ln -sf "returnbot-$fingerprint.tar.gz" models/current.tar.gz
