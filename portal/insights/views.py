"""The coordinator's insight page."""

from flask import render_template

from ..db import get_db
from ..web.access import allow
from . import bp, data


@bp.route("")
@allow("coordinator")
def index():
    """The region in figures, and the map of its expertise."""
    db = get_db()
    return render_template(
        "insights/index.html", figures=data.figures(db), expertise=data.expertise_map(db)
    )
