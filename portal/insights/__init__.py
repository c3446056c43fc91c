"""Insight for the region's working group: which questions, how fast answered, what helped."""

from flask import Blueprint

bp = Blueprint("insights", __name__, url_prefix="/beheer/inzicht", template_folder="templates")

from . import views  # noqa: E402, F401 - the views register on bp
