"""A tenant's interactions as `dmp train` exports them, and the splits the trainer learns and judges on.

`interactions.csv`: `user,item,timestamp_ms,type[,decision_id]`, one row per (event, item), oldest first:
every interaction event of the tenant in the EVENTS stream (views, carts, purchases, plays, clicks), after
identity resolution (the user is the profile the feature store applied the event to).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Interactions:
    """Parallel arrays, sorted by time: user and item indexes, times (ms), and the id lists they index."""

    users: np.ndarray  # int32
    items: np.ndarray  # int32
    times: np.ndarray  # int64, ms
    user_ids: list[str]
    item_ids: list[str]
    # The decision an event says it followed (clicks, conversions), "" for most.
    decisions: list[str]

    def __len__(self) -> int:
        return len(self.times)

    def before(self, cut_ms: int) -> "Interactions":
        """The interactions strictly before `cut_ms` (the same id lists: indexes stay comparable)."""
        n = int(np.searchsorted(self.times, cut_ms, side="left"))
        return self._slice(0, n)

    def between(self, start_ms: int, end_ms: int) -> "Interactions":
        """The interactions at or after `start_ms` and strictly before `end_ms`."""
        a = int(np.searchsorted(self.times, start_ms, side="left"))
        b = int(np.searchsorted(self.times, end_ms, side="left"))
        return self._slice(a, b)

    def _slice(self, a: int, b: int) -> "Interactions":
        return Interactions(
            self.users[a:b], self.items[a:b], self.times[a:b], self.user_ids, self.item_ids, self.decisions[a:b]
        )

    def where(self, mask: np.ndarray) -> "Interactions":
        """The interactions where `mask` is true (the same id lists)."""
        kept = np.flatnonzero(mask)
        return Interactions(
            self.users[kept],
            self.items[kept],
            self.times[kept],
            self.user_ids,
            self.item_ids,
            [self.decisions[i] for i in kept.tolist()],
        )

    def pairs(self) -> set[tuple[int, int]]:
        """Distinct (user, item) pairs."""
        return set(zip(self.users.tolist(), self.items.tolist()))

    def time_quantile(self, q: float) -> int:
        """The time below which a share q of the interactions lie (a cut for a temporal split)."""
        if len(self) == 0:
            return 0
        return int(self.times[min(len(self) - 1, int(q * len(self)))])


def read_interactions(path: Path | str) -> Interactions:
    users: list[int] = []
    items: list[int] = []
    times: list[int] = []
    decisions: list[str] = []
    user_index: dict[str, int] = {}
    item_index: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            rows: list[list[str]] = []
        elif header[:3] == ["user", "item", "timestamp_ms"]:
            rows = reader  # type: ignore[assignment]
        else:
            raise ValueError(f"{path}: expected the header user,item,timestamp_ms,type[,decision_id], got {header}")
        for line, row in enumerate(rows, start=2):
            if len(row) < 3:
                raise ValueError(f"{path}:{line}: expected user,item,timestamp_ms,...")
            user, item = row[0], row[1]
            users.append(user_index.setdefault(user, len(user_index)))
            items.append(item_index.setdefault(item, len(item_index)))
            times.append(int(row[2]))
            decisions.append(row[4] if len(row) > 4 else "")
    order = np.argsort(np.asarray(times, dtype=np.int64), kind="stable")
    return Interactions(
        users=np.asarray(users, dtype=np.int32)[order],
        items=np.asarray(items, dtype=np.int32)[order],
        times=np.asarray(times, dtype=np.int64)[order],
        user_ids=list(user_index),
        item_ids=list(item_index),
        decisions=[decisions[i] for i in order.tolist()],
    )


def new_items_per_user(history: Interactions, later: Interactions) -> dict[int, set[int]]:
    """What each user went on to use in `later` that `history` does not have for them: what to find."""
    seen = history.pairs()
    truth: dict[int, set[int]] = {}
    for u, i in zip(later.users.tolist(), later.items.tolist()):
        if (u, i) not in seen:
            truth.setdefault(u, set()).add(i)
    return truth


HOLDOUTS = ("time", "latest", "random")


def items_held_out(
    inter: Interactions, share: float, how: str = "time", min_items: int = 3, seed: int = 20261207
) -> tuple[Interactions, dict[int, set[int]]]:
    """What a model is judged on, held out of the past it learns from; the held-out items (new to their user in
    the past) are what it must find. A model is best tuned on the split it will be judged by:
    - `time`: everything after the (1 - share) quantile of time, as serving faces the future; the users active
      after the cut with a past before it are judged. When fewer than a fifth of the users with at least
      `min_items` items would be (a tenant whose users come and go in bursts), `latest` instead.
    - `latest`: each user's newest share of their distinct items (by first use; at least one, for users with
      at least `min_items`), with every interaction with them: every active user is judged on their own
      latest choices, whatever the tenant's calendar looks like.
    - `random`: a seeded random share of each user's items, for data judged on a random split (public
      benchmarks such as MovieLens 100k's 80/20)."""
    if how not in HOLDOUTS:
        raise ValueError(f"holdout must be one of {HOLDOUTS}, got {how}")
    if how == "time":
        cut = inter.time_quantile(1 - share)
        past = inter.before(cut)
        later = inter.between(cut, int(inter.times[-1]) + 1) if len(inter) else inter
        known = set(past.users.tolist())
        truth = {u: items for u, items in new_items_per_user(past, later).items() if u in known}
        active = np.bincount(inter.users, minlength=len(inter.user_ids)) if len(inter) else np.zeros(0)
        if len(truth) >= 0.2 * int((active >= min_items).sum()):
            return past, truth
        how = "latest"
    rng = np.random.default_rng(seed)
    first: dict[tuple[int, int], int] = {}
    for u, i, t in zip(inter.users.tolist(), inter.items.tolist(), inter.times.tolist()):
        first.setdefault((u, i), t)  # times are sorted: the first seen is the first use
    by_user: dict[int, list[tuple[int, int]]] = {}
    for (u, i), t in first.items():
        by_user.setdefault(u, []).append((t, i))
    held: dict[int, set[int]] = {}
    for u, items in by_user.items():
        if len(items) < min_items:
            continue
        items.sort()
        count = max(1, int(round(share * len(items))))
        if how == "random":
            chosen = rng.choice(len(items), size=count, replace=False)
            held[u] = {items[j][1] for j in chosen.tolist()}
        else:
            held[u] = {i for _, i in items[-count:]}
    mask = np.fromiter(
        (i not in held.get(u, ()) for u, i in zip(inter.users.tolist(), inter.items.tolist())), dtype=bool, count=len(inter)
    )
    return inter.where(mask), held
