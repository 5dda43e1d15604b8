#!/usr/bin/env bash
# Checks that every service chart's README.md is what bitnami's readme-generator-for-helm makes of its values.yaml:
# the "## Parameters" section is generated from the `## @param` / `## @section` / `## @skip` lines, so a changed
# description, a new key or a new default must come with a regenerated README.
#
#   bash charts/test/readme-check.sh            # check; exit 1 naming each stale chart, with the diff
#   bash charts/test/readme-check.sh --write    # regenerate the READMEs in place
#   bash charts/test/readme-check.sh [--write] PATH   # another copy of charts/ (the tools still come from this repo)
#
# The charts are every folder under charts/ whose Chart.yaml says `type: application` (as in check.sh). For each one
# the committed README.md is copied to a temporary folder, the generator (node_modules/.bin/readme-generator, the
# root devDependency @bitnami/readme-generator-for-helm) rewrites its Parameters section from values.yaml, and the
# result goes through the repository's Prettier, as `prettier --write` would leave it, before it is compared: so
# "generate, prettier, check" is stable even where the two tools would format a table differently. The generator also
# fails on a key without metadata ("Missing metadata for key") or metadata without a key; that fails the check too.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
generator="$root/node_modules/.bin/readme-generator"
prettier="$root/node_modules/.bin/prettier"

write=0
if [[ "${1:-}" == "--write" ]]; then
  write=1
  shift
fi
charts_dir=$(cd "${1:-$root/charts}" && pwd)

for tool in "$generator" "$prettier"; do
  if [[ ! -x "$tool" ]]; then
    echo "readme-check: $tool not found; run: npx --yes pnpm@10.28.1 install --frozen-lockfile" >&2
    exit 2
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=()
checked=0
for chart_yaml in "$charts_dir"/*/Chart.yaml; do
  grep -Eq '^type:[[:space:]]*application[[:space:]]*$' "$chart_yaml" || continue
  dir=$(dirname "$chart_yaml")
  chart=$(basename "$dir")
  checked=$((checked + 1))

  if [[ ! -f "$dir/README.md" ]]; then
    echo "readme-check: $chart: no README.md (it needs an intro and a '## Parameters' heading to generate into)" >&2
    failed+=("$chart")
    continue
  fi

  mkdir -p "$tmp/$chart"
  cp "$dir/README.md" "$tmp/$chart/generated.md"
  if ! "$generator" -v "$dir/values.yaml" -r "$tmp/$chart/generated.md" >"$tmp/$chart/generator.log" 2>&1; then
    echo "readme-check: $chart: readme-generator failed on $dir/values.yaml:" >&2
    grep -E 'ERROR|Error' "$tmp/$chart/generator.log" >&2 || cat "$tmp/$chart/generator.log" >&2
    failed+=("$chart")
    continue
  fi
  # Format as the committed file is formatted (its path picks the repository's .prettierrc.json).
  "$prettier" --config "$root/.prettierrc.json" --stdin-filepath "$dir/README.md" \
    <"$tmp/$chart/generated.md" >"$tmp/$chart/README.md"

  if [[ $write == 1 ]]; then
    if ! cmp -s "$tmp/$chart/README.md" "$dir/README.md"; then
      cp "$tmp/$chart/README.md" "$dir/README.md"
      echo "readme-check: $chart: README.md regenerated"
    fi
  elif ! diff -u --label "$chart/README.md (committed)" --label "$chart/README.md (generated from values.yaml)" \
    "$dir/README.md" "$tmp/$chart/README.md" >"$tmp/$chart/diff"; then
    echo "readme-check: $chart: README.md is not what values.yaml generates; run: bash charts/test/readme-check.sh --write" >&2
    cat "$tmp/$chart/diff" >&2
    failed+=("$chart")
  fi
done

if [[ $checked == 0 ]]; then
  echo "readme-check: no application chart under $charts_dir" >&2
  exit 1
fi
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "readme-check: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "readme-check: $checked chart READMEs match their values.yaml"
