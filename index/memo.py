"""A process-wide memo of vectors by model, role and text.

A rebuild, a re-import or a fresh test database does not embed the same text twice.
Bounded; the oldest entries are dropped first.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

_MEMO: dict[tuple[str, str, str], np.ndarray] = {}
_MEMO_MAX = 40000
_lock = threading.Lock()


def embed(
    embedder, role: str, texts: list[str], progress: Callable[[int], None] | None = None
) -> np.ndarray:
    """Embed texts as passages (``role="passage"``) or queries, batched and remembered."""
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    keys = [(embedder.model_id, role, hashlib.sha256(t.encode("utf-8")).hexdigest()) for t in texts]
    todo = []
    with _lock:
        for i, key in enumerate(keys):
            cached = _MEMO.get(key)
            if cached is None:
                todo.append(i)
            else:
                out[i] = cached
    if progress and len(texts) > len(todo):
        progress(len(texts) - len(todo))
    encode = embedder.embed_passages if role == "passage" else embedder.embed_queries
    for start in range(0, len(todo), 32):
        batch = todo[start : start + 32]
        vectors = encode([texts[i] for i in batch])
        with _lock:
            for i, vec in zip(batch, vectors, strict=True):
                out[i] = vec
                if len(_MEMO) >= _MEMO_MAX:
                    _MEMO.pop(next(iter(_MEMO)))
                _MEMO[keys[i]] = np.array(vec, dtype=np.float32)
        if progress:
            progress(len(batch))
    return out


class Recent:
    """The query vectors of the last few hundred live questions, newest kept.

    While a teacher types, the start of her question that the main model reads stops
    changing once it is long enough; a small per-worker cache saves that embedding on
    every later keystroke. Kept apart from the memo, which grows to 40,000 vectors.
    """

    def __init__(self, size: int = 512):
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, embedder, texts: list[str]) -> np.ndarray:
        """Embed queries, reusing the vector of a text seen a moment ago."""
        out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            key = f"{embedder.model_id}\0{text}"
            with self._lock:
                cached = self._vectors.get(key)
                if cached is not None:
                    self._vectors.move_to_end(key)
            if cached is None:
                cached = embedder.embed_queries([text])[0]
                with self._lock:
                    self._vectors[key] = cached
                    while len(self._vectors) > self.size:
                        self._vectors.popitem(last=False)
            out[i] = cached
        return out
