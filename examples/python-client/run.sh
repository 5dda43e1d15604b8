#!/usr/bin/env sh
# Runs the example client: makes its virtualenv on first use (pinned PyPI packages), generates the Python stubs
# from the repository's protos into gen/ (every run, so they always match protos/), then runs client.py with
# the arguments given, e.g. examples/python-client/run.sh --tenant demo --user u-0001
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
if ! "$here/.venv/bin/python" -c 'import grpc, grpc_tools' 2>/dev/null; then
  "$python" -m venv "$here/.venv"
  "$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
rm -rf "$here/gen" && mkdir -p "$here/gen"
protos="$here/../../protos"
# shellcheck disable=SC2046 # one argument per .proto file
"$here/.venv/bin/python" -m grpc_tools.protoc -I "$protos" --python_out="$here/gen" --grpc_python_out="$here/gen" \
  $(cd "$protos" && find dmp -name '*.proto' | sort)
exec "$here/.venv/bin/python" "$here/client.py" "$@"
