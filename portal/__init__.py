"""The Leer-Kracht portal: one Flask app per region."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    accounts,
    activities,
    circles,
    cli,
    db,
    home,
    insights,
    kennisbank,
    notifications,
    questions,
    settings,
    support,
    web,
)
from .kennisbank import store
from .web import filters

ROOT = settings.ROOT
FEATURES = (
    home,
    accounts,
    questions,
    kennisbank,
    activities,
    circles,
    support,
    notifications,
    insights,
)


def _secret_key(data_dir: Path) -> str:
    """Return the region's secret key, created once and kept in the data directory.

    All workers of a region must share it, and it must survive restarts.
    """
    path = data_dir / "secret_key"
    if not path.exists():
        # Written whole to a temporary file, then linked into place: when several workers
        # start at once, exactly one key wins and nobody reads a half-written file.
        tmp = data_dir / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def create_app(test_config: dict | None = None) -> Flask:
    """Create the portal for the region whose data lives in PORTAL_DATA_DIR."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.config.update(settings.load())
    app.config.update(
        MAX_CONTENT_LENGTH=256 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_I18N_ENABLED=False,  # use WTForms' bundled Dutch messages (no Babel needed)
    )
    if test_config:
        app.config.update(test_config)
    for unknown in settings.unknown():
        app.logger.warning("%s is not a setting of the portal (a typo?); it is ignored", unknown)

    data_dir = Path(app.config["DATA_DIR"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    app.config["DATA_DIR"] = data_dir
    app.config["DOSSIER_DIR"] = Path(app.config["DOSSIER_DIR"])
    app.config["DEMO_DIR"] = Path(app.config["DEMO_DIR"])
    app.config.setdefault("DATABASE", str(data_dir / "portal.sqlite3"))
    if not app.config.get("SECRET_KEY"):
        try:
            app.config["SECRET_KEY"] = _secret_key(data_dir)
        except OSError as exc:
            # A read-only data directory without a key yet: start (and say so) rather than
            # crash; sessions of this process end when it restarts.
            app.logger.error("cannot keep a secret key in %s (%s)", data_dir, exc)
            app.config["SECRET_KEY"] = secrets.token_hex(32)

    if app.config["TRUSTED_PROXIES"]:
        # Behind the deploy kit's reverse proxy every client has the proxy's address: trust
        # exactly that many proxies' X-Forwarded-* headers, so login throttling sees the
        # teacher's address (and a client cannot spoof one past the proxy).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    db.init_app(app)
    web.init_app(app)
    for feature in FEATURES:
        feature.init_app(app)
    filters.init_app(app)
    cli.init_app(app)
    _sync_dossiers(app)
    return app


def _sync_dossiers(app: Flask) -> None:
    """Index changed dossier sections at start-up, never inside a request."""
    with app.app_context():
        try:
            conn = db.get_db().conn
            if store.needs_sync(conn, app.config["DOSSIER_DIR"]):
                store.sync(conn, db.get_index(), app.config["DOSSIER_DIR"])
        except Exception as exc:
            if not db.is_storage_error(exc):
                raise
            app.logger.error("dossiers not re-indexed: the data directory cannot be written")
