"""Leerkrachtkringen: start a circle, plan meetings, bring in cases, record, share a lesson.

Who may see which circle is decided in data.access (see data.py's docstring): the members
and the facilitator see everything of their circle; organisers (the coordinator, the
starter, the facilitator) manage members and meetings; everyone else gets a 404.
"""

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from .. import clock
from ..db import get_db, get_index, transaction
from ..questions.cases import CaseError
from ..web.access import COLLEAGUES, STAFF, allow
from ..web.audit import audit
from ..web.forms import EmptyForm
from ..web.guard import FIXED, WARN, log_override, privacy_step
from ..web.render import page_or_fragment
from . import bp, data, methods, notices, publish
from .forms import (
    CaseForm,
    CircleForm,
    LessonForm,
    MeetingForm,
    MethodChoiceForm,
    PublishCaseForm,
    PublishDossierForm,
    StepForm,
)

STARTERS = ("expert", "coordinator")
PUBLISH_PRIVACY = (
    "Wat je deelt met de regio mag niemand herkenbaar maken. Vervang eerst wat de "
    "privacycontrole vond."
)


# ---- access -------------------------------------------------------------------------------


def _circle(circle_id: int, need: str = "any") -> tuple[dict, data.Access]:
    """The circle and what she may do with it; 404 when she is not part of it at all."""
    db = get_db()
    circle = data.get_circle(db, circle_id)
    if circle is None:
        abort(404)
    may = data.access(db, circle, current_user)
    if not may.any:
        abort(404)  # outside the circle: it does not exist for her
    allowed = {
        "any": True,
        "inside": may.inside,
        "member": may.member,
        "organiser": may.organiser,
        "facilitator": may.facilitator,
    }[need]
    if not allowed:
        abort(403)
    return circle, may


