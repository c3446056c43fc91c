"""The kennisbank: research-based dossiers, proposed edits with versions, review warnings.

``dossiers`` parses the files, ``store`` holds what is in force (files plus approved
edits), the versions and the dossiers' place in the index; ``views`` are the pages.
"""

from flask import Blueprint

bp = Blueprint("kennisbank", __name__, url_prefix="/kennisbank", template_folder="templates")


def init_app(app) -> None:
    # The views are imported when the app is built, not with the package: other features
    # import this package's data modules, and the views import theirs (no import cycle).
    from . import views  # noqa: F401 - the views register on bp

    app.register_blueprint(bp)
