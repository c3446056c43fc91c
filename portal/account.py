"""Mijn account: password, personal data export, deleting the account (AVG/GDPR)."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from . import gdpr, notify
from .access import EVERYONE, allow
from .accounts import AccountError, User, check_password, get_user, set_password
from .cases import CLUSTERS
from .db import get_db, transaction
from .forms import DeleteAccountForm, EmptyForm, PasswordChangeForm
from .security import audit, start_session_clock

bp = Blueprint("account", __name__, url_prefix="/account")


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


@bp.route("")
@allow(*EVERYONE)
def index():
    return _render()


@bp.route("/profiel", methods=["GET", "POST"])
@allow(*EVERYONE)
def profile():
    """Expertise (who hears of which questions first) and mail settings per kind."""
    db = get_db()
    may_have_expertise = current_user.role in ("teacher", "expert")
    if request.method == "POST":
        EmptyForm()
        if may_have_expertise:
            chosen = [c for c in request.form.getlist("cluster") if c in CLUSTERS]
            topics = request.form.get("topics", "").strip()[:300]
            with transaction(db.conn):
                db.conn.execute("DELETE FROM user_expertise WHERE user_id = ?", (current_user.id,))
                db.conn.executemany(
                    "INSERT INTO user_expertise (user_id, cluster) VALUES (?, ?)",
                    [(current_user.id, c) for c in chosen],
                )
                db.conn.execute(
                    "UPDATE users SET topics = ? WHERE id = ?", (topics, current_user.id)
                )
        notify.set_prefs(
            db, current_user.id, {k: request.form.get(f"mode_{k}", "") for k in notify.KINDS}
        )
        flash("Je profiel en meldingen zijn opgeslagen.")
        return redirect(url_for("account.profile"))
    expertise = {
        r[0]
        for r in db.execute(
            "SELECT cluster FROM user_expertise WHERE user_id = ?", [current_user.id]
        )
    }
    topics = db.execute("SELECT topics FROM users WHERE id = ?", [current_user.id]).fetchone()[0]
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


@bp.route("/wachtwoord", methods=["POST"])
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
    return redirect(url_for("account.index"))


def export_response(user_id: int) -> Response:
    data = gdpr.export(get_db(), user_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=leer-kracht-mijn-gegevens.json"},
    )


@bp.route("/gegevens.json", methods=["POST"])
@allow(*EVERYONE)
def export():
    """Download all personal data of this account (JSON); a POST, because it is logged."""
    EmptyForm()
    audit("personal_data_exported", subject=f"user:{current_user.id}")
    return export_response(current_user.id)


@bp.route("/verwijderen", methods=["POST"])
@allow(*EVERYONE)
def delete():
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
    return redirect(url_for("auth.login"))
