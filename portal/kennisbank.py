"""The kennisbank: research-based dossiers per cluster of behaviour questions."""

from flask import Blueprint, abort, current_app, render_template

from . import dossiers
from .access import EVERYONE, allow
from .cases import CLUSTERS

bp = Blueprint("kennisbank", __name__, url_prefix="/kennisbank")


@bp.route("")
@allow(*EVERYONE)
def index():
    all_dossiers = dossiers.load_all(current_app.config["DOSSIER_DIR"])
    by_cluster = {slug: [] for slug in CLUSTERS}
    for d in all_dossiers:
        by_cluster.setdefault(d.cluster, []).append(d)
    return render_template("kennisbank/index.html", by_cluster=by_cluster)


@bp.route("/<slug>")
@allow(*EVERYONE)
def dossier(slug: str):
    found = dossiers.get(current_app.config["DOSSIER_DIR"], slug)
    if found is None:
        abort(404)
    return render_template("kennisbank/dossier.html", dossier=found)
