"""SQLite tables of the search index; SQLite is the source of truth, FAISS a cache."""

from .sqlite import run_script

SCHEMA = """
CREATE TABLE IF NOT EXISTS search_docs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,             -- 'case' or 'dossier'
    target TEXT NOT NULL,           -- question id, or 'slug#anchor' for a dossier section
    ref TEXT,                       -- external id (import ref, dossier slug)
    title TEXT NOT NULL,
    text TEXT NOT NULL,             -- what is embedded and keyword-indexed
    snippet TEXT NOT NULL,          -- what a person sees under the title
    content_hash TEXT NOT NULL,
    vector BLOB NOT NULL,           -- float32, L2-normalised, of the model in index_meta
    seq INTEGER NOT NULL,
    boost REAL NOT NULL DEFAULT 0,  -- added to the score (e.g. "het hielp" feedback)
    UNIQUE (kind, target)
);
CREATE INDEX IF NOT EXISTS search_docs_seq ON search_docs (seq);
-- One column per kind: a column filter selects the kind inside FTS5, with no join.
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5 (
    stems_case, stems_dossier, tokenize = 'unicode61'
);
-- Document frequency per stem, to leave out terms that are in most documents.
CREATE VIRTUAL TABLE IF NOT EXISTS search_vocab USING fts5vocab (search_fts, 'row');
-- Removals since some seq, so every process can drop them from its in-memory index.
CREATE TABLE IF NOT EXISTS search_removed (
    seq INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL,
    kind TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS index_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def create_schema(conn) -> None:
    """Create the search tables (idempotent)."""
    run_script(conn, SCHEMA)
