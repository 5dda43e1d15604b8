"""Checks for make_demo_trees.py: regenerates the tree model into temp dirs and compares it with sklearn."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import make_demo_ranker as mdr  # noqa: E402  (sets BLAS thread env before numpy loads)
import make_demo_trees as mdt  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx import helper  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier  # noqa: E402

ONNX_FILE = "demo-ranker-trees.onnx"
JSON_FILE = "demo-ranker-trees.json"
# float32 sums of 40 leaf weights vs sklearn's float64 sum, then a sigmoid: ~1e-7 in practice.
PROBA_TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("trees_a")
    meta = mdt.main(out)
    return out, meta


@pytest.fixture(scope="module")
def session(generated: tuple[Path, dict[str, Any]]) -> ort.InferenceSession:
    out, _ = generated
    return ort.InferenceSession(str(out / ONNX_FILE), providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def holdout() -> tuple[np.ndarray, np.ndarray]:
    x, y = mdr.make_dataset(mdr.SEED, mdr.ROWS)
    _, _, x_ho, y_ho = mdr.split(x, y, mdr.SEED)
    return x_ho, y_ho


@pytest.fixture(scope="module")
def clf() -> GradientBoostingClassifier:
    """The same fit main() makes (deterministic), to compare the export against."""
    x, y = mdr.make_dataset(mdr.SEED, mdr.ROWS)
    x_tr, y_tr, _, _ = mdr.split(x, y, mdr.SEED)
    return mdt.train(x_tr, y_tr, mdr.SEED)


def _score(session: ort.InferenceSession, x: np.ndarray) -> np.ndarray:
    return session.run(["score"], {"features": np.asarray(x, dtype=np.float32)})[0]


def test_checker_passes_and_uses_tree_ensemble(generated: tuple[Path, dict[str, Any]]) -> None:
    out, _ = generated
    model = onnx.load(str(out / ONNX_FILE))
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version == mdr.IR_VERSION
    assert sorted((o.domain, o.version) for o in model.opset_import) == [("", 17), ("ai.onnx.ml", 3)]
    # Sigmoid after the trees, not post_transform=LOGISTIC: onnxruntime ignores LOGISTIC for one target.
    assert [(n.domain, n.op_type) for n in model.graph.node] == [
        ("ai.onnx.ml", "TreeEnsembleRegressor"),
        ("", "Sigmoid"),
    ]
    attrs = {a.name: helper.get_attribute_value(a) for a in model.graph.node[0].attribute}
    assert attrs["post_transform"] == b"NONE"
    assert attrs["aggregate_function"] == b"SUM"
    assert attrs["n_targets"] == 1
    assert len(set(attrs["nodes_treeids"])) == mdt.N_ESTIMATORS
    assert set(attrs["nodes_modes"]) == {b"BRANCH_LEQ", b"LEAF"}
    props = {p.key: p.value for p in model.metadata_props}
    assert props == {"name": "demo-ranker-trees", "feature_names": ",".join(mdr.FEATURE_NAMES)}


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
        assert np.all((y >= 0) & (y <= 1))


def test_matches_sklearn_on_holdout(
    session: ort.InferenceSession, clf: GradientBoostingClassifier, holdout: tuple[np.ndarray, np.ndarray]
) -> None:
    x_ho, _ = holdout
    got = _score(session, x_ho)[:, 0]
    want = mdt.predict(clf, x_ho)
    assert float(np.max(np.abs(got - want))) < PROBA_TOLERANCE


def _boundary_rows(clf: GradientBoostingClassifier, base: np.ndarray) -> np.ndarray:
    """For every split: `base` with that feature set to the last float32 that goes left and the first that goes right."""
    rows = []
    for (estimator,) in clf.estimators_:
        tree = estimator.tree_
        for node in np.flatnonzero(tree.children_left != -1):
            last_left = mdt.float32_floor(tree.threshold[node : node + 1])[0]
            for value in (last_left, np.nextafter(last_left, np.float32(np.inf))):
                row = base.astype(np.float32)
                row[tree.feature[node]] = value
                rows.append(row)
    return np.array(rows, dtype=np.float32)


def test_matches_sklearn_at_split_thresholds(
    session: ort.InferenceSession, clf: GradientBoostingClassifier, holdout: tuple[np.ndarray, np.ndarray]
) -> None:
    # Inputs exactly at the float32 neighbours of each float64 threshold: with round-to-nearest
    # thresholds some of these went the other way than in sklearn (off by ~0.05).
    x_ho, _ = holdout
    rows = np.concatenate([_boundary_rows(clf, x_ho[i]) for i in range(10)])
    got = _score(session, rows)[:, 0]
    assert float(np.max(np.abs(got - mdt.predict(clf, rows)))) < PROBA_TOLERANCE


def test_float32_floor() -> None:
    t = np.array([0.1, 0.5, 1.0 + 2.0**-30, -(1.0 + 2.0**-30), 3.0])
    t32 = mdt.float32_floor(t)
    assert t32.dtype == np.float32
    assert np.all(t32.astype(np.float64) <= t)
    # ...and it is the largest such float32.
    assert np.all(np.nextafter(t32, np.float32(np.inf)).astype(np.float64) > t)


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    mdt.main(a)
    mdt.main(b)
    assert (a / ONNX_FILE).read_bytes() == (b / ONNX_FILE).read_bytes()
    assert (a / JSON_FILE).read_bytes() == (b / JSON_FILE).read_bytes()


def test_auc_beats_popularity(
    generated: tuple[Path, dict[str, Any]], session: ort.InferenceSession, holdout: tuple[np.ndarray, np.ndarray]
) -> None:
    _, meta = generated
    metrics = meta["metrics"]
    # The synthetic labels depend mostly on co-occurrence, so trees should clear popularity by a lot.
    assert metrics["auc"] > metrics["popularityAuc"] + 0.15
    x_ho, y_ho = holdout
    assert mdr.auc(_score(session, x_ho), y_ho) == pytest.approx(metrics["auc"], abs=1e-4)


def test_json_metadata_matches_file(generated: tuple[Path, dict[str, Any]]) -> None:
    out, meta = generated
    raw = (out / JSON_FILE).read_text(encoding="utf-8")
    assert raw == mdr.dump_json(json.loads(raw))
    on_disk = json.loads(raw)
    assert on_disk == meta
    assert list(on_disk) == ["name", "version", "sha256", "input", "output", "metrics", "lineage"]
    assert on_disk["name"] == "demo-ranker-trees"
    data = (out / ONNX_FILE).read_bytes()
    assert on_disk["sha256"] == hashlib.sha256(data).hexdigest()
    assert on_disk["version"] == on_disk["sha256"][:12]
    # Same inputs and output contract as the MLP, so the two are interchangeable in the registry.
    mlp_meta = json.loads((mdr.DEFAULT_OUT_DIR / "demo-ranker.json").read_text(encoding="utf-8"))
    assert on_disk["input"] == mlp_meta["input"]
    assert on_disk["output"] == mlp_meta["output"]
    assert list(on_disk["metrics"]) == ["auc", "popularityAuc", "rows", "seed"]
    assert on_disk["lineage"] == "services/trainer/make_demo_trees.py (synthetic data, seed 20240601)"


def test_committed_model_is_current(generated: tuple[Path, dict[str, Any]]) -> None:
    """models/ in the repo must be exactly what the script produces now (i.e. someone re-ran it)."""
    out, _ = generated
    committed = mdr.DEFAULT_OUT_DIR
    assert (committed / ONNX_FILE).read_bytes() == (out / ONNX_FILE).read_bytes()
    assert (committed / JSON_FILE).read_bytes() == (out / JSON_FILE).read_bytes()
