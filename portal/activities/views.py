"""The activities page: what is coming up for parents, and what was learned before."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import clock
from ..db import get_db
from ..web.access import EVERYONE, allow
from ..web.forms import planned_moment
from . import bp, data
from .forms import ActivityForm, SummaryForm


def _render(form=None, status=200):
    db = get_db()
    return (
        render_template(
            "activities/index.html",
            upcoming=data.upcoming(db),
            past=data.past(db),
            form=form or ActivityForm(formdata=None),
            summary_form=SummaryForm(formdata=None),
            KINDS=data.KINDS,
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
    starts = planned_moment(form) if form.validate_on_submit() else None
    if starts is None:
        return _render(form, 400)
    data.create(
        get_db(),
        current_user.id,
        title=form.title.data,
        kind=form.kind.data,
        cluster=form.cluster.data,
        starts_at=clock.local_stamp(starts),
        place=form.place.data,
        online=form.online.data,
        description=form.description.data,
    )
    flash("De activiteit staat in de agenda voor ouders en leerkrachten.")
    return redirect(url_for("activities.index"))


@bp.route("/<id:activity_id>/terugblik", methods=["POST"])
@allow("coordinator")
def summarise(activity_id: int):
    """After the evening: a short summary, kept with the activity."""
    db = get_db()
    if not data.exists(db, activity_id):
        abort(404)
    form = SummaryForm()
    if not form.validate_on_submit():
        return _render(status=400)
    data.set_summary(db, activity_id, form.summary.data)
    flash("De terugblik is opgeslagen.")
    return redirect(url_for("activities.index"))
