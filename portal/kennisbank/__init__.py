"""The kennisbank: research-based dossiers, proposed edits with versions, review warnings.

``dossiers`` parses the files, ``store`` holds what is in force (files plus approved
edits), the versions and the dossiers' place in the index; ``views`` are the pages.
"""

from flask import Blueprint

bp = Blueprint("kennisbank", __name__, url_prefix="/kennisbank", template_folder="templates")

from . import views  # noqa: E402, F401 - the views register on bp
