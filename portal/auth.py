"""Log in, log out, and accept an invitation."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from .access import EVERYONE, PUBLIC, allow
from .accounts import (
    AccountError,
    User,
    accept_invitation,
    check_password,
    get_user,
    invitation_by_token,
    invitation_problem,
)
from .db import get_db
from .forms import AcceptForm, EmptyForm, LoginForm

bp = Blueprint("auth", __name__)


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


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        row = check_password(get_db(), form.email.data, form.password.data)
        if row is None:
            error = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
        elif not row["active"]:
            error = "Dit account is uitgeschakeld. Neem contact op met de coördinator."
        else:
            _start_session(row)
            return redirect(_safe_next(request.args.get("next")))
    status = 200 if error is None and not form.errors else 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@allow(*EVERYONE)
def logout():
    EmptyForm()  # CSRF is checked globally; the form only documents the intent
    logout_user()
    session.clear()
    flash("Je bent uitgelogd.")
    return redirect(url_for("auth.login"))


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
            flash("Welkom! Je account is klaar.")
            return redirect(url_for("home.index"))
    status = 400 if (error or form.errors) else 200
    return (
        render_template("auth/accept.html", form=form, invitation=invitation, error=error),
        status,
    )
