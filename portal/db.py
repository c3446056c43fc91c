"""The region's storage: the SQLite database (WAL, numbered migrations) and the search index.

One connection per request or CLI command; one ``SearchIndex`` per process.
"""

import os
import sqlite3
import threading
from pathlib import Path

import sqlite_utils
from flask import current_app, g

from index import (
    SearchIndex,
    create_schema,
    load_encoders,
    load_model_id,
    model_id_of,
    stored_model,
    write_transaction,
)
from index.sqlite import run_script

transaction = write_transaction


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database in autocommit mode; writes use ``transaction()``."""
    path = Path(path)
    if not path.exists():
        # Questions are about children: the file (and its WAL) is for the portal's user only.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    conn = sqlite3.connect(str(path), timeout=15, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 15000")
    return sqlite_utils.Database(conn)


def get_db() -> sqlite_utils.Database:
    """Return this request's (or CLI command's) database connection."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(_exc=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


_index_lock = threading.Lock()


def get_index() -> SearchIndex:
    """Return this process's search index, opened with the model its vectors were made with.

    A region that configures another model keeps being served from the old index (and its
    old model) until ``flask --app wsgi index rebuild`` re-embeds everything.
    """
    app = current_app._get_current_object()
    configured = model_id_of(app.config["EMBEDDING_MODEL"], app.config["SECOND_MODEL"])
    model = stored_model(get_db().conn) or configured
    with _index_lock:
        index = app.extensions.get("search_index")
        if index is None or index.embedder.model_id != model:
            index = SearchIndex(app.config["DATA_DIR"], load_model_id(model))
            app.extensions["search_index"] = index
        return index


def configured_index() -> SearchIndex:
    """A search index with the configured model, for ``index rebuild``."""
    app = current_app._get_current_object()
    encoders = load_encoders(app.config["EMBEDDING_MODEL"], app.config["SECOND_MODEL"])
    return SearchIndex(app.config["DATA_DIR"], encoders)


# ---- migrations ---------------------------------------------------------------------------


def _add_missing_columns(db: sqlite_utils.Database, table: str, columns: dict[str, str]) -> None:
    """Add columns that a table created by an older schema lacks (names are constants)."""
    present = {row[1] for row in db.conn.execute(f"PRAGMA table_info({table})")}
    for name, definition in columns.items():
        if name not in present:
            db.conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {definition}")  # nosec B608


def m0001_initial(db: sqlite_utils.Database) -> None:
    run_script(
        db.conn,
        """
        CREATE TABLE schools (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'regulier' CHECK (kind IN ('regulier', 'sbo', 'so')),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('teacher', 'expert', 'parent', 'coordinator')),
            school_id INTEGER REFERENCES schools (id),
            password_hash TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            system INTEGER NOT NULL DEFAULT 0,
            -- Part of the login cookie: changing it ends every session of the user.
            session_token TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE invitations (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL COLLATE NOCASE,
            name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN ('teacher', 'expert', 'parent', 'coordinator')),
            school_id INTEGER REFERENCES schools (id),
            token_hash TEXT NOT NULL UNIQUE,
            invited_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            expires_at TEXT NOT NULL,
            accepted_at TEXT
        );
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            ref TEXT UNIQUE,
            author_id INTEGER NOT NULL REFERENCES users (id),
            cluster TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
            best_answer_id INTEGER REFERENCES answers (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            resolved_at TEXT
        );
        CREATE INDEX questions_status ON questions (status, created_at);
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
            author_id INTEGER NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL CHECK (kind IN ('idea', 'source', 'experience')),
            body TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX answers_question ON answers (question_id);
        -- "Dit helpt mij": a suggestion answered the question, nothing was posted.
        CREATE TABLE suggestion_helped (
            id INTEGER PRIMARY KEY,
            user_id INTEGER REFERENCES users (id),
            kind TEXT NOT NULL CHECK (kind IN ('case', 'dossier')),
            target TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        """,
    )
    create_schema(db.conn)


def m0002_privacy_security(db: sqlite_utils.Database) -> None:
    run_script(
        db.conn,
        """
        ALTER TABLE questions ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE questions ADD COLUMN grade_band TEXT;
        -- Security-relevant events. Who did it (an id), never what a pupil is called.
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            actor_id INTEGER,
            event TEXT NOT NULL,
            subject TEXT,
            detail TEXT
        );
        CREATE INDEX audit_log_at ON audit_log (at);
        -- Failed logins, shared by all workers (per-process memory would not hold).
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            account_key TEXT NOT NULL,
            client_key TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX login_failures_account ON login_failures (account_key, at);
        """,
    )


def m0003_retention(db: sqlite_utils.Database) -> None:
    run_script(
        db.conn,
        """
        ALTER TABLE questions ADD COLUMN deidentified_at TEXT;
        """,
    )


