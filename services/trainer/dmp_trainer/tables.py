"""Recommend's candidate models, fitted to one tenant's interactions, as item-to-item tables.

A user's score for an item is the sum of the weights from the items of their history to it:
- EASE^R (Steck, 2019): B = I - P diag(1/diag(P)), P = (X'X + lambda I)^-1, diagonal zero. A dense n x n
  solve: up to EASE_MAX_ITEMS items (20,000: float32, about 1.6 GB); above, no EASE^R table (item-kNN only).
- item-kNN: cosine of items over users, each user's row weighted 1/sqrt(their items) (a user with 500 items
  says less about any two of them than one with 5): it beat plain and shrunk cosine on MovieLens 100k.

Each table keeps, per item, its `k` largest weights by magnitude (EASE^R's negative weights say "not with
this one" and matter: on MovieLens 100k the top 200 by magnitude keep 97 % of the full model's precision@10,
the top 200 positive ones 93 %), all of them when the catalog is small enough for MAX_ENTRIES.

The file format (DMPNBRS1) is libs/scorer/src/item-neighbours.ts's: decisioning reads what this writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.linalg.lapack as lapack
import scipy.sparse as sp

MAGIC = b"DMPNBRS1"
# Entries per table at most (u32 target + f32 weight: 8 bytes each, so 32 MB), and per item at least.
MAX_ENTRIES = 4_000_000
MIN_PER_ITEM = 100
EASE_MAX_ITEMS = 20_000
# EASE^R's lambda is picked from these on a validation part, for catalogs up to LAMBDA_SEARCH_MAX_ITEMS items
# (each is a dense solve); larger ones use DEFAULT_LAMBDA.
LAMBDAS = (50.0, 200.0, 800.0, 3200.0)
LAMBDA_SEARCH_MAX_ITEMS = 5_000
DEFAULT_LAMBDA = 500.0


@dataclass
class Table:
    """A fitted table: per item (row), its targets and weights (CSR), and what it is."""

    kind: str
    item_ids: list[str]
    rows: sp.csr_matrix  # float32, n x n: row j = the weights from item j
    meta: dict

    def scores(self, history: list[int] | np.ndarray) -> np.ndarray:
        """One user's score for every item: the sum of the rows of their history (float32, as online)."""
        if len(history) == 0:
            return np.zeros(self.rows.shape[1], dtype=np.float32)
        return np.asarray(self.rows[np.asarray(history)].sum(axis=0), dtype=np.float32).ravel()

    def scores_many(self, x: sp.csr_matrix) -> np.ndarray:
        """Scores of many users at once: x (users x items, binary) times the table, float32."""
        return np.asarray((x @ self.rows).todense(), dtype=np.float32)


def incidence(users: np.ndarray, items: np.ndarray, n_users: int, n_items: int) -> sp.csr_matrix:
    """The binary users x items matrix of who used what (each pair once)."""
    data = np.ones(len(users), dtype=np.float32)
    x = sp.csr_matrix((data, (users, items)), shape=(n_users, n_items), dtype=np.float32)
    x.data[:] = 1.0  # duplicates summed: back to 1
    return x


