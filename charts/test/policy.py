"""Policy tests for rendered charts: what every RTK-DMP workload must have, beyond what the Kubernetes schema checks.

Usage: python policy.py [--exceptions FILE] CHART=RENDERED.yaml [CHART=RENDERED.yaml ...]

Each RENDERED.yaml is one `helm template` output of CHART (one values file, one Kubernetes version). For every
workload (Deployment, StatefulSet, DaemonSet) in it:
  probes       readiness, liveness and startup probes on every container, each gRPC-native (grpc.health.v1 on
               one of the container's ports) or, where gRPC speaks TLS, GET /livez or /readyz on a container port;
               no exec/tcpSocket; readiness and liveness ask different questions (grpc.service or path), and no
               two probes are identical
  resources    requests and limits for cpu and memory on every container (init containers too)
  security     pod securityContext runAsNonRoot: true; on every container allowPrivilegeEscalation: false,
               capabilities.drop [ALL], readOnlyRootFilesystem: true, runAsNonRoot not switched off, not
               privileged; seccompProfile RuntimeDefault or Localhost (pod or container)
  pdb          a PodDisruptionBudget in the same render and namespace whose (non-empty) selector selects the pods
  labels       the labels lib.labels.standard emits on the workload and its pod template: app.kubernetes.io/name,
               instance, version, managed-by (Helm), part-of (rtk-dmp), helm.sh/chart; the workload's selector
               selects its own pod template
For every CronJob (a batch job: it serves nothing to probe, and a disruption just reruns it): resources,
security and labels as above, on its job's pod template.
A render with no workload or CronJob fails too (a template that renders nothing must not pass).

Rule names (the words in the first column, plus startupProbe/readinessProbe/livenessProbe for one probe) can
be waived per chart in the exceptions file, a YAML map {chart: {rule: reason}}; a waived failure is printed as
"waived" and an exception that waived nothing is reported, so stale ones get noticed. Exit 1 on any failure.
"""

import argparse
import pathlib
import sys

import yaml

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet"}
JOB_KINDS = {"CronJob"}
PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
STANDARD_LABELS = (
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/managed-by",
    "app.kubernetes.io/part-of",
    "helm.sh/chart",
)
FIXED_LABELS = {"app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/part-of": "rtk-dmp"}


def selects(selector, labels) -> bool:
    """A LabelSelector (matchLabels + matchExpressions) against a label map; an empty selector selects nothing here."""
    if not isinstance(selector, dict):
        return False
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not match_labels and not expressions:
        return False
    if any(labels.get(k) != v for k, v in match_labels.items()):
        return False
    for expr in expressions:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
        if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
            return False
    return True


def check_probes(container, fail):
    name = container.get("name", "?")
    ports = {p.get("containerPort") for p in container.get("ports") or []}
    port_names = {p.get("name") for p in container.get("ports") or []}
    present = {}
    for kind in PROBES:
        probe = container.get(kind)
        if not probe:
            fail(kind, f"container {name}: no {kind}")
            continue
        present[kind] = probe
        other = [h for h in ("exec", "tcpSocket") if h in probe]
        grpc, http = probe.get("grpc"), probe.get("httpGet")
        if other or (isinstance(grpc, dict)) == (isinstance(http, dict)):
            fail(kind, f"container {name}: {kind} is neither a gRPC probe nor an HTTP one (has {', '.join(other) or 'both or neither'})")
        elif isinstance(grpc, dict) and grpc.get("port") not in ports:
            port = grpc.get("port")
            fail(kind, f"container {name}: {kind} checks port {port}, not one of the container's {sorted(ports)}")
        # HTTP probes (gRPC over TLS, which kubelet's gRPC probe cannot speak) ask the metrics port's /livez or /readyz.
        elif isinstance(http, dict) and (http.get("port") not in ports | port_names or http.get("path") not in ("/livez", "/readyz")):
            fail(kind, f"container {name}: {kind} asks {http.get('path')} on port {http.get('port')}, not /livez or /readyz on a container port")
    ready, live = present.get("readinessProbe"), present.get("livenessProbe")
    question = lambda probe: (probe.get("grpc") or {}).get("service", "") if "grpc" in probe else (probe.get("httpGet") or {}).get("path")
    if ready and live and question(ready) == question(live):
        fail(
            "probes",
            f"container {name}: readiness and liveness ask the same question "
            f"({question(ready)!r}); a lost dependency would restart the pod",
        )
    kinds = list(present)
    for i, a in enumerate(kinds):
        for b in kinds[i + 1 :]:
            if present[a] == present[b]:
                fail("probes", f"container {name}: {a} and {b} are identical")


def check_resources(container, fail):
    name = container.get("name", "?")
    resources = container.get("resources") or {}
    for section in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            value = (resources.get(section) or {}).get(resource)
            if value in (None, "", 0, "0"):
                fail("resources", f"container {name}: no resources.{section}.{resource}")


