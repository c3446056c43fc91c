"""One vector space in memory: a FAISS index plus the moments that turn scores into z-scores.

Vectors are kept 8-bit quantised (FAISS scalar quantiser with one fixed range, the same in
every process): a quarter of float32's memory and a fifth of its search time, with the same
top 10 for 92% of queries at 100k documents (`make bench`, docs/RETRIEVAL.md). SQLite
keeps the float32 originals.

A score means little on its own: e5 gives unrelated Dutch texts a cosine of 0.75 and a
paraphrase 0.85 in one region, 0.80 and 0.90 in another. So every score is standardised
per query against all documents of the space: ``z = (s - mean) / std``, where mean and
std come exactly from the first and second moments of the stored vectors
(``mean = q . m``, ``var = q' S q - mean^2``), with a small prior population mixed in so
that a region with three cases still gets sensible numbers.
"""

import faiss
import numpy as np

# Every component of an L2-normalised e5 or USE vector lies well within +-0.25 (we saw at
# most 0.17), so one fixed range serves all processes without training.
QUANT_RANGE = (-0.25, 0.25)
# How many documents' worth the prior population weighs (see index/prior.py).
PRIOR_WEIGHT = 30.0


# IndexIDMap, not IndexIDMap2: IDMap2's reverse map (a C++ hash map) costs about 6 MB per
# space at 100k vectors; the position array of Space does the same job in 0.8 MB.
def _new_index(dim: int, quantised: bool) -> faiss.Index:
    if not quantised:  # a region's own model: its value range is unknown, keep float32
        return faiss.IndexIDMap(faiss.IndexFlatIP(dim))
    sq = faiss.IndexScalarQuantizer(
        dim, faiss.ScalarQuantizer.QT_8bit_uniform, faiss.METRIC_INNER_PRODUCT
    )
    low, high = QUANT_RANGE
    faiss.copy_array_to_vector(np.array([low, high - low], dtype=np.float32), sq.sq.trained)
    sq.is_trained = True
    return faiss.IndexIDMap(sq)


