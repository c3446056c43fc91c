"""The Leer-Kracht portal: one Flask app per region."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from index import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent

csrf = CSRFProtect()
htmx = Htmx()
login_manager = LoginManager()


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
    app.config.from_mapping(
        DATA_DIR=str(ROOT / "instance"),
        EMBEDDING_MODEL=DEFAULT_MODEL,
        DOSSIER_DIR=str(ROOT / "content" / "dossiers"),
        DEMO_DIR=str(ROOT / "content" / "demo"),
        BASE_URL="http://127.0.0.1:5000",
        REGION_NAME="Leer-Kracht",
        MAX_CONTENT_LENGTH=256 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_I18N_ENABLED=False,  # use WTForms' bundled Dutch messages (no Babel needed)
    )
    # PORTAL_DATA_DIR, PORTAL_EMBEDDING_MODEL, PORTAL_SECRET_KEY, ... override the defaults.
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.update(test_config)

    data_dir = Path(app.config["DATA_DIR"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    app.config["DATA_DIR"] = data_dir
    app.config["DOSSIER_DIR"] = Path(app.config["DOSSIER_DIR"])
    app.config["DEMO_DIR"] = Path(app.config["DEMO_DIR"])
    app.config.setdefault("DATABASE", str(data_dir / "portal.sqlite3"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(data_dir)

    from . import access, db, security

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)  # before access: an expired session is ended first
    access.init_app(app)

    from . import (
        account,
        activities,
        admin,
        ask,
        auth,
        errors,
        home,
        kennisbank,
        notifications,
        questions,
    )

    for module in (
        auth, home, ask, questions, kennisbank, activities, notifications, admin, account,
    ):  # fmt: skip
        app.register_blueprint(module.bp)
    errors.init_app(app)
    from .accounts import SCHOOL_KINDS
    from .cases import ANSWER_KINDS, CLUSTERS, HELPED_LABELS
    from .render import render_markdown

    app.jinja_env.globals.update(
        CLUSTERS=CLUSTERS,
        ANSWER_KINDS=ANSWER_KINDS,
        SCHOOL_KINDS=SCHOOL_KINDS,
        HELPED_LABELS=HELPED_LABELS,
    )
    app.jinja_env.filters["md"] = render_markdown
    app.jinja_env.filters["for_viewer"] = for_viewer
    app.jinja_env.globals["unread_count"] = _unread_count

    from . import cli

    cli.init_app(app)
    return app


def _unread_count() -> int:
    from flask_login import current_user

    from .db import get_db
    from .notify import unread_count

    return unread_count(get_db(), current_user.id) if current_user.is_authenticated else 0


def for_viewer(text: str) -> str:
    """Parent partners read cases without any name of a pupil, family or school in them."""
    from flask_login import current_user

    if current_user.is_authenticated and current_user.role == "parent":
        from flask import g

        from .accounts import school_names
        from .db import get_db
        from .privacy import scrub

        if "school_names" not in g:  # once per request, not once per row
            g.school_names = school_names(get_db())
        return scrub(text, g.school_names)
    return text


@login_manager.user_loader
def _load_user(user_id: str):
    from .accounts import load_user

    return load_user(user_id)


login_manager.login_view = "auth.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.session_protection = "basic"
