"""Questions: asking (with suggestions while typing), answering, the most helpful answer.

``cases`` is the data (questions, answers, resolved cases), ``suggest`` what the ask page
shows, ``importer`` the JSONL import; ``ask`` and ``views`` are the pages.
"""

from flask import Blueprint

bp = Blueprint("questions", __name__, template_folder="templates")


def init_app(app) -> None:
    # The views are imported when the app is built, not with the package: other features
    # import this package's data modules, and the views import theirs (no import cycle).
    from . import ask, views  # noqa: F401 - the views register on bp

    app.register_blueprint(bp)
