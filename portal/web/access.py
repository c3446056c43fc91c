"""Who may use which route: every view declares its roles; anything undeclared is denied."""

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from ..questions import drafts

ROLES = ("teacher", "expert", "parent", "coordinator")
ROLE_LABELS = {
    "teacher": "leerkracht",
    "expert": "expert (ib'er, specialist)",
    "parent": "ouderpartner",
    "coordinator": "coördinator",
}
# People who ask and answer questions.
COLLEAGUES = ("teacher", "expert")
# People who may read open questions and colleagues' names.
STAFF = ("teacher", "expert", "coordinator")
EVERYONE = ROLES
PUBLIC = "public"


class LoginToKeepDraft(Exception):  # noqa: N818 - a request to log in, not an error
    """A POST with a teacher's text arrived without a valid session: log in, keep the text.

    The accounts feature answers it with the login page carrying the text (signed), and
    saves it as her draft once she is logged in.
    """

    def __init__(self, key: str, page: str, fields: dict):
        super().__init__(key)
        self.key, self.page, self.fields = key, page, fields


def allow(*roles: str):
    """Declare which roles may use a view (``allow(PUBLIC)`` for no login)."""
    for role in roles:
        if role != PUBLIC and role not in ROLES:
            raise ValueError(f"unknown role {role!r}")

    def decorate(view):
        view.allowed_roles = frozenset(roles)
        return view

    return decorate


def check_access():
    """Enforce the declared roles before every request (deny by default)."""
    if request.endpoint is None:
        return None  # 404 / 405 follow
    if request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    roles = getattr(view, "allowed_roles", None)
    if roles is None:
        current_app.logger.error("route %s declares no roles: denied", request.endpoint)
        abort(403)
    if PUBLIC in roles:
        return None
    if not current_user.is_authenticated:
        if request.method == "GET":
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        carried = drafts.from_request(request.endpoint, request.view_args, request.form)
        if carried:
            raise LoginToKeepDraft(*carried)
        abort(401)
    if current_user.role not in roles:
        abort(403)
    return None


def is_staff() -> bool:
    return current_user.is_authenticated and current_user.role in STAFF


def is_colleague() -> bool:
    return current_user.is_authenticated and current_user.role in COLLEAGUES


def init_app(app) -> None:
    app.before_request(check_access)
    app.jinja_env.globals.update(
        is_staff=is_staff, is_colleague=is_colleague, ROLE_LABELS=ROLE_LABELS
    )
