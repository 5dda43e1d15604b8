#!/usr/bin/env bash
# Renders and checks every application chart under charts/, offline:
#   helm dependency build (lib comes from file://../lib), then for the defaults and each ci/*.yaml:
#   helm lint --strict, helm template, kubeconform -strict against the Kubernetes JSON schemas that PyPI's
#   kubernetes-validate ships (no network once installed), and policy.py (probes, resources, securityContext,
#   PodDisruptionBudget, standard labels; waivers in exceptions.yaml).
# A chart is a folder with a Chart.yaml whose type is application (or unset); a new chart is picked up as is.
# "defaults" means no -f, unless the chart has ci/default-values.yaml (a chart with a required value, like
# event-intake): then that file stands for the defaults.
#
# Needs helm and kubeconform on PATH (.ci/run go-installs pinned versions) and python3 (for a venv from PyPI,
# made on first use in charts/test/.venv from requirements.txt).
# Usage: charts/test/check.sh [CHARTS_DIR]      (default: the charts/ folder above this script)
#   K8S_VERSIONS="1.30.0 1.37.0"  Kubernetes versions to render (--kube-version) and validate for
#   KEEP=1                         keep the rendered manifests (path printed at the end)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
charts_dir="$(cd "${1:-${here}/..}" && pwd)"
# The oldest Kubernetes the charts support (the preStop `sleep` action needs 1.30) and the newest that the
# pinned kubernetes-validate has schemas for.
read -r -a k8s_versions <<<"${K8S_VERSIONS:-1.30.0 1.37.0}"
# Custom resources have no offline schema: kubeconform skips exactly these (apiVersion/Kind), and fails on
# any other kind it has no schema for. The matching API versions are offered to templates that check
# .Capabilities.APIVersions, so their branches render here.
crd_kinds=(
  monitoring.coreos.com/v1/ServiceMonitor
  monitoring.coreos.com/v1/PrometheusRule
  keda.sh/v1alpha1/ScaledObject
)
api_versions=()
for gvk in "${crd_kinds[@]}"; do api_versions+=(--api-versions "${gvk%/*}" --api-versions "${gvk}"); done
venv="${CHARTS_TEST_VENV:-${here}/.venv}"

for tool in helm kubeconform python3; do
  if ! command -v "${tool}" >/dev/null; then
    echo "check.sh: ${tool} not on PATH (see charts/README.md, Render and check)" >&2
    exit 2
  fi
done

# Python venv with the schema package and PyYAML; rebuilt when requirements.txt changes.
if ! cmp -s "${here}/requirements.txt" "${venv}/requirements.installed"; then
  python3 -m venv --clear "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check -r "${here}/requirements.txt"
  cp "${here}/requirements.txt" "${venv}/requirements.installed"
fi
py="${venv}/bin/python"
schemas="${venv}/k8s-schemas"
"${py}" "${here}/k8s_schemas.py" "${schemas}" "${k8s_versions[@]}"
schema_location="${schemas}/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}"
schema_location+="/{{ .ResourceKind }}{{ .KindSuffix }}.json"

work="$(mktemp -d)"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "${work}"' EXIT; fi

passed=0
failed=0
failures=()
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL $1"; }

charts=()
for chart_yaml in "${charts_dir}"/*/Chart.yaml; do
  [ -f "${chart_yaml}" ] || continue
  type="$(sed -n 's/^type:[[:space:]]*//p' "${chart_yaml}" | tr -d "\"' \r")"
  [ "${type:-application}" = application ] && charts+=("$(dirname "${chart_yaml}")")
done
if [ "${#charts[@]}" -eq 0 ]; then
  echo "check.sh: no application chart under ${charts_dir}" >&2
  exit 1
fi
echo "charts: $(for c in "${charts[@]}"; do basename "${c}"; done | tr '\n' ' ')(Kubernetes ${k8s_versions[*]})"

policy_args=()
declare -A rendered # Kubernetes version -> rendered files
for chart in "${charts[@]}"; do
  name="$(basename "${chart}")"
  mkdir -p "${work}/${name}"
  if ! out="$(helm dependency build --skip-refresh "${chart}" 2>&1)"; then
    bad "${name}: helm dependency build"
    echo "${out}" | sed 's/^/    /'
    continue
  fi
  sets=()
  [ -f "${chart}/ci/default-values.yaml" ] || sets+=(defaults)
  for f in "${chart}"/ci/*.yaml "${chart}"/ci/*.yml; do
    [ -f "${f}" ] && sets+=("ci/$(basename "${f}")")
  done
  for set in "${sets[@]}"; do
    values=()
    [ "${set}" = defaults ] || values=(-f "${chart}/${set}")
    if out="$(helm lint --strict --quiet --kube-version "${k8s_versions[0]}" "${chart}" "${values[@]}" 2>&1)"; then
      ok
    else
      bad "${name} ${set}: helm lint --strict"
      echo "${out}" | sed 's/^/    /'
    fi
    for version in "${k8s_versions[@]}"; do
      file="${work}/${name}/$(basename "${set}" .yaml)@${version}.yaml"
      if helm template "${name}" "${chart}" "${values[@]}" --kube-version "${version}" "${api_versions[@]}" \
        >"${file}" 2>"${file}.err"; then
        ok
        rendered[${version}]+="${file} "
        policy_args+=("${name}=${file}")
      else
        bad "${name} ${set}: helm template (Kubernetes ${version})"
        sed 's/^/    /' "${file}.err"
      fi
    done
  done
done

# One kubeconform run per Kubernetes version over everything rendered for it.
skip="$(
  IFS=,
  echo "${crd_kinds[*]}"
)"
for version in "${k8s_versions[@]}"; do
  [ -n "${rendered[${version}]:-}" ] || continue
  read -r -a files <<<"${rendered[${version}]}"
  echo "kubeconform: Kubernetes ${version}, ${#files[@]} renders"
  if kubeconform -strict -summary -output text -kubernetes-version "${version}" -schema-location "${schema_location}" \
    -skip "${skip}" "${files[@]}" 2>&1 | sed "s|${work}/||g; s/^/    /"; then
    ok
  else
    bad "kubeconform (Kubernetes ${version})"
  fi
done

if [ "${#policy_args[@]}" -gt 0 ]; then
  if "${py}" "${here}/policy.py" --exceptions "${here}/exceptions.yaml" "${policy_args[@]}" | sed "s|${work}/||g"; then
    ok
  else
    bad "policy"
  fi
fi

[ -z "${KEEP:-}" ] || echo "rendered manifests kept in ${work}"
if [ "${failed}" -gt 0 ]; then
  printf '\nchart checks failed:\n'
  printf '  %s\n' "${failures[@]}"
fi
echo "charts: ${passed} passed, ${failed} failed"
[ "${failed}" -eq 0 ]
