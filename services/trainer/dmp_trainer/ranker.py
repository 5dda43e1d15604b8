"""The ranker: LightGBM lambdarank over the online features, exported to ONNX by hand (no converter
dependency), or a pass-through of one feature when that ranks better on the hold-out.

ONNX: IR 8, opset 17 (+ ai.onnx.ml 3 for trees). Input `features` float32 [N, F]; output `score` float32
[N, 1], higher ranks first. LightGBM compares float64 x <= float64 t; ONNX compares float32 x <= float32 t:
each threshold is stored as the largest float32 not above it, so every split decides as in LightGBM for the
float32 inputs decisioning sends (the same trick as make_demo_trees.py).
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

INPUT_NAME = "features"
OUTPUT_NAME = "score"
IR_VERSION = 8
OPSET = 17
ML_DOMAIN = "ai.onnx.ml"
ML_OPSET = 3
SEED = 20261207

LGBM_PARAMS = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "ndcg_eval_at": [10],
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "lambdarank_truncation_level": 20,
    "verbose": -1,
    "seed": SEED,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
}
ROUNDS = 150


def train_lambdarank(rows: np.ndarray, labels: np.ndarray, group_sizes: list[int]):
    """A LightGBM lambdarank booster; rows are float32 as decisioning sends them."""
    import lightgbm as lgb  # imported here: the demo scripts' tests do not need it

    data = lgb.Dataset(rows.astype(np.float64), label=labels, group=group_sizes, free_raw_data=False)
    return lgb.train(LGBM_PARAMS, data, num_boost_round=ROUNDS)


def float32_floor(thresholds: np.ndarray) -> np.ndarray:
    """Largest float32 <= each float64 threshold."""
    t32 = thresholds.astype(np.float32)
    too_big = t32.astype(np.float64) > thresholds
    t32[too_big] = np.nextafter(t32[too_big], np.float32(-np.inf))
    return t32


def trees_graph(booster, n_features: int, doc: str) -> onnx.ModelProto:
    """The booster as one TreeEnsembleRegressor (SUM of leaf values: LightGBM's raw score)."""
    attrs: dict[str, list] = {
        key: []
        for key in (
            "nodes_treeids",
            "nodes_nodeids",
            "nodes_featureids",
            "nodes_values",
            "nodes_modes",
            "nodes_truenodeids",
            "nodes_falsenodeids",
            "nodes_missing_value_tracks_true",
            "target_treeids",
            "target_nodeids",
            "target_ids",
            "target_weights",
        )
    }
    for tree in booster.dump_model()["tree_info"]:
        tree_id = tree["tree_index"]
        ids: dict[int, int] = {}

        def walk(node: dict) -> int:
            node_id = len(ids)
            ids[id(node)] = node_id
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(node_id)
            if "leaf_value" in node:
                for key, value in (("featureids", 0), ("values", 0.0), ("modes", "LEAF")):
                    attrs[f"nodes_{key}"].append(value)
                attrs["nodes_truenodeids"].append(0)
                attrs["nodes_falsenodeids"].append(0)
                attrs["nodes_missing_value_tracks_true"].append(0)
                attrs["target_treeids"].append(tree_id)
                attrs["target_nodeids"].append(node_id)
                attrs["target_ids"].append(0)
                attrs["target_weights"].append(float(node["leaf_value"]))
                return node_id
            if node["decision_type"] != "<=":
                raise ValueError(f"unsupported split {node['decision_type']}")
            attrs["nodes_featureids"].append(int(node["split_feature"]))
            attrs["nodes_values"].append(float(float32_floor(np.asarray([node["threshold"]], np.float64))[0]))
            attrs["nodes_modes"].append("BRANCH_LEQ")
            attrs["nodes_missing_value_tracks_true"].append(1 if node.get("default_left") else 0)
            at = len(attrs["nodes_truenodeids"])
            attrs["nodes_truenodeids"].append(0)
            attrs["nodes_falsenodeids"].append(0)
            attrs["nodes_truenodeids"][at] = walk(node["left_child"])
            attrs["nodes_falsenodeids"][at] = walk(node["right_child"])
            return node_id

        walk(tree["tree_structure"])
    node = helper.make_node(
        "TreeEnsembleRegressor",
        [INPUT_NAME],
        ["raw"],
        domain=ML_DOMAIN,
        n_targets=1,
        aggregate_function="SUM",
        base_values=[0.0],
        post_transform="NONE",
        **attrs,
    )
    identity = helper.make_node("Identity", ["raw"], [OUTPUT_NAME])
    return _model([node, identity], n_features, doc, ml=True)


def linear_graph(weights: list[float], doc: str) -> onnx.ModelProto:
    """score = features · weights: a weighted sum of the tables' scores (and popularity)."""
    w = helper.make_tensor("weights", TensorProto.FLOAT, [len(weights), 1], [float(x) for x in weights])
    matmul = helper.make_node("MatMul", [INPUT_NAME, "weights"], [OUTPUT_NAME])
    return _model([matmul], len(weights), doc, initializers=[w])


# The weighted sums tried on the first half: EASE^R (or item-kNN alone) with some of the other, and of
# popularity. On the generated shop, EASE^R + 0.1 item-kNN beat both alone on both halves (+1.5 %); on
# MovieLens 100k EASE^R alone won: the search decides per tenant.
LINEAR_KNN = (0.0, 0.03, 0.1, 0.3, 1.0, 3.0)
LINEAR_POPULARITY = (0.0, 0.001, 0.003, 0.01, 0.03)


def linear_candidates(has_ease: bool) -> list[list[float]]:
    """Weights over (ease, knn, popularity) to try."""
    firsts = [[1.0, k] for k in LINEAR_KNN] if has_ease else []
    return [[*first, p] for first in firsts + [[0.0, 1.0]] for p in LINEAR_POPULARITY]


# A term earns its place only by adding more than this to the hold-out ndcg: on MovieLens 100k "+ 0.01
# popularity" ranked the halves 0.4 % better than EASE^R alone and the test part 0.2 % worse. Noise, so
# the simplest weights within it of the best are kept (the one-standard-error rule, with a fixed width).
LINEAR_TOLERANCE = 0.005


def simplest_within(tried: dict[tuple[float, ...], float], tolerance: float = LINEAR_TOLERANCE) -> list[float]:
    """Of the weights whose ndcg is within `tolerance` (relative) of the best, those with the fewest
    non-zero terms, and of them the best."""
    best = max(tried.values())
    near = [w for w, ndcg in tried.items() if ndcg >= best * (1 - tolerance)]
    return list(max(near, key=lambda w: (-sum(x != 0 for x in w), tried[w])))


def _model(nodes, n_features: int, doc: str, ml: bool = False, initializers=()) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "recommend-ranker",
        inputs=[helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", n_features])],
        outputs=[helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", 1])],
        initializer=list(initializers),
    )
    opsets = [helper.make_opsetid("", OPSET)] + ([helper.make_opsetid(ML_DOMAIN, ML_OPSET)] if ml else [])
    model = helper.make_model(graph, opset_imports=opsets, producer_name="rtk-dmp-trainer", doc_string=doc)
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def onnx_scores(model_bytes: bytes, rows: np.ndarray) -> np.ndarray:
    """What decisioning's onnxruntime will answer for float32 rows."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
    return session.run([OUTPUT_NAME], {INPUT_NAME: rows.astype(np.float32)})[0].ravel()


def parity(booster, model_bytes: bytes, rows: np.ndarray) -> float:
    """Largest |ONNX - LightGBM| over the rows (LightGBM given the float32 values ONNX gets)."""
    if len(rows) == 0:
        return 0.0
    native = booster.predict(rows.astype(np.float32).astype(np.float64))
    return float(np.max(np.abs(onnx_scores(model_bytes, rows) - native)))
