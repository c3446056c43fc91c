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


def _new_index(dim: int, quantised: bool) -> faiss.Index:
    if not quantised:  # a region's own model: its value range is unknown, keep float32
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    sq = faiss.IndexScalarQuantizer(
        dim, faiss.ScalarQuantizer.QT_8bit_uniform, faiss.METRIC_INNER_PRODUCT
    )
    low, high = QUANT_RANGE
    faiss.copy_array_to_vector(np.array([low, high - low], dtype=np.float32), sq.sq.trained)
    sq.is_trained = True
    return faiss.IndexIDMap2(sq)


class Space:
    """Vectors of one kind of document in one embedding, with their moments."""

    def __init__(self, dim: int, prior=None, quantised: bool = True):
        self.dim = dim
        self.index = _new_index(dim, quantised)
        # Which ids are present, one byte per id up to the largest (ids are SQLite rowids,
        # dense): a Python set of 100k ints costs 7 MB per space, this 100 KB.
        self._present = np.zeros(0, dtype=bool)
        self.n = 0
        self.sum = np.zeros(dim)
        self.outer = np.zeros((dim, dim))
        self.prior = prior  # (mean vector, second-moment matrix) of a background population

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def __bool__(self) -> bool:
        return self.index.ntotal > 0

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if not len(ids):
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        ids = np.asarray(ids, dtype=np.int64)
        self.index.add_with_ids(vectors, ids)
        self._mark(ids, True)
        v = vectors.astype(np.float64)
        self.n += len(v)
        self.sum += v.sum(0)
        self.outer += v.T @ v

    def remove(self, ids) -> None:
        present = [int(i) for i in ids if self.contains(i)]
        if not present:
            return
        old = np.vstack([self.index.reconstruct(i) for i in present]).astype(np.float64)
        self.index.remove_ids(np.asarray(present, dtype=np.int64))
        self._mark(np.asarray(present, dtype=np.int64), False)
        self.n -= len(old)
        self.sum -= old.sum(0)
        self.outer -= old.T @ old

    def _mark(self, ids: np.ndarray, present: bool) -> None:
        if len(ids) and int(ids.max()) >= len(self._present):
            grown = np.zeros(max(int(ids.max()) + 1, 2 * len(self._present)), dtype=bool)
            grown[: len(self._present)] = self._present
            self._present = grown
        self._present[ids] = present

    def contains(self, vector_id: int) -> bool:
        i = int(vector_id)
        return 0 <= i < len(self._present) and bool(self._present[i])

    def vector(self, vector_id: int) -> np.ndarray:
        return self.index.reconstruct(int(vector_id))

    def moments(self) -> tuple[np.ndarray, np.ndarray, float]:
        """Mean vector and second-moment matrix of the population, and its weight."""
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
        self._present = np.zeros(0, dtype=bool)
        self._mark(faiss.vector_to_array(self.index.id_map).astype(np.int64), True)
