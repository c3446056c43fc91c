"""Accounts: logging in, invitations, Mijn account, the coordinator's Beheer, AVG rights.

Data lives in ``users`` (accounts, schools, invitations), ``throttle`` (failed logins) and
``gdpr`` (export, deletion, retention); the views are ``auth``, ``account`` and ``admin``.
"""

from flask import Blueprint

from ..web import login_manager
from .users import load_user

bp = Blueprint("accounts", __name__, template_folder="templates")
login_manager.user_loader(load_user)

from . import account, admin, auth  # noqa: E402, F401 - the views register on bp
