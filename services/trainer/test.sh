#!/usr/bin/env sh
# Runs the trainer's tests in its own virtualenv, creating it on first use (PyPI, pinned versions).
set -eu
cd "$(dirname "$0")"
if ! .venv/bin/python -c 'import lightgbm, numpy, onnx, onnxruntime, pytest, scipy, sklearn' 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
fi
exec .venv/bin/python -m pytest -q
