"""The start page of each role, and robots.txt."""

import json

from flask import Response, current_app, render_template, request, send_from_directory, url_for
from flask_login import current_user

from ..activities import data as activities
from ..db import get_db
from ..kennisbank import store
from ..questions import cases
from ..web import assets
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
        # Colleagues' questions: her own are under Mijn vragen.
        context["open_questions"] = [
            cases.hide_asker(q, current_user.id)
            for q in cases.list_questions(db, "open", limit=5, exclude_author=current_user.id)
        ]
    return render_template("home/index.html", **context)


@bp.route("/robots.txt")
@allow(PUBLIC)
def robots():
    # Nothing in a region's portal is for search engines.
    return Response("User-agent: *\nDisallow: /\n", mimetype="text/plain")


@bp.route("/manifest.webmanifest")
@allow(PUBLIC)
def manifest():
    """The web app manifest: "App Leer-Kracht" on the home screen."""
    name = current_app.config["REGION_NAME"]
    data = {
        "name": f"Leer-Kracht · {name}",
        "short_name": "Leer-Kracht",
        "description": "Hulp bij vragen over gedrag in de klas, van collega's in de regio.",
        "lang": "nl",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": "#0b6e4f",
        "icons": [
            {
                "src": url_for("home.icon", size=str(size)),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }  # fmt: skip
            for size in (192, 512)
        ],
    }
    response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/icoon-<any('192', '512'):size>.png")
@allow(PUBLIC)
def icon(size: str):
    response = Response(assets.icon_png(int(size)), mimetype="image/png")
    fresh = request.args.get("v") == assets.icon_fingerprint(int(size))
    response.headers["Cache-Control"] = assets.cache_control(fresh)
    return response


@bp.route("/sw.js")
@allow(PUBLIC)
def service_worker():
    """The service worker, served from the root so that it may keep pages of the portal.

    Kept an hour: the browser checks for a new one after every page otherwise (app.js
    registers it with updateViaCache "all"), and a new version reaches everyone within the
    hour. The same for everyone, so no session goes with it (assets.FILES).
    """
    response = send_from_directory(assets.STATIC, "sw.js", mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/offline")
@allow(PUBLIC)
def offline():
    """What a teacher sees without a network, for pages she has not kept."""
    return render_template("home/offline.html")
