"""Direct support: a teacher asks an expert for an observation, a consultation or coaching."""

from flask import Blueprint

bp = Blueprint("support", __name__, url_prefix="/ondersteuning", template_folder="templates")


def init_app(app) -> None:
    # The views are imported when the app is built, not with the package: other features
    # import this package's data modules, and the views import theirs (no import cycle).
    from . import views  # noqa: F401 - the views register on bp

    app.register_blueprint(bp)
