"""Mijn account: password, personal data export, deleting the account (AVG/GDPR)."""

import json

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..db import get_db
from ..notifications import notify
from ..questions.cases import CLUSTERS
from ..web.access import EVERYONE, allow
from ..web.audit import audit
from ..web.forms import EmptyForm
from ..web.security import start_session_clock
from . import bp, gdpr, users
from .forms import DeleteAccountForm, PasswordChangeForm
from .users import AccountError, User, check_password, get_user, set_password


def _render(password_form=None, delete_form=None, error=None, status=200):
    return (
        render_template(
            "account/index.html",
            password_form=password_form or PasswordChangeForm(formdata=None),
            delete_form=delete_form or DeleteAccountForm(formdata=None),
            error=error,
        ),
        status,
    )


@bp.route("/account")
@allow(*EVERYONE)
def account():
    return _render()


@bp.route("/account/profiel", methods=["GET", "POST"])
@allow(*EVERYONE)
def profile():
    """Expertise (who hears of which questions first) and mail settings per kind."""
    db = get_db()
    may_have_expertise = current_user.role in ("teacher", "expert")
    if request.method == "POST":
        EmptyForm()
        if may_have_expertise:
            chosen = [c for c in request.form.getlist("cluster") if c in CLUSTERS]
            users.set_profile(db, current_user.id, chosen, request.form.get("topics", ""))
        notify.set_prefs(
            db, current_user.id, {k: request.form.get(f"mode_{k}", "") for k in notify.KINDS}
        )
        flash("Je profiel en meldingen zijn opgeslagen.")
        return redirect(url_for("accounts.profile"))
    expertise, topics = users.profile(db, current_user.id)
    return render_template(
        "account/profile.html",
        may_have_expertise=may_have_expertise,
        expertise=expertise,
        topics=topics,
        prefs=notify.prefs(db, current_user.id),
        KINDS=notify.KINDS,
        MODES=notify.MODES,
        form=EmptyForm(),
    )


@bp.route("/account/wachtwoord", methods=["POST"])
@allow(*EVERYONE)
def change_password():
    """Change the password; every other session of this account ends."""
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _render(password_form=form, status=400)
    db = get_db()
    if check_password(db, current_user.email, form.current.data) is None:
        form.current.errors = ["Je huidige wachtwoord klopt niet."]
        return _render(password_form=form, status=400)
    try:
        set_password(db, current_user.id, form.password.data)
    except AccountError as exc:
        form.password.errors = [str(exc)]
        return _render(password_form=form, status=400)
    audit("password_changed", subject=f"user:{current_user.id}")
    # This session goes on with the new token; all others are over.
    session.clear()
    login_user(User(get_user(db, current_user.id)))
    session.permanent = True
    start_session_clock()
    flash("Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd.")
    return redirect(url_for("accounts.account"))


def export_response(user_id: int) -> Response:
    data = gdpr.export(get_db(), user_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=leer-kracht-mijn-gegevens.json"},
    )


@bp.route("/account/gegevens.json", methods=["POST"])
@allow(*EVERYONE)
def export():
    """Download all personal data of this account (JSON); a POST, because it is logged."""
    EmptyForm()
    audit("personal_data_exported", subject=f"user:{current_user.id}")
    return export_response(current_user.id)


@bp.route("/account/verwijderen", methods=["POST"])
@allow(*EVERYONE)
def delete_account():
    """Delete this account; questions and answers stay, without any link to her."""
    form = DeleteAccountForm()
    db = get_db()
    if (
        not form.validate_on_submit()
        or check_password(db, current_user.email, form.password.data) is None
    ):
        if form.password.data:
            form.password.errors = ["Dit wachtwoord klopt niet."]
        return _render(delete_form=form, status=400)
    user_id = current_user.id
    audit("account_deleted", subject=f"user:{user_id}", detail="by the account holder")
    gdpr.delete_account(db, user_id)
    logout_user()
    session.clear()
    flash(
        "Je account is verwijderd. Wat je deelde, blijft zonder jouw naam beschikbaar "
        "voor collega's."
    )
    return redirect(url_for("accounts.login"))