def check_security(pod_spec, containers, fail):
    pod_sc = pod_spec.get("securityContext") or {}
    if pod_sc.get("runAsNonRoot") is not True:
        fail("security", "pod securityContext.runAsNonRoot is not true")
    pod_seccomp = (pod_sc.get("seccompProfile") or {}).get("type")
    for container in containers:
        name = container.get("name", "?")
        sc = container.get("securityContext")
        if not sc:
            fail("security", f"container {name}: no securityContext")
            continue
        if sc.get("allowPrivilegeEscalation") is not False:
            fail("security", f"container {name}: allowPrivilegeEscalation is not false")
        drop = (sc.get("capabilities") or {}).get("drop") or []
        if "ALL" not in drop:
            fail("security", f"container {name}: capabilities.drop does not include ALL")
        if sc.get("readOnlyRootFilesystem") is not True:
            fail("security", f"container {name}: readOnlyRootFilesystem is not true")
        if sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is not True:
            fail("security", f"container {name}: runAsNonRoot is not true")
        if sc.get("privileged"):
            fail("security", f"container {name}: privileged")
        if (sc.get("seccompProfile") or {}).get("type", pod_seccomp) not in ("RuntimeDefault", "Localhost"):
            fail("security", f"container {name}: no RuntimeDefault/Localhost seccompProfile (pod or container)")


def check_labels(what, labels, fail):
    for key in STANDARD_LABELS:
        if not labels.get(key):
            fail("labels", f"{what}: no {key} label")
    for key, value in FIXED_LABELS.items():
        if key in labels and labels[key] != value:
            fail("labels", f"{what}: {key} is {labels[key]!r}, not {value!r}")


def check_workload(obj, pdbs, fail):
    spec = obj.get("spec") or {}
    template = spec.get("template") or {}
    pod_labels = (template.get("metadata") or {}).get("labels") or {}
    pod_spec = template.get("spec") or {}
    containers = pod_spec.get("containers") or []
    init_containers = pod_spec.get("initContainers") or []
    if not containers:
        fail("probes", "no containers")
    for container in containers:
        check_probes(container, fail)
    for container in containers + init_containers:
        check_resources(container, fail)
    check_security(pod_spec, containers + init_containers, fail)

    namespace = (obj.get("metadata") or {}).get("namespace")
    if not any(
        (pdb.get("metadata") or {}).get("namespace") == namespace
        and selects((pdb.get("spec") or {}).get("selector"), pod_labels)
        for pdb in pdbs
    ):
        fail("pdb", f"no PodDisruptionBudget selects its pods (pod labels {pod_labels})")

    check_labels(obj["kind"], (obj.get("metadata") or {}).get("labels") or {}, fail)
    check_labels("pod template", pod_labels, fail)
    if not selects(spec.get("selector"), pod_labels):
        fail("labels", "spec.selector does not select the pod template's labels")


def check_cronjob(obj, fail):
    template = (((obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
    pod_spec = template.get("spec") or {}
    containers = (pod_spec.get("containers") or []) + (pod_spec.get("initContainers") or [])
    if not containers:
        fail("resources", "no containers")
    for container in containers:
        check_resources(container, fail)
    check_security(pod_spec, containers, fail)
    check_labels(obj["kind"], (obj.get("metadata") or {}).get("labels") or {}, fail)
    check_labels("pod template", (template.get("metadata") or {}).get("labels") or {}, fail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exceptions", type=pathlib.Path)
    parser.add_argument("renders", nargs="+", metavar="CHART=RENDERED.yaml")
    args = parser.parse_args()

    exceptions = {}
    if args.exceptions and args.exceptions.is_file():
        exceptions = yaml.safe_load(args.exceptions.read_text()) or {}
    used = set()
    passed = failed = 0

    for arg in args.renders:
        chart, sep, path = arg.partition("=")
        if not sep:
            parser.error(f"expected CHART=RENDERED.yaml, got {arg!r}")
        with open(path) as f:
            objects = [o for o in yaml.safe_load_all(f) if isinstance(o, dict)]
        pdbs = [o for o in objects if o.get("kind") == "PodDisruptionBudget"]
        workloads = [o for o in objects if o.get("kind") in WORKLOAD_KINDS]
        jobs = [o for o in objects if o.get("kind") in JOB_KINDS]
        waivers = exceptions.get(chart) or {}
        problems, waived = [], []

        def fail(rule, message, _workload="render"):
            where = f"{_workload}: {message}"
            if rule in waivers:
                used.add((chart, rule))
                waived.append(f"{where} [{rule}: waived]")
            else:
                problems.append(f"{where} [{rule}]")

        if not workloads and not jobs:
            fail("workload", "no Deployment, StatefulSet, DaemonSet or CronJob rendered")
        for obj in workloads:
            label = f"{obj['kind']} {(obj.get('metadata') or {}).get('name')}"
            check_workload(obj, pdbs, lambda rule, message, label=label: fail(rule, message, label))
        for obj in jobs:
            label = f"{obj['kind']} {(obj.get('metadata') or {}).get('name')}"
            check_cronjob(obj, lambda rule, message, label=label: fail(rule, message, label))

        status = "FAIL" if problems else "ok"
        print(f"policy {status:4} {chart:15} {path} ({len(workloads) + len(jobs)} workload(s))")
        for line in problems:
            print(f"    {line}")
        for line in waived:
            print(f"    {line}")
        if problems:
            failed += 1
        else:
            passed += 1

    for chart, rules in exceptions.items():
        for rule, reason in (rules or {}).items():
            if (chart, rule) in used:
                print(f"policy waiver {chart}.{rule}: {' '.join(str(reason).split())}")
            elif any(a.partition("=")[0] == chart for a in args.renders):
                print(f"policy note: exception {chart}.{rule} waived nothing; remove it from {args.exceptions}")
    print(f"policy: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
