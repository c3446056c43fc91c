"""Hybrid search over resolved cases and dossier sections.

SQLite holds every document with its vector and a monotonic ``seq``; each process keeps
FAISS indexes in memory (one per kind) and catches up on changes by ``seq`` before every
search, so a case resolved in one web worker is found by the others at once. The FAISS
file on disk only makes start-up fast: it is written atomically and can always be
rebuilt from SQLite.
"""

import hashlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from . import ranking
from . import text as textmod
from .embedder import Embedder
from .sqlite import current_seq, get_meta, next_seq, set_meta, write_transaction

log = logging.getLogger(__name__)

KINDS = ("case", "dossier")
# Keyword terms in more than this share of documents are left out once the index holds at
# least COMMON_TERM_MIN_DOCS documents (bench/: p95 latency at 100k cases).
COMMON_TERM_SHARE = 0.1
COMMON_TERM_MIN_DOCS = 2000
POSTINGS_BUDGET = 20000
# How deep each method looks before fusion.
CANDIDATES = 50

Progress = Callable[[int], None]


class ModelMismatch(RuntimeError):
    """The index holds vectors of another model than the one it was opened with."""


def synced(conn, kind: str, fingerprint: str) -> bool:
    """Whether the documents of ``kind`` were last synced from this fingerprint."""
    return get_meta(conn, f"source:{kind}") == fingerprint


def stored_model(conn) -> str | None:
    """The model whose vectors the index holds (None for an empty index)."""
    return get_meta(conn, "model")


@dataclass
class Doc:
    """A searchable unit: a resolved case or one section of a dossier."""

    kind: str
    target: str
    title: str
    text: str
    snippet: str
    ref: str | None = None

    @property
    def content_hash(self) -> str:
        h = hashlib.sha256()
        for part in (self.title, self.text, self.snippet, self.ref or ""):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()


@dataclass
class Hit:
    kind: str
    target: str
    ref: str | None
    title: str
    snippet: str
    score: float
    cosine: float
    band: str | None = None

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.target,
            "ref": self.ref,
            "title": self.title,
            "score": round(self.score, 6),
        }


def _new_faiss(dim: int):
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


