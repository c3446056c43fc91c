"""Accounts: logging in, invitations, Mijn account, the coordinator's Beheer, AVG rights.

Data lives in ``users`` (accounts, schools, invitations), ``throttle`` (failed logins) and
``gdpr`` (export, deletion, retention); the views are ``auth``, ``account`` and ``admin``.
"""

from flask import Blueprint

from ..web import login_manager
from .users import load_user

bp = Blueprint("accounts", __name__, template_folder="templates")
login_manager.user_loader(load_user)


def init_app(app) -> None:
    # The views are imported when the app is built, not with the package: other features
    # import this package's data modules, and the views import theirs (no import cycle).
    from . import account, admin, auth  # noqa: F401 - the views register on bp

    app.register_blueprint(bp)
