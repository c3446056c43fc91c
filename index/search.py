"""Hybrid search over resolved cases and dossier sections.

SQLite holds every document with its vectors and a monotonic ``seq``; each process keeps
the vector spaces in memory (index/vectors.py) and catches up on changes by ``seq``
before every search, so a case resolved in one web worker is found by the others at once.
The files on disk only make start-up fast: written atomically, rebuilt from SQLite when
missing, corrupt or stale.

A document has up to three vectors and a keyword entry:
- ``passage``: the main model (e5) on its text, as a passage;
- ``second``: the second model (USE) on the same text;
- ``question`` extras: the main model on how a teacher asks for it, as a query: a case's
  own question, a dossier section's teacher questions, and the query memory (earlier
  questions that the document answered);
- FTS5 on Dutch stems.
Ranking (index/ranking.py) fuses their per-query z-scores.
"""

import hashlib
import io
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from . import adapter as adapter_mod
from . import memo, ranking
from . import text as textmod
from .embedder import Embedder, Encoders
from .prior import background_questions, background_vectors, prior_moments
from .sqlite import current_seq, get_meta, next_seq, set_meta, write_transaction
from .vectors import Labels, Links, Moments, Space

log = logging.getLogger(__name__)

KINDS = ("case", "dossier")
# Keyword terms in more than this share of documents are left out once the index holds at
# least COMMON_TERM_MIN_DOCS documents (bench/: p95 latency at 100k cases). FTS5 scores
# every posting of the kept terms: at 100k cases this budget costs about 24 ms of a
# suggestion (5,000 would cost 9 ms, but its effect on ranking is not measured yet).
COMMON_TERM_SHARE = 0.1
COMMON_TERM_MIN_DOCS = 2000
POSTINGS_BUDGET = 20000
# How deep each method looks before fusion.
CANDIDATES = 50
# 4: IndexIDMap instead of IDMap2, and the USE space as moments only (index/vectors.py).
STATE_VERSION = 4
# search_removed.extra_id of a document whose vectors were replaced (not removed).
REPLACED = -1
SPACES = ("passage", "second", "question", "memory")

Progress = Callable[[int], None]
# Evaluation can switch components off to measure each lever (index/evaluate.py).
ALL_COMPONENTS = ("passage", "question", "keyword", "second")
MODES = {
    "fused": ALL_COMPONENTS,
    "dense": ("passage",),
    "keyword": ("keyword",),
}


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
    cluster: str | None = None
    # How teachers ask for it (embedded as queries): a case's own question, a section's
    # teacher questions.
    questions: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        h = hashlib.sha256()
        parts = (self.title, self.text, self.snippet, self.ref or "", self.cluster or "")
        for part in (*parts, *self.questions):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()

    @property
    def embed_text(self) -> str:
        return f"{self.title}\n{self.text}"


@dataclass
class DocVectors:
    passage: np.ndarray
    second: np.ndarray | None
    questions: np.ndarray  # one row per question


@dataclass
class QueryVectors:
    main: np.ndarray
    second: np.ndarray | None


@dataclass
class Hit:
    kind: str
    target: str
    ref: str | None
    title: str
    snippet: str
    score: float
    cosine: float  # the main model's raw cosine, for reading along
    cluster: str | None = None
    band: str | None = None
    components: dict = field(default_factory=dict)
    leads: tuple = ()  # the views (ranking.STRONG_AGREE) that alone rank this hit first
    vote: float = 0.0  # dossier sections: what the nearest cases' kind of behaviour added

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.target,
            "ref": self.ref,
            "title": self.title,
            "score": round(self.score, 6),
            "band": self.band,
        }


@dataclass
class _Kind:
    """One kind's vectors in memory."""

    passage: Space
    second: Moments | None
    question: Space
    memory: Space
    # extra vector id <-> its document; whether it is a remembered question or the case's
    # own is whichever space holds it (memory.contains), not stored twice.
    links: Links = field(default_factory=Links)
    cluster: Labels = field(default_factory=Labels)

    def remove_doc(self, doc_id: int) -> None:
        self.passage.remove([doc_id])
        if self.second is not None:
            self.second.remove([doc_id])
        self.remove_extras(list(self.links.extras(doc_id)))
        self.cluster.pop(doc_id, None)

    def space(self, source: str) -> Space:
        return self.memory if source == "memory" else self.question

    def remove_extras(self, extra_ids: list[int]) -> None:
        self.question.remove(extra_ids)
        self.memory.remove(extra_ids)
        for extra_id in extra_ids:
            self.links.remove(extra_id)

    def add_extra(self, extra_id: int, doc_id: int, source: str, vector: np.ndarray) -> None:
        self.remove_extras([extra_id])
        self.space(source).add([extra_id], vector[None, :])
        self.links.add(extra_id, doc_id)


