"""Login throttling, shared by all workers through SQLite."""

import hashlib
import time

from flask import current_app, request

from ..db import get_db, transaction

# Throttling: failures counted over a window, per account+client and per account.
WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_CLIENT = 5
MAX_FAILURES_PER_ACCOUNT = 20


def _key(value: str) -> str:
    # Hashed, so the table holds no e-mail addresses or IP addresses in the clear.
    secret = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{secret}:{value.strip().lower()}".encode()).hexdigest()[:32]


def login_blocked_for(email: str) -> int:
    """Return how many seconds logins for this account from this client must wait (0: none).

    Limits hold across workers (SQLite) and expire by themselves: an attacker can slow an
    account down for at most WINDOW_SECONDS at a time, never lock it for good.
    """
    db = get_db()
    now = time.time()
    account = _key(email)
    client = _key(request.remote_addr or "")
    rows = db.execute(
        "SELECT client_key, at FROM login_failures WHERE account_key = ? AND at > ? ORDER BY at",
        [account, now - WINDOW_SECONDS],
    ).fetchall()
    mine = [at for key, at in rows if key == client]
    if len(mine) >= MAX_FAILURES_PER_CLIENT:
        return int(mine[-MAX_FAILURES_PER_CLIENT] + WINDOW_SECONDS - now) + 1
    if len(rows) >= MAX_FAILURES_PER_ACCOUNT:
        return int(rows[-MAX_FAILURES_PER_ACCOUNT][1] + WINDOW_SECONDS - now) + 1
    return 0


def record_login_failure(email: str) -> None:
    db = get_db()
    with transaction(db.conn):
        db.conn.execute(
            "INSERT INTO login_failures (account_key, client_key, at) VALUES (?, ?, ?)",
            (_key(email), _key(request.remote_addr or ""), time.time()),
        )
        db.conn.execute("DELETE FROM login_failures WHERE at < ?", (time.time() - 86400,))


def clear_login_failures(email: str) -> None:
    db = get_db()
    with transaction(db.conn):
        db.conn.execute(
            "DELETE FROM login_failures WHERE account_key = ? AND client_key = ?",
            (_key(email), _key(request.remote_addr or "")),
        )
