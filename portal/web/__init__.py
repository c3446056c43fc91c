"""Web plumbing every feature shares: access rules, security headers, error pages, filters.

The extensions live here too, bound to the app with ``init_app`` in ``create_app``.
"""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from . import access, errors, security

csrf = CSRFProtect()
htmx = Htmx()
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.session_protection = "basic"


def init_app(app) -> None:
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)  # before access: an expired session is ended first
    access.init_app(app)
    errors.init_app(app)
