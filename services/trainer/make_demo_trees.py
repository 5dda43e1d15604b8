"""Deterministically regenerate the tree-ensemble demo ranker (models/demo-ranker-trees.onnx + .json).

Trains a small scikit-learn GradientBoostingClassifier on the same seeded synthetic click data as
make_demo_ranker.py and converts it by hand (onnx.helper, no skl2onnx) into an ai.onnx.ml
TreeEnsembleRegressor node (the operator LightGBM/XGBoost exports use, so the scoring service
exercises that kernel too) followed by a Sigmoid. Same seed + same package versions =>
byte-identical ONNX file.

Why not post_transform="LOGISTIC" on the tree node: onnxruntime (1.30 too, Python and Node alike)
ignores LOGISTIC for single-target tree ensembles and returns the raw log-odds
(microsoft/onnxruntime#26596, fix in PR #26896 not merged), and onnx's reference evaluator does not
implement it for regressors. NONE + Sigmoid gives P(click) on every runtime, and stays right once
that fix ships (LOGISTIC + Sigmoid would then apply the sigmoid twice).

Usage: python make_demo_trees.py [--out-dir models]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Imported first: it pins BLAS/OpenMP to one thread before numpy loads.
import make_demo_ranker as mdr

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier  # noqa: E402

MODEL_NAME = "demo-ranker-trees"
N_ESTIMATORS = 40
MAX_DEPTH = 3
LEARNING_RATE = 0.1
ML_DOMAIN = "ai.onnx.ml"
# ai.onnx.ml 3 is the opset of onnx 1.10 (IR 8), so the MLP's IR version covers it.
ML_OPSET = 3
LINEAGE = mdr.lineage("make_demo_trees.py")


def train(x: np.ndarray, y: np.ndarray, seed: int = mdr.SEED) -> GradientBoostingClassifier:
    """Fit the boosted trees on float32 features.

    sklearn trees cast X to float32 anyway; doing it here makes explicit that the model sees exactly
    the values onnxruntime gets.
    """
    clf = GradientBoostingClassifier(
        n_estimators=N_ESTIMATORS,
        max_depth=MAX_DEPTH,
        learning_rate=LEARNING_RATE,
        # Fixes the feature order the splitter tries, which breaks ties between equally good splits.
        random_state=seed,
    )
    return clf.fit(x.astype(np.float32), y)


def predict(clf: GradientBoostingClassifier, x: np.ndarray) -> np.ndarray:
    """P(click) [N] from sklearn, on the float32 features the ONNX model receives."""
    return clf.predict_proba(np.asarray(x, dtype=np.float32))[:, 1]


def float32_floor(thresholds: np.ndarray) -> np.ndarray:
    """Largest float32 <= each float64 threshold.

    sklearn tests float32 x <= float64 t; ONNX tests float32 x <= float32 t. Rounding t to nearest
    could round *up* past a float32 input (x > t in sklearn but x <= t in ONNX). For float32 x,
    x <= t  <=>  x <= floor32(t), so rounding down keeps every decision identical.
    """
    t32 = thresholds.astype(np.float32)
    too_big = t32.astype(np.float64) > thresholds
    t32[too_big] = np.nextafter(t32[too_big], np.float32(-np.inf))
    return t32


def base_log_odds(clf: GradientBoostingClassifier) -> float:
    """The ensemble's starting raw score: log-odds of the training prior (sklearn's default init)."""
    p = float(clf.init_.class_prior_[1])
    return float(np.log(p / (1.0 - p)))


@dataclass
class TreeAttrs:
    """Flat TreeEnsembleRegressor attribute lists (one entry per node / per leaf, all trees)."""

    nodes_treeids: list[int] = field(default_factory=list)
    nodes_nodeids: list[int] = field(default_factory=list)
    nodes_featureids: list[int] = field(default_factory=list)
    nodes_values: list[float] = field(default_factory=list)
    nodes_modes: list[str] = field(default_factory=list)
    nodes_truenodeids: list[int] = field(default_factory=list)
    nodes_falsenodeids: list[int] = field(default_factory=list)
    target_treeids: list[int] = field(default_factory=list)
    target_nodeids: list[int] = field(default_factory=list)
    target_ids: list[int] = field(default_factory=list)
    target_weights: list[float] = field(default_factory=list)


def attrs_of(clf: GradientBoostingClassifier) -> TreeAttrs:
    """Walk every fitted sklearn tree into ONNX node/leaf lists; node ids are sklearn's node indices."""
    attrs = TreeAttrs()
    for tree_id, (estimator,) in enumerate(clf.estimators_):  # binary: one regression tree per stage
        tree = estimator.tree_
        left, right = tree.children_left, tree.children_right
        thresholds = float32_floor(tree.threshold)
        for node in range(tree.node_count):
            is_leaf = left[node] == -1
            attrs.nodes_treeids.append(tree_id)
            attrs.nodes_nodeids.append(node)
            # Leaves carry sklearn's placeholder feature/threshold (-2); ONNX ignores them, use 0.
            attrs.nodes_featureids.append(0 if is_leaf else int(tree.feature[node]))
            attrs.nodes_values.append(0.0 if is_leaf else float(thresholds[node]))
            # sklearn sends x <= threshold to the left child, i.e. BRANCH_LEQ with true = left.
            attrs.nodes_modes.append("LEAF" if is_leaf else "BRANCH_LEQ")
            attrs.nodes_truenodeids.append(0 if is_leaf else int(left[node]))
            attrs.nodes_falsenodeids.append(0 if is_leaf else int(right[node]))
            if is_leaf:
                attrs.target_treeids.append(tree_id)
                attrs.target_nodeids.append(node)
                attrs.target_ids.append(0)
                # sklearn adds learning_rate * leaf value per stage; ONNX just sums the weights.
                attrs.target_weights.append(float(np.float32(clf.learning_rate * tree.value[node, 0, 0])))
    return attrs


