"""Parents as partners: themed parent evenings and parent-to-parent meetings."""

from flask import Blueprint

bp = Blueprint("activities", __name__, url_prefix="/activiteiten", template_folder="templates")

from . import views  # noqa: E402, F401 - the views register on bp
