"""Training rows from logged decisions: the feature vectors Recommend served (FEATURE_LOG, exported by
`dmp train` as `decisions.jsonl`) joined with the outcomes that followed them.

Point in time, by construction: each row carries the values its decision was made with, never values
computed later; an outcome counts only if it happened after the decision and within the window, and an
outcome that names another decision (a click's `decision_id`) does not count for this one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .interactions import Interactions

# An item the user used within a week of being shown it counts as a success of that list.
OUTCOME_WINDOW_MS = 7 * 86_400_000


@dataclass(frozen=True)
class Decision:
    decision_id: str
    user: str
    served_at_ms: int
    feature_names: list[str]
    items: list[tuple[str, list[float]]]  # (item, values in feature_names order), in served order


def read_decisions(path: Path | str) -> list[Decision]:
    """`decisions.jsonl`: one decision a line, as `dmp train` writes them (absent: none logged yet)."""
    path = Path(path)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        out.append(
            Decision(
                decision_id=d["decisionId"],
                user=d["userId"],
                served_at_ms=int(d["servedAtMs"]),
                feature_names=list(d["featureNames"]),
                items=[(i["itemId"], [float(v) for v in i["values"]]) for i in d["items"]],
            )
        )
    return out


@dataclass
class LoggedRows:
    rows: np.ndarray  # float32 [R, len(features)]
    labels: np.ndarray  # int [R]
    group_sizes: list[int]  # rows per decision, in order


def join_outcomes(
    decisions: list[Decision],
    interactions: Interactions,
    features: tuple[str, ...],
    window_ms: int = OUTCOME_WINDOW_MS,
) -> LoggedRows:
    """One row per served item with the logged values of `features`, labelled 1 when the user used the item
    after the decision and within the window (and the event names no other decision)."""
    user_index = {u: i for i, u in enumerate(interactions.user_ids)}
    item_index = {t: i for i, t in enumerate(interactions.item_ids)}
    # Per (user, item), the times and decision ids of the interactions, for the window test.
    events: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for u, i, t, d in zip(
        interactions.users.tolist(), interactions.items.tolist(), interactions.times.tolist(), interactions.decisions
    ):
        events.setdefault((u, i), []).append((t, d))
    rows: list[list[float]] = []
    labels: list[int] = []
    sizes: list[int] = []
    for decision in decisions:
        columns = [decision.feature_names.index(f) if f in decision.feature_names else -1 for f in features]
        if -1 in columns:
            continue  # logged before these features existed
        u = user_index.get(decision.user)
        size = 0
        for item, values in decision.items:
            i = item_index.get(item)
            outcomes = events.get((u, i), []) if u is not None and i is not None else []
            hit = any(
                decision.served_at_ms < t <= decision.served_at_ms + window_ms and d in ("", decision.decision_id)
                for t, d in outcomes
            )
            rows.append([values[c] for c in columns])
            labels.append(1 if hit else 0)
            size += 1
        if size:
            sizes.append(size)
    return LoggedRows(
        rows=np.asarray(rows, dtype=np.float32).reshape(-1, len(features)),
        labels=np.asarray(labels, dtype=np.int64),
        group_sizes=sizes,
    )
