"""Direct support: a teacher asks, an expert takes it, agrees a moment and writes the outcome.

Who sees a request: the teacher who made it, every expert while it is open, the expert
who took it, and the coordinator (read only). Anyone else gets a 404; parents a 403.
"""

import uuid
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

import privacy

from .. import clock
from ..accounts.users import profile, school_names
from ..db import get_db
from ..kennisbank import store
from ..notifications.schooltime import SchoolCalendar
from ..questions import cases
from ..web.access import COLLEAGUES, STAFF, allow
from ..web.audit import audit
from ..web.forms import EmptyForm, planned_moment
from ..web.guard import FIXED, WARN, log_override, posted_fix_action, privacy_step
from . import bp, data
from .forms import AgreeForm, OutcomeForm, RequestForm

REQUEST_FIELDS = ("want_to_know", "availability")
AGREE_FIELDS = ("note",)
OUTCOME_FIELDS = ("seen", "to_try", "follow_up")
# What the live privacy check (htmx, while typing) scans.
CHECKED = (*REQUEST_FIELDS, *AGREE_FIELDS, *OUTCOME_FIELDS)


@bp.context_processor
def _labels():
    return {
        "KINDS": data.KINDS,
        "KIND_HINTS": data.KIND_HINTS,
        "CHANNELS": data.CHANNELS,
        "URGENCIES": data.URGENCIES,
        "STATUSES": data.STATUSES,
        "SMALL": data.SMALL,
    }


@bp.app_template_global("support_for_question")
def _support_for_question(question_id: int) -> dict | None:
    """Her own request from this question, for the link on the question page."""
    if not current_user.is_authenticated or current_user.role not in COLLEAGUES:
        return None
    row = data.for_question(get_db(), question_id, current_user.id)
    if row is None:
        return None
    return {
        **row,
        "status_label": data.STATUSES[row["status"]],
        "kind_label": data.KINDS[row["kind"]],
    }


def _calendar() -> SchoolCalendar:
    return SchoolCalendar.from_config(current_app.config)


def _viewer_of(row: dict) -> str | None:
    """How the current user sees a request: requester, taker, expert, coordinator, or not."""
    if row["requested_by"] == current_user.id:
        return "requester"
    if current_user.role == "coordinator":
        return "coordinator"
    if current_user.role == "expert":
        if row["taken_by"] == current_user.id:
            return "taker"
        if row["status"] == "open":
            return "expert"
    return None


def _request_or_404(request_id: int) -> tuple[dict, str]:
    row = data.get_request(get_db(), request_id)
    viewer = _viewer_of(row) if row else None
    if viewer is None:
        abort(404)  # not hers to see: as if it did not exist
    return row, viewer


def _only(viewer: str, *allowed: str) -> None:
    if viewer not in allowed:
        abort(403)


# ---- the privacy guard over free text -----------------------------------------------------


def _privacy(form, fields) -> tuple[str | None, list]:
    """Before saving (web/guard.py): FIXED, WARN or None to go ahead, with the findings.

    The form is validated afterwards, by each view; every scan reads at most the fields'
    maximum length.
    """
    limits = {f: data.LIMITS[f][1] for f in fields}
    return privacy_step(form, fields, validate=False, limits=limits)


@bp.route("/controle", methods=["POST"])
@allow(*COLLEAGUES)
def check():
    """The privacy panel for a support form being typed (htmx)."""
    fields = {
        name: request.form.get(name, "")[: data.LIMITS[name][1]]
        for name in CHECKED
        if name in request.form
    }
    findings = privacy.check_fields(fields, school_names(get_db()))
    return render_template(
        "_privacy.html", findings=findings, warn_on_post=False, fix_action=posted_fix_action()
    )


# ---- lists --------------------------------------------------------------------------------


@bp.route("")
@allow(*STAFF)
def index():
    """Her own requests; for experts also the open ones and the ones she took."""
    db, me = get_db(), current_user
    now, calendar = clock.now(), _calendar()
    hide = lambda rows: [data.hide_requester(r, me.id) for r in rows]  # noqa: E731
    open_rows = []
    if me.role in ("expert", "coordinator"):
        open_rows = hide(data.open_requests(db, me.id if me.role == "expert" else None))
    context = {
        "mine": data.by_requester(db, me.id) if me.role in COLLEAGUES else [],
        "open": open_rows,
        "taken": hide(data.taken_by(db, me.id)) if me.role == "expert" else [],
        "in_progress": hide(data.in_progress(db)) if me.role == "coordinator" else [],
        "waited_by_id": {r["id"]: data.waited_hours(calendar, r, now) for r in open_rows},
        "expertise": profile(db, me.id)[0] if me.role == "expert" else set(),
    }
    return render_template("support/index.html", **context)


