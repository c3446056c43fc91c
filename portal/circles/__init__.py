"""Leerkrachtkringen: teacher circles doing guided intervisie on cases from their classes."""

from flask import Blueprint

bp = Blueprint("circles", __name__, url_prefix="/kringen", template_folder="templates")


def init_app(app) -> None:
    # The views are imported when the app is built, not with the package: other features
    # import this package's data modules, and the views import theirs (no import cycle).
    from . import views  # noqa: F401 - the views register on bp

    app.register_blueprint(bp)
