"""Login throttling, shared by all workers through SQLite, that nobody can turn on a victim.

Three limits, each over a window of WINDOW_SECONDS:
- one account from one client: MAX_PER_ACCOUNT_AND_CLIENT failures, then wait;
- one client over all accounts (password spraying): MAX_PER_CLIENT failures;
- one account from all clients: past MAX_PER_ACCOUNT failures, one try per
  ACCOUNT_BACKOFF_SECONDS only; but not from a device she logged in from before (a signed
  cookie), so an attacker elsewhere can never lock a teacher out of her own phone. The way
  out for anyone else is "wachtwoord vergeten".

Each attempt is reserved before the password is checked, in one IMMEDIATE transaction
with the count, so parallel requests cannot slip past the limit; a success removes it.
"""

import hashlib
import time

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..db import get_db, transaction

WINDOW_SECONDS = 15 * 60
MAX_PER_ACCOUNT_AND_CLIENT = 5
MAX_PER_CLIENT = 30
MAX_PER_ACCOUNT = 20
ACCOUNT_BACKOFF_SECONDS = 60
DEVICE_COOKIE = "lk_apparaat"
DEVICE_DAYS = 180


def _key(value: str) -> str:
    # Hashed, so the table holds no e-mail addresses or IP addresses in the clear.
    secret = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{secret}:{value.strip().lower()}".encode()).hexdigest()[:32]


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def device_cookie_value(email: str) -> str:
    """A signed mark that this browser logged in to this account."""
    return _devices().dumps(_key(email))


def known_device(email: str) -> bool:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return False
    try:
        accounts = _devices().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return _key(email) in (accounts if isinstance(accounts, list) else [accounts])


def _failure_times(db, where: str, params: list, since: float) -> list[float]:
    """Times of the failures matching ``where`` (a constant of this module) since ``since``."""
    sql = f"SELECT at FROM login_failures WHERE {where} AND at > ? ORDER BY at"  # noqa: S608 # nosec B608 - constant where
    return [r[0] for r in db.execute(sql, [*params, since])]


def reserve_attempt(email: str) -> tuple[int, int]:
    """Reserve one login attempt; return (seconds to wait, 0) or (0, attempt id).

    The reservation counts as a failure until ``attempt_succeeded`` removes it.
    """
    db = get_db()
    now = time.time()
    account, client = _key(email), _key(request.remote_addr or "")
    since = now - WINDOW_SECONDS
    with transaction(db.conn):
        mine = _failure_times(db, "account_key = ? AND client_key = ?", [account, client], since)
        if len(mine) >= MAX_PER_ACCOUNT_AND_CLIENT:
            return int(mine[-MAX_PER_ACCOUNT_AND_CLIENT] + WINDOW_SECONDS - now) + 1, 0
        client_failures = _failure_times(db, "client_key = ?", [client], since)
        if len(client_failures) >= MAX_PER_CLIENT:
            return int(client_failures[-MAX_PER_CLIENT] + WINDOW_SECONDS - now) + 1, 0
        if not known_device(email):
            account_failures = _failure_times(db, "account_key = ?", [account], since)
            if len(account_failures) >= MAX_PER_ACCOUNT:
                wait = account_failures[-1] + ACCOUNT_BACKOFF_SECONDS - now
                if wait > 0:
                    return int(wait) + 1, 0
        attempt = db.conn.execute(
            "INSERT INTO login_failures (account_key, client_key, at) VALUES (?, ?, ?)",
            (account, client, now),
        ).lastrowid
        db.conn.execute("DELETE FROM login_failures WHERE at < ?", (now - 86400,))
    return 0, attempt


def attempt_succeeded(email: str, attempt: int) -> None:
    """The password was right: forget this attempt and this client's earlier failures."""
    db = get_db()
    with transaction(db.conn):
        db.conn.execute("DELETE FROM login_failures WHERE id = ?", (attempt,))
        db.conn.execute(
            "DELETE FROM login_failures WHERE account_key = ? AND client_key = ?",
            (_key(email), _key(request.remote_addr or "")),
        )