class Space:
    """Vectors of one kind of document in one embedding, with their moments."""

    def __init__(self, dim: int, prior=None, quantised: bool = True):
        self.dim = dim
        self.index = _new_index(dim, quantised)
        # Where each id sits in the index (-1: absent), up to the largest id (ids are
        # SQLite rowids, dense): a Python dict of 100k ints costs 10 MB per space, this 0.8.
        self._pos = np.zeros(0, dtype=np.int64)
        self.n = 0
        self.sum = np.zeros(dim)
        self.outer = np.zeros((dim, dim))
        self.prior = prior  # (mean vector, second-moment matrix) of a background population
        # moments() for the current population: copying and dividing two 384x384 matrices
        # three times per suggestion cost 3.5 ms at 100k cases (bench/).
        self._moments = None

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def __bool__(self) -> bool:
        return self.index.ntotal > 0

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if not len(ids):
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        ids = np.asarray(ids, dtype=np.int64)
        first = self.index.ntotal
        self.index.add_with_ids(vectors, ids)
        self._place(ids, np.arange(first, first + len(ids), dtype=np.int64))
        v = vectors.astype(np.float64)
        self.n += len(v)
        self.sum += v.sum(0)
        self.outer += v.T @ v
        self._moments = None

    def remove(self, ids) -> None:
        present = [int(i) for i in ids if self.contains(i)]
        if not present:
            return
        old = np.vstack([self.vector(i) for i in present]).astype(np.float64)
        self.index.remove_ids(np.asarray(present, dtype=np.int64))
        self._reposition()  # removing shifts the vectors after the removed ones
        self.n -= len(old)
        self.sum -= old.sum(0)
        self.outer -= old.T @ old
        self._moments = None

    def _place(self, ids: np.ndarray, positions: np.ndarray) -> None:
        if len(ids):
            self._pos = _grown(self._pos, int(ids.max()) + 1)
            self._pos[ids] = positions

    def _reposition(self) -> None:
        ids = faiss.vector_to_array(self.index.id_map).astype(np.int64)
        self._pos = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
        self._place(ids, np.arange(len(ids), dtype=np.int64))

    def contains(self, vector_id: int) -> bool:
        i = int(vector_id)
        return 0 <= i < len(self._pos) and self._pos[i] >= 0

    def vector(self, vector_id: int) -> np.ndarray:
        if not self.contains(vector_id):
            raise KeyError(vector_id)
        return self.index.index.reconstruct(int(self._pos[int(vector_id)]))

    def moments(self) -> tuple[np.ndarray, np.ndarray, float]:
        """Mean vector and second-moment matrix of the population, and its weight."""
        if self._moments is None:
            self._moments = self._compute_moments()
        return self._moments

    def _compute_moments(self) -> tuple[np.ndarray, np.ndarray, float]:
        weight = float(self.n)
        total, outer = self.sum.copy(), self.outer.copy()
        if self.prior is not None:
            mean, second = self.prior
            total += PRIOR_WEIGHT * mean
            outer += PRIOR_WEIGHT * second
            weight += PRIOR_WEIGHT
        if weight == 0:
            return np.zeros(self.dim), np.eye(self.dim) / self.dim, 0.0
        return total / weight, outer / weight, weight

    def standardiser(self, query: np.ndarray) -> tuple[float, float]:
        """(mean, std) of this query's scores over the whole population."""
        mean_vec, second, _ = self.moments()
        q = query.astype(np.float64)
        mean = float(q @ mean_vec)
        var = float(q @ second @ q) - mean * mean
        return mean, max(var, 1e-8) ** 0.5

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if not len(self):
            return []
        sims, ids = self.index.search(query[None, :].astype(np.float32), min(k, len(self)))
        return [(int(i), float(s)) for s, i in zip(sims[0], ids[0], strict=True) if i >= 0]

    def score(self, query: np.ndarray, vector_id: int) -> float:
        return float(self.vector(vector_id) @ query)

    def scores(self, query: np.ndarray, vector_ids) -> dict[int, float]:
        """{id: similarity} for the ids present, in one batch (one reconstruct per id from
        Python cost 7 ms per suggestion at 100k cases)."""
        ids = [int(i) for i in vector_ids if self.contains(i)]
        if not ids:
            return {}
        vectors = self.index.index.reconstruct_batch(self._pos[np.asarray(ids, dtype=np.int64)])
        return dict(zip(ids, (vectors @ query.astype(np.float32)).tolist(), strict=True))

    def state(self) -> dict[str, np.ndarray]:
        """Everything needed to restore this space without SQLite (see ``load``)."""
        return {
            "faiss": faiss.serialize_index(self.index),
            "n": np.array([self.n]),
            "sum": self.sum,
            "outer": self.outer,
        }

    def load(self, state: dict[str, np.ndarray]) -> None:
        self.index = faiss.deserialize_index(state["faiss"])
        self.n = int(state["n"][0])
        self.sum = state["sum"]
        self.outer = state["outer"]
        self._moments = None
        self._reposition()


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    """Return ``array`` grown (doubling, filled with -1) to hold index ``size - 1``."""
    if size <= len(array):
        return array
    out = np.full(max(size, 2 * len(array)), -1, dtype=np.int64)
    out[: len(array)] = array
    return out


