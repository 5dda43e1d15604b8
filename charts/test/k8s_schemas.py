"""Exports the Kubernetes JSON schemas bundled in PyPI's kubernetes-validate into a folder kubeconform reads.

Usage: python k8s_schemas.py OUT_DIR VERSION [VERSION...]      (VERSION like 1.30.0)

kubernetes-validate keeps one folder per Kubernetes version (v1.30.0-local-strict/deployment-apps-v1.json, the
file names kubeconform's {{ .ResourceKind }}{{ .KindSuffix }}.json expects), but every schema carries an
"$id" under https://kubernetes.io/api/ and refers to "/api/_definitions.json#/$defs/...". kubeconform resolves
those against the $id and so tries the network (and, offline, reports "could not find schema"). The copy
drops each "$id" and makes the references relative ("_definitions.json#/$defs/..."), so they resolve to
the sibling file. Nothing else changes. Writes OUT_DIR/v<VERSION>-local-strict/ (the folder kubeconform
-strict asks for) and skips a version already exported from the same package version.
"""

import importlib.metadata
import importlib.util
import json
import pathlib
import shutil
import sys

PACKAGE = "kubernetes-validate"
DEFINITIONS_REF = "/api/_definitions.json#"


def package_schemas() -> pathlib.Path:
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"k8s_schemas: {PACKAGE} is not installed (pip install -r charts/test/requirements.txt)")
    return pathlib.Path(list(spec.submodule_search_locations)[0]) / "kubernetes-json-schema"


def localise(node):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$id" and isinstance(value, str):
                continue
            if key == "$ref" and isinstance(value, str):
                value = value.replace(DEFINITIONS_REF, "_definitions.json#", 1)
                if value.startswith("/") or "://" in value:
                    raise ValueError(f"unexpected $ref {value!r}")
            else:
                value = localise(value)
            out[key] = value
        return out
    if isinstance(node, list):
        return [localise(item) for item in node]
    return node


def export(src: pathlib.Path, dst: pathlib.Path, stamp: str) -> int:
    stamp_file = dst / ".exported-from"
    if stamp_file.is_file() and stamp_file.read_text() == stamp:
        return 0
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    count = 0
    for schema in sorted(src.glob("*.json")):
        with schema.open() as f:
            doc = localise(json.load(f))
        with (tmp / schema.name).open("w") as f:
            json.dump(doc, f)
        count += 1
    (tmp / ".exported-from").write_text(stamp)
    shutil.rmtree(dst, ignore_errors=True)
    tmp.rename(dst)
    return count


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = pathlib.Path(sys.argv[1])
    root = package_schemas()
    stamp = f"{PACKAGE}=={importlib.metadata.version(PACKAGE)}\n"
    for version in sys.argv[2:]:
        version = version.lstrip("v")
        src = root / f"v{version}-local-strict"
        if not src.is_dir():
            have = sorted(p.name[1:].split("-")[0] for p in root.glob("v*-local-strict"))
            sys.exit(f"k8s_schemas: {stamp.strip()} has no schemas for Kubernetes {version}; it has {', '.join(have)}")
        count = export(src, out / src.name, stamp)
        if count:
            print(f"k8s_schemas: Kubernetes {version}: {count} schemas from {stamp.strip()} -> {out / src.name}")


if __name__ == "__main__":
    main()
