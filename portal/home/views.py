"""The start page of each role, and robots.txt."""

from flask import Response, current_app, render_template
from flask_login import current_user

from ..activities import data as activities
from ..db import get_db
from ..kennisbank import store
from ..questions import cases
from ..web.access import EVERYONE, PUBLIC, allow
from . import bp


@bp.route("/")
@allow(*EVERYONE)
def index():
    db = get_db()
    all_dossiers = store.effective(db.conn, current_app.config["DOSSIER_DIR"])
    context = {
        "figures": cases.region_figures(db) if current_user.role == "coordinator" else None,
        "dossiers": all_dossiers,
        "activities": activities.upcoming(db, limit=3),
        "ACTIVITY_KINDS": activities.KINDS,
    }
    if current_user.role == "parent":
        # Parents first see what the kennisbank wrote for them.
        context["for_parents"] = [
            (d, s)
            for d in all_dossiers
            for s in d.sections
            if s.audience in ("ouder", "both") and s.heading != "Bronnen"
        ]
        context["recent_cases"] = cases.list_questions(db, "resolved", limit=5)
    else:
        context["open_questions"] = cases.list_questions(db, "open", limit=5)
    return render_template("home/index.html", **context)


@bp.route("/robots.txt")
@allow(PUBLIC)
def robots():
    # Nothing in a region's portal is for search engines.
    return Response("User-agent: *\nDisallow: /\n", mimetype="text/plain")
