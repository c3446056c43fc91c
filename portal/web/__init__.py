"""Web plumbing every feature shares: access rules, security headers, error pages, filters.

The extensions live here too, bound to the app with ``init_app`` in ``create_app``.
"""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from werkzeug.routing import IntegerConverter

from . import access, assets, errors, security

csrf = CSRFProtect()
htmx = Htmx()
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.session_protection = "basic"


class IdConverter(IntegerConverter):
    """A database id in a URL: anything beyond SQLite's 64-bit integers is simply not found
    (a Dutch 404), never an overflow deep inside a query."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**63 - 1)


def init_app(app) -> None:
    app.url_map.converters["id"] = IdConverter
    csrf.init_app(app)
    htmx.init_app(app)
    assets.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)  # before access: an expired session is ended first
    access.init_app(app)
    errors.init_app(app)
