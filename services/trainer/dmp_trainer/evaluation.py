"""Top-k metrics over full rankings, as `dmp eval replay` computes them (services/cli/src/eval/metrics.ts),
and the gate a new version must pass before it is published."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Metrics:
    users: int
    precision: float
    recall: float
    ndcg: float
    hit_rate: float

    def as_dict(self) -> dict[str, float]:
        return {
            "users": self.users,
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "ndcg": round(self.ndcg, 6),
            "hitRate": round(self.hit_rate, 6),
        }


def ranking_metrics(lists: dict[int, list[int]], truth: dict[int, set[int]], k: int) -> Metrics:
    """Precision, recall, NDCG and hit rate at k; a user without a list scores zero."""
    precision = recall = ndcg = hits = 0.0
    for user, relevant in truth.items():
        ranked = lists.get(user, [])[:k]
        found = [item in relevant for item in ranked]
        n = sum(found)
        dcg = sum(1.0 / np.log2(rank + 2) for rank, hit in enumerate(found) if hit)
        ideal = sum(1.0 / np.log2(rank + 2) for rank in range(min(k, len(relevant))))
        precision += n / k
        recall += n / len(relevant)
        ndcg += dcg / ideal if ideal > 0 else 0.0
        hits += 1.0 if n > 0 else 0.0
    users = len(truth)
    mean = (lambda x: x / users) if users else (lambda x: 0.0)
    return Metrics(users, mean(precision), mean(recall), mean(ndcg), mean(hits))


@dataclass(frozen=True)
class Gate:
    passed: bool
    reason: str


def gate(candidate: Metrics, champion: Metrics | None, popularity: Metrics, margin: float) -> Gate:
    """A new version goes out only when its ndcg@k is at least (1 + margin) times the champion's (evaluated
    on the same hold-out with the same new tables), and the popularity baseline's."""
    bar = [("popularity", popularity)] + ([("the champion", champion)] if champion else [])
    for name, other in bar:
        if candidate.ndcg < (1 + margin) * other.ndcg or candidate.users == 0:
            return Gate(
                False,
                f"ndcg {candidate.ndcg:.4f} does not reach {1 + margin:g} x {name}'s {other.ndcg:.4f}",
            )
    against = " and ".join(f"{name} ({other.ndcg:.4f})" for name, other in bar)
    return Gate(True, f"ndcg {candidate.ndcg:.4f} is at least {1 + margin:g} x {against}")