class Links:
    """Which document each extra vector belongs to, and each document's extra vectors.

    Written by hand because no library keeps a one-to-many map of dense integer ids
    compactly: per-document lists are threaded through arrays (a head per document, a
    next per extra vector), 16 bytes per id. As Python dicts of ints and tuples the same
    map cost about 45 MB of a web worker's memory at 100k cases (tracemalloc).
    """

    def __init__(self):
        self._owner = np.zeros(0, dtype=np.int64)  # extra id -> document id, -1 = none
        self._next = np.zeros(0, dtype=np.int64)  # extra id -> next extra of its document
        self._head = np.zeros(0, dtype=np.int64)  # document id -> its first extra id
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def owner(self, extra_id: int) -> int | None:
        i = int(extra_id)
        doc = int(self._owner[i]) if 0 <= i < len(self._owner) else -1
        return doc if doc >= 0 else None

    def extras(self, doc_id: int) -> tuple[int, ...]:
        d = int(doc_id)
        out = []
        e = int(self._head[d]) if 0 <= d < len(self._head) else -1
        while e >= 0:
            out.append(e)
            e = int(self._next[e])
        return tuple(reversed(out))  # in the order they were added

    def add(self, extra_id: int, doc_id: int) -> None:
        self.remove(extra_id)
        e, d = int(extra_id), int(doc_id)
        self._owner = _grown(self._owner, e + 1)
        self._next = _grown(self._next, e + 1)
        self._head = _grown(self._head, d + 1)
        self._owner[e] = d
        self._next[e] = self._head[d]
        self._head[d] = e
        self.count += 1

    def add_many(self, extra_ids: np.ndarray, doc_ids: np.ndarray) -> None:
        """Link many at once, in the order of their ids (as ``add`` one by one would)."""
        extra_ids = np.asarray(extra_ids, dtype=np.int64)
        doc_ids = np.asarray(doc_ids, dtype=np.int64)
        if self.count or not len(extra_ids) or len(np.unique(extra_ids)) < len(extra_ids):
            for e, d in zip(extra_ids.tolist(), doc_ids.tolist(), strict=True):
                self.add(e, d)
            return
        # Into an empty map in one pass (loading a saved index of 100k cases: 1 s -> 20 ms).
        order = np.lexsort((extra_ids, doc_ids))
        e, d = extra_ids[order], doc_ids[order]
        self._owner = _grown(self._owner, int(e.max()) + 1)
        self._next = _grown(self._next, int(e.max()) + 1)
        self._head = _grown(self._head, int(d.max()) + 1)
        self._owner[e] = d
        same = np.r_[False, d[1:] == d[:-1]]
        self._next[e] = np.where(same, np.r_[-1, e[:-1]], -1)
        last = np.r_[d[1:] != d[:-1], True]
        self._head[d[last]] = e[last]
        self.count = len(e)

    def remove(self, extra_id: int) -> int | None:
        """Unlink one extra vector; return the document it belonged to."""
        e = int(extra_id)
        doc = self.owner(e)
        if doc is None:
            return None
        prev, cur = -1, int(self._head[doc])
        while cur != e:
            prev, cur = cur, int(self._next[cur])
        if prev < 0:
            self._head[doc] = self._next[e]
        else:
            self._next[prev] = self._next[e]
        self._owner[e] = self._next[e] = -1
        self.count -= 1
        return doc

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(extra ids, their documents), for saving."""
        extra_ids = np.flatnonzero(self._owner >= 0)
        return extra_ids.astype(np.int64), self._owner[extra_ids]


class Labels:
    """A label (or None) per document id, e.g. its cluster: a dict's interface, 2 bytes per id.

    A dict of 100k ints to strings costs about 10 MB of a web worker's memory; here the
    few distinct labels are kept once and each id holds a small code.
    """

    def __init__(self):
        self._code = np.zeros(0, dtype=np.int16)  # id -> 0 absent, 1 None, 2+ a label
        self._names: list[str | None] = [None, None]
        self._codes: dict[str | None, int] = {None: 1}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, doc_id) -> bool:
        i = int(doc_id)
        return 0 <= i < len(self._code) and self._code[i] > 0

    def get(self, doc_id, default=None):
        return self._names[self._code[int(doc_id)]] if doc_id in self else default

    def __getitem__(self, doc_id):
        if doc_id not in self:
            raise KeyError(doc_id)
        return self.get(doc_id)

    def _code_of(self, label: str | None) -> int:
        if label not in self._codes:
            self._codes[label] = len(self._names)
            self._names.append(label)
        return self._codes[label]

    def __setitem__(self, doc_id, label: str | None) -> None:
        i = int(doc_id)
        if i >= len(self._code):
            grown = np.zeros(max(i + 1, 2 * len(self._code)), dtype=np.int16)
            grown[: len(self._code)] = self._code
            self._code = grown
        self._count += not self._code[i]
        self._code[i] = self._code_of(label)

    def pop(self, doc_id, default=None):
        if doc_id not in self:
            return default
        label = self.get(doc_id)
        self._code[int(doc_id)] = 0
        self._count -= 1
        return label

    def set_many(self, doc_ids: np.ndarray, labels) -> None:
        for i, label in zip(doc_ids.tolist(), labels, strict=True):
            self[i] = label

    def ids(self) -> np.ndarray:
        return np.flatnonzero(self._code > 0).astype(np.int64)

    def values_of(self, ids: np.ndarray) -> list[str | None]:
        return [self._names[c] for c in self._code[ids].tolist()]


class Moments:
    """The moments of a space whose vectors stay in SQLite: scored only for candidates.

    The USE vectors are the largest space (512 dimensions) and the weakest voice in the
    ranking, so they no longer bring in candidates of their own: the candidates of e5, the
    case questions and the keywords are scored with their USE vectors read from SQLite
    (float32, exact). A web worker keeps only what standardising needs, 2 MB instead of
    51 MB at 100k cases. A vector that leaves the population is subtracted by the caller,
    who reads the old vector from the log of removals (``forget``); ``remove`` only marks
    the id absent.
    """

    def __init__(self, dim: int, prior=None):
        self.dim = dim
        self._present = np.zeros(0, dtype=bool)
        self.count = 0
        self.n = 0
        self.sum = np.zeros(dim)
        self.outer = np.zeros((dim, dim))
        self.prior = prior
        self._moments = None

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def contains(self, vector_id: int) -> bool:
        i = int(vector_id)
        return 0 <= i < len(self._present) and bool(self._present[i])

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if not len(ids):
            return
        ids = np.asarray(ids, dtype=np.int64)
        self.remove(ids)
        if int(ids.max()) >= len(self._present):
            grown = np.zeros(max(int(ids.max()) + 1, 2 * len(self._present)), dtype=bool)
            grown[: len(self._present)] = self._present
            self._present = grown
        self._present[ids] = True
        self.count += len(ids)
        v = np.asarray(vectors, dtype=np.float64).reshape(-1, self.dim)
        self.n += len(v)
        self.sum += v.sum(0)
        self.outer += v.T @ v
        self._moments = None

    def remove(self, ids) -> None:
        for i in ids:
            if self.contains(i):
                self._present[int(i)] = False
                self.count -= 1

    def forget(self, vector: np.ndarray) -> None:
        """Take a vector that has left (or been replaced in) the population out of it."""
        v = np.asarray(vector, dtype=np.float64)
        self.n -= 1
        self.sum -= v
        self.outer -= np.outer(v, v)
        self._moments = None

    moments = Space.moments
    _compute_moments = Space._compute_moments
    standardiser = Space.standardiser

    def state(self) -> dict[str, np.ndarray]:
        return {
            "ids": np.flatnonzero(self._present).astype(np.int64),
            "n": np.array([self.n]),
            "sum": self.sum,
            "outer": self.outer,
        }

    def load(self, state: dict[str, np.ndarray]) -> None:
        self.n = int(state["n"][0])
        self.sum = state["sum"]
        self.outer = state["outer"]
        self._moments = None
        ids = state["ids"]
        self._present = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=bool)
        self._present[ids] = True
        self.count = len(ids)
