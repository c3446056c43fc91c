"""Log in, log out, and accept an invitation."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..db import get_db
from ..web.access import EVERYONE, PUBLIC, allow
from ..web.audit import audit
from ..web.forms import EmptyForm
from ..web.security import start_session_clock
from . import bp
from .forms import AcceptForm, LoginForm
from .throttle import clear_login_failures, login_blocked_for, record_login_failure
from .users import (
    AccountError,
    User,
    accept_invitation,
    check_password,
    end_sessions,
    get_user,
    invitation_by_token,
    invitation_problem,
)


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _start_session(row: dict) -> None:
    # A fresh session on login: nothing from before the login carries over.
    session.clear()
    login_user(User(row))
    session.permanent = True
    start_session_clock()


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        email = form.email.data
        wait = login_blocked_for(email)
        if wait:
            minutes = max(1, round(wait / 60))
            error = (
                "Te veel mislukte pogingen. Probeer het over "
                f"{minutes} minu{'ut' if minutes == 1 else 'ten'} opnieuw."
            )
            audit("login_throttled", detail=f"wait {wait}s")
            return render_template("auth/login.html", form=form, error=error), 429
        row = check_password(get_db(), email, form.password.data)
        if row is None:
            record_login_failure(email)
            audit("login_failed")
            error = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
        elif not row["active"]:
            audit("login_disabled_account", subject=f"user:{row['id']}", actor_id=row["id"])
            error = "Dit account is uitgeschakeld. Neem contact op met de coördinator."
        else:
            clear_login_failures(email)
            _start_session(row)
            audit("login", subject=f"user:{row['id']}")
            return redirect(_safe_next(request.args.get("next")))
    if error or form.errors:
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@allow(*EVERYONE)
def logout():
    EmptyForm()  # CSRF is checked globally; the form only documents the intent
    # End the session on the server too: a copied cookie is worthless after logout.
    end_sessions(get_db(), current_user.id)
    audit("logout", subject=f"user:{current_user.id}")
    logout_user()
    session.clear()
    flash("Je bent uitgelogd.")
    return redirect(url_for("accounts.login"))


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def accept(token: str):
    db = get_db()
    invitation = invitation_by_token(db, token)
    problem = invitation_problem(invitation)
    if problem:
        return render_template("auth/invitation_problem.html", problem=problem), 410
    form = AcceptForm(name=invitation["name"] or None)
    error = None
    if form.validate_on_submit():
        try:
            user_id = accept_invitation(db, token, form.name.data, form.password.data)
        except AccountError as exc:
            error = str(exc)
        else:
            _start_session(get_user(db, user_id))
            audit("account_created", subject=f"user:{user_id}", detail=invitation["role"])
            flash("Welkom! Je account is klaar.")
            return redirect(url_for("home.index"))
    status = 400 if (error or form.errors) else 200
    return (
        render_template("auth/accept.html", form=form, invitation=invitation, error=error),
        status,
    )
