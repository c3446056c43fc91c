"""The start page of each role, and robots.txt."""

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from . import cases, dossiers
from .access import EVERYONE, PUBLIC, allow
from .db import get_db

bp = Blueprint("home", __name__)


@bp.route("/")
@allow(*EVERYONE)
def index():
    db = get_db()
    context = {"figures": cases.region_figures(db)}
    if current_user.role == "parent":
        context["recent_cases"] = cases.list_questions(db, "resolved", limit=5)
    else:
        context["open_questions"] = cases.list_questions(db, "open", limit=5)
    context["dossiers"] = dossiers.load_all(current_app.config["DOSSIER_DIR"])
    return render_template("home.html", **context)


@bp.route("/robots.txt")
@allow(PUBLIC)
def robots():
    # Nothing in a region's portal is for search engines.
    return Response("User-agent: *\nDisallow: /\n", mimetype="text/plain")
