"""Meldingen: the notifications page and the small unread badge (polled cheaply by htmx)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_db
from ..web.access import EVERYONE, allow
from ..web.forms import EmptyForm
from . import bp, notify


@bp.route("")
@allow(*EVERYONE)
def index():
    items = notify.for_user(get_db(), current_user.id)
    return render_template(
        "notifications/index.html",
        items=items,
        kinds=notify.kinds_for(current_user.role),
        form=EmptyForm(),
    )


@bp.route("/<id:notification_id>/open", methods=["POST"])
@allow(*EVERYONE)
def open_one(notification_id: int):
    """Open a notification: it is read now, and she goes where it leads."""
    EmptyForm()
    url = notify.open_one(get_db(), current_user.id, notification_id)
    if url is None:
        abort(404)
    return redirect(url)


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
    notify.mark_all_read(get_db(), current_user.id)
    flash("Alle meldingen zijn gelezen.")
    return redirect(url_for("notifications.index"))
