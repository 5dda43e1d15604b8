"""The ranker's features, computed as decisioning computes them online, so training matches serving.

decisioning (services/decisioning/src/recommend/candidates/pool.ts `featureRows`) logs these columns for
every candidate it ranks; a trained ranker names the ones it uses in its card:
- `ease`: the sum of the EASE^R table's weights from the user's history items to the candidate;
- `knn`: the same with the item-kNN table;
- `popularity`: log1p(the item's interactions so far: every interaction event counts, repeats too).
The history is the user's distinct items, the newest HISTORY_MAX (`user.history` in the feature store).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .interactions import Interactions
from .tables import Table

FEATURES = ("ease", "knn", "popularity")
HISTORY_MAX = 1_000  # user.history (libs/features/src/default-features.ts)
# Online, the shortlist the ranker sees: the trained table's best (80 of 100), then other candidates.
TRAINED_CANDIDATES = 80
OTHER_CANDIDATES = 20


def top_indexes(scores: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the k largest scores, largest first, ties by index (as decisioning's topIndexes)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]


def histories(inter: Interactions, n_users: int, limit: int = HISTORY_MAX) -> list[np.ndarray]:
    """Per user, their distinct items, newest first, at most `limit` (as the feature store keeps them)."""
    latest: list[dict[int, int]] = [{} for _ in range(n_users)]
    for u, i, t in zip(inter.users.tolist(), inter.items.tolist(), inter.times.tolist()):
        if t >= latest[u].get(i, -1):
            latest[u][i] = t
    out = []
    for seen in latest:
        ordered = sorted(seen.items(), key=lambda e: (-e[1], e[0]))[:limit]
        out.append(np.asarray([i for i, _ in ordered], dtype=np.int64))
    return out


def history_matrix(hist: list[np.ndarray], n_items: int) -> sp.csr_matrix:
    rows = np.concatenate([np.full(len(h), u, dtype=np.int64) for u, h in enumerate(hist)]) if hist else []
    cols = np.concatenate(hist) if hist else []
    data = np.ones(len(cols), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(hist), n_items))


def popularity_counts(inter: Interactions, n_items: int) -> np.ndarray:
    return np.bincount(inter.items, minlength=n_items).astype(np.float64)


@dataclass
class CandidateRows:
    """Candidates of many users with their feature rows: user u's are rows[starts[u]:starts[u + 1]]."""

    users: np.ndarray  # the user of each group
    starts: np.ndarray
    items: np.ndarray  # item index of each row
    rows: np.ndarray  # float32 [R, len(FEATURES)]

    def groups(self):
        for g, u in enumerate(self.users.tolist()):
            a, b = int(self.starts[g]), int(self.starts[g + 1])
            yield u, a, b


def candidate_rows(
    users: list[int],
    hist: list[np.ndarray],
    ease: Table | None,
    knn: Table | None,
    counts: np.ndarray,
    exclude: list[set[int]] | None = None,
    trained: int = TRAINED_CANDIDATES,
    others: int = OTHER_CANDIDATES,
) -> CandidateRows:
    """For each user, the shortlist decisioning would rank (the primary table's best, then the most popular
    others), never an item they have (`exclude`, else their history), with the online feature values."""
    n_items = len(counts)
    primary = ease or knn
    popular_order = np.argsort(-counts, kind="stable")
    log_pop = np.log1p(counts).astype(np.float32)
    out_users, starts, items, rows = [], [0], [], []
    for u in users:
        h = hist[u]
        ease_s = ease.scores(h) if ease else np.zeros(n_items, np.float32)
        knn_s = knn.scores(h) if knn else np.zeros(n_items, np.float32)
        has = exclude[u] if exclude is not None else set(h.tolist())
        chosen: list[int] = []
        if primary is not None and len(h) > 0:
            scores = ease_s if ease else knn_s
            order = top_indexes(scores, trained + len(has))
            for i in order.tolist():
                if len(chosen) == trained:
                    break
                if i not in has:
                    chosen.append(i)
        taken = set(chosen)
        for i in popular_order.tolist():
            if len(chosen) == trained + others:
                break
            if i not in has and i not in taken:
                chosen.append(i)
        idx = np.asarray(chosen, dtype=np.int64)
        out_users.append(u)
        items.append(idx)
        rows.append(np.stack([ease_s[idx], knn_s[idx], log_pop[idx]], axis=1).astype(np.float32))
        starts.append(starts[-1] + len(idx))
    return CandidateRows(
        users=np.asarray(out_users, dtype=np.int64),
        starts=np.asarray(starts, dtype=np.int64),
        items=np.concatenate(items) if items else np.zeros(0, np.int64),
        rows=np.concatenate(rows) if rows else np.zeros((0, len(FEATURES)), np.float32),
    )
