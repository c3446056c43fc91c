"""Small SQLite helpers the index (and the portal's migrations) share."""

import sqlite3
from contextlib import contextmanager


@contextmanager
def write_transaction(conn: sqlite3.Connection):
    """Run a block in one IMMEDIATE transaction, or join the one already open."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # SQLite has already rolled back after some errors (a full disk): keep the real one.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute SQL statements one by one.

    Unlike ``executescript`` this does not commit first, so it can run inside the
    caller's transaction (a migration stays all-or-nothing).
    """
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            conn.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError("incomplete SQL statement at end of script")


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM index_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value) -> None:
    conn.execute(
        "INSERT INTO index_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(value)),
    )


def next_seq(conn: sqlite3.Connection) -> int:
    """The next change number of the index (call inside a write transaction)."""
    seq = int(get_meta(conn, "seq", "0")) + 1
    set_meta(conn, "seq", seq)
    return seq


def current_seq(conn: sqlite3.Connection) -> int:
    return int(get_meta(conn, "seq", "0"))