@bp.route("/overzicht")
@allow("coordinator")
def overview():
    """The coordinator's figures: waiting, time to first contact, per school and cluster."""
    db, now, calendar = get_db(), clock.now(), _calendar()
    waiting = [data.hide_requester(r, current_user.id) for r in data.open_requests(db)]
    waiting.sort(key=lambda r: r["created_at"])
    return render_template(
        "support/overview.html",
        o=data.overview(db, calendar, now),
        waiting=waiting,
        waited_by_id={r["id"]: data.waited_hours(calendar, r, now) for r in waiting},
    )


# ---- asking -------------------------------------------------------------------------------


def _source() -> tuple[dict | None, object | None]:
    """The question (hers only) or dossier page a request is asked from, from ?vraag / ?dossier."""
    db = get_db()
    question = dossier = None
    raw = request.args.get("vraag", "")
    if raw:
        question = cases.get_question(db, int(raw)) if raw.isdigit() and len(raw) < 19 else None
        if question is None or question["author_id"] != current_user.id:
            abort(404)
    slug = request.args.get("dossier", "")
    if slug and question is None:
        dossier = store.get(db.conn, current_app.config["DOSSIER_DIR"], slug[:100])
        if dossier is None:
            abort(404)
    return question, dossier


def _render_new(form, question, dossier, status=200, findings=None, warn_on_post=False, errors=()):
    args = {"vraag": question["id"]} if question else {"dossier": dossier.slug} if dossier else {}
    return (
        render_template(
            "support/new.html",
            form=form,
            question=question,
            dossier=dossier,
            action=url_for("support.new", **args),
            form_key=request.form.get("form_key") or uuid.uuid4().hex,
            findings=findings if findings is not None else [],
            warn_on_post=warn_on_post,
            errors=list(errors),
        ),
        status,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@allow(*COLLEAGUES)
def new():
    """Ask for direct support: from her question, from a dossier page, or from scratch."""
    db = get_db()
    question, dossier = _source()
    if question:
        earlier = data.for_question(db, question["id"], current_user.id)
        if earlier and earlier["status"] in ("open", "genomen"):
            flash("Je vroeg al om ondersteuning bij deze vraag. Hier zie je hoe het ervoor staat.")
            return redirect(url_for("support.detail", request_id=earlier["id"]))
    if request.method == "GET":
        cluster = question["cluster"] if question else dossier.cluster if dossier else ""
        form = RequestForm(
            data={
                "cluster": cluster if cluster in cases.CLUSTERS else "",
                "channel": "op-school",
                "urgency": "deze-week",
                # An anonymous question stays anonymous in the request, unless she chooses.
                "show_name": not (question and question["anonymous"]),
            }
        )
        return _render_new(form, question, dossier)
    form = RequestForm()
    posted = cases.posted_before(db, request.form.get("form_key"), current_user.id)
    if posted:
        flash("Je vraag om ondersteuning was al verstuurd; hij staat er één keer.")
        return redirect(posted)
    state, findings = _privacy(form, REQUEST_FIELDS)
    if state == FIXED:
        return _render_new(form, question, dossier, findings=findings, warn_on_post=bool(findings))
    if not form.validate_on_submit():
        return _render_new(form, question, dossier, 400)
    if state == WARN:
        return _render_new(form, question, dossier, findings=findings, warn_on_post=True)
    try:
        request_id = data.create_request(
            db,
            current_user.id,
            kind=form.kind.data,
            channel=form.channel.data,
            want_to_know=form.want_to_know.data,
            availability=form.availability.data,
            urgency=form.urgency.data,
            cluster=form.cluster.data,
            show_name=form.show_name.data,
            question_id=question["id"] if question else None,
            dossier=dossier.slug if dossier else None,
            form_key=request.form.get("form_key"),
        )
    except data.SupportError as exc:
        return _render_new(form, question, dossier, exc.status, errors=[str(exc)])
    log_override(findings, f"support:{request_id}")
    audit("support_requested", f"support:{request_id}")
    flash("Je vraag om ondersteuning is verstuurd. Experts uit de regio krijgen een melding.")
    return redirect(url_for("support.detail", request_id=request_id))


# ---- one request --------------------------------------------------------------------------


def _render_detail(row, viewer, status=200, agree_form=None, outcome_form=None, **extra):
    db = get_db()
    shown = data.hide_requester(row, current_user.id)
    agreed = clock.local(row["agreed_at"]) if row["agreed_at"] else None
    dossier = (
        store.get(db.conn, current_app.config["DOSSIER_DIR"], row["dossier"])
        if row["dossier"]
        else None
    )
    return (
        render_template(
            "support/detail.html",
            r=shown,
            viewer=viewer,
            dossier=dossier,
            # Without her name, a link to a question that is not anonymous would show it.
            question_link=bool(row["question_id"])
            and (viewer == "requester" or shown["show_name"] or bool(row["question_anonymous"])),
            waited=data.waited_hours(_calendar(), row, clock.now()),
            action_form=EmptyForm(formdata=None),
            agree_form=agree_form
            or AgreeForm(
                formdata=None,
                data={
                    "day": f"{agreed:%Y-%m-%d}" if agreed else "",
                    "time": f"{agreed:%H:%M}" if agreed else "",
                    "note": row["agreed_note"] or "",
                },
            ),
            outcome_form=outcome_form or OutcomeForm(formdata=None),
            findings=extra.pop("findings", []),
            warn_on_post=extra.pop("warn_on_post", False),
            privacy_for=extra.pop("privacy_for", "outcome"),
            errors=extra.pop("errors", []),
            **extra,
        ),
        status,
    )


@bp.route("/<id:request_id>")
@allow(*STAFF)
def detail(request_id: int):
    row, viewer = _request_or_404(request_id)
    return _render_detail(row, viewer)


@bp.route("/<id:request_id>/nemen", methods=["POST"])
@allow("expert")
def take(request_id: int):
    """Take an open request; if a colleague was just quicker, say so."""
    row = data.get_request(get_db(), request_id)
    if row is None:
        abort(404)
    if row["requested_by"] == current_user.id:
        abort(403)  # her own request: another expert helps her
    EmptyForm()
    if not data.take(get_db(), request_id, current_user.id):
        flash("Een collega heeft deze vraag net genomen. Kies een andere vraag.", "error")
        return redirect(url_for("support.index"))
    audit("support_taken", f"support:{request_id}")
    flash("Je hebt deze vraag genomen. Neem contact op met de leerkracht en maak een afspraak.")
    return redirect(url_for("support.detail", request_id=request_id))


def _not_any_more():
    flash("Dit kan niet meer: de vraag is afgerond, ingetrokken of teruggegeven.", "error")


@bp.route("/<id:request_id>/teruggeven", methods=["POST"])
@allow("expert")
def release(request_id: int):
    """The expert cannot help after all: the request is open for the others again."""
    row, viewer = _request_or_404(request_id)
    _only(viewer, "taker")
    EmptyForm()
    if data.release(get_db(), request_id, current_user.id):
        audit("support_released", f"support:{request_id}")
        flash("Je hebt de vraag teruggegeven. Andere experts kunnen haar nu nemen.")
        return redirect(url_for("support.index"))
    _not_any_more()
    return redirect(url_for("support.detail", request_id=request_id))


@bp.route("/<id:request_id>/contact", methods=["POST"])
@allow("expert")
def contact(request_id: int):
    """Note the first contact with the teacher (the coordinator counts the time to it)."""
    _row, viewer = _request_or_404(request_id)
    _only(viewer, "taker")
    EmptyForm()
    if data.record_contact(get_db(), request_id, current_user.id):
        audit("support_contact", f"support:{request_id}")
        flash("Het eerste contact is genoteerd.")
    else:
        _not_any_more()
    return redirect(url_for("support.detail", request_id=request_id))


@bp.route("/<id:request_id>/afspraak", methods=["POST"])
@allow("expert")
def agree(request_id: int):
    """Record the moment agreed with the teacher, and where or how."""
    row, viewer = _request_or_404(request_id)
    _only(viewer, "taker")
    form = AgreeForm()
    again = lambda status=200, **kw: _render_detail(  # noqa: E731
        row, viewer, status, agree_form=form, privacy_for="agree", **kw
    )
    state, findings = _privacy(form, AGREE_FIELDS)
    if state == FIXED:
        return again(findings=findings, warn_on_post=bool(findings))
    moment = planned_moment(form) if form.validate_on_submit() else None
    if moment is not None:
        if moment < clock.now() - timedelta(hours=1):
            form.day.errors = [*form.day.errors, "Kies een moment dat nog moet komen."]
            moment = None
        elif moment > clock.now() + timedelta(days=366):
            form.day.errors = [*form.day.errors, "Kies een moment binnen een jaar."]
            moment = None
    if moment is None:
        return again(400)
    if state == WARN:
        return again(findings=findings, warn_on_post=True)
    try:
        done = data.agree(
            get_db(), request_id, current_user.id, clock.local_stamp(moment), form.note.data
        )
    except data.SupportError as exc:
        return again(exc.status, errors=[str(exc)])
    if not done:
        _not_any_more()
        return redirect(url_for("support.detail", request_id=request_id))
    log_override(findings, f"support:{request_id}")
    audit("support_agreed", f"support:{request_id}")
    flash("De afspraak is genoteerd. De leerkracht krijgt een melding.")
    return redirect(url_for("support.detail", request_id=request_id))


@bp.route("/<id:request_id>/uitkomst", methods=["POST"])
@allow("expert")
def outcome(request_id: int):
    """Afterwards: what was seen, what to try, the follow-up. The request is then done."""
    row, viewer = _request_or_404(request_id)
    _only(viewer, "taker")
    form = OutcomeForm()
    again = lambda status=200, **kw: _render_detail(  # noqa: E731
        row, viewer, status, outcome_form=form, **kw
    )
    state, findings = _privacy(form, OUTCOME_FIELDS)
    if state == FIXED:
        return again(findings=findings, warn_on_post=bool(findings))
    if not form.validate_on_submit():
        return again(400)
    if state == WARN:
        return again(findings=findings, warn_on_post=True)
    try:
        done = data.record_outcome(
            get_db(),
            request_id,
            current_user.id,
            form.seen.data,
            form.to_try.data,
            form.follow_up.data,
        )
    except data.SupportError as exc:
        return again(exc.status, errors=[str(exc)])
    if not done:
        _not_any_more()
        return redirect(url_for("support.detail", request_id=request_id))
    log_override(findings, f"support:{request_id}")
    audit("support_outcome", f"support:{request_id}")
    flash("De uitkomst is opgeslagen. De leerkracht kan haar nu lezen.")
    return redirect(url_for("support.detail", request_id=request_id))


@bp.route("/<id:request_id>/bij-vraag", methods=["POST"])
@allow(*COLLEAGUES)
def add_to_question(request_id: int):
    """ "Zet dit bij mijn vraag": the outcome becomes the expert's answer to her question."""
    row, viewer = _request_or_404(request_id)
    _only(viewer, "requester")
    EmptyForm()
    try:
        answer_id = data.add_to_question(get_db(), request_id, current_user.id)
    except data.SupportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("support.detail", request_id=request_id))
    audit("support_added_to_question", f"support:{request_id}", f"answer:{answer_id}")
    flash(
        "De uitkomst staat nu als antwoord bij je vraag. Hielp het je het meest? "
        "Kies het dan als meest behulpzaam."
    )
    return redirect(
        url_for("questions.detail", question_id=row["question_id"], _anchor=f"antwoord-{answer_id}")
    )


@bp.route("/<id:request_id>/intrekken", methods=["POST"])
@allow(*COLLEAGUES)
def withdraw(request_id: int):
    _row, viewer = _request_or_404(request_id)
    _only(viewer, "requester")
    EmptyForm()
    if data.withdraw(get_db(), request_id, current_user.id):
        audit("support_withdrawn", f"support:{request_id}")
        flash("Je vraag om ondersteuning is ingetrokken.")
    else:
        _not_any_more()
    return redirect(url_for("support.detail", request_id=request_id))


@bp.route("/<id:request_id>/naam", methods=["POST"])
@allow(*COLLEAGUES)
def show_name(request_id: int):
    """She shows her name and school to the experts (or hides them again)."""
    _row, viewer = _request_or_404(request_id)
    _only(viewer, "requester")
    EmptyForm()
    show = request.form.get("show") == "1"
    if data.set_show_name(get_db(), request_id, current_user.id, show):
        audit("support_name_shown" if show else "support_name_hidden", f"support:{request_id}")
        flash(
            "De experts zien nu je naam en school."
            if show
            else "De experts zien je naam en school niet meer."
        )
    return redirect(url_for("support.detail", request_id=request_id))
