"""The portal's use of the search index: one index per process, suggestions for a question."""

import threading
from dataclasses import dataclass

from flask import current_app

from index import SearchIndex, load_embedder

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
    fingerprint = dossiers.content_hash(directory) if directory.is_dir() else "none"
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


def suggest(text: str, cases: int = 4, sections: int = 3) -> Suggestions:
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
    found = {
        kind: [h for h in index.search(db.conn, text, k=k, kind=kind, query_vector=qvec) if h.band]
        for kind, k in (("case", cases), ("dossier", sections))
    }
    return Suggestions(found["case"], found["dossier"])
