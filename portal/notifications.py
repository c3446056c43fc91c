"""Meldingen: the notifications page and the small unread badge (polled cheaply by htmx)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from . import notify
from .access import EVERYONE, allow
from .db import get_db, transaction
from .forms import EmptyForm

bp = Blueprint("notifications", __name__, url_prefix="/meldingen")


@bp.route("")
@allow(*EVERYONE)
def index():
    items = list(
        get_db().query(
            "SELECT n.*, q.title FROM notifications n JOIN questions q ON q.id = n.question_id "
            "WHERE n.user_id = ? ORDER BY n.id DESC LIMIT 100",
            [current_user.id],
        )
    )
    return render_template("notifications/index.html", items=items, form=EmptyForm())


@bp.route("/aantal")
@allow(*EVERYONE)
def badge():
    """The unread count as a tiny fragment (a few bytes), for htmx polling."""
    count = notify.unread_count(get_db(), current_user.id)
    return render_template("notifications/_badge.html", unread=count)


@bp.route("/gelezen", methods=["POST"])
@allow(*EVERYONE)
def mark_read():
    EmptyForm()
    db = get_db()
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
            (notify.now_iso(), current_user.id),
        )
    flash("Alle meldingen zijn gelezen.")
    return redirect(url_for("notifications.index"))