class SearchIndex:
    """The search index of one region: SQLite tables plus in-memory FAISS caches."""

    def __init__(self, data_dir: str | os.PathLike, embedder: Embedder):
        self.data_dir = Path(data_dir)
        self.embedder = embedder
        self._faiss: dict[str, faiss.Index] | None = None
        self._seq = -1
        self._generation = ""
        self._lock = threading.RLock()
        # One query at a time per worker: OpenMP threads only add overhead here (bench/:
        # 7 ms instead of 13 ms for one query over 100k vectors on 2 cores).
        faiss.omp_set_num_threads(1)

    # ---- files -------------------------------------------------------------------------

    def _file(self, kind: str) -> Path:
        return self.data_dir / f"index-{kind}.faiss"

    @property
    def _meta_file(self) -> Path:
        return self.data_dir / "index.json"

    def save(self, conn) -> None:
        """Write the FAISS caches atomically, then the file that says what they hold.

        The meta file is replaced last and records the seq the caches were at, so after a
        crash it can only be older than the FAISS files, never newer; catching up from an
        older seq is idempotent.
        """
        with self._lock:
            self._ensure_loaded(conn)
            for kind, ix in self._faiss.items():
                tmp = self._file(kind).with_suffix(".tmp")
                faiss.write_index(ix, str(tmp))
                os.replace(tmp, self._file(kind))
            meta = {
                "model": self.embedder.model_id,
                "seq": self._seq,
                "generation": self._generation,
                "saved_at": time.time(),
            }
            tmp = self._meta_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(meta))
            os.replace(tmp, self._meta_file)

    def _load_files(self) -> tuple[dict, int, str] | None:
        try:
            meta = json.loads(self._meta_file.read_text())
            if meta.get("model") != self.embedder.model_id:
                return None
            loaded = {k: faiss.read_index(str(self._file(k))) for k in KINDS}
        except (OSError, ValueError, RuntimeError):
            return None
        if any(ix.d != self.embedder.dim for ix in loaded.values()):
            return None
        return loaded, int(meta.get("seq", 0)), meta.get("generation", "")

    # ---- keeping the in-memory index up to date --------------------------------------------

    def _ensure_loaded(self, conn) -> None:
        if self._faiss is not None:
            return
        stored = stored_model(conn)
        if stored not in (None, self.embedder.model_id):
            # Re-embedding a region takes minutes: it belongs to `index rebuild`, never to a
            # request. The portal opens the index with the model it was built with.
            raise ModelMismatch(
                f"the index was built with {stored}, not {self.embedder.model_id}: "
                "run `flask --app wsgi index rebuild`"
            )
        from_file = self._load_files()
        seq, generation = self._state(conn)
        if from_file and from_file[1] <= seq and from_file[2] == generation:
            self._faiss, self._seq, self._generation = from_file
            self._catch_up(conn)
            if self._counts_match(conn):
                return
            log.warning("index file disagrees with the database: rebuilding it from SQLite")
        self._build_from_db(conn)

    def _counts_match(self, conn) -> bool:
        counts = dict(conn.execute("SELECT kind, count(*) FROM search_docs GROUP BY kind"))
        return all(self._faiss[k].ntotal == counts.get(k, 0) for k in KINDS)

    def _build_from_db(self, conn) -> None:
        seq, generation = self._state(conn)
        built = {k: _new_faiss(self.embedder.dim) for k in KINDS}
        for kind in KINDS:
            ids, vecs = [], []
            for doc_id, blob in conn.execute(
                "SELECT id, vector FROM search_docs WHERE kind = ? ORDER BY id", (kind,)
            ):
                ids.append(doc_id)
                vecs.append(np.frombuffer(blob, dtype=np.float32))
            if ids:
                built[kind].add_with_ids(np.vstack(vecs), np.array(ids, dtype=np.int64))
        self._faiss, self._seq, self._generation = built, seq, generation

    def _state(self, conn) -> tuple[int, str]:
        """(seq, generation) in one query: every search asks, so it must be cheap."""
        rows = dict(
            conn.execute("SELECT key, value FROM index_meta WHERE key IN ('seq', 'generation')")
        )
        return int(rows.get("seq", 0)), rows.get("generation", "")

    def _catch_up(self, conn) -> None:
        seq, generation = self._state(conn)
        if generation != self._generation:
            # `index rebuild` replaced every document (in another process, perhaps): the
            # removals are not logged one by one, so start again from SQLite.
            self._build_from_db(conn)
            return
        if seq == self._seq:
            return
        for doc_id, kind in conn.execute(
            "SELECT doc_id, kind FROM search_removed WHERE seq > ?", (self._seq,)
        ):
            self._faiss[kind].remove_ids(np.array([doc_id], dtype=np.int64))
        for doc_id, kind, blob in conn.execute(
            "SELECT id, kind, vector FROM search_docs WHERE seq > ?", (self._seq,)
        ):
            ids = np.array([doc_id], dtype=np.int64)
            self._faiss[kind].remove_ids(ids)
            self._faiss[kind].add_with_ids(np.frombuffer(blob, dtype=np.float32)[None, :], ids)
        self._seq = seq

    def refresh(self, conn) -> None:
        """Bring this process's in-memory index up to date with the database."""
        with self._lock:
            if self._faiss is None:
                self._ensure_loaded(conn)
            else:
                self._catch_up(conn)

    # ---- writing -----------------------------------------------------------------------

    def embed_docs(self, docs: list[Doc], progress: Progress | None = None) -> np.ndarray:
        """Embed documents in batches (memoised per process by content)."""
        out = np.zeros((len(docs), self.embedder.dim), dtype=np.float32)
        todo = []
        for i, doc in enumerate(docs):
            cached = _memo_get(self.embedder.model_id, doc)
            if cached is None:
                todo.append(i)
            else:
                out[i] = cached
        if progress and len(docs) > len(todo):
            progress(len(docs) - len(todo))
        for start in range(0, len(todo), 32):
            batch = todo[start : start + 32]
            vecs = self.embedder.embed_passages([_embed_text(docs[i]) for i in batch])
            for i, vec in zip(batch, vecs, strict=True):
                out[i] = vec
                _memo_put(self.embedder.model_id, docs[i], vec)
            if progress:
                progress(len(batch))
        return out

    def write_docs(self, conn, docs: list[Doc], vectors: np.ndarray) -> None:
        """Store embedded documents (joins the caller's transaction if one is open)."""
        with write_transaction(conn):
            set_meta(conn, "model", self.embedder.model_id)
            for doc, vec in zip(docs, vectors, strict=True):
                self._write_doc(conn, doc, vec)

    def upsert(self, conn, docs: Iterable[Doc], progress: Progress | None = None) -> int:
        """Add or replace documents; return how many were (re-)embedded.

        Documents whose content did not change are skipped, so syncing is cheap.
        """
        docs = list(docs)
        if not docs:
            return 0
        known = {}
        for kind in {d.kind for d in docs}:
            known.update(
                ((kind, t), h)
                for t, h in conn.execute(
                    "SELECT target, content_hash FROM search_docs WHERE kind = ?", (kind,)
                )
            )
        todo = [d for d in docs if known.get((d.kind, d.target)) != d.content_hash]
        if todo:
            self.write_docs(conn, todo, self.embed_docs(todo, progress))
            self.refresh(conn)
        return len(todo)

    def _write_doc(self, conn, doc: Doc, vec: np.ndarray) -> int:
        if doc.kind not in KINDS:
            raise ValueError(f"unknown document kind {doc.kind!r}")
        seq = next_seq(conn)
        row = conn.execute(
            "INSERT INTO search_docs "
            "(kind, target, ref, title, text, snippet, content_hash, vector, seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, target) DO UPDATE SET ref = excluded.ref, "
            "title = excluded.title, text = excluded.text, snippet = excluded.snippet, "
            "content_hash = excluded.content_hash, vector = excluded.vector, seq = excluded.seq "
            "RETURNING id",
            (
                doc.kind,
                doc.target,
                doc.ref,
                doc.title,
                doc.text,
                doc.snippet,
                doc.content_hash,
                np.asarray(vec, dtype=np.float32).tobytes(),
                seq,
            ),
        ).fetchone()
        doc_id = row[0]
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (doc_id,))
        conn.execute(
            # doc.kind is one of KINDS (checked above), never user text.
            f"INSERT INTO search_fts (rowid, stems_{doc.kind}) VALUES (?, ?)",  # noqa: S608 # nosec B608
            (doc_id, textmod.stem_string(doc.title + "\n" + doc.text)),
        )
        return doc_id

    def remove(self, conn, kind: str, targets: Iterable[str]) -> int:
        """Remove documents by target; return how many were removed.

        Inside the caller's transaction the in-memory index is left alone until the next
        search, so a rollback cannot leave it out of step with the database.
        """
        removed = 0
        with write_transaction(conn):
            for target in targets:
                row = conn.execute(
                    "DELETE FROM search_docs WHERE kind = ? AND target = ? RETURNING id",
                    (kind, str(target)),
                ).fetchone()
                if row:
                    conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[0],))
                    conn.execute(
                        "INSERT INTO search_removed (seq, doc_id, kind) VALUES (?, ?, ?)",
                        (next_seq(conn), row[0], kind),
                    )
                    removed += 1
        if not conn.in_transaction:
            self.refresh(conn)
        return removed

    def targets(self, conn, kind: str) -> set[str]:
        return {
            t for (t,) in conn.execute("SELECT target FROM search_docs WHERE kind = ?", (kind,))
        }

    def kind_seq(self, conn, kind: str) -> int:
        """The last change number of one kind: it moves whenever a document of it changes."""
        row = conn.execute(
            "SELECT max(seq) FROM (SELECT max(seq) AS seq FROM search_docs WHERE kind = ? "
            "UNION ALL SELECT max(seq) FROM search_removed WHERE kind = ?)",
            (kind, kind),
        ).fetchone()
        return int(row[0] or 0)

    def sync_kind(self, conn, kind: str, docs: list[Doc], fingerprint: str) -> dict:
        """Make the documents of one kind exactly ``docs`` and remember their fingerprint.

        Only changed documents are embedded; the rest is a cheap comparison of hashes.
        """
        changed = self.upsert(conn, docs)
        gone = self.targets(conn, kind) - {d.target for d in docs}
        removed = self.remove(conn, kind, gone) if gone else 0
        with write_transaction(conn):
            set_meta(conn, f"source:{kind}", fingerprint)
        return {"documents": len(docs), "changed": changed, "removed": removed}

    def replace_all(self, conn, docs: list[Doc], progress: Progress | None = None) -> int:
        """Rebuild from scratch: embed every document anew, drop what is not in ``docs``."""
        vectors = self.embed_docs(docs, progress)
        with write_transaction(conn):
            conn.execute("DELETE FROM search_docs")
            conn.execute("DELETE FROM search_fts")
            conn.execute("DELETE FROM search_removed")
            self.write_docs(conn, docs, vectors)
            set_meta(conn, "built_at", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
            set_meta(conn, "generation", uuid.uuid4().hex)
        with self._lock:
            self._build_from_db(conn)
        self.save(conn)
        return len(docs)

    # ---- reading -----------------------------------------------------------------------

    def status(self, conn) -> dict:
        """Describe the index: counts, model, when built, and whether it is consistent."""
        with self._lock:
            self._ensure_loaded(conn)
            self._catch_up(conn)
            counts = dict(conn.execute("SELECT kind, count(*) FROM search_docs GROUP BY kind"))
            return {
                "model": self.embedder.model_id,
                "built_at": get_meta(conn, "built_at"),
                "seq": current_seq(conn),
                "documents": {k: counts.get(k, 0) for k in KINDS},
                "in_memory": {k: int(self._faiss[k].ntotal) for k in KINDS},
                "file_present": self._meta_file.exists(),
                "consistent": self._counts_match(conn),
            }

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.embed_queries([(query or "").strip()[: textmod.MAX_QUERY_CHARS]])[0]

    def search(
        self,
        conn,
        query: str,
        k: int = 5,
        kind: str | None = None,
        query_vector=None,
        mode: str = "fused",
    ) -> list[Hit]:
        """Return the best ``k`` documents for a query, best first (fused ranking).

        Pass ``query_vector`` (from ``embed_query``) to search several kinds with one
        embedding. ``mode`` "dense" or "keyword" uses one method alone (for evaluation).
        """
        query = (query or "").strip()[: textmod.MAX_QUERY_CHARS]
        kinds = KINDS if kind is None else (kind,)
        k = max(1, min(int(k), 100))
        if not query:
            return []
        qvec = self.embed_query(query) if query_vector is None else query_vector
        with self._lock:
            self.refresh(conn)
            dense: dict[int, float] = {}
            kind_of: dict[int, str] = {}
            for kd in kinds:
                ix = self._faiss[kd]
                if ix.ntotal == 0:
                    continue
                sims, ids = ix.search(qvec[None, :], min(CANDIDATES, ix.ntotal))
                for sim, doc_id in zip(sims[0], ids[0], strict=True):
                    if doc_id >= 0:
                        dense[int(doc_id)] = float(sim)
                        kind_of[int(doc_id)] = kd
            keyword: dict[int, tuple[float, str]] = {}
            if mode != "dense":
                terms = self._selective_terms(conn, textmod.query_stems(query))
                for kd in kinds:
                    keyword.update(self._keyword(conn, terms, kd))
            # Every candidate gets its cosine, also the ones only keyword search found.
            cosine = dict(dense)
            for doc_id, (_, kd) in keyword.items():
                if doc_id not in cosine:
                    cosine[doc_id] = float(self._faiss[kd].reconstruct(doc_id) @ qvec)
        if mode == "keyword":
            scores = {d: ranking.keyword_bonus(rel, 1.0) for d, (rel, _) in keyword.items()}
        elif mode == "dense":
            scores = dense
        else:
            boosts = self._boosts(conn, list(cosine))
            scores = {
                d: ranking.fuse(c, keyword.get(d, (0.0,))[0], boosts.get(d, 0.0))
                for d, c in cosine.items()
            }
        # Bands need the runner-up even when one hit is asked for.
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[: max(k, 2)]
        return ranking.assign_bands(self._hits(conn, best, cosine))[:k]

    def _keyword(self, conn, terms: list[str], kind: str) -> dict[int, tuple[float, str]]:
        """Return {doc id: (relevance, kind)} of the best keyword matches of one kind.

        Relevance is FTS5's bm25 with the sign flipped: higher is better.
        """
        match = textmod.fts_match(terms)
        if match is None or kind not in KINDS:
            return {}
        rows = conn.execute(
            "SELECT rowid, -bm25(search_fts) FROM search_fts WHERE search_fts MATCH ? "
            "ORDER BY bm25(search_fts) LIMIT ?",
            (f"{{stems_{kind}}} : ({match})", CANDIDATES),
        )
        return {r[0]: (r[1], kind) for r in rows}

    def _boosts(self, conn, ids: list[int]) -> dict[int, float]:
        """Score adjustments stored with documents (e.g. whether a case helped)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, boost FROM search_docs WHERE boost != 0 AND id IN ({marks})"  # noqa: S608 # nosec B608
        return dict(conn.execute(sql, ids))

    def set_boost(self, conn, kind: str, target: str, boost: float) -> None:
        """Adjust a document's score; read at query time, so no re-embedding is needed."""
        with write_transaction(conn):
            conn.execute(
                "UPDATE search_docs SET boost = ? WHERE kind = ? AND target = ?",
                (float(boost), kind, str(target)),
            )

    def _selective_terms(self, conn, terms: list[str]) -> list[str]:
        """Leave out terms found in many documents of a large index.

        Such terms ("groep", "klas") add almost nothing to bm25 but make FTS5 score nearly
        every row: at 100k cases they were most of a suggestion's time. The rarest terms,
        which carry the keyword signal, are kept.
        """
        if len(terms) < 2:
            return terms
        total = sum(self._faiss[k].ntotal for k in KINDS)
        if total < COMMON_TERM_MIN_DOCS:
            return terms
        marks = ",".join("?" * len(terms))
        sql = f"SELECT term, doc FROM search_vocab WHERE term IN ({marks})"  # noqa: S608 # nosec B608
        df = dict(conn.execute(sql, terms))
        # Rarest terms first, within a budget of postings that FTS5 has to score.
        kept, postings = [], 0
        for term in sorted(terms, key=lambda t: df.get(t, 0)):
            n = df.get(term, 0)
            if kept and (n > COMMON_TERM_SHARE * total or postings + n > POSTINGS_BUDGET):
                break
            kept.append(term)
            postings += n
        return kept

    def _hits(self, conn, best, cosine) -> list[Hit]:
        if not best:
            return []
        ids = [doc_id for doc_id, _ in best]
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, kind, target, ref, title, snippet FROM search_docs WHERE id IN ({marks})"  # noqa: S608 # nosec B608
        rows = {r[0]: r for r in conn.execute(sql, ids)}  # noqa: S608 - only '?' marks
        hits = []
        for doc_id, score in best:
            if doc_id not in rows:  # removed by another process a moment ago
                continue
            _, kind, target, ref, title, snippet = rows[doc_id]
            hits.append(
                Hit(
                    kind=kind,
                    target=target,
                    ref=ref,
                    title=title,
                    snippet=snippet,
                    score=score,
                    cosine=cosine.get(doc_id, 0.0),
                )
            )
        return hits


def _embed_text(doc: Doc) -> str:
    return f"{doc.title}\n{doc.text}"


# Process-wide memo of passage vectors by content: a rebuild, a re-import or a fresh test
# database does not embed the same text twice. Bounded, oldest entries dropped first.
_MEMO: dict[tuple[str, str], np.ndarray] = {}
_MEMO_MAX = 20000
_memo_lock = threading.Lock()


def _memo_key(model_id: str, doc: Doc) -> tuple[str, str]:
    return model_id, hashlib.sha256(_embed_text(doc).encode("utf-8")).hexdigest()


def _memo_get(model_id: str, doc: Doc):
    with _memo_lock:
        return _MEMO.get(_memo_key(model_id, doc))


def _memo_put(model_id: str, doc: Doc, vec) -> None:
    with _memo_lock:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[_memo_key(model_id, doc)] = np.array(vec, dtype=np.float32)
