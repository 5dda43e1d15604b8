"""Deterministically regenerate the demo ranking model (models/demo-ranker.onnx + .json).

Trains a tiny 4 -> 16 (ReLU) -> 1 (sigmoid) MLP on seeded synthetic click data with plain
numpy (Adam, full batch) and exports it with onnx.helper. Same seed + same package versions
=> byte-identical ONNX file, and therefore the same model version (sha256[:12] of the file).

Also holds what make_demo_trees.py shares with it: the dataset, the split, AUC, the feature
specs and the sidecar metadata format.

Usage: python make_demo_ranker.py [--out-dir models]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

# Single-threaded BLAS: keeps float reductions in a fixed order regardless of how many
# cores the machine has (and the matrices here are far too small to benefit from threads).
# Must happen before numpy is imported; setdefault lets a caller override it.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

MODEL_NAME = "demo-ranker"
SEED = 20240601
ROWS = 50_000
HOLDOUT_FRACTION = 0.2
HIDDEN = 16
EPOCHS = 400
LEARNING_RATE = 0.02
OPSET = 17
# IR 8 is the IR version that shipped with opset 17 (onnx 1.12); onnxruntime(-node) 1.30 loads it.
IR_VERSION = 8
INPUT_NAME = "features"
OUTPUT_NAME = "score"


def _feature(name: str, description: str) -> dict[str, Any]:
    # All demo features are floats whose "no value" is 0 (no interactions / no co-occurrence), which
    # is also what the synthetic data uses for popular-only candidates.
    return {"name": name, "type": "float", "default": 0, "description": description}


# Input columns in order; written as-is into the sidecar JSON ("input.features") that the
# TypeScript model registry reads to build feature vectors.
FEATURES: list[dict[str, Any]] = [
    _feature("popularity", "log1p(the item's total interaction count in the tenant)"),
    _feature("cooc_sum", "log1p(sum over the user's recent items r of cooc(r, candidate))"),
    _feature(
        "cooc_hits",
        "(recent items that co-occur with the candidate) / (recent items), in [0,1]; 0 if the user has no history",
    ),
    _feature(
        "cooc_confidence",
        "max over recent items r of cooc(r, candidate) / max(popularity count of r, 1), in [0,1]",
    ),
]
FEATURE_NAMES: list[str] = [f["name"] for f in FEATURES]
OUTPUT_SPEC: dict[str, str] = {
    "name": OUTPUT_NAME,
    "semantics": "probability",
    "description": "P(click) of the candidate",
}
# Ground-truth click model used to draw labels: intercept, then one weight per feature.
TRUE_INTERCEPT = -3.0
TRUE_WEIGHTS = np.array([0.25, 0.6, 2.0, 3.0])

DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "models"


def lineage(script: str) -> str:
    return f"services/trainer/{script} (synthetic data, seed {SEED})"


LINEAGE = lineage("make_demo_ranker.py")


def feature_doc() -> str:
    """The input columns as one line, for ONNX doc strings (the file explains itself without the JSON)."""
    return "; ".join(f"{i} {f['name']} = {f['description']}" for i, f in enumerate(FEATURES))


def sigmoid(z: np.ndarray) -> np.ndarray:
    # Numerically stable for large |z| (no overflow in exp).
    return np.exp(-np.logaddexp(0.0, -z))


def make_dataset(seed: int = SEED, rows: int = ROWS) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic (features [rows,4] float64, labels [rows] float64) with retrieval-like shapes.

    Roughly 60 % of rows are popular-only candidates (all co-occurrence features 0): either the
    user has no history, or the candidate came from the popularity fallback.
    """
    rng = np.random.default_rng(seed)
    # Zipf-like item interaction counts, capped at 1e4 (long tail, a few very popular items).
    pop_count = np.minimum(rng.zipf(1.3, rows), 10_000).astype(np.float64)

    has_history = rng.random(rows) < 0.85
    n_recent = np.where(has_history, rng.integers(1, 21, rows), 0)
    co_occurs = has_history & (rng.random(rows) < 0.45)

    # Recent items that co-occur with the candidate: at least 1 when co_occurs, never > n_recent.
    extra_hits = rng.binomial(np.maximum(n_recent - 1, 0), 0.3)
    hits = np.where(co_occurs, 1 + extra_hits, 0)
    # Strongest single co-occurrence count; cannot exceed the candidate's own interaction count.
    max_cooc = np.where(co_occurs, np.minimum(rng.zipf(1.6, rows), pop_count), 0.0)
    # Other hitting recent items contribute a fraction of the strongest pair each.
    cooc_total = np.floor(max_cooc * (1.0 + (hits - 1).clip(0) * rng.uniform(0.1, 1.0, rows)))
    # Popularity of the recent item behind max_cooc: at least max_cooc (it was in every pair).
    recent_pop = max_cooc + rng.zipf(1.3, rows) - 1

    x = np.column_stack(
        [
            np.log1p(pop_count),
            np.log1p(cooc_total),
            np.where(n_recent > 0, hits / np.maximum(n_recent, 1), 0.0),
            np.where(co_occurs, max_cooc / np.maximum(recent_pop, 1.0), 0.0),
        ]
    )
    p_click = sigmoid(TRUE_INTERCEPT + x @ TRUE_WEIGHTS)
    y = (rng.random(rows) < p_click).astype(np.float64)
    return x, y


