"""Checks for the per-tenant trainer (dmp_trainer): tables against hand-computed values, the table format
(byte for byte what decisioning reads), the point-in-time join, ONNX parity, the gate, and a whole run."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dmp_trainer import tables as T  # noqa: E402
from dmp_trainer.evaluation import Metrics, gate, ranking_metrics  # noqa: E402
from dmp_trainer.features import candidate_rows, histories, popularity_counts  # noqa: E402
from dmp_trainer.interactions import items_held_out, read_interactions  # noqa: E402
from dmp_trainer.logged import Decision, join_outcomes  # noqa: E402
from dmp_trainer.ranker import onnx_scores, parity, simplest_within, trees_graph, train_lambdarank  # noqa: E402
from dmp_trainer.train import main  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# u1 used a and b, u2 a, b and c, u3 b and c (as the eval's TypeScript test of the same matrix).
SMALL = [("u1", "a"), ("u1", "b"), ("u2", "a"), ("u2", "b"), ("u2", "c"), ("u3", "b"), ("u3", "c")]


def write_interactions(path: Path, rows: list[tuple[str, str, int, str, str]]) -> Path:
    lines = ["user,item,timestamp_ms,type,decision_id"] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def small_incidence():
    users = {"u1": 0, "u2": 1, "u3": 2}
    items = {"a": 0, "b": 1, "c": 2}
    x = T.incidence(
        np.asarray([users[u] for u, _ in SMALL]), np.asarray([items[i] for _, i in SMALL]), 3, 3
    )
    return x, list(items)


def test_ease_equals_the_hand_computed_weights():
    # X'X + 1 I = [[3,2,1],[2,4,2],[1,2,3]]; its inverse is [[8,-4,0],[-4,8,-4],[0,-4,8]] / 16, and
    # B[j][i] = -P[j][i] / P[i][i]: a and c each point to b with 0.5, b to both with 0.5.
    x, ids = small_incidence()
    np.testing.assert_allclose(T.ease_weights(x, 1.0), [[0, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0]], atol=1e-12)
    table = T.fit_ease(x, ids, 1.0)
    np.testing.assert_allclose(table.scores([0, 2]), [0, 1.0, 0], atol=1e-6)  # a user with a and c: b


def test_knn_equals_the_hand_computed_similarities():
    # Rows scaled by 1/sqrt(items of the user): a shared user adds 1/2 (u1, u3) or 1/3 (u2) to a pair.
    # a-b share u1 and u2, a-c only u2, b-c u2 and u3; an item's squared norm is the sum over its users.
    x, _ = small_incidence()
    w2, w3 = 1 / 2, 1 / 3
    norm = {"a": math.sqrt(w2 + w3), "b": math.sqrt(w2 + w3 + w2), "c": math.sqrt(w3 + w2)}
    expected = np.zeros((3, 3))
    expected[0, 1] = expected[1, 0] = (w2 + w3) / (norm["a"] * norm["b"])
    expected[0, 2] = expected[2, 0] = w3 / (norm["a"] * norm["c"])
    expected[1, 2] = expected[2, 1] = (w3 + w2) / (norm["b"] * norm["c"])
    np.testing.assert_allclose(T.knn_weights(x).toarray(), expected, rtol=1e-6)


def test_tables_keep_the_largest_weights_by_magnitude():
    weights = np.asarray([[0, 0.5, -0.9, 0.1], [0.2, 0, 0, 0], [0.3, -0.3, 0, 0.05], [0, 0, 0, 0]], dtype=np.float32)
    kept = T.top_by_magnitude(weights, 2).toarray()
    np.testing.assert_allclose(kept, [[0, 0.5, -0.9, 0], [0.2, 0, 0, 0], [0.3, -0.3, 0, 0], [0, 0, 0, 0]], rtol=1e-6)
    np.testing.assert_array_equal(T.top_by_magnitude(T.knn_weights(small_incidence()[0]), 1).getnnz(axis=1), [1, 1, 1])


def test_a_table_round_trips_and_matches_the_fixture_decisioning_reads(tmp_path: Path):
    x, ids = small_incidence()
    table = T.fit_ease(x, ids, 1.0)
    table.meta = {"lambda": 1.0}  # what the fixture was written with
    data = T.write_table(table, tmp_path / "tiny.nbrs")
    # libs/scorer/src/item-neighbours.test.ts parses this very file: the two sides agree byte for byte.
    assert data == (FIXTURES / "tiny-ease.nbrs").read_bytes()
    back = T.read_table(tmp_path / "tiny.nbrs")
    assert back.kind == "ease" and back.item_ids == ["a", "b", "c"] and back.meta == {"lambda": 1.0}
    np.testing.assert_array_equal(back.rows.toarray(), table.rows.toarray())


def test_a_dense_table_round_trips_and_matches_its_fixture(tmp_path: Path):
    # item-kNN of the same matrix keeps 6 of 9 entries: written dense, as decisioning reads it fastest.
    x, ids = small_incidence()
    table = T.fit_knn(x, ids)
    table.meta = {}
    data = T.write_table(table, tmp_path / "knn.nbrs")
    assert b'"layout":"dense"' in data
    assert data == (FIXTURES / "tiny-knn.nbrs").read_bytes()
    np.testing.assert_array_equal(T.read_table(tmp_path / "knn.nbrs").rows.toarray(), table.rows.toarray())


def test_the_logged_join_is_point_in_time(tmp_path: Path):
    inter = read_interactions(
        write_interactions(
            tmp_path / "i.csv",
            [
                ("u1", "a", 50, "view", ""),  # before the decision: not its outcome
                ("u1", "b", 150, "view", ""),  # within the window: b worked
                ("u1", "c", 130, "click", "d-other"),  # attributed to another decision
                ("u1", "d", 100 + 7 * 86_400_000 + 1, "view", ""),  # after the window
                ("u1", "e", 120, "click", "d-1"),  # attributed to this one
            ],
        )
    )
    served = Decision(
        "d-1",
        "u1",
        100,
        ["popularity", "ease", "knn", "trending"],
        [(item, [0.1, float(k), 0.2, 9.0]) for k, item in enumerate(["a", "b", "c", "d", "e"])],
    )
    # A later decision for the same user and item logged other values: rows keep each decision's own.
    later = Decision("d-2", "u1", 200, ["ease", "knn", "popularity"], [("b", [7.0, 8.0, 9.0])])
    rows = join_outcomes([served, later], inter, ("ease", "knn", "popularity"))
    assert rows.labels.tolist() == [0, 1, 0, 0, 1, 0]
    assert rows.group_sizes == [5, 1]
    np.testing.assert_allclose(rows.rows[1], [1.0, 0.2, 0.1])
    np.testing.assert_allclose(rows.rows[5], [7.0, 8.0, 9.0])


def test_replayed_features_use_only_the_past(tmp_path: Path):
    # Each user's latest item is held out; the popularity of items and the tables see only what remains.
    rows = [(f"u{u}", item, 10 * u + t, "view", "") for u in range(6) for t, item in enumerate(["a", "b", "c"])]
    rows += [("u0", "z", 1_000, "view", "")] + [(f"w{k}", "z", 2_000 + k, "view", "") for k in range(5)]
    inter = read_interactions(write_interactions(tmp_path / "i.csv", rows))
    past, truth = items_held_out(inter, 0.2, "latest")
    z = inter.item_ids.index("z")
    assert z in truth[inter.user_ids.index("u0")]
    # z's later popularity (the w users) stays in, only u0's own use of it is out of u0's past.
    counts = popularity_counts(past, len(inter.item_ids))
    assert counts[z] == 5
    hist = histories(past, len(inter.user_ids))
    assert z not in hist[inter.user_ids.index("u0")].tolist()


def test_onnx_trees_match_lightgbm():
    rng = np.random.default_rng(7)
    rows = rng.normal(size=(3_000, 3)).astype(np.float32)
    labels = (rows[:, 0] + 0.5 * rows[:, 1] + rng.normal(scale=0.5, size=3_000) > 0.8).astype(np.int64)
    booster = train_lambdarank(rows, labels, [30] * 100)
    model = trees_graph(booster, 3, "test")
    assert parity(booster, model.SerializeToString(), rows) <= 1e-5
    # And it ranks: the first feature drives the labels.
    scores = onnx_scores(model.SerializeToString(), rows)
    assert np.corrcoef(scores, rows[:, 0])[0, 1] > 0.5


def test_a_weight_stays_only_when_it_adds_more_than_noise():
    # The MovieLens figures: "+ 0.01 popularity" 0.36 % better than EASE^R alone.
    tried = {(1.0, 0.0, 0.01): 0.26864, (1.0, 0.0, 0.0): 0.26767, (1.0, 0.03, 0.0): 0.26667}
    assert simplest_within(tried) == [1.0, 0.0, 0.0]
    # 2 % better is kept.
    tried[(1.0, 0.1, 0.0)] = 0.2730
    assert simplest_within(tried) == [1.0, 0.1, 0.0]
    # Among equally simple weights within the width, the better one.
    assert simplest_within({(1.0, 0.1, 0.0): 0.19187, (1.0, 0.3, 0.0): 0.1920, (1.0, 0.3, 0.03): 0.19263}) == [1.0, 0.3, 0.0]


def test_the_gate_refuses_a_worse_model():
    def m(ndcg: float) -> Metrics:
        return Metrics(100, ndcg, ndcg, ndcg, ndcg)

    assert gate(m(0.30), m(0.25), m(0.10), 0.0).passed
    refused = gate(m(0.24), m(0.25), m(0.10), 0.0)
    assert not refused.passed and "the champion" in refused.reason
    assert not gate(m(0.26), m(0.25), m(0.10), 0.05).passed  # the margin is required
    assert not gate(m(0.09), None, m(0.10), 0.0).passed  # popularity is always on the bar
    assert ranking_metrics({1: [5, 6]}, {1: {6}, 2: {1}}, 2).ndcg == pytest.approx(0.5 * (1 / math.log2(3)))


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded shop with taste clusters: 300 users, 120 items in 4 groups, each user in one group."""
    rng = np.random.default_rng(42)
    data = tmp_path_factory.mktemp("shop")
    rows = []
    for u in range(300):
        group = u % 4
        for t in range(int(rng.integers(6, 20))):
            item = group * 30 + int(rng.integers(0, 30)) if rng.random() < 0.85 else int(rng.integers(0, 120))
            rows.append((f"u{u}", f"i{item}", 1_000 * (u * 50 + t), "view", ""))
    write_interactions(data / "interactions.csv", rows)
    return data


