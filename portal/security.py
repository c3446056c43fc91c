"""Hardening: security headers, session lifetimes, login throttling, the audit log."""

import hashlib
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from .db import get_db, transaction

# No inline script or style anywhere, no eval: htmx runs with allowEval off and our own
# indicator styles (see base.html's htmx-config).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

IDLE_SECONDS = 2 * 3600
ABSOLUTE_SECONDS = 12 * 3600

# Throttling: failures counted over a window, per account+client and per account.
WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_CLIENT = 5
MAX_FAILURES_PER_ACCOUNT = 20


def _key(value: str) -> str:
    # Hashed, so the table holds no e-mail addresses or IP addresses in the clear.
    secret = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{secret}:{value.strip().lower()}".encode()).hexdigest()[:32]


def audit(event: str, subject: str | None = None, detail: str | None = None, actor_id=None):
    """Record a security-relevant event (ids and kinds only, no personal data)."""
    if actor_id is None and current_user and current_user.is_authenticated:
        actor_id = current_user.id
    db = get_db()
    with transaction(db.conn):
        db.conn.execute(
            "INSERT INTO audit_log (actor_id, event, subject, detail) VALUES (?, ?, ?, ?)",
            (actor_id, event, subject, detail),
        )


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


def start_session_clock() -> None:
    session["login_at"] = session["seen_at"] = time.time()


def _check_session_age():
    """End a session that was idle too long or is older than its absolute lifetime."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    if now - login_at > ABSOLUTE_SECONDS or now - seen_at > IDLE_SECONDS:
        logout_user()
        session.clear()
        flash("Je sessie is verlopen. Log opnieuw in.")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return redirect(url_for("auth.login"))
    # Write the cookie at most once a minute, not on every request.
    if now - seen_at > 60:
        session["seen_at"] = now
    return None


def _headers(response):
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    # Same-origin keeps the Referer for Flask-WTF's HTTPS check, and leaks no URL outside.
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("X-Robots-Tag", "noindex, nofollow")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static":
        # Pages hold questions about children: never stored by a browser or proxy.
        h["Cache-Control"] = "no-store"
        h.setdefault("Vary", "Cookie")
    if request.is_secure:
        h.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app) -> None:
    if str(app.config.get("BASE_URL", "")).startswith("https://"):
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    app.before_request(_check_session_age)
    app.after_request(_headers)