def _meeting(circle_id: int, meeting_id: int) -> dict:
    meeting = data.get_meeting(get_db(), circle_id, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _guard(form, names: list[str], subject: str, anyway: bool = True):
    """The privacy guard around a POST (web/guard.py): (go ahead?, findings, warn?).

    ``anyway``: text that stays inside the circle may be posted despite a warning; what
    goes to the region must be clean.
    """
    state, findings = privacy_step(form, names, anyway=anyway)
    if state is None:
        log_override(findings, subject)
    return state is None, findings, state == WARN or (state == FIXED and bool(findings))


# ---- methods ------------------------------------------------------------------------------


@bp.route("/methoden")
@allow(*STAFF)
def method_list():
    return render_template("circles/methods.html", methods=methods.load_all().values())


@bp.route("/methoden/<slug>")
@allow(*STAFF)
def method(slug: str):
    found = methods.get(slug)
    if found is None:
        abort(404)
    return render_template("circles/method.html", method=found)


# ---- circles ------------------------------------------------------------------------------


@bp.route("")
@allow(*STAFF)
def index():
    """My circles; the coordinator sees every circle of the region (not what is said in it)."""
    db = get_db()
    mine = data.circles_of(db, current_user.id)
    region = data.all_circles(db) if current_user.role == "coordinator" else []
    return render_template(
        "circles/index.html",
        mine=mine,
        region=[c for c in region if c["id"] not in {m["id"] for m in mine}],
        may_start=current_user.role in STARTERS,
    )


def _circle_form(circle: dict | None = None, members: list[int] | None = None) -> CircleForm:
    db = get_db()
    if request.method == "POST":
        form = CircleForm()
    elif circle:
        form = CircleForm(
            data={
                "name": circle["name"],
                "cluster": circle["cluster"] or "",
                "theme": circle["theme"],
                "facilitator": circle["facilitator_id"] or 0,
                "members": members or [],
                "mode": circle["mode"],
                "place": circle["place"],
            }
        )
    else:
        own = current_user.id if current_user.role == "expert" else 0
        form = CircleForm(data={"facilitator": own, "mode": "fysiek"})
    people = data.candidates(db)
    form.facilitator.choices = [(0, "Kies …")] + [
        (
            p["id"],
            f"{p['name']}{' (expert)' if p['role'] == 'expert' else ''}"
            f"{', ' + p['school'] if p['school'] else ''}",
        )
        for p in people
    ]
    form.members.choices = [(p["id"], p["name"]) for p in people]
    form.people = people
    return form


def _groups(people: list[dict]) -> list[tuple[str, list[dict]]]:
    """Candidates per school, for the member checkboxes."""
    out: dict[str, list[dict]] = {}
    for p in people:
        out.setdefault(p["school"] or "Zonder school", []).append(p)
    return list(out.items())


def _render_circle_form(form, circle=None, status=200, findings=None, warn=False):
    return (
        render_template(
            "circles/edit.html",
            form=form,
            circle=circle,
            groups=_groups(form.people),
            chosen=set(form.members.data or []),
            findings=findings or [],
            warn_on_post=warn,
        ),
        status,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@allow(*STARTERS)
def new():
    """A coordinator or expert starts a circle: who, about what, where."""
    form = _circle_form()
    if request.method == "POST":
        go, findings, warn = _guard(form, ["name", "theme"], "circle:new")
        if go:
            circle_id = data.create_circle(
                get_db(), current_user.id, sorted(set(form.members.data)), **_circle_fields(form)
            )
            audit("circle_created", subject=f"circle:{circle_id}")
            flash("De kring is gestart. Plan nu de eerste bijeenkomst.")
            return redirect(url_for("circles.plan", circle_id=circle_id))
        return _render_circle_form(form, None, 400 if form.errors else 200, findings, warn)
    return _render_circle_form(form)


def _circle_fields(form: CircleForm) -> dict:
    return {
        "name": form.name.data,
        "cluster": form.cluster.data,
        "theme": form.theme.data,
        "facilitator_id": form.facilitator.data,
        "mode": form.mode.data,
        "place": form.place.data,
    }


@bp.route("/<id:circle_id>/bewerken", methods=["GET", "POST"])
@allow(*STAFF)
def edit(circle_id: int):
    """Change the circle: its name, theme, facilitator, members and place."""
    circle, _ = _circle(circle_id, "organiser")
    db = get_db()
    form = _circle_form(circle, [m["id"] for m in data.members(db, circle_id)])
    if request.method == "POST":
        go, findings, warn = _guard(form, ["name", "theme"], f"circle:{circle_id}")
        if go:
            data.update_circle(
                db, circle_id, sorted(set(form.members.data)), **_circle_fields(form)
            )
            audit("circle_changed", subject=f"circle:{circle_id}")
            flash("De kring is bijgewerkt.")
            return redirect(url_for("circles.circle", circle_id=circle_id))
        return _render_circle_form(form, circle, 400 if form.errors else 200, findings, warn)
    return _render_circle_form(form, circle)


def _render_circle(circle, may, lesson_form=None, status=200, findings=None, warn=False):
    db = get_db()
    meetings = data.meetings(db, circle["id"])
    now = clock.local_stamp(clock.now())
    upcoming = [m for m in meetings if m["starts_at"] >= now]
    all_cases = data.cases(db, circle["id"]) if may.inside else []
    by_meeting: dict[int, list[dict]] = {}
    for case in all_cases:
        by_meeting.setdefault(case["meeting_id"], []).append(case)
    lessons = data.lessons(db, circle["id"])
    if not may.inside:  # organisers outside the circle see only what it shared
        lessons = [lesson for lesson in lessons if lesson["published_at"]]
    if lesson_form is None:
        lesson_form = _lesson_form(all_cases, posted=False)
        if request.args.get("casus", "").isdigit():
            lesson_form.case.data = request.args["casus"]
    return (
        render_template(
            "circles/circle.html",
            circle=circle,
            may=may,
            members=data.members(db, circle["id"]),
            next_meeting=next((m for m in upcoming if not m["cancelled_at"]), None),
            upcoming=upcoming,
            past=[m for m in meetings if m["starts_at"] < now][::-1],
            cases=by_meeting,
            lessons=lessons,
            lesson_form=lesson_form,
            cancel_form=EmptyForm(),
            methods=methods.load_all(),
            MODES=data.MODES,
            today=now[:10],
            findings=findings or [],
            warn_on_post=warn,
        ),
        status,
    )


@bp.route("/<id:circle_id>")
@allow(*STAFF)
def circle(circle_id: int):
    """The circle's page: next meeting, agenda, the cases brought in, what it learned."""
    return _render_circle(*_circle(circle_id))


# ---- meetings -----------------------------------------------------------------------------


def _meeting_form(meeting: dict | None = None) -> MeetingForm:
    if request.method == "POST":
        form = MeetingForm()
    elif meeting:
        start = clock.local(meeting["starts_at"])
        form = MeetingForm(
            data={
                "day": start.strftime("%Y-%m-%d"),
                "time": start.strftime("%H:%M"),
                "minutes": meeting["minutes"],
                "method": meeting["method"] or "",
                "place": meeting["place"],
                "agenda": meeting["agenda"],
            }
        )
    else:
        form = MeetingForm(data={"minutes": 90, "method": "incidentmethode"})
    form.method.choices = [("", "Kies …"), *methods.choices()]
    form.before = meeting["starts_at"] if meeting else None
    return form


def _render_meeting_form(circle, form, meeting=None, status=200, findings=None, warn=False):
    return (
        render_template(
            "circles/meeting_form.html",
            circle=circle,
            meeting=meeting,
            form=form,
            findings=findings or [],
            warn_on_post=warn,
        ),
        status,
    )


def _meeting_fields(form: MeetingForm) -> tuple:
    return (
        form.starts_at,
        form.minutes.data,
        form.place.data or "",
        form.agenda.data or "",
        form.method.data,
    )


@bp.route("/<id:circle_id>/bijeenkomsten/nieuw", methods=["GET", "POST"])
@allow(*STAFF)
def plan(circle_id: int):
    """Plan a meeting; everyone in the circle hears of it, with the agenda item."""
    circle, _ = _circle(circle_id, "organiser")
    form = _meeting_form()
    if request.method == "GET":
        return _render_meeting_form(circle, form)
    go, findings, warn = _guard(form, ["agenda"], f"circle:{circle_id}")
    if not go:
        return _render_meeting_form(circle, form, None, 400 if form.errors else 200, findings, warn)
    db = get_db()
    with transaction(db.conn):
        meeting_id = data.create_meeting(db, circle_id, *_meeting_fields(form))
        notices.tell(db, circle, data.get_meeting(db, circle_id, meeting_id), "planned")
    audit("circle_meeting_planned", subject=f"meeting:{meeting_id}")
    flash("De bijeenkomst is gepland. De leden krijgen een melding met een agenda-item.")
    return redirect(
        url_for("circles.circle", circle_id=circle_id, _anchor=f"bijeenkomst-{meeting_id}")
    )


@bp.route("/<id:circle_id>/bijeenkomsten/<id:meeting_id>/bewerken", methods=["GET", "POST"])
@allow(*STAFF)
def change(circle_id: int, meeting_id: int):
    """Move or change a meeting; the members' agenda item follows (a higher SEQUENCE)."""
    circle, _ = _circle(circle_id, "organiser")
    meeting = _meeting(circle_id, meeting_id)
    if meeting["cancelled_at"]:
        flash("Deze bijeenkomst gaat niet door. Plan een nieuwe.", "error")
        return redirect(url_for("circles.circle", circle_id=circle_id))
    form = _meeting_form(meeting)
    if request.method == "GET":
        return _render_meeting_form(circle, form, meeting)
    go, findings, warn = _guard(form, ["agenda"], f"circle:{circle_id}")
    if not go:
        status = 400 if form.errors else 200
        return _render_meeting_form(circle, form, meeting, status, findings, warn)
    db = get_db()
    with transaction(db.conn):
        changed = data.update_meeting(db, meeting_id, *_meeting_fields(form))
        if changed:
            notices.tell(db, circle, data.get_meeting(db, circle_id, meeting_id), "changed")
    flash(
        "De bijeenkomst is gewijzigd. De leden krijgen een melding met het nieuwe agenda-item."
        if changed
        else "Er was niets veranderd."
    )
    return redirect(
        url_for("circles.circle", circle_id=circle_id, _anchor=f"bijeenkomst-{meeting_id}")
    )


@bp.route("/<id:circle_id>/bijeenkomsten/<id:meeting_id>/afzeggen", methods=["POST"])
@allow(*STAFF)
def cancel(circle_id: int, meeting_id: int):
    """Cancel a meeting: members hear of it, and their agenda item is cancelled too."""
    circle, _ = _circle(circle_id, "organiser")
    _meeting(circle_id, meeting_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db = get_db()
    with transaction(db.conn):
        cancelled = data.cancel_meeting(db, meeting_id)
        if cancelled:
            notices.tell(db, circle, data.get_meeting(db, circle_id, meeting_id), "cancelled")
    if cancelled:
        audit("circle_meeting_cancelled", subject=f"meeting:{meeting_id}")
    flash(
        "De bijeenkomst gaat niet door. De leden krijgen een melding."
        if cancelled
        else "Deze bijeenkomst was al afgezegd."
    )
    return redirect(
        url_for("circles.circle", circle_id=circle_id, _anchor=f"bijeenkomst-{meeting_id}")
    )


@bp.route("/<id:circle_id>/bijeenkomsten/<id:meeting_id>.ics")
@allow(*COLLEAGUES)
def calendar(circle_id: int, meeting_id: int):
    """The meeting for her own agenda (members and facilitator only)."""
    circle, _ = _circle(circle_id, "inside")
    meeting = _meeting(circle_id, meeting_id)
    response = make_response(notices.calendar_text(circle, meeting))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="bijeenkomst-{meeting_id}.ics"'
    return response


# ---- cases --------------------------------------------------------------------------------


def _case_form(questions: list[dict]) -> CaseForm:
    form = CaseForm()
    form.question.choices = [("", "Nee, ik beschrijf een nieuwe casus")] + [
        (str(q["id"]), q["title"]) for q in questions
    ]
    return form


@bp.route("/<id:circle_id>/bijeenkomsten/<id:meeting_id>/casus", methods=["GET", "POST"])
@allow(*COLLEAGUES)
def bring(circle_id: int, meeting_id: int):
    """A member brings in a case for a meeting: one of her questions, or a new one."""
    circle, _ = _circle(circle_id, "member")
    meeting = _meeting(circle_id, meeting_id)
    db = get_db()
    if meeting["cancelled_at"] or meeting["starts_at"][:10] < clock.local_stamp(clock.now())[:10]:
        flash("Bij deze bijeenkomst kun je geen casus meer inbrengen.", "error")
        return redirect(url_for("circles.circle", circle_id=circle_id))
    questions = data.own_questions(db, current_user.id)
    form = _case_form(questions)
    findings, warn = [], False
    if request.method == "POST":
        chosen = next((q for q in questions if str(q["id"]) == form.question.data), None)
        if chosen and not (form.title.data or "").strip():
            # Her question's own words come along; she sees them and may shorten them.
            form.title.data = chosen["title"]
            form.summary.data = form.summary.data or chosen["body"][:2000]
        go, findings, warn = _guard(form, ["title", "summary"], f"circle:{circle_id}")
        if go:
            case_id = data.add_case(
                db,
                meeting_id,
                current_user.id,
                meeting["method"] or "incidentmethode",
                form.title.data,
                form.summary.data or "",
                chosen["id"] if chosen else None,
            )
            flash("Je casus staat bij de bijeenkomst. De begeleider ziet hem.")
            return redirect(url_for("circles.case", circle_id=circle_id, case_id=case_id))
    return (
        render_template(
            "circles/bring.html",
            circle=circle,
            meeting=meeting,
            form=form,
            questions=questions,
            findings=findings,
            warn_on_post=warn,
            method=methods.get(meeting["method"]),
        ),
        400 if form.errors else 200,
    )


def _current_step(method, case: dict, wanted: str | None):
    if method is None:
        return None
    if wanted and method.step(wanted):
        return method.step(wanted)
    return next((s for s in method.steps if not case["steps"].get(s.key)), method.steps[-1])


def _step_ids(form: StepForm, key: str) -> None:
    """An id per step: htmx settles the attributes of elements whose id stays the same
    across a swap, and the next step's form is another form, not this one changed."""
    form.text.id = form.text.label.field_id = f"text-{key}"


def _render_case(circle, may, case, step_key=None, form=None, status=200, **extra):
    method = methods.get(case["method"])
    step = _current_step(method, case, step_key)
    if form is None and step is not None:
        form = StepForm(formdata=None, data={"text": case["steps"].get(step.key, "")})
    if form is not None and step is not None:
        _step_ids(form, step.key)
    method_form = MethodChoiceForm(formdata=None, data={"method": case["method"]})
    method_form.method.choices = methods.choices()
    filled = [s.key for s in method.steps if case["steps"].get(s.key)] if method else []
    return page_or_fragment(
        "circles/case.html",
        "recorder",
        status,
        circle=circle,
        may=may,
        case=case,
        method=method,
        step=step,
        form=form,
        method_form=method_form,
        filled=filled,
        findings=extra.pop("findings", []),
        warn_on_post=extra.pop("warn_on_post", False),
        **extra,
    )


def _case(circle_id: int, case_id: int) -> dict:
    case = data.get_case(get_db(), circle_id, case_id)
    if case is None:
        abort(404)
    return case


@bp.route("/<id:circle_id>/casussen/<id:case_id>")
@allow(*COLLEAGUES)
def case(circle_id: int, case_id: int):
    """A case brought in: what the facilitator recorded, step by step."""
    circle, may = _circle(circle_id, "inside")
    return _render_case(circle, may, _case(circle_id, case_id), request.args.get("stap"))


@bp.route("/<id:circle_id>/casussen/<id:case_id>/stappen/<key>", methods=["POST"])
@allow(*COLLEAGUES)
def record(circle_id: int, case_id: int, key: str):
    """The facilitator saves one step; then the next step's form comes up."""
    circle, may = _circle(circle_id, "facilitator")
    case = _case(circle_id, case_id)
    method = methods.get(case["method"])
    step = method.step(key) if method else None
    if step is None:
        abort(404)
    form = StepForm()
    go, findings, warn = _guard(form, ["text"], f"circle_case:{case_id}")
    if not go:
        # htmx swaps only 2xx answers: the fragment with the errors comes back as 200.
        status = 400 if form.errors and not request.headers.get("HX-Request") else 200
        return _render_case(
            circle, may, case, key, form, status, findings=findings, warn_on_post=warn
        )
    db = get_db()
    data.save_step(db, case_id, key, form.text.data or "")
    case = _case(circle_id, case_id)
    keys = method.keys
    following = keys[keys.index(key) + 1] if keys.index(key) + 1 < len(keys) else key
    message = f"Opgeslagen: {step.title}" + ("" if step.title[-1] in ".?!" else ".")
    if request.headers.get("HX-Request"):
        # In place: the next step's form replaces this one, the page keeps its place.
        return _render_case(circle, may, case, following, saved=message)
    flash(message)
    return redirect(
        url_for(
            "circles.case",
            circle_id=circle_id,
            case_id=case_id,
            stap=following,
            _anchor="vastleggen",
        )
    )


@bp.route("/<id:circle_id>/casussen/<id:case_id>/methode", methods=["POST"])
@allow(*COLLEAGUES)
def case_method(circle_id: int, case_id: int):
    """Another method for this case, while nothing is recorded yet."""
    _circle(circle_id, "facilitator")
    case = _case(circle_id, case_id)
    form = MethodChoiceForm()
    form.method.choices = methods.choices()
    if not form.validate_on_submit():
        flash("Kies een van de methoden.", "error")
    elif data.set_case_method(get_db(), case_id, form.method.data):
        flash(f"Deze casus volgt nu de {methods.get(form.method.data).title.lower()}.")
    elif form.method.data != case["method"]:
        flash("Er is al een stap vastgelegd: de methode blijft zoals hij is.", "error")
    return redirect(url_for("circles.case", circle_id=circle_id, case_id=case_id))


# ---- what the circle learned --------------------------------------------------------------


def _lesson_form(all_cases: list[dict], posted: bool = True) -> LessonForm:
    form = LessonForm() if posted else LessonForm(formdata=None)
    form.case.choices = [("", "Geen casus: iets voor de hele kring")] + [
        (str(c["id"]), c["title"]) for c in all_cases
    ]
    return form


@bp.route("/<id:circle_id>/geleerd", methods=["POST"])
@allow(*COLLEAGUES)
def learn(circle_id: int):
    """Write down what the circle learned; it stays in the circle until it is shared."""
    circle, may = _circle(circle_id, "inside")
    db = get_db()
    all_cases = data.cases(db, circle_id)
    form = _lesson_form(all_cases)
    go, findings, warn = _guard(form, ["body"], f"circle:{circle_id}")
    if not go:
        return _render_circle(circle, may, form, 400 if form.errors else 200, findings, warn)
    case = next((c for c in all_cases if str(c["id"]) == form.case.data), None)
    data.add_lesson(
        db,
        circle_id,
        current_user.id,
        form.body.data,
        meeting_id=case["meeting_id"] if case else None,
        case_id=case["id"] if case else None,
    )
    flash("Opgeschreven bij wat de kring leerde. Het blijft in de kring.")
    return redirect(url_for("circles.circle", circle_id=circle_id, _anchor="geleerd"))


def _lesson(circle_id: int, lesson_id: int) -> dict:
    lesson = data.get_lesson(get_db(), circle_id, lesson_id)
    if lesson is None:
        abort(404)
    return lesson


def _publish_forms(circle, lesson, case_form=None, dossier_form=None):
    db = get_db()
    case = data.get_case(db, circle["id"], lesson["case_id"]) if lesson["case_id"] else None
    if case_form is None:
        start = publish.default_case_text(case)
        case_form = PublishCaseForm(
            formdata=None,
            data={
                "cluster": circle["cluster"] or "overig",
                "title": start["title"],
                "body": start["body"],
                "answer": lesson["body"],
            },
        )
    if dossier_form is None:
        dossier_form = PublishDossierForm(formdata=None, data={"text": lesson["body"]})
    groups = publish.section_choices(db.conn, current_app.config["DOSSIER_DIR"])
    dossier_form.target.choices = [("", "Kies …")] + [v for _, options in groups for v in options]
    return case_form, dossier_form, groups


def _render_publish(circle, lesson, case_form=None, dossier_form=None, status=200, **extra):
    case_form, dossier_form, groups = _publish_forms(circle, lesson, case_form, dossier_form)
    return (
        render_template(
            "circles/publish.html",
            circle=circle,
            lesson=lesson,
            case_form=case_form,
            dossier_form=dossier_form,
            groups=groups,
            chosen=extra.pop("chosen", None),
            findings=extra.pop("findings", []),
            errors=extra.pop("errors", []),
            **extra,
        ),
        status,
    )


@bp.route("/<id:circle_id>/geleerd/<id:lesson_id>/delen")
@allow(*COLLEAGUES)
def share(circle_id: int, lesson_id: int):
    """The facilitator shares a lesson with the region, de-identified."""
    circle, _ = _circle(circle_id, "facilitator")
    return _render_publish(circle, _lesson(circle_id, lesson_id), chosen=request.args.get("als"))


def _publish_guard(form, names, subject):
    """Nothing identifying may reach the region: no 'post anyway' here."""
    go, findings, _ = _guard(form, names, subject, anyway=False)
    errors = [PUBLISH_PRIVACY] if findings else []
    return go, findings, errors


def _unpublished_lesson(circle_id: int, lesson_id: int) -> tuple[dict, dict | None]:
    """The circle (for its facilitator only) and the lesson, None once it was shared."""
    circle, _ = _circle(circle_id, "facilitator")
    lesson = _lesson(circle_id, lesson_id)
    return circle, (None if lesson["published_at"] else lesson)


@bp.route("/<id:circle_id>/geleerd/<id:lesson_id>/delen/casus", methods=["POST"])
@allow(*COLLEAGUES)
def share_case(circle_id: int, lesson_id: int):
    circle, lesson = _unpublished_lesson(circle_id, lesson_id)
    if lesson is None:
        flash("Dit is al gedeeld met de regio.", "error")
        return redirect(url_for("circles.circle", circle_id=circle_id, _anchor="geleerd"))
    form = PublishCaseForm()
    go, findings, errors = _publish_guard(form, ["title", "body", "answer"], f"lesson:{lesson_id}")
    if go:
        try:
            question_id = publish.as_case(
                get_db(),
                get_index(),
                circle,
                lesson,
                current_user.id,
                form.cluster.data,
                form.title.data,
                form.body.data,
                form.answer.data,
            )
        except (publish.PublishError, CaseError) as exc:
            errors = [str(exc)]
        else:
            audit(
                "circle_lesson_published",
                subject=f"lesson:{lesson_id}",
                detail=f"question:{question_id}",
            )
            flash("Gedeeld met de regio: het staat nu bij de opgeloste casussen.")
            return redirect(url_for("questions.detail", question_id=question_id))
    return _render_publish(
        circle, lesson, case_form=form, status=400, chosen="casus", findings=findings, errors=errors
    )


@bp.route("/<id:circle_id>/geleerd/<id:lesson_id>/delen/dossier", methods=["POST"])
@allow(*COLLEAGUES)
def share_dossier(circle_id: int, lesson_id: int):
    circle, lesson = _unpublished_lesson(circle_id, lesson_id)
    if lesson is None:
        flash("Dit is al gedeeld met de regio.", "error")
        return redirect(url_for("circles.circle", circle_id=circle_id, _anchor="geleerd"))
    form = PublishDossierForm()
    _publish_forms(circle, lesson, dossier_form=form)  # the choices, before validating
    go, findings, errors = _publish_guard(form, ["text"], f"lesson:{lesson_id}")
    if go:
        try:
            version_id = publish.as_dossier(
                get_db(),
                current_app.config["DOSSIER_DIR"],
                circle,
                lesson,
                current_user.id,
                form.target.data,
                form.text.data,
            )
        except publish.PublishError as exc:
            errors = [str(exc)]
        else:
            audit(
                "circle_lesson_published",
                subject=f"lesson:{lesson_id}",
                detail=f"dossier_version:{version_id}",
            )
            flash("Voorgesteld voor de kennisbank. De coördinator beoordeelt het voorstel.")
            return redirect(url_for("circles.circle", circle_id=circle_id, _anchor="geleerd"))
    return _render_publish(
        circle,
        lesson,
        dossier_form=form,
        status=400,
        chosen="dossier",
        findings=findings,
        errors=errors,
    )
