"""The start page of each role, and robots.txt."""

from flask import Blueprint

bp = Blueprint("home", __name__, template_folder="templates")

from . import views  # noqa: E402, F401 - the views register on bp
