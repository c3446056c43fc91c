"""Hardening: security headers and session lifetimes."""

import time

from flask import flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from ..questions import drafts
from .access import LoginToKeepDraft

# No inline script or style anywhere, no eval: htmx runs with allowEval off and our own
# indicator styles (see base.html's htmx-config).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

IDLE_SECONDS = 2 * 3600
ABSOLUTE_SECONDS = 12 * 3600


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
        carried = None
        if request.method == "POST":
            # A long question typed while the session ran out goes with her to the login
            # page, and becomes her draft once she is logged in again.
            carried = drafts.from_request(request.endpoint, request.view_args, request.form)
        logout_user()
        session.clear()
        if carried:
            raise LoginToKeepDraft(*carried)
        flash("Je sessie is verlopen. Log opnieuw in.")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        return redirect(url_for("accounts.login"))
    # Write the cookie at most once a minute, not on every request.
    if now - seen_at > 60:
        session["seen_at"] = now
    return None


HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # Same-origin keeps the Referer for Flask-WTF's HTTPS check, and leaks no URL outside.
    ("Referrer-Policy", "same-origin"),
    ("X-Robots-Tag", "noindex, nofollow"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


def _headers(response):
    h = response.headers
    # One look at the names already set, not one scan of the header list per header: this
    # runs on every response.
    present = {name.lower() for name in h.keys()}  # noqa: SIM118 - Headers iterate as pairs
    h.extend([(name, value) for name, value in HEADERS if name.lower() not in present])
    if request.endpoint != "static" and "cache-control" not in present:
        # Pages hold questions about children: never stored by a proxy, always asked again
        # before a browser shows a copy (back/forward stays fast); logout clears them all.
        h["Cache-Control"] = "private, no-cache"
        if "vary" not in present:
            h["Vary"] = "Cookie"
    if request.is_secure and "strict-transport-security" not in present:
        h["Strict-Transport-Security"] = "max-age=31536000"
    return response


def init_app(app) -> None:
    if str(app.config.get("BASE_URL", "")).startswith("https://"):
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    app.before_request(_check_session_age)
    app.after_request(_headers)