def per_item(n_items: int) -> int:
    return max(MIN_PER_ITEM, min(n_items - 1, MAX_ENTRIES // max(n_items, 1)))


def gram(x: sp.csr_matrix, dtype=np.float32) -> np.ndarray:
    """X'X, dense, filled a block of columns at a time: the sparse product whole would hold up to n^2
    entries with their indices besides the dense copy (a gigabyte more at 20,000 items)."""
    n = x.shape[1]
    g = np.zeros((n, n), dtype=dtype)
    xt, xc = x.T.tocsr(), x.tocsc()
    for start in range(0, n, 2048):
        end = min(n, start + 2048)
        g[:, start:end] = (xt @ xc[:, start:end]).toarray()
    return g


def ease_weights(x: sp.csr_matrix, lam: float) -> np.ndarray:
    """EASE^R's dense B (row j: the weights from item j), in float64 for small catalogs, float32 above.

    Memory is the one n x n matrix: LAPACK factors and inverts it in place (through its transpose, which is the
    same memory in Fortran order), and the symmetrizing and scaling are done in place too (20,000 items:
    1.6 GB in float32, where the plain numpy expressions held four copies).
    """
    n = x.shape[1]
    dtype = np.float64 if n <= LAMBDA_SEARCH_MAX_ITEMS else np.float32
    g = gram(x, dtype)
    g.flat[:: n + 1] += lam
    potrf, potri = (lapack.dpotrf, lapack.dpotri) if dtype == np.float64 else (lapack.spotrf, lapack.spotri)
    # g is symmetric: its transpose (Fortran order, no copy) is the same matrix; LAPACK's "upper" triangle of
    # the transpose is g's lower one.
    c, info = potrf(g.T, lower=False, overwrite_a=True, clean=False)
    if info != 0:
        raise ValueError(f"EASE^R: X'X + {lam} I is not positive definite ({info})")
    p, info = potri(c, lower=False, overwrite_c=True)
    if info != 0:
        raise ValueError(f"EASE^R: inversion failed ({info})")
    p = p.T  # back to C order: the inverse is in the lower triangle
    for start in range(0, n, 512):  # mirror the lower triangle to the upper, a block at a time
        end = min(n, start + 512)
        p[start:end, end:] = p[end:, start:end].T
        block = p[start:end, start:end]
        block[np.triu_indices(end - start, 1)] = block.T[np.triu_indices(end - start, 1)]
    diagonal = np.diag(p).copy()
    p /= -diagonal[None, :]  # B[j, i] = -P[j, i] / P[i, i]
    np.fill_diagonal(p, 0.0)
    return p


def knn_weights(x: sp.csr_matrix) -> sp.csr_matrix:
    """Cosine similarity of items over users weighted 1/sqrt(items of the user); sparse, diagonal zero."""
    counts = np.asarray(x.sum(axis=1)).ravel()
    w = sp.diags(np.where(counts > 0, 1.0 / np.sqrt(np.maximum(counts, 1)), 0.0).astype(np.float32))
    xw = (w @ x).tocsc()
    g = (xw.T @ xw).tocsr()
    norms = np.sqrt(np.maximum(g.diagonal(), 1e-12)).astype(np.float32)
    g = sp.diags(1 / norms) @ g @ sp.diags(1 / norms)
    g = g.tocsr()
    g.setdiag(0)
    g.eliminate_zeros()
    return g.astype(np.float32)


# Weights this small are rounding noise of the solve (1e-17 where the exact value is 0), not a signal.
NEGLIGIBLE = 1e-7


def top_by_magnitude(weights: np.ndarray | sp.spmatrix, k: int, chunk: int = 1024) -> sp.csr_matrix:
    """Per row, the k entries largest in magnitude (negligible ones dropped), as float32 CSR."""
    n_rows, n_cols = weights.shape
    indptr = [0]
    indices: list[np.ndarray] = []
    data: list[np.ndarray] = []
    if sp.issparse(weights):
        m = weights.tocsr()
        for r in range(n_rows):
            start, end = m.indptr[r], m.indptr[r + 1]
            cols, vals = m.indices[start:end], m.data[start:end]
            if len(vals) > k:
                keep = np.argpartition(-np.abs(vals), k - 1)[:k]
                cols, vals = cols[keep], vals[keep]
            nonzero = np.abs(vals) > NEGLIGIBLE
            order = np.argsort(cols[nonzero], kind="stable")
            indices.append(cols[nonzero][order].astype(np.int32))
            data.append(vals[nonzero][order].astype(np.float32))
            indptr.append(indptr[-1] + int(nonzero.sum()))
    else:
        for start in range(0, n_rows, chunk):
            block = weights[start : start + chunk]
            if k < n_cols:
                keep = np.argpartition(-np.abs(block), k - 1, axis=1)[:, :k]
                keep.sort(axis=1)
            else:
                keep = np.tile(np.arange(n_cols), (block.shape[0], 1))
            values = np.take_along_axis(block, keep, axis=1)
            for row_cols, row_vals in zip(keep, values):
                nonzero = np.abs(row_vals) > NEGLIGIBLE
                indices.append(row_cols[nonzero].astype(np.int32))
                data.append(row_vals[nonzero].astype(np.float32))
                indptr.append(indptr[-1] + int(nonzero.sum()))
    return sp.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0, np.float32),
            np.concatenate(indices) if indices else np.zeros(0, np.int32),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(n_rows, n_cols),
    )


