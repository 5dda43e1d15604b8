"""Checks for make_demo_ranker.py: regenerates the model into temp dirs and inspects it."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import make_demo_ranker as mdr  # noqa: E402  (sets BLAS thread env before numpy loads)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("model_a")
    meta = mdr.main(out)
    return out, meta


@pytest.fixture(scope="module")
def session(generated: tuple[Path, dict[str, Any]]) -> ort.InferenceSession:
    out, _ = generated
    return ort.InferenceSession(str(out / "demo-ranker.onnx"), providers=["CPUExecutionProvider"])


def _score(session: ort.InferenceSession, x: np.ndarray) -> np.ndarray:
    return session.run(["score"], {"features": np.asarray(x, dtype=np.float32)})[0]


def test_checker_passes(generated: tuple[Path, dict[str, Any]]) -> None:
    out, _ = generated
    model = onnx.load(str(out / "demo-ranker.onnx"))
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version in (8, 9)
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)]
    assert [n.op_type for n in model.graph.node] == ["MatMul", "Add", "Relu", "MatMul", "Add", "Sigmoid"]
    props = {p.key: p.value for p in model.metadata_props}
    # No "version" prop any more: the version is the hash of the file, so it can't be inside it.
    assert props == {"name": "demo-ranker", "feature_names": ",".join(mdr.FEATURE_NAMES)}
    for name in mdr.FEATURE_NAMES:
        assert name in model.doc_string


def test_regeneration_is_byte_identical(generated: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, _ = generated
    mdr.main(tmp_path)
    assert (tmp_path / "demo-ranker.onnx").read_bytes() == (out / "demo-ranker.onnx").read_bytes()
    assert (tmp_path / "demo-ranker.json").read_bytes() == (out / "demo-ranker.json").read_bytes()


def test_io_signature_and_shapes(session: ort.InferenceSession) -> None:
    (inp,) = session.get_inputs()
    (outp,) = session.get_outputs()
    assert (inp.name, inp.type, inp.shape) == ("features", "tensor(float)", ["N", 4])
    assert (outp.name, outp.type, outp.shape) == ("score", "tensor(float)", ["N", 1])
    rng = np.random.default_rng(0)
    for n in (1, 257):
        x = np.column_stack([rng.uniform(0, 9.3, n), rng.uniform(0, 8, n), rng.random(n), rng.random(n)])
        y = _score(session, x)
        assert y.shape == (n, 1)
        assert y.dtype == np.float32
        assert np.all((y > 0) & (y < 1))


def test_cooccurrence_beats_popular_only(session: ort.InferenceSession) -> None:
    for pop in (np.log1p(10), np.log1p(1000), np.log1p(10_000)):
        popular_only = [pop, 0.0, 0.0, 0.0]
        strong_cooc = [pop, np.log1p(40), 0.6, 0.5]
        s = _score(session, np.array([popular_only, strong_cooc]))
        assert s[1, 0] > s[0, 0]


def test_model_auc_beats_popularity(generated: tuple[Path, dict[str, Any]], session: ort.InferenceSession) -> None:
    _, meta = generated
    assert meta["metrics"]["auc"] > meta["metrics"]["popularityAuc"]
    # Recompute on the same holdout through onnxruntime: the exported graph must match the
    # numpy forward pass the script used for its metrics.
    x, y = mdr.make_dataset(mdr.SEED, mdr.ROWS)
    _, _, x_ho, y_ho = mdr.split(x, y, mdr.SEED)
    ort_auc = mdr.auc(_score(session, x_ho), y_ho)
    assert ort_auc == pytest.approx(meta["metrics"]["auc"], abs=1e-4)
    assert ort_auc > mdr.auc(x_ho[:, 0], y_ho)


def test_auc_helper() -> None:
    assert mdr.auc(np.array([0.1, 0.2, 0.3, 0.4]), np.array([0, 0, 1, 1])) == 1.0
    assert mdr.auc(np.array([0.4, 0.3, 0.2, 0.1]), np.array([0, 0, 1, 1])) == 0.0
    assert mdr.auc(np.array([0.5, 0.5, 0.5, 0.5]), np.array([0, 1, 0, 1])) == 0.5  # ties count half


# Spelled out rather than taken from mdr.FEATURES, so a change to the shipped contract fails here.
EXPECTED_FEATURES: list[dict[str, Any]] = [
    {
        "name": "popularity",
        "type": "float",
        "default": 0,
        "description": "log1p(the item's total interaction count in the tenant)",
    },
    {
        "name": "cooc_sum",
        "type": "float",
        "default": 0,
        "description": "log1p(sum over the user's recent items r of cooc(r, candidate))",
    },
    {
        "name": "cooc_hits",
        "type": "float",
        "default": 0,
        "description": "(recent items that co-occur with the candidate) / (recent items), in [0,1]; "
        "0 if the user has no history",
    },
    {
        "name": "cooc_confidence",
        "type": "float",
        "default": 0,
        "description": "max over recent items r of cooc(r, candidate) / max(popularity count of r, 1), in [0,1]",
    },
]


def test_json_metadata_matches_file(generated: tuple[Path, dict[str, Any]]) -> None:
    out, meta = generated
    raw = (out / "demo-ranker.json").read_text(encoding="utf-8")
    assert raw.endswith("}\n") and raw == mdr.dump_json(json.loads(raw))
    assert '\n  "name": "demo-ranker",\n' in raw  # 2-space indentation
    on_disk = json.loads(raw)
    assert on_disk == meta
    # Exactly the schema the TypeScript model registry reads, keys in this order.
    assert list(on_disk) == ["name", "version", "sha256", "input", "output", "metrics", "lineage"]
    assert on_disk["name"] == "demo-ranker"
    data = (out / "demo-ranker.onnx").read_bytes()
    assert on_disk["sha256"] == hashlib.sha256(data).hexdigest()
    assert on_disk["version"] == on_disk["sha256"][:12]
    assert on_disk["input"] == {"name": "features", "features": EXPECTED_FEATURES}
    assert on_disk["output"] == {"name": "score", "semantics": "probability", "description": "P(click) of the candidate"}
    assert list(on_disk["metrics"]) == ["auc", "popularityAuc", "rows", "seed"]
    assert on_disk["metrics"]["rows"] == 50_000 and on_disk["metrics"]["seed"] == 20240601
    assert on_disk["lineage"] == "services/trainer/make_demo_ranker.py (synthetic data, seed 20240601)"


def test_committed_model_is_current(generated: tuple[Path, dict[str, Any]]) -> None:
    """models/ in the repo must behave like what the script produces now (i.e. someone re-ran it).

    Compared by predictions, not bytes: numpy's float64 exp/log may differ in the last bit between CPUs,
    which changes the file but not what the model does.
    """
    out, meta = generated
    committed = mdr.DEFAULT_OUT_DIR
    committed_meta = json.loads((committed / "demo-ranker.json").read_text(encoding="utf-8"))
    for key in ("name", "input", "output", "lineage"):
        assert committed_meta[key] == meta[key]
    # The committed JSON must describe the committed file (sha256/version), whatever CPU made it.
    committed_data = (committed / "demo-ranker.onnx").read_bytes()
    assert committed_meta["sha256"] == hashlib.sha256(committed_data).hexdigest()
    assert committed_meta["version"] == committed_meta["sha256"][:12]
    rows = np.random.default_rng(7).uniform([0, 0, 0, 0], [10, 6, 1, 1], size=(512, 4)).astype(np.float32)
    fresh = ort.InferenceSession(str(out / "demo-ranker.onnx")).run(None, {"features": rows})[0]
    kept = ort.InferenceSession(str(committed / "demo-ranker.onnx")).run(None, {"features": rows})[0]
    assert float(np.max(np.abs(fresh - kept))) < 1e-4
