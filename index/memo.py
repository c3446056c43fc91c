"""Memos of vectors by model, role and text, bounded.

The process-wide one (``embed``) spares a rebuild, a re-import or a fresh test database
embedding the same text twice. A search index keeps a small one of its own for live
questions: while a teacher types, the start of her question that the main model reads
stops changing once it is long enough, so later keystrokes reuse its vector.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np


class Memo:
    """Vectors by model, role and text, at most ``size``; the least recently used go first."""

    def __init__(self, size: int):
        self.size = size
        self._vectors: OrderedDict[tuple[str, str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(
        self, embedder, role: str, texts: list[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed texts as passages (``role="passage"``) or queries, batched and remembered."""
        out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        keys = [
            (embedder.model_id, role, hashlib.sha256(t.encode("utf-8")).hexdigest()) for t in texts
        ]
        todo = []
        with self._lock:
            for i, key in enumerate(keys):
                cached = self._vectors.get(key)
                if cached is None:
                    todo.append(i)
                else:
                    self._vectors.move_to_end(key)
                    out[i] = cached
        if progress and len(texts) > len(todo):
            progress(len(texts) - len(todo))
        encode = embedder.embed_passages if role == "passage" else embedder.embed_queries
        for start in range(0, len(todo), 32):
            batch = todo[start : start + 32]
            vectors = encode([texts[i] for i in batch])
            with self._lock:
                for i, vec in zip(batch, vectors, strict=True):
                    out[i] = vec
                    self._vectors[keys[i]] = np.array(vec, dtype=np.float32)
                    while len(self._vectors) > self.size:
                        self._vectors.popitem(last=False)
            if progress:
                progress(len(batch))
        return out

    def entries(self) -> list[tuple[tuple[str, str, str], np.ndarray]]:
        """Every remembered vector with its key, oldest first (to hand to another process)."""
        with self._lock:
            return list(self._vectors.items())

    def remember(self, entries) -> None:
        """Take over vectors another process embedded (as ``entries`` gave them)."""
        with self._lock:
            for key, vector in entries:
                self._vectors[key] = np.asarray(vector, dtype=np.float32)
                self._vectors.move_to_end(key)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)


# The process-wide memo: a rebuild, a re-import or a fresh test database does not embed
# the same text twice.
PROCESS = Memo(40000)
embed = PROCESS.embed