def _blob(vector) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _vec(blob) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


class SearchIndex:
    """The search index of one region: SQLite tables plus in-memory vector spaces."""

    def __init__(self, data_dir: str | os.PathLike, encoders: Encoders | Embedder):
        self.data_dir = Path(data_dir)
        if not isinstance(encoders, Encoders):  # one model alone
            encoders = Encoders(encoders)
        self.encoders = encoders
        self.embedder = encoders  # the name the rest of the portal knows it by
        self._kinds: dict[str, _Kind] | None = None
        self._seq = -1
        self._generation = ""
        self._calibration: dict[str, ranking.Calibration] = {}
        self._recent = memo.Memo(512)  # live questions, kept apart from the big memo
        self._prior: dict | None = None
        self._background: np.ndarray | None = None
        self._lock = threading.RLock()
        # The query adapter of the main model (index/adapter.py), when set-up built one.
        self.adapter = adapter_mod.load(encoders.main.model_id)
        # One query at a time per worker: OpenMP threads only add overhead here (bench/).
        faiss.omp_set_num_threads(1)
        if self.data_dir.is_dir() and hasattr(encoders, "share_tables"):
            encoders.share_tables(self.data_dir)

    # ---- spaces ------------------------------------------------------------------------

    def _priors(self) -> dict:
        if self._prior is None:
            self._prior = prior_moments(self.encoders, self.data_dir)
        return self._prior

    def _background_vectors(self) -> np.ndarray:
        if self._background is None:
            self._background = background_vectors(self.encoders, self.data_dir)
        return self._background

    def _fit(
        self, query_vector: np.ndarray, skip: int | None = None, case_sims=None
    ) -> float | None:
        """How much closer a question is to the region's cases than to the background (the
        questions no behaviour case answers); ``skip``: a background question's own index;
        ``case_sims``: the question's best similarities with the cases' questions, when the
        search has them already (best first)."""
        questions = self._kinds["case"].question
        if len(questions) < ranking.FIT_NEAREST:
            return None
        if case_sims is None or len(case_sims) < ranking.FIT_NEAREST:
            case_sims = [sim for _, sim in questions.search(query_vector, ranking.FIT_NEAREST)]
        background = self._background_vectors() @ query_vector
        if skip is not None:
            background = np.delete(background, skip)
        nearest = np.sort(np.partition(background, -ranking.FIT_NEAREST)[-ranking.FIT_NEAREST :])
        return ranking.fit(case_sims, nearest[::-1])

    def _quantised(self, embedder) -> bool:
        return getattr(embedder, "quantisable", False)

    def _new_kinds(self) -> dict[str, _Kind]:
        prior = self._priors()
        main, second = self.encoders.main, self.encoders.second
        return {
            kind: _Kind(
                passage=Space(main.dim, prior.get("passage"), self._quantised(main)),
                second=Moments(second.dim, prior.get("second")) if second else None,
                question=Space(main.dim, prior.get("question"), self._quantised(main)),
                memory=Space(main.dim, prior.get("memory"), self._quantised(main)),
            )
            for kind in KINDS
        }

    # ---- files -------------------------------------------------------------------------

    def _file(self, kind: str) -> Path:
        return self.data_dir / f"index-{kind}.npz"

    @property
    def _meta_file(self) -> Path:
        return self.data_dir / "index.json"

    def save(self, conn) -> None:
        """Write the in-memory state atomically, then the file that says what it holds.

        The meta file is replaced last and records the seq the state was at, so after a
        crash it can only be older than the state files, never newer; catching up from an
        older seq is idempotent.
        """
        with self._lock:
            self._ensure_loaded(conn)
            for kind, st in self._kinds.items():
                extra_ids, extra_docs = st.links.pairs()
                arrays = {
                    "extra_ids": extra_ids,
                    "extra_docs": extra_docs,
                    "extra_memory": np.array([st.memory.contains(i) for i in extra_ids], bool),
                    "cluster_ids": st.cluster.ids(),
                    "clusters": np.array(
                        [c or "" for c in st.cluster.values_of(st.cluster.ids())], dtype=str
                    ),
                }
                for name in SPACES:
                    space = getattr(st, name)
                    if space is not None:
                        arrays.update({f"{name}_{k}": v for k, v in space.state().items()})
                buffer = io.BytesIO()
                np.savez(buffer, **arrays)
                tmp = self._file(kind).with_suffix(".tmp")
                tmp.write_bytes(buffer.getvalue())
                os.replace(tmp, self._file(kind))
            meta = {
                "version": STATE_VERSION,
                "model": self.encoders.model_id,
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
            if meta.get("model") != self.encoders.model_id or meta.get("version") != STATE_VERSION:
                return None
            kinds = self._new_kinds()
            for kind, st in kinds.items():
                with np.load(self._file(kind)) as data:
                    for name in SPACES:
                        space = getattr(st, name)
                        if space is not None:
                            prefix = name + "_"
                            space.load(
                                {
                                    key.removeprefix(prefix): data[key]
                                    for key in data.files
                                    if key.startswith(prefix)
                                }
                            )
                    # Which space an extra vector is in is known from the spaces themselves;
                    # "extra_memory" stays in the file so that older code can read it.
                    st.links.add_many(data["extra_ids"], data["extra_docs"])
                    st.cluster.set_many(
                        data["cluster_ids"], [str(c) or None for c in data["clusters"]]
                    )
        except (OSError, ValueError, KeyError, RuntimeError):
            return None
        return kinds, int(meta.get("seq", 0)), meta.get("generation", "")

    # ---- keeping the in-memory index up to date --------------------------------------------

    def _ensure_loaded(self, conn) -> None:
        if self._kinds is not None:
            return
        stored = stored_model(conn)
        if stored not in (None, self.encoders.model_id):
            # Re-embedding a region takes minutes: it belongs to `index rebuild`, never to a
            # request. The portal opens the index with the model it was built with.
            raise ModelMismatch(
                f"the index was built with {stored}, not {self.encoders.model_id}: "
                "run `flask --app wsgi index rebuild`"
            )
        seq, generation = self._state(conn)[:2]
        from_file = self._load_files()
        if from_file and from_file[1] <= seq and from_file[2] == generation:
            self._kinds, self._seq, self._generation = from_file
            self._catch_up(conn)
            if self._counts_match(conn):
                return
            log.warning("index file disagrees with the database: rebuilding it from SQLite")
        self._build_from_db(conn)

    def _counts_match(self, conn) -> bool:
        docs = dict(conn.execute("SELECT kind, count(*) FROM search_docs GROUP BY kind"))
        extras = dict(conn.execute("SELECT kind, count(*) FROM search_extra GROUP BY kind"))
        return all(
            len(self._kinds[k].passage) == docs.get(k, 0)
            and len(self._kinds[k].question) + len(self._kinds[k].memory) == extras.get(k, 0)
            for k in KINDS
        )

    def _build_from_db(self, conn) -> None:
        seq, generation = self._state(conn)[:2]
        kinds = self._new_kinds()
        for kind, st in kinds.items():
            self._load_docs(st, conn.execute(
                "SELECT id, vector, second_vector, cluster FROM search_docs WHERE kind = ? "
                "ORDER BY id", (kind,)
            ))  # fmt: skip
            self._load_extras(st, conn.execute(
                "SELECT id, doc_id, source, vector FROM search_extra WHERE kind = ? ORDER BY id",
                (kind,),
            ))  # fmt: skip
        self._kinds, self._seq, self._generation = kinds, seq, generation

    def _load_docs(self, st: _Kind, rows) -> None:
        """Put documents' vectors (id, vector, second vector, cluster) into memory."""
        ids, vecs, second_ids, second_vecs = [], [], [], []
        for doc_id, blob, second_blob, cluster in rows:
            st.passage.remove([doc_id])
            if st.second is not None:
                st.second.remove([doc_id])
            ids.append(doc_id)
            vecs.append(_vec(blob))
            st.cluster[doc_id] = cluster
            if st.second is not None and second_blob is not None:
                second_ids.append(doc_id)
                second_vecs.append(_vec(second_blob))
        if ids:
            st.passage.add(np.array(ids), np.vstack(vecs))
        if second_ids:
            st.second.add(np.array(second_ids), np.vstack(second_vecs))

    def _load_extras(self, st: _Kind, rows) -> None:
        """Put extra question vectors (id, doc id, source, vector) into memory."""
        for extra_id, doc_id, source, blob in rows:
            st.add_extra(extra_id, doc_id, source, _vec(blob))

    def _state(self, conn) -> tuple[int, str, dict]:
        """(seq, generation, calibrations) in one query: every search asks, so it is cheap."""
        rows = dict(
            conn.execute(
                "SELECT key, value FROM index_meta WHERE key IN "
                "('seq', 'generation', 'calibration:case', 'calibration:dossier')"
            )
        )
        stored = {
            k.split(":", 1)[1]: json.loads(v) for k, v in rows.items() if k[:12] == "calibration:"
        }
        calibrations = {
            kind: ranking.Calibration.from_json(data)
            for kind, data in stored.items()
            if self._same_adapter(data)
        }
        return int(rows.get("seq", 0)), rows.get("generation", ""), calibrations

    def _catch_up(self, conn) -> None:
        seq, generation, self._calibration = self._state(conn)
        if generation != self._generation:
            # `index rebuild` replaced every document (in another process, perhaps): the
            # removals are not logged one by one, so start again from SQLite.
            self._build_from_db(conn)
            return
        if seq == self._seq:
            return
        for doc_id, kind, extra_id, old_second, old_seq in conn.execute(
            "SELECT doc_id, kind, extra_id, second_vector, old_seq FROM search_removed "
            "WHERE seq > ? ORDER BY seq",
            (self._seq,),
        ):
            st = self._kinds[kind]
            # The USE moments lose the old vector only if this process had counted it: a
            # version written after this process's seq was never loaded here.
            counted = old_seq is not None and old_seq <= self._seq
            if counted and old_second is not None and st.second and st.second.contains(doc_id):
                st.second.forget(_vec(old_second))
            if extra_id is None:
                st.remove_doc(doc_id)
            elif extra_id != REPLACED:
                st.remove_extras([extra_id])
        for kind in KINDS:
            st = self._kinds[kind]
            self._load_docs(st, conn.execute(
                "SELECT id, vector, second_vector, cluster FROM search_docs WHERE kind = ? "
                "AND seq > ?", (kind, self._seq),
            ))  # fmt: skip
            self._load_extras(st, conn.execute(
                "SELECT id, doc_id, source, vector FROM search_extra WHERE kind = ? AND seq > ? "
                "ORDER BY id", (kind, self._seq),
            ))  # fmt: skip
        self._seq = seq

    def refresh(self, conn) -> None:
        """Bring this process's in-memory index up to date with the database."""
        with self._lock:
            if self._kinds is None:
                self._ensure_loaded(conn)
                self._calibration = self._state(conn)[2]
            else:
                self._catch_up(conn)

    # ---- writing -----------------------------------------------------------------------

    def embed_docs(self, docs: list[Doc], progress: Progress | None = None) -> list[DocVectors]:
        """Embed documents in batches (memoised per process by content)."""
        main, second = self.encoders.main, self.encoders.second
        passages = memo.embed(main, "passage", [d.embed_text for d in docs], progress)
        seconds = memo.embed(second, "passage", [d.embed_text for d in docs]) if second else None
        questions = memo.embed(main, "query", [q for d in docs for q in d.questions])
        out, start = [], 0
        for i, doc in enumerate(docs):
            n = len(doc.questions)
            out.append(
                DocVectors(
                    passages[i],
                    seconds[i] if seconds is not None else None,
                    questions[start : start + n],
                )
            )
            start += n
        return out

    def write_docs(self, conn, docs: list[Doc], vectors: list[DocVectors]) -> None:
        """Store embedded documents (joins the caller's transaction if one is open)."""
        with write_transaction(conn):
            set_meta(conn, "model", self.encoders.model_id)
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

    def _write_doc(self, conn, doc: Doc, vec: DocVectors) -> int:
        if doc.kind not in KINDS:
            raise ValueError(f"unknown document kind {doc.kind!r}")
        old = conn.execute(
            "SELECT id, second_vector, seq FROM search_docs WHERE kind = ? AND target = ?",
            (doc.kind, doc.target),
        ).fetchone()
        if old is not None and old[1] is not None:
            # Every process takes the old USE vector out of its moments (see _catch_up).
            conn.execute(
                "INSERT INTO search_removed (seq, doc_id, kind, extra_id, second_vector, "
                "old_seq) VALUES (?, ?, ?, ?, ?, ?)",
                (next_seq(conn), old[0], doc.kind, REPLACED, old[1], old[2]),
            )
        seq = next_seq(conn)
        row = conn.execute(
            "INSERT INTO search_docs (kind, target, ref, title, text, snippet, cluster, "
            "content_hash, vector, second_vector, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, target) DO UPDATE SET ref = excluded.ref, "
            "title = excluded.title, text = excluded.text, snippet = excluded.snippet, "
            "cluster = excluded.cluster, content_hash = excluded.content_hash, "
            "vector = excluded.vector, second_vector = excluded.second_vector, seq = excluded.seq "
            "RETURNING id",
            (
                doc.kind,
                doc.target,
                doc.ref,
                doc.title,
                doc.text,
                doc.snippet,
                doc.cluster,
                doc.content_hash,
                _blob(vec.passage),
                _blob(vec.second) if vec.second is not None else None,
                seq,
            ),
        ).fetchone()
        doc_id = row[0]
        # The document's own questions are replaced; its query memory stays.
        for (extra_id,) in conn.execute(
            "DELETE FROM search_extra WHERE doc_id = ? AND source = 'question' RETURNING id",
            (doc_id,),
        ).fetchall():
            conn.execute(
                "INSERT INTO search_removed (seq, doc_id, kind, extra_id) VALUES (?, ?, ?, ?)",
                (next_seq(conn), doc_id, doc.kind, extra_id),
            )
        for question, qvec in zip(doc.questions, vec.questions, strict=True):
            self._write_extra(conn, doc_id, doc.kind, "question", question, qvec)
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (doc_id,))
        conn.execute(
            # doc.kind is one of KINDS (checked above), never user text.
            f"INSERT INTO search_fts (rowid, stems_{doc.kind}) VALUES (?, ?)",  # noqa: S608 # nosec B608
            (doc_id, textmod.stem_string(doc.title + "\n" + doc.text)),
        )
        return doc_id

    def _write_extra(self, conn, doc_id: int, kind: str, source: str, text: str, vector) -> None:
        conn.execute(
            "INSERT INTO search_extra (doc_id, kind, source, text, vector, seq) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (doc_id, kind, source, text, _blob(vector), next_seq(conn)),
        )

    def add_memory(self, conn, kind: str, target: str, text: str) -> bool:
        """Remember that a question (already scrubbed of personal data) found this document.

        Returns False when the document is not (or no longer) in the index.
        """
        text = " ".join((text or "").split())[: textmod.MAX_QUERY_CHARS]
        if not text:
            return False
        vector = memo.embed(self.encoders.main, "query", [ranking.dense_query(text)])[0]
        with write_transaction(conn):
            row = conn.execute(
                "SELECT id FROM search_docs WHERE kind = ? AND target = ?", (kind, str(target))
            ).fetchone()
            if row is None:
                return False
            self._write_extra(conn, row[0], kind, "memory", text, vector)
        if not conn.in_transaction:
            self.refresh(conn)
        return True

    def remove(self, conn, kind: str, targets: Iterable[str]) -> int:
        """Remove documents by target; return how many were removed.

        Inside the caller's transaction the in-memory index is left alone until the next
        search, so a rollback cannot leave it out of step with the database.
        """
        removed = 0
        with write_transaction(conn):
            for target in targets:
                row = conn.execute(
                    "DELETE FROM search_docs WHERE kind = ? AND target = ? "
                    "RETURNING id, second_vector, seq",
                    (kind, str(target)),
                ).fetchone()
                if row:
                    conn.execute("DELETE FROM search_extra WHERE doc_id = ?", (row[0],))
                    conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[0],))
                    conn.execute(
                        "INSERT INTO search_removed (seq, doc_id, kind, second_vector, old_seq) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (next_seq(conn), row[0], kind, row[1], row[2]),
                    )
                    removed += 1
        if not conn.in_transaction:
            self.refresh(conn)
        return removed

    def has(self, conn, kind: str, target: str) -> bool:
        return bool(
            conn.execute(
                "SELECT 1 FROM search_docs WHERE kind = ? AND target = ?", (kind, str(target))
            ).fetchone()
        )

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
        """Rebuild from scratch: embed every document anew, drop what is not in ``docs``.

        The query memory is kept: re-embedded with the current model for the documents that
        stay.
        """
        memory = conn.execute(
            "SELECT d.kind, d.target, e.text FROM search_extra e JOIN search_docs d "
            "ON d.id = e.doc_id WHERE e.source = 'memory' ORDER BY e.id"
        ).fetchall()
        vectors = self.embed_docs(docs, progress)
        keep = {(d.kind, d.target) for d in docs}
        memory = [m for m in memory if (m[0], m[1]) in keep]
        memory_vectors = memo.embed(
            self.encoders.main, "query", [ranking.dense_query(m[2]) for m in memory]
        )
        with write_transaction(conn):
            for table in ("search_docs", "search_extra", "search_fts", "search_removed"):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 # nosec B608 - constant names
            self.write_docs(conn, docs, vectors)
            for (kind, target, text), vec in zip(memory, memory_vectors, strict=True):
                doc_id = conn.execute(
                    "SELECT id FROM search_docs WHERE kind = ? AND target = ?", (kind, target)
                ).fetchone()[0]
                self._write_extra(conn, doc_id, kind, "memory", text, vec)
            set_meta(conn, "built_at", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
            set_meta(conn, "generation", uuid.uuid4().hex)
            conn.execute("DELETE FROM index_meta WHERE key LIKE 'calibration:%'")
        with self._lock:
            self._build_from_db(conn)
        self.calibrate(conn)
        self.save(conn)
        return len(docs)

    # ---- calibration -------------------------------------------------------------------

    def calibration(self, kind: str = "case") -> ranking.Calibration:
        return self._calibration.get(kind, ranking.DEFAULT)

    def _adapter_signature(self) -> str | None:
        return self.adapter.signature if self.adapter is not None else None

    def _same_adapter(self, stored: dict) -> bool:
        """Were these bands computed with the query adapter in use now (or both without)?"""
        return stored.get("adapter") == self._adapter_signature()

    def calibration_stale(self, conn, kind: str = "case") -> bool:
        """Whether the region's documents changed enough since the bands were computed."""
        n = conn.execute("SELECT count(*) FROM search_docs WHERE kind = ?", (kind,)).fetchone()[0]
        raw = get_meta(conn, f"calibration:{kind}")
        if raw is None or not self._same_adapter(json.loads(raw)):
            return n > 0
        done = ranking.Calibration.from_json(json.loads(raw)).documents
        return abs(n - done) >= max(10, 0.1 * done)

    def calibrate(self, conn, kind: str = "case") -> ranking.Calibration:
        """Compute the bands from the region's own documents and store them.

        Each sampled document's title is searched as a teacher's question among the other
        documents, and each background question (no case answers it) among the cases: how
        far their best (different) documents stand out is what "nothing fits" looks like
        in this region (index/ranking.py).
        """
        rows = conn.execute(
            "SELECT id, title FROM search_docs WHERE kind = ? ORDER BY id", (kind,)
        ).fetchall()
        step = max(1, len(rows) // ranking.CALIBRATION_SAMPLE)
        sample = rows[::step][: ranking.CALIBRATION_SAMPLE]
        leads, gaps = [], []
        if len(rows) >= ranking.MIN_DOCS_TO_CALIBRATE:
            vectors = self.embed_queries([title for _, title in sample])
            for (doc_id, title), qv in zip(sample, vectors, strict=True):
                hits = self.search(
                    conn, title, k=ranking.LEAD_OVER, kind=kind, vectors=qv, exclude={doc_id}
                )
                if len(hits) >= 2:
                    leads.append(ranking.lead(hits))
                    gaps.append(hits[0].score - hits[1].score)
        background = []  # (fit, lead) of each background question
        if len(rows) >= ranking.MIN_DOCS_TO_CALIBRATE and kind == "case":
            with self._lock:
                vectors = self._background_vectors()
                fits = [self._fit(vector, skip=i) for i, vector in enumerate(vectors)]
            # Each background question searched as a teacher would ask it (the main model's
            # vectors are cached on disk, the second model's are cheap).
            questions = background_questions()
            second = self.encoders.second
            seconds = memo.embed(second, "query", questions) if second else None
            for i, (question, fit) in enumerate(zip(questions, fits, strict=True)):
                qv = QueryVectors(vectors[i], seconds[i] if seconds is not None else None)
                hits = self.search(conn, question, k=ranking.LEAD_OVER, kind=kind, vectors=qv)
                background.append((fit, ranking.lead(hits) if len(hits) >= 2 else None))
        result = ranking.calibration_from(leads, gaps, len(rows), background)
        with write_transaction(conn):
            stored = {**result.as_json(), "adapter": self._adapter_signature()}
            set_meta(conn, f"calibration:{kind}", json.dumps(stored))
        with self._lock:
            self._calibration[kind] = result
        return result

    # ---- reading -----------------------------------------------------------------------

    def status(self, conn) -> dict:
        """Describe the index: counts, model, when built, calibration, consistency."""
        with self._lock:
            self._ensure_loaded(conn)
            self._catch_up(conn)
            counts = dict(conn.execute("SELECT kind, count(*) FROM search_docs GROUP BY kind"))
            return {
                "model": self.encoders.model_id,
                "built_at": get_meta(conn, "built_at"),
                "seq": current_seq(conn),
                "documents": {k: counts.get(k, 0) for k in KINDS},
                "in_memory": {k: len(self._kinds[k].passage) for k in KINDS},
                "question_vectors": {k: len(self._kinds[k].question) for k in KINDS},
                "memory_vectors": {k: len(self._kinds[k].memory) for k in KINDS},
                "calibration": self.calibration("case").as_json(),
                "file_present": self._meta_file.exists(),
                "consistent": self._counts_match(conn),
            }

    def embed_queries(self, queries: list[str]) -> list[QueryVectors]:
        texts = [(q or "").strip()[: textmod.MAX_QUERY_CHARS] for q in queries]
        # e5 costs about 1.7 ms per token (bench/), so it reads the start of a long question
        # only; the cheap second model and the keywords read all of it.
        dense = [ranking.dense_query(t) for t in texts]
        if len(texts) == 1:  # a teacher typing: once her text outgrows the start, it repeats
            main = self._recent.embed(self.encoders.main, "query", dense)
            second = self.encoders.second.embed_queries(texts) if self.encoders.second else None
        else:  # evaluation and calibration: the same questions come back
            main = memo.embed(self.encoders.main, "query", dense)
            second = (
                memo.embed(self.encoders.second, "query", texts) if self.encoders.second else None
            )
        return [
            QueryVectors(main[i], second[i] if second is not None else None)
            for i in range(len(texts))
        ]

    def embed_query(self, query: str) -> QueryVectors:
        return self.embed_queries([query])[0]

    def search(
        self,
        conn,
        query: str,
        k: int = 5,
        kind: str | None = None,
        vectors: QueryVectors | None = None,
        mode: str = "fused",
        exclude: set[int] | frozenset = frozenset(),
        components: tuple[str, ...] | None = None,
    ) -> list[Hit]:
        """Return the best ``k`` documents for a query, best first, each with its band.

        Pass ``vectors`` (from ``embed_query``) to search several kinds with one embedding.
        ``mode`` "dense" or "keyword" (or ``components``) switches levers off for
        evaluation.
        """
        results = self.search_kinds(
            conn, query, k, (KINDS if kind is None else (kind,)), vectors, mode, exclude, components
        )
        if kind is not None:
            return results.get(kind, [])
        merged = sorted((h for hits in results.values() for h in hits), key=lambda h: -h.score)
        return merged[: max(1, min(int(k), 100))]

    def search_kinds(
        self,
        conn,
        query: str,
        k: int,
        kinds: tuple[str, ...],
        vectors: QueryVectors | None = None,
        mode: str = "fused",
        exclude=frozenset(),
        components: tuple[str, ...] | None = None,
    ) -> dict[str, list[Hit]]:
        """{kind: hits} for one query; dossier sections get the cases' cluster vote."""
        query = (query or "").strip()[: textmod.MAX_QUERY_CHARS]
        k = max(1, min(int(k), 100))
        if not query:
            return {kind: [] for kind in kinds}
        use = components or MODES[mode]
        qv = vectors or self.embed_query(query)
        terms = self._selective_terms(conn, textmod.query_stems(query)) if "keyword" in use else []
        wanted = set(kinds) | ({"case"} if "dossier" in kinds and mode == "fused" else set())
        with self._lock:
            self.refresh(conn)
            question_sims: list[float] = []  # the case search's own, for the fit below
            scored = {
                kind: self._score_kind(
                    conn, kind, qv, terms, use, exclude, question_sims if kind == "case" else None
                )
                for kind in KINDS
                if kind in wanted
            }
            calibration = self.calibration("case")
            gated = "case" in scored and calibration.fit_from is not None
            fit = self._fit(qv.main, case_sims=question_sims) if gated else None
        results = {}
        if "case" in scored:
            best = sorted(scored["case"].items(), key=lambda kv: (-kv[1][0], kv[0]))
            top = max(k, ranking.CASES_SHOWN + 1, ranking.LEAD_OVER)
            hits = self._hits(conn, "case", best[:top], ranking.leaders(scored["case"]))
            results["case"] = ranking.case_bands(hits, calibration, fit)
        if "dossier" in scored:
            vote = {}
            if mode == "fused" and results.get("case"):
                vote = ranking.cluster_vote(results["case"], lambda h: h.cluster)
            scores = {
                doc: (
                    s
                    + ranking.CLUSTER_VOTE_WEIGHT
                    * vote.get(self._kinds["dossier"].cluster.get(doc), 0.0),
                    comps,
                )  # fmt: skip
                for doc, (s, comps) in scored["dossier"].items()
            }
            best = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[0]))
            hits = self._hits(conn, "dossier", best[: max(k, 24)])
            for hit in hits:
                hit.vote = ranking.CLUSTER_VOTE_WEIGHT * vote.get(hit.cluster, 0.0)
            results["dossier"] = ranking.section_bands(hits)
        return {kind: results[kind][:k] for kind in kinds}

    def _score_kind(
        self, conn, kind, qv: QueryVectors, terms, use, exclude, question_sims=None
    ) -> dict:
        """{doc id: (fused score, {component: z})} for the candidates of one kind; the best
        similarities with the documents' own questions go into ``question_sims``."""
        st = self._kinds[kind]
        n_docs = len(st.passage)
        if not n_docs:
            return {}
        comps: dict[int, dict[str, float]] = {}
        cosine: dict[int, float] = {}
        memory: dict[int, float] = {}

        def note(doc, name, z):
            comps.setdefault(doc, {})[name] = z

        # The query as the adapter moves it towards the case texts it asks for (index/adapter.py).
        pq = qv.main if self.adapter is None else self.adapter.apply(qv.main, kind)
        passage_mean, passage_std = st.passage.standardiser(pq)
        if "passage" in use:
            for doc, sim in st.passage.search(pq, CANDIDATES):
                cosine[doc] = sim
                note(doc, "passage", ranking.zscore(sim, passage_mean, passage_std))
        if "question" in use and st.question:
            q_mean, q_std = st.question.standardiser(qv.main)
            for extra_id, sim in st.question.search(qv.main, 2 * CANDIDATES):
                if question_sims is not None and len(question_sims) < ranking.FIT_NEAREST:
                    question_sims.append(sim)
                doc = st.links.owner(extra_id)
                z = ranking.zscore(sim, q_mean, q_std)
                if doc is not None and z > comps.get(doc, {}).get("question", -np.inf):
                    note(doc, "question", z)
        if "question" in use and st.memory:
            # Memory vectors are phone-style questions like the new one: standardised among
            # themselves, so their shared style does not count as a match.
            m_mean, m_std = st.memory.standardiser(qv.main)
            for extra_id, sim in st.memory.search(qv.main, CANDIDATES):
                doc = st.links.owner(extra_id)
                bonus = ranking.memory_bonus(ranking.zscore(sim, m_mean, m_std))
                if doc is not None and bonus > memory.get(doc, 0.0):
                    memory[doc] = bonus
        keyword = self._keyword(conn, terms, kind) if "keyword" in use else {}
        k_mean, k_std = ranking.keyword_standardiser(list(keyword.values()), n_docs)
        for doc, rel in keyword.items():
            if doc in st.cluster:
                note(doc, "keyword", ranking.zscore(rel, k_mean, k_std))
        boosts = self._boosts(conn, list(comps)) if len(use) > 1 else {}
        second = st.second if qv.second is not None and st.second else None
        second_vectors = {}
        if "second" in use and second:
            second_mean, second_std = second.standardiser(qv.second)
            second_vectors = self._second_vectors(conn, [d for d in comps if second.contains(d)])
        out = {}
        wanted = [d for d in comps if d not in exclude and d in st.cluster]
        # The candidates' missing similarities in two batches, not one lookup each.
        cosine.update(st.passage.scores(pq, [d for d in wanted if d not in cosine]))
        own_questions: dict[int, list[int]] = {}
        if "question" in use and st.question:
            for doc in wanted:
                if "question" not in comps[doc]:
                    own = [e for e in st.links.extras(doc) if not st.memory.contains(e)]
                    if own:
                        own_questions[doc] = own
        question_scores = st.question.scores(
            qv.main, [e for own in own_questions.values() for e in own]
        )
        for doc in wanted:
            found = comps[doc]
            if "passage" in use and "passage" not in found:
                found["passage"] = ranking.zscore(cosine[doc], passage_mean, passage_std)
            if doc in second_vectors:
                sim = float(second_vectors[doc] @ qv.second)
                found["second"] = ranking.zscore(sim, second_mean, second_std)
            sims = [question_scores[e] for e in own_questions.get(doc, ()) if e in question_scores]
            if sims:
                found["question"] = ranking.zscore(max(sims), q_mean, q_std)
            if "keyword" in use and "keyword" not in found:
                found["keyword"] = ranking.zscore(0.0, k_mean, k_std)
            found["cosine"] = cosine[doc]
            score = ranking.fuse(
                {n: z for n, z in found.items() if n != "cosine"},
                boosts.get(doc, 0.0) + memory.get(doc, 0.0),
            )
            out[doc] = (score, found)
        return out

    def _second_vectors(self, conn, doc_ids: list[int]) -> dict[int, np.ndarray]:
        """The USE vectors of the candidates, from SQLite (a worker keeps only moments)."""
        out = {}
        for start in range(0, len(doc_ids), 500):  # SQLite's limit on bound parameters
            chunk = doc_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for doc_id, blob in conn.execute(
                # Only "?" placeholders are formatted in, never values.
                f"SELECT id, second_vector FROM search_docs WHERE id IN ({marks}) "  # noqa: S608 # nosec B608
                "AND second_vector IS NOT NULL",
                chunk,
            ):
                out[doc_id] = _vec(blob)
        return out

    def _keyword(self, conn, terms: list[str], kind: str) -> dict[int, float]:
        """Return {doc id: relevance} of the best keyword matches of one kind.

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
        return {r[0]: max(0.0, r[1]) for r in rows}

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
        with self._lock:
            self.refresh(conn)
            total = sum(len(st.passage) for st in self._kinds.values())
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

    def _hits(self, conn, kind: str, best, leaders=None) -> list[Hit]:
        if not best:
            return []
        ids = [doc_id for doc_id, _ in best]
        marks = ",".join("?" * len(ids))
        columns = "id, kind, target, ref, title, snippet, cluster"
        sql = f"SELECT {columns} FROM search_docs WHERE id IN ({marks})"  # noqa: S608 # nosec B608
        rows = {r[0]: r for r in conn.execute(sql, ids)}
        hits = []
        for doc_id, (score, comps) in best:
            if doc_id not in rows:  # removed by another process a moment ago
                continue
            _, kind_, target, ref, title, snippet, cluster = rows[doc_id]
            hits.append(
                Hit(
                    kind=kind_,
                    target=target,
                    ref=ref,
                    title=title,
                    snippet=snippet,
                    score=score,
                    cosine=comps.get("cosine", 0.0),
                    cluster=cluster,
                    components={n: round(z, 3) for n, z in comps.items()},
                    leads=tuple(v for v, d in (leaders or {}).items() if d == doc_id),
                )
            )
        return hits
