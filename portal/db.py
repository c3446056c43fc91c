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


# What SQLite and the OS say when the data directory cannot take a write: the portal then
# serves what it can read and refuses writes with a Dutch page (web/errors.py).
STORAGE_ERRORS = (
    "readonly",
    "read-only",
    "disk is full",
    "unable to open database",
    "disk i/o error",
    "no space left",
)


def is_storage_error(exc: BaseException) -> bool:
    """Whether an error means the disk is full or the data directory cannot be written."""
    if isinstance(exc, OSError) and exc.errno in (28, 30, 13):  # ENOSPC, EROFS, EACCES
        return True
    return isinstance(exc, sqlite3.OperationalError | OSError) and any(
        word in str(exc).lower() for word in STORAGE_ERRORS
    )


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database in autocommit mode; writes use ``transaction()``.

    When the data directory cannot be written (read-only, or no room for the WAL files), the
    database is opened read-only, so pages can still be read.
    """
    path = Path(path)
    read_only = None
    try:
        if not path.exists():
            # Questions are about children: the file (and its WAL) is for the portal's user only.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        conn = sqlite3.connect(str(path), timeout=15, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
    except (sqlite3.OperationalError, OSError) as exc:
        if not is_storage_error(exc) or not path.exists():
            raise
        conn, read_only = _connect_read_only(path), str(exc)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 15000")
    db = sqlite_utils.Database(conn)
    db.read_only = read_only  # why it could only be opened for reading, or None
    return db


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Open the database for reading only, also where SQLite cannot create its -shm file."""
    for params in ("mode=ro", "immutable=1"):
        # immutable=1 reads without locks: right here, because nothing can write the file.
        conn = sqlite3.connect(
            f"file:{path}?{params}", uri=True, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
    raise sqlite3.OperationalError(f"unable to open database file {path} even read-only")


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


def warm_up(app) -> bool:
    """Load this process's models and index now, not in its first request's time.

    A gunicorn worker calls this before it serves (deploy/gunicorn.conf.py): otherwise the
    first teachers after a restart wait seconds, and every request queued behind them too.
    Returns whether it worked; if not, the first search loads them as before.
    """
    try:
        with app.app_context():
            get_index().search(get_db().conn, "warm-up", k=1)
        return True
    except Exception as exc:  # noqa: BLE001 - never keep a worker from serving pages
        app.logger.warning("search not warmed up before the first request: %s", exc)
        return False


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


def m0009_daily_use(db: sqlite_utils.Database) -> None:
    run_script(
        db.conn,
        """
        -- The asker's own follow-up belongs to the question: never an answer, never markable.
        CREATE TABLE question_additions (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX question_additions_question ON question_additions (question_id);
        -- What the asker posted as an "answer" to her own question was an addition.
        INSERT INTO question_additions (question_id, body, created_at)
            SELECT a.question_id, a.body, a.created_at FROM answers a
            JOIN questions q ON q.id = a.question_id
            WHERE a.author_id = q.author_id
            AND (q.best_answer_id IS NULL OR q.best_answer_id != a.id);
        DELETE FROM answers WHERE id IN (
            SELECT a.id FROM answers a JOIN questions q ON q.id = a.question_id
            WHERE a.author_id = q.author_id
            AND (q.best_answer_id IS NULL OR q.best_answer_id != a.id));
        -- A question or answer being written, kept per person until it is posted.
        CREATE TABLE drafts (
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            fields TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, key)
        );
        -- One-time keys of posted forms: a repeated post (a retry after a lost connection)
        -- finds what the first one made instead of making it twice.
        CREATE TABLE form_keys (
            key TEXT PRIMARY KEY,
            user_id INTEGER,
            result TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX form_keys_created ON form_keys (created_at);
        -- Why a coordinator saw who asked an anonymous question (the audit log keeps ids).
        CREATE TABLE identity_reveals (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
            coordinator_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        -- Forgotten passwords: one-time, expiring links (only their hash is stored).
        CREATE TABLE password_resets (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            started_by INTEGER REFERENCES users (id) ON DELETE SET NULL
        );
        ALTER TABLE outbox ADD COLUMN message_id TEXT;
        -- Files sent with a mail (an iCalendar invitation), JSON: [{name, type, text}].
        ALTER TABLE outbox ADD COLUMN attachments TEXT;
        -- Notifications about something else than a question (a circle meeting, a support
        -- request): what it is about, once per person and kind, and where it links to.
        ALTER TABLE notifications ADD COLUMN subject TEXT;
        ALTER TABLE notifications ADD COLUMN title TEXT;
        ALTER TABLE notifications ADD COLUMN url TEXT;
        CREATE UNIQUE INDEX notifications_subject ON notifications (user_id, kind, subject)
            WHERE subject IS NOT NULL;
        UPDATE notifications SET url = '/vragen/' || question_id,
            title = (SELECT q.title FROM questions q WHERE q.id = notifications.question_id)
            WHERE question_id IS NOT NULL;
        """,
    )


def m0010_circles(db: sqlite_utils.Database) -> None:
    """Leerkrachtkringen: members, meetings, cases brought in, and what a circle learned."""
    run_script(
        db.conn,
        """
        CREATE TABLE circles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            cluster TEXT,
            theme TEXT NOT NULL DEFAULT '',
            facilitator_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
            mode TEXT NOT NULL DEFAULT 'fysiek',   -- fysiek | online
            place TEXT NOT NULL DEFAULT '',
            created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE TABLE circle_members (
            circle_id INTEGER NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            joined_at TEXT NOT NULL,
            PRIMARY KEY (circle_id, user_id)
        );
        CREATE INDEX circle_members_user ON circle_members (user_id);
        CREATE TABLE circle_meetings (
            id INTEGER PRIMARY KEY,
            circle_id INTEGER NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
            starts_at TEXT NOT NULL,               -- Amsterdam local time, clock.local_stamp
            minutes INTEGER NOT NULL DEFAULT 90,
            place TEXT NOT NULL DEFAULT '',
            agenda TEXT NOT NULL DEFAULT '',
            method TEXT,                           -- a content/intervisie slug
            cancelled_at TEXT,
            created_at TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0    -- iCalendar SEQUENCE: bumped on a change
        );
        CREATE INDEX circle_meetings_circle ON circle_meetings (circle_id, starts_at);
        CREATE TABLE circle_cases (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES circle_meetings (id) ON DELETE CASCADE,
            brought_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            question_id INTEGER REFERENCES questions (id) ON DELETE SET NULL,
            method TEXT NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',      -- what the case-bringer wrote beforehand
            steps TEXT NOT NULL DEFAULT '{}',      -- JSON: step key -> what was said
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE circle_lessons (
            id INTEGER PRIMARY KEY,
            circle_id INTEGER NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
            meeting_id INTEGER REFERENCES circle_meetings (id) ON DELETE SET NULL,
            case_id INTEGER REFERENCES circle_cases (id) ON DELETE SET NULL,
            body TEXT NOT NULL,
            created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            -- Published for the region: as a resolved case or a proposed dossier addition.
            published_as TEXT,                     -- case | dossier
            question_id INTEGER REFERENCES questions (id) ON DELETE SET NULL,
            dossier_version_id INTEGER REFERENCES dossier_versions (id) ON DELETE SET NULL,
            published_at TEXT
        );
        """,
    )


def m0011_support(db: sqlite_utils.Database) -> None:
    """Direct support in the classroom: observation, consultation or coaching by an expert."""
    run_script(
        db.conn,
        """
        CREATE TABLE support_requests (
            id INTEGER PRIMARY KEY,
            requested_by INTEGER REFERENCES users (id) ON DELETE CASCADE,
            question_id INTEGER REFERENCES questions (id) ON DELETE SET NULL,
            dossier TEXT,                          -- asked from a dossier page: its slug
            cluster TEXT NOT NULL,
            kind TEXT NOT NULL,                    -- observatie | consultatie | coaching
            channel TEXT NOT NULL,                 -- op-school | telefoon | video
            want_to_know TEXT NOT NULL,
            availability TEXT NOT NULL,
            urgency TEXT NOT NULL,                 -- vandaag | deze-week | binnen-twee-weken
            show_name INTEGER NOT NULL DEFAULT 1,  -- 0: the expert sees "een leerkracht"
            status TEXT NOT NULL DEFAULT 'open',   -- open | genomen | afgerond | ingetrokken
            taken_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            taken_at TEXT,
            first_contact_at TEXT,
            agreed_at TEXT,                        -- the moment agreed, Amsterdam local time
            agreed_note TEXT,
            escalated_at TEXT,
            outcome_seen TEXT,
            outcome_try TEXT,
            outcome_follow_up TEXT,
            outcome_at TEXT,
            answer_id INTEGER REFERENCES answers (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE INDEX support_requests_status ON support_requests (status, created_at);
        CREATE INDEX support_requests_by ON support_requests (requested_by);
        """,
    )


def m0012_insights(db: sqlite_utils.Database) -> None:
    """What the insight page computes in `jobs run`, never inside a request."""
    run_script(
        db.conn,
        """
        -- Each question's embedding (for the themes) and its best dossier match (coverage).
        CREATE TABLE question_vectors (
            question_id INTEGER PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            vector BLOB NOT NULL,
            second BLOB,                           -- the second encoder's, when there is one
            dossier_target TEXT,
            dossier_band TEXT,                     -- strong | show | NULL (no section fits)
            updated_at TEXT NOT NULL
        );
        -- The themes found last, as JSON (one row per computation; the newest counts).
        CREATE TABLE insight_themes (
            id INTEGER PRIMARY KEY,
            computed_at TEXT NOT NULL,
            model TEXT NOT NULL,
            questions INTEGER NOT NULL,
            themes TEXT NOT NULL
        );
        """,
    )


def m0013_index_moments(db: sqlite_utils.Database) -> None:
    # The removal log keeps a replaced or removed document's USE vector (index/schema.py);
    # the state files of the old layout are rebuilt from SQLite once (STATE_VERSION 4).
    create_schema(db.conn)


MIGRATIONS = [
    ("0001_initial", m0001_initial),
    ("0002_privacy_security", m0002_privacy_security),
    ("0003_retention", m0003_retention),
    ("0004_kennisbank_parents", m0004_kennisbank_parents),
    ("0005_routing_notifications", m0005_routing_notifications),
    ("0006_ranking", m0006_ranking),
    ("0007_helped_once", m0007_helped_once),
    ("0008_job_runs", m0008_job_runs),
    ("0009_daily_use", m0009_daily_use),
    ("0010_circles", m0010_circles),
    ("0011_support", m0011_support),
    ("0012_insights", m0012_insights),
    ("0013_index_moments", m0013_index_moments),
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
    app.config["STORAGE_PROBLEM"] = None
    try:
        db = connect(app.config["DATABASE"])
        try:
            if db.read_only:
                raise sqlite3.OperationalError(db.read_only)
            migrate(db)
        finally:
            db.conn.close()
    except (sqlite3.OperationalError, OSError) as exc:
        if not is_storage_error(exc):
            raise
        # Start anyway: reads go on, writes get a Dutch page, `ops check` says what is wrong.
        app.config["STORAGE_PROBLEM"] = str(exc)
        app.logger.error(
            "the data directory %s cannot be written (%s): serving read-only; "
            "run flask --app wsgi ops check",
            app.config["DATA_DIR"],
            exc,
        )
