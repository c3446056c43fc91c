"""Parents as partners: themed parent evenings and parent-to-parent meetings."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from .access import EVERYONE, allow
from .db import get_db, transaction
from .forms import ActivityForm, SummaryForm

bp = Blueprint("activities", __name__, url_prefix="/activiteiten")
KINDS = {"ouderavond": "Thema-ouderavond", "ouders-voor-ouders": "Ouders voor ouders"}


def _now() -> str:
    return datetime.now().strftime("%Y-%m-%dT%H:%M")


def upcoming(db, limit: int = 20) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM activities WHERE starts_at >= ? ORDER BY starts_at LIMIT ?",
            [_now(), limit],
        )
    )


def past(db, limit: int = 20) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM activities WHERE starts_at < ? ORDER BY starts_at DESC LIMIT ?",
            [_now(), limit],
        )
    )


def _render(form=None, status=200):
    db = get_db()
    return (
        render_template(
            "activities/index.html",
            upcoming=upcoming(db),
            past=past(db),
            form=form or ActivityForm(formdata=None),
            summary_form=SummaryForm(formdata=None),
            KINDS=KINDS,
        ),
        status,
    )


@bp.route("")
@allow(*EVERYONE)
def index():
    return _render()


@bp.route("", methods=["POST"])
@allow("coordinator")
def create():
    form = ActivityForm()
    if not form.validate_on_submit():
        return _render(form, 400)
    db = get_db()
    with transaction(db.conn):
        db.conn.execute(
            "INSERT INTO activities (title, kind, cluster, starts_at, place, online, "
            "description, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                form.title.data.strip(),
                form.kind.data,
                form.cluster.data or None,
                form.starts_at.data.replace(" ", "T"),
                form.place.data.strip(),
                int(form.online.data),
                form.description.data.strip(),
                current_user.id,
            ),
        )
    flash("De activiteit staat in de agenda voor ouders en leerkrachten.")
    return redirect(url_for("activities.index"))


@bp.route("/<int:activity_id>/terugblik", methods=["POST"])
@allow("coordinator")
def summarise(activity_id: int):
    """After the evening: a short summary, kept with the activity."""
    db = get_db()
    if not db.execute("SELECT 1 FROM activities WHERE id = ?", [activity_id]).fetchone():
        abort(404)
    form = SummaryForm()
    if not form.validate_on_submit():
        return _render(status=400)
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE activities SET summary = ? WHERE id = ?",
            (form.summary.data.strip(), activity_id),
        )
    flash("De terugblik is opgeslagen.")
    return redirect(url_for("activities.index"))
