"""Beheer for the coordinator: accounts, invitations and schools."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_db
from ..notifications import mail
from ..web.access import allow
from ..web.audit import audit
from ..web.forms import EmptyForm
from . import bp, gdpr
from . import users as accounts
from .account import export_response
from .auth import send_reset
from .forms import InviteForm, SchoolForm


def invitation_link(token: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for("accounts.accept", token=token)


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.school_id.choices = [("", "Geen school (ouderpartner of regio)")] + [
        (str(s["id"]), s["name"]) for s in accounts.list_schools(get_db())
    ]
    return form


def _render(
    invite_form=None, school_form=None, new_link=None, error=None, status=200, school_error=None
):
    db = get_db()
    return (
        render_template(
            "admin/index.html",
            users=accounts.list_users(db),
            invitations=accounts.list_invitations(db),
            schools=accounts.list_schools(db),
            invite_form=invite_form or _invite_form(),
            school_form=school_form or SchoolForm(formdata=None),
            toggle_form=EmptyForm(),
            new_link=new_link,
            school_error=school_error,
            stuck_mail=mail.stuck(db),
            DELETE_REASONS=gdpr.DELETE_REASONS,
            error=error,
        ),
        status,
    )


@bp.route("/beheer")
@allow("coordinator")
def admin():
    return _render()


@bp.route("/beheer/uitnodigen", methods=["POST"])
@allow("coordinator")
def invite():
    form = _invite_form()
    if not form.validate_on_submit():
        return _render(invite_form=form, status=400)
    school_id = int(form.school_id.data) if form.school_id.data.isdigit() else None
    try:
        token = accounts.create_invitation(
            get_db(), form.email.data, form.role.data, school_id, current_user.id, form.name.data
        )
    except accounts.AccountError as exc:
        return _render(invite_form=form, error=str(exc), status=400)
    audit("invitation_created", detail=form.role.data)
    # Until mail exists the coordinator passes the link on; it is shown only this once.
    return _render(new_link={"email": form.email.data, "url": invitation_link(token)})


@bp.route("/beheer/scholen", methods=["POST"])
@allow("coordinator")
def add_school():
    form = SchoolForm()
    if not form.validate_on_submit():
        return _render(school_form=form, status=400)
    try:
        accounts.create_school(get_db(), form.name.data, form.kind.data)
    except accounts.AccountError as exc:
        return _render(school_form=form, school_error=str(exc), status=400)
    flash(f"School {form.name.data} toegevoegd.")
    return redirect(url_for("accounts.admin"))


def _person(user_id: int) -> dict | None:
    """A real person's account (not a system account), or None."""
    user = accounts.get_user(get_db(), user_id)
    return None if user is None or user["system"] else user


NO_SUCH_ACCOUNT = {"error": "Dit account bestaat niet.", "status": 404}


@bp.route("/beheer/accounts/<id:user_id>/actief", methods=["POST"])
@allow("coordinator")
def set_active(user_id: int):
    EmptyForm()
    db = get_db()
    user = _person(user_id)
    if user is None:
        return _render(**NO_SUCH_ACCOUNT)
    if user_id == current_user.id:
        return _render(error="Je kunt je eigen account niet uitschakelen.", status=400)
    active = request.form.get("active") == "1"
    accounts.set_active(db, user_id, active)
    audit("account_enabled" if active else "account_disabled", subject=f"user:{user_id}")
    flash(f"{user['name']} is {'weer actief' if active else 'uitgeschakeld'}.")
    return redirect(url_for("accounts.admin"))


@bp.route("/beheer/accounts/<id:user_id>/herstellen", methods=["POST"])
@allow("coordinator")
def start_reset(user_id: int):
    """A teacher is locked out: send her a link to choose a new password (shown once here)."""
    EmptyForm()
    user = _person(user_id)
    if user is None:
        return _render(**NO_SUCH_ACCOUNT)
    link = send_reset(get_db(), user, started_by=current_user.id)
    audit("password_reset_started", subject=f"user:{user_id}")
    return _render(new_link={"email": user["email"], "url": link, "kind": "reset"})


@bp.route("/beheer/accounts/<id:user_id>/gegevens.json", methods=["POST"])
@allow("coordinator")
def export_for(user_id: int):
    """Export a person's data on her request (AVG); logged, so a POST."""
    EmptyForm()
    if _person(user_id) is None:
        return _render(**NO_SUCH_ACCOUNT)
    audit("personal_data_exported", subject=f"user:{user_id}", detail="by the coordinator")
    return export_response(user_id)


@bp.route("/beheer/accounts/<id:user_id>/verwijderen", methods=["POST"])
@allow("coordinator")
def delete_for(user_id: int):
    """Delete an account on the person's request (AVG); the reason is logged."""
    db = get_db()
    user = _person(user_id)
    if user is None:
        return _render(**NO_SUCH_ACCOUNT)
    if user_id == current_user.id:
        return _render(error="Verwijder je eigen account via Mijn account.", status=400)
    EmptyForm()
    reason = request.form.get("reason", "")
    if reason not in gdpr.DELETE_REASONS:
        return _render(error="Kies waarom het account weg moet: dat wordt vastgelegd.", status=400)
    # The audit log keeps kinds only: a reason from the list, never free text.
    audit("account_deleted", subject=f"user:{user_id}", detail=f"reason:{reason}")
    gdpr.delete_account(db, user_id)
    flash(f"Het account van {user['name']} is verwijderd; de kennis blijft zonder naam.")
    return redirect(url_for("accounts.admin"))