def build_model(clf: GradientBoostingClassifier) -> onnx.ModelProto:
    """ONNX graph: features[N,4] -> TreeEnsembleRegressor (SUM) -> Sigmoid -> score[N,1].

    sigmoid(base + sum of leaf weights) = sklearn's predict_proba[:, 1].
    """
    trees = helper.make_node(
        "TreeEnsembleRegressor",
        [mdr.INPUT_NAME],
        ["logit"],
        name="gbdt",
        domain=ML_DOMAIN,
        n_targets=1,
        aggregate_function="SUM",
        base_values=[base_log_odds(clf)],
        # Not LOGISTIC: onnxruntime ignores it here (see the module docstring); the Sigmoid does it.
        post_transform="NONE",
        **vars(attrs_of(clf)),
    )
    sigmoid = helper.make_node("Sigmoid", ["logit"], [mdr.OUTPUT_NAME], name="output_sigmoid")
    graph = helper.make_graph(
        [trees, sigmoid],
        MODEL_NAME,
        inputs=[helper.make_tensor_value_info(mdr.INPUT_NAME, TensorProto.FLOAT, ["N", len(mdr.FEATURE_NAMES)])],
        outputs=[helper.make_tensor_value_info(mdr.OUTPUT_NAME, TensorProto.FLOAT, ["N", 1])],
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", mdr.OPSET), helper.make_opsetid(ML_DOMAIN, ML_OPSET)],
        producer_name="rtk-dmp-trainer",
        doc_string=(
            f"Demo ranker (gradient-boosted trees, {N_ESTIMATORS} trees of depth <= {MAX_DEPTH}): P(click) for a "
            "recommendation candidate. Input 'features' float32 [N,4], columns in order: " + mdr.feature_doc()
            + ". Output 'score' float32 [N,1] in (0,1). " + LINEAGE + "."
        ),
    )
    # Same reason as the MLP: make_model stamps the newest IR version, older runtimes want 8.
    model.ir_version = mdr.IR_VERSION
    mdr.set_props(model, MODEL_NAME)
    return model


def main(out_dir: Path | str = mdr.DEFAULT_OUT_DIR) -> dict[str, Any]:
    """Train, export and write <out_dir>/demo-ranker-trees.{onnx,json}; returns the JSON metadata."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    x, y = mdr.make_dataset(mdr.SEED, mdr.ROWS)
    x_tr, y_tr, x_ho, y_ho = mdr.split(x, y, mdr.SEED)
    clf = train(x_tr, y_tr, mdr.SEED)

    model_auc = mdr.auc(predict(clf, x_ho), y_ho)
    pop_auc = mdr.auc(x_ho[:, 0], y_ho)
    print(f"holdout AUC: model={model_auc:.4f} popularity-only={pop_auc:.4f} "
          f"(rows={mdr.ROWS}, holdout={len(y_ho)}, trees={N_ESTIMATORS})")

    model = build_model(clf)
    onnx.checker.check_model(model, full_check=True)
    data = mdr.serialize(model)
    meta = mdr.build_metadata(MODEL_NAME, data, model_auc, pop_auc, LINEAGE)
    mdr.write_model(out_dir, data, meta)
    return meta


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=mdr.DEFAULT_OUT_DIR, help="default: models/ next to this script")
    main(parser.parse_args().out_dir)
