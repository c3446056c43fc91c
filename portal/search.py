"""The portal's use of the search index: one index per process, suggestions for a question."""

import threading
from dataclasses import dataclass

from flask import current_app

from index import SearchIndex, load_embedder
from index.search import DOSSIER_SHOW_FROM

from . import dossiers
from .db import get_db, transaction

_lock = threading.Lock()


def get_index(app=None) -> SearchIndex:
    """Return this process's search index for the app's data directory."""
    app = app or current_app._get_current_object()
    with _lock:
        index = app.extensions.get("search_index")
        if index is None:
            embedder = load_embedder(app.config["EMBEDDING_MODEL"])
            index = SearchIndex(app.config["DATA_DIR"], embedder)
            app.extensions["search_index"] = index
        return index


def ensure_dossiers_indexed(db=None) -> None:
    """Index dossier sections if the files changed since they were last indexed."""
    db = db or get_db()
    directory = current_app.config["DOSSIER_DIR"]
    fingerprint = dossiers.fingerprint(db.conn, directory)
    row = db.execute("SELECT value FROM index_meta WHERE key = 'dossiers'").fetchone()
    if row and row[0] == fingerprint:
        return
    dossiers.sync(db.conn, get_index(), directory)
    with transaction(db.conn):
        db.conn.execute(
            "INSERT INTO index_meta (key, value) VALUES ('dossiers', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (fingerprint,),
        )


@dataclass
class Suggestions:
    cases: list
    dossiers: list

    def __bool__(self) -> bool:
        return bool(self.cases or self.dossiers)


def suggest(text: str, cases: int = 4, sections: int = 2) -> Suggestions:
    """Find resolved cases and dossier sections that look like a question.

    Only matches in a band ("strong" or "maybe") are returned: showing nothing beats
    making a teacher on a phone scroll through noise.
    """
    db = get_db()
    ensure_dossiers_indexed(db)
    index = get_index()
    if not text.strip():
        return Suggestions([], [])
    qvec = index.embed_query(text)
    case_hits = index.search(db.conn, text, k=cases, kind="case", query_vector=qvec)
    section_hits, seen = [], set()
    for hit in index.search(db.conn, text, k=12, kind="dossier", query_vector=qvec):
        # One section per dossier: the best one, so the teacher sees different dossiers.
        if hit.ref in seen or hit.score < DOSSIER_SHOW_FROM:
            continue
        seen.add(hit.ref)
        hit.band = "maybe"
        section_hits.append(hit)
    return Suggestions([h for h in case_hits if h.band], section_hits[:sections])
