"""Questions: asking (with suggestions while typing), answering, the most helpful answer.

``cases`` is the data (questions, answers, resolved cases), ``suggest`` what the ask page
shows, ``importer`` the JSONL import; ``ask`` and ``views`` are the pages.
"""

from flask import Blueprint

bp = Blueprint("questions", __name__, template_folder="templates")

from . import ask, views  # noqa: E402, F401 - the views register on bp