def split(x: np.ndarray, y: np.ndarray, seed: int = SEED) -> tuple[np.ndarray, ...]:
    """Seeded shuffle, then (x_train, y_train, x_holdout, y_holdout)."""
    order = np.random.default_rng(seed + 1).permutation(len(y))
    n_hold = int(len(y) * HOLDOUT_FRACTION)
    hold, train = order[:n_hold], order[n_hold:]
    return x[train], y[train], x[hold], y[hold]


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Rank-based ROC AUC (Mann-Whitney U); tied scores get their average rank."""
    scores = np.asarray(scores, dtype=np.float64).ravel()
    labels = np.asarray(labels).ravel().astype(bool)
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    if n_pos == 0 or n_neg == 0:
        raise ValueError("AUC needs both positive and negative labels")
    uniq, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    # 1-based average rank of each distinct score value = last rank - (count - 1) / 2.
    avg_rank = np.cumsum(counts) - (counts - 1) / 2.0
    rank_sum_pos = avg_rank[inverse][labels].sum()
    return float((rank_sum_pos - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


Params = dict[str, np.ndarray]


def forward(params: Params, x: np.ndarray) -> np.ndarray:
    """Model probability [N,1] (same graph as the exported ONNX)."""
    h = np.maximum(x @ params["W1"] + params["b1"], 0.0)
    return sigmoid(h @ params["W2"] + params["b2"])


def train(x: np.ndarray, y: np.ndarray, seed: int = SEED) -> Params:
    """Full-batch Adam on binary cross-entropy; returns weights that take *raw* features."""
    rng = np.random.default_rng(seed + 2)
    # Standardise for well-conditioned training; folded back into W1/b1 at the end.
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-8
    xs = (x - mu) / sd
    yt = y.reshape(-1, 1)
    n = len(y)

    p: Params = {
        "W1": rng.normal(0.0, np.sqrt(2.0 / 4), (4, HIDDEN)),  # He init for ReLU
        "b1": np.zeros(HIDDEN),
        "W2": rng.normal(0.0, np.sqrt(1.0 / HIDDEN), (HIDDEN, 1)),
        "b2": np.zeros(1),
    }
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(val) for k, val in p.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8

    for step in range(1, EPOCHS + 1):
        pre = xs @ p["W1"] + p["b1"]
        h = np.maximum(pre, 0.0)
        logit = h @ p["W2"] + p["b2"]
        d_logit = (sigmoid(logit) - yt) / n  # d(mean BCE)/d(logit)
        d_h = (d_logit @ p["W2"].T) * (pre > 0)
        grads: Params = {
            "W2": h.T @ d_logit,
            "b2": d_logit.sum(axis=0),
            "W1": xs.T @ d_h,
            "b1": d_h.sum(axis=0),
        }
        for k in p:
            m[k] = beta1 * m[k] + (1 - beta1) * grads[k]
            v[k] = beta2 * v[k] + (1 - beta2) * grads[k] ** 2
            m_hat = m[k] / (1 - beta1**step)
            v_hat = v[k] / (1 - beta2**step)
            p[k] = p[k] - LEARNING_RATE * m_hat / (np.sqrt(v_hat) + eps)

    # Fold standardisation: ((x - mu) / sd) @ W1 + b1 == x @ (W1 / sd) + (b1 - (mu / sd) @ W1).
    w1 = p["W1"] / sd[:, None]
    b1 = p["b1"] - (mu / sd) @ p["W1"]
    # Cast to float32 here so metrics are computed with exactly the exported weights.
    return {
        "W1": w1.astype(np.float32),
        "b1": b1.astype(np.float32),
        "W2": p["W2"].astype(np.float32),
        "b2": p["b2"].astype(np.float32),
    }


def build_model(params: Params) -> onnx.ModelProto:
    """ONNX graph: features[N,4] -> MatMul/Add/Relu/MatMul/Add/Sigmoid -> score[N,1]."""
    nodes = [
        helper.make_node("MatMul", [INPUT_NAME, "W1"], ["h_mm"], name="dense1_matmul"),
        helper.make_node("Add", ["h_mm", "b1"], ["h_pre"], name="dense1_bias"),
        helper.make_node("Relu", ["h_pre"], ["h"], name="dense1_relu"),
        helper.make_node("MatMul", ["h", "W2"], ["logit_mm"], name="dense2_matmul"),
        helper.make_node("Add", ["logit_mm", "b2"], ["logit"], name="dense2_bias"),
        helper.make_node("Sigmoid", ["logit"], [OUTPUT_NAME], name="output_sigmoid"),
    ]
    initializers = [numpy_helper.from_array(params[k], name=k) for k in ("W1", "b1", "W2", "b2")]
    graph = helper.make_graph(
        nodes,
        MODEL_NAME,
        inputs=[helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", len(FEATURE_NAMES)])],
        outputs=[helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", 1])],
        initializer=initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="rtk-dmp-trainer",
        doc_string=(
            "Demo ranker: P(click) for a recommendation candidate. Input 'features' float32 [N,4], "
            "columns in order: " + feature_doc() + ". Output 'score' float32 [N,1] in (0,1). " + LINEAGE + "."
        ),
    )
    # make_model stamps the newest IR version onnx knows; pin it so older runtimes load the file.
    model.ir_version = IR_VERSION
    set_props(model, MODEL_NAME)
    return model


def set_props(model: onnx.ModelProto, name: str) -> None:
    # No version prop: the version is the hash of the file, so it cannot live inside it.
    helper.set_model_props(model, {"name": name, "feature_names": ",".join(FEATURE_NAMES)})


def dump_json(obj: Any) -> str:
    """json.dumps(indent=2) + newline, with short scalar arrays on one line.

    That is how the repo's prettier (printWidth 120) formats JSON, so `prettier --check .`
    stays clean without touching the generated file.
    """

    def collapse(m: re.Match[str]) -> str:
        items = [line.strip().rstrip(",") for line in m.group(2).splitlines()]
        one_line = m.group(1) + "[" + ", ".join(items) + "]"
        return one_line if len(one_line) <= 120 else m.group(0)

    text = json.dumps(obj, indent=2, ensure_ascii=False)
    # An array whose elements are all scalars: "[", one scalar per line, "]".
    text = re.sub(r"^(.*)\[\n((?:[ ]+[^\[\]{}\n]+\n)+)[ ]*\]", collapse, text, flags=re.M)
    return text + "\n"


def serialize(model: onnx.ModelProto) -> bytes:
    # ONNX has no map fields, so this is already stable; deterministic=True makes it explicit.
    return model.SerializeToString(deterministic=True)


def build_metadata(name: str, data: bytes, model_auc: float, pop_auc: float, lineage: str) -> dict[str, Any]:
    """Sidecar JSON shared by all demo models; the key order is the order in the file."""
    sha256 = hashlib.sha256(data).hexdigest()
    return {
        "name": name,
        "version": sha256[:12],
        "sha256": sha256,
        "input": {"name": INPUT_NAME, "features": FEATURES},
        "output": OUTPUT_SPEC,
        "metrics": {
            "auc": round(model_auc, 6),
            "popularityAuc": round(pop_auc, 6),
            "rows": ROWS,
            "seed": SEED,
        },
        "lineage": lineage,
    }


def write_model(out_dir: Path, data: bytes, meta: dict[str, Any]) -> None:
    """Write <out_dir>/<name>.onnx and <name>.json."""
    name = meta["name"]
    (out_dir / f"{name}.onnx").write_bytes(data)
    (out_dir / f"{name}.json").write_text(dump_json(meta), encoding="utf-8")
    print(f"wrote {out_dir / (name + '.onnx')} ({len(data)} bytes), version {meta['version']}")


def main(out_dir: Path | str = DEFAULT_OUT_DIR) -> dict[str, Any]:
    """Train, export and write <out_dir>/demo-ranker.{onnx,json}; returns the JSON metadata."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    x, y = make_dataset(SEED, ROWS)
    x_tr, y_tr, x_ho, y_ho = split(x, y, SEED)
    params = train(x_tr, y_tr, SEED)

    model_auc = auc(forward(params, x_ho.astype(np.float32)), y_ho)
    pop_auc = auc(x_ho[:, 0], y_ho)
    print(f"holdout AUC: model={model_auc:.4f} popularity-only={pop_auc:.4f} "
          f"(rows={ROWS}, holdout={len(y_ho)}, positives={int(y.sum())})")

    model = build_model(params)
    onnx.checker.check_model(model, full_check=True)
    data = serialize(model)
    meta = build_metadata(MODEL_NAME, data, model_auc, pop_auc, LINEAGE)
    write_model(out_dir, data, meta)
    return meta


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="default: models/ next to this script")
    main(parser.parse_args().out_dir)