def fit_ease(x: sp.csr_matrix, item_ids: list[str], lam: float) -> Table:
    n = x.shape[1]
    k = per_item(n)
    rows = top_by_magnitude(ease_weights(x, lam), k)
    return Table("ease", item_ids, rows, {"lambda": lam, "perItem": k})


def fit_knn(x: sp.csr_matrix, item_ids: list[str]) -> Table:
    n = x.shape[1]
    k = per_item(n)
    rows = top_by_magnitude(knn_weights(x), k)
    return Table("knn", item_ids, rows, {"weighting": "1/sqrt(user items)", "perItem": k})


def write_table(table: Table, path: Path | str) -> bytes:
    """Writes DMPNBRS1 (see item-neighbours.ts); returns the bytes written. Dense when at least half of the
    n x n entries are kept: half the bytes of CSR then, and decisioning adds its rows without an index."""
    rows = table.rows.tocsr()
    rows.sort_indices()
    ids = "\n".join(table.item_ids).encode("utf-8")
    n = len(table.item_ids)
    layout = "dense" if 2 * rows.nnz >= n * n and n > 0 else "csr"
    header = json.dumps(
        {"kind": table.kind, "layout": layout, "items": n, "entries": int(rows.nnz), "idsBytes": len(ids), **table.meta},
        separators=(",", ":"),
    ).encode("utf-8")
    out = bytearray(MAGIC)
    out += np.uint32(len(header)).tobytes()
    out += header + ids
    out += b"\0" * ((4 - len(out) % 4) % 4)
    if layout == "dense":
        out += rows.toarray().astype("<f4").tobytes()
    else:
        out += rows.indptr.astype("<u4").tobytes()
        out += rows.indices.astype("<u4").tobytes()
        out += rows.data.astype("<f4").tobytes()
    data = bytes(out)
    Path(path).write_bytes(data)
    return data


def read_table(path: Path | str) -> Table:
    """Reads DMPNBRS1 (a champion's tables, and tests)."""
    data = Path(path).read_bytes()
    if data[:8] != MAGIC:
        raise ValueError(f"{path}: not a DMPNBRS1 file")
    header_length = int(np.frombuffer(data, "<u4", 1, 8)[0])
    header = json.loads(data[12 : 12 + header_length])
    at = 12 + header_length
    ids = data[at : at + header["idsBytes"]].decode("utf-8").split("\n") if header["idsBytes"] else []
    at += header["idsBytes"]
    at += (4 - at % 4) % 4
    n, m = header["items"], header["entries"]
    meta = {k: v for k, v in header.items() if k not in ("kind", "layout", "items", "entries", "idsBytes")}
    if header.get("layout") == "dense":
        dense = np.frombuffer(data, "<f4", n * n, at).reshape(n, n).astype(np.float32)
        return Table(header["kind"], ids, sp.csr_matrix(dense), meta)
    indptr = np.frombuffer(data, "<u4", n + 1, at).astype(np.int64)
    at += 4 * (n + 1)
    indices = np.frombuffer(data, "<u4", m, at).astype(np.int32)
    at += 4 * m
    weights = np.frombuffer(data, "<f4", m, at).astype(np.float32)
    return Table(header["kind"], ids, sp.csr_matrix((weights, indices, indptr), shape=(n, n)), meta)