def test_a_whole_run_writes_a_gated_version_with_its_tables(shop: Path, tmp_path: Path):
    report = main(["--data", str(shop), "--out", str(tmp_path), "--name", "recommend-shop", "--holdout", "random"])
    assert report["gate"]["passed"], report["gate"]
    card = json.loads((tmp_path / "ranker.json").read_text())
    assert card["name"] == "recommend-shop" and [f["name"] for f in card["input"]["features"]] == ["ease", "knn", "popularity"]
    assert [a["name"] for a in card["artifacts"]] == ["ease", "knn"]
    for artifact in card["artifacts"]:
        assert T.read_table(tmp_path / artifact["file"]).kind == artifact["name"]
    holdout = report["holdout"]
    # Taste clusters: the trained tables beat popularity by far on the held-out items.
    assert holdout["rankers"][holdout["chosen"]]["ndcg"] > 1.5 * holdout["baselines"]["popularity"]["ndcg"]
    assert card["metrics"]["ndcg"] == pytest.approx(holdout["rankers"][holdout["chosen"]]["ndcg"], abs=1e-6)
    # Its own graph as the champion, against an impossible margin: refused, and said why.
    champion = shop / "champion"
    champion.mkdir(exist_ok=True)
    (champion / "ranker.json").write_text((tmp_path / "ranker.json").read_text())
    (champion / "ranker.onnx").write_bytes((tmp_path / "ranker.onnx").read_bytes())
    again = main(
        ["--data", str(shop), "--out", str(tmp_path / "again"), "--name", "recommend-shop"]
        + ["--holdout", "random", "--margin", "0.5"]
    )
    assert not again["gate"]["passed"] and "the champion" in again["gate"]["reason"]
    assert again["holdout"]["champion"] is not None


def test_too_little_data_is_refused_with_the_reason(tmp_path: Path):
    write_interactions(tmp_path / "interactions.csv", [("u1", "a", 1, "view", "")])
    report = main(["--data", str(tmp_path), "--out", str(tmp_path / "out"), "--name", "recommend-t"])
    assert not report["gate"]["passed"] and "too little data" in report["gate"]["reason"]
    assert not (tmp_path / "out" / "ranker.onnx").exists()
