"""Nobody waits too long: who hears of a question, notifications, mail, escalation.

``routing`` decides who hears of what, ``notify`` writes notifications and the mail
outbox, ``mail`` talks SMTP, ``schooltime`` counts school hours, ``jobs`` is what the timer
runs; ``views`` is the Meldingen page.
"""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/meldingen", template_folder="templates")


def init_app(app) -> None:
    # The views are imported when the app is built, not with the package: other features
    # import this package's data modules, and the views import theirs (no import cycle).
    from . import views  # noqa: F401 - the views register on bp

    app.register_blueprint(bp)
