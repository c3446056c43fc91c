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
    cluster TEXT,                   -- the kind of behaviour (a case's, a dossier's)
    content_hash TEXT NOT NULL,
    vector BLOB NOT NULL,           -- float32, L2-normalised, main model (index_meta 'model')
    second_vector BLOB,             -- float32, the second model (USE), when configured
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
-- How teachers ask for a document, embedded as queries: a case's own question, a dossier
-- section's teacher questions ('question'), and the query memory ('memory': earlier
-- questions, scrubbed of personal data, that the document answered).
CREATE TABLE IF NOT EXISTS search_extra (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('question', 'memory')),
    text TEXT NOT NULL,
    vector BLOB NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS search_extra_doc ON search_extra (doc_id);
CREATE INDEX IF NOT EXISTS search_extra_seq ON search_extra (seq);
-- Removals since some seq, so every process can drop them from its in-memory index: a
-- whole document (extra_id NULL) or one extra vector.
-- A replaced document (extra_id -1) or a removed one keeps its old USE vector and that
-- version's seq: the processes keep only the USE vectors' moments, and subtract it.
CREATE TABLE IF NOT EXISTS search_removed (
    seq INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    extra_id INTEGER,
    second_vector BLOB,
    old_seq INTEGER
);
CREATE TABLE IF NOT EXISTS index_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def create_schema(conn) -> None:
    """Create the search tables, or add the columns an older schema lacks (idempotent)."""
    run_script(conn, SCHEMA)
    present = {row[1] for row in conn.execute("PRAGMA table_info(search_removed)")}
    for column, definition in (("second_vector", "BLOB"), ("old_seq", "INTEGER")):
        if column not in present:  # names are constants
            conn.execute(f"ALTER TABLE search_removed ADD COLUMN {column} {definition}")
