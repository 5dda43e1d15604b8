#!/usr/bin/env sh
# Runs the per-tenant trainer (python -m dmp_trainer.train ARGS) in the trainer's virtualenv, creating it on
# first use (PyPI, pinned versions). `dmp train` calls this; see the README.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
if ! "$here/.venv/bin/python" -c 'import lightgbm, numpy, onnx, onnxruntime, scipy' 2>/dev/null; then
  "${PYTHON:-python3}" -m venv "$here/.venv"
  "$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
cd "$here"
exec "$here/.venv/bin/python" -m dmp_trainer.train "$@"