def m0004_kennisbank_parents(db: sqlite_utils.Database) -> None:
    run_script(
        db.conn,
        """
        -- Edits of dossiers proposed in the portal; the latest approved one is in force.
        CREATE TABLE dossier_versions (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL,
            markdown TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'approved', 'rejected')),
            proposed_by INTEGER REFERENCES users (id),
            proposed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            decided_by INTEGER REFERENCES users (id),
            decided_at TEXT
        );
        CREATE INDEX dossier_versions_slug ON dossier_versions (slug, status, id);
        -- Themed parent evenings and parent-to-parent meetings.
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('ouderavond', 'ouders-voor-ouders')),
            cluster TEXT,
            starts_at TEXT NOT NULL,
            place TEXT NOT NULL,
            online INTEGER NOT NULL DEFAULT 0,
            description TEXT NOT NULL,
            summary TEXT,
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX activities_starts ON activities (starts_at);
        """,
    )


def m0005_routing_notifications(db: sqlite_utils.Database) -> None:
    run_script(
        db.conn,
        """
        ALTER TABLE users ADD COLUMN topics TEXT NOT NULL DEFAULT '';
        CREATE TABLE user_expertise (
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            cluster TEXT NOT NULL,
            PRIMARY KEY (user_id, cluster)
        );
        CREATE TABLE notification_prefs (
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('immediate', 'daily', 'never')),
            PRIMARY KEY (user_id, kind)
        );
        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            question_id INTEGER REFERENCES questions (id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            read_at TEXT,
            digest_sent_at TEXT,
            -- One notification per user, kind and question: jobs may run twice.
            UNIQUE (user_id, kind, question_id)
        );
        CREATE INDEX notifications_unread ON notifications (user_id, read_at);
        -- Mail waits here; `flask jobs run` sends it. A web request never talks SMTP.
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            dedupe_key TEXT NOT NULL UNIQUE,
            to_addr TEXT NOT NULL,
            subject TEXT NOT NULL,
            body_text TEXT NOT NULL,
            body_html TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            locked_until TEXT,
            sent_at TEXT,
            last_error TEXT
        );
        CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
        CREATE TABLE question_followers (
            question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (question_id, user_id)
        );
        ALTER TABLE questions ADD COLUMN broadcast_at TEXT;
        ALTER TABLE questions ADD COLUMN escalated_at TEXT;
        ALTER TABLE questions ADD COLUMN escalated_coordinator_at TEXT;
        ALTER TABLE questions ADD COLUMN reminded_at TEXT;
        ALTER TABLE questions ADD COLUMN reminded_again_at TEXT;
        ALTER TABLE questions ADD COLUMN feedback_asked_at TEXT;
        ALTER TABLE questions ADD COLUMN helped TEXT CHECK (helped IN ('ja', 'deels', 'nee'));
        ALTER TABLE questions ADD COLUMN best_chosen_by INTEGER REFERENCES users (id);
        """,
    )
    # index.schema creates search_docs with `boost` on new databases (0001 uses it).
    _add_missing_columns(db, "search_docs", {"boost": "REAL NOT NULL DEFAULT 0"})


def m0006_ranking(db: sqlite_utils.Database) -> None:
    # index.schema creates the new tables and columns on new databases (0001 uses it).
    _add_missing_columns(db, "search_docs", {"cluster": "TEXT", "second_vector": "BLOB"})
    _add_missing_columns(db, "search_removed", {"extra_id": "INTEGER"})
    create_schema(db.conn)


def m0007_helped_once(db: sqlite_utils.Database) -> None:
    run_script(
        db.conn,
        """
        -- "Dit helpt mij" counts once per teacher and suggestion.
        DELETE FROM suggestion_helped WHERE user_id IS NOT NULL AND id NOT IN
            (SELECT min(id) FROM suggestion_helped GROUP BY user_id, kind, target);
        CREATE UNIQUE INDEX suggestion_helped_once ON suggestion_helped (user_id, kind, target);
        """,
    )


def m0008_job_runs(db: sqlite_utils.Database) -> None:
    run_script(
        db.conn,
        """
        -- Each `jobs run`, so `ops check` can tell when the timer last ran and what it did.
        CREATE TABLE job_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            result TEXT,
            error TEXT
        );
        CREATE INDEX job_runs_started ON job_runs (started_at);
        """,
    )


MIGRATIONS = [
    ("0001_initial", m0001_initial),
    ("0002_privacy_security", m0002_privacy_security),
    ("0003_retention", m0003_retention),
    ("0004_kennisbank_parents", m0004_kennisbank_parents),
    ("0005_routing_notifications", m0005_routing_notifications),
    ("0006_ranking", m0006_ranking),
    ("0007_helped_once", m0007_helped_once),
    ("0008_job_runs", m0008_job_runs),
]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction."""
    db.conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    applied = []
    for name, fn in MIGRATIONS:
        with transaction(db.conn):
            # Checked inside the write lock: several workers may start at once.
            done = db.conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone()
            if done:
                continue
            fn(db)
            db.conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", (name,)
            )
            applied.append(name)
    return applied


def init_app(app) -> None:
    app.teardown_appcontext(close_db)
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
    finally:
        db.conn.close()
