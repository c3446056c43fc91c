"""The region's questions: open questions, resolved cases, answering, the most helpful answer."""

import uuid

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

import privacy
from index import ranking

from ..accounts.forms import RevealForm
from ..accounts.users import colleagues, school_names
from ..db import get_db, get_index
from ..kennisbank.store import dossier_for_cluster
from ..notifications import routing
from ..web.access import COLLEAGUES, EVERYONE, STAFF, allow, is_colleague
from ..web.audit import audit
from ..web.forms import EmptyForm
from ..web.guard import FIXED, INVALID, WARN, log_override, posted_fix_action, privacy_step
from . import bp, cases, drafts
from .forms import AdditionForm, AnswerForm, EditQuestionForm

PAGE = 30


def _page() -> int:
    page = request.args.get("pagina", "1")
    return max(1, min(int(page), 10_000)) if page.isdigit() else 1


def _listing(status: str, template: str):
    db = get_db()
    cluster = request.args.get("cluster")
    cluster = cluster if cluster in cases.CLUSTERS else None
    page = _page()
    items = [
        cases.hide_asker(q, current_user.id)
        for q in cases.list_questions(db, status, cluster, limit=PAGE, offset=(page - 1) * PAGE)
    ]
    total = cases.count_questions(db, status, cluster)
    return render_template(
        template,
        items=items,
        cluster=cluster,
        page=page,
        pages=max(1, -(-total // PAGE)),
        total=total,
    )


@bp.route("/vragen")
@allow(*STAFF)
def open_list():
    """Open questions in the region, unanswered first."""
    return _listing("open", "questions/open.html")


@bp.route("/casussen")
@allow(*EVERYONE)
def resolved_list():
    """Resolved cases: questions with the answer that helped most; searchable by anyone.

    Parents get the same search, and read the results scrubbed, as every case.
    """
    query = " ".join(request.args.get("zoek", "").split())[: cases.LIMITS["body"][1]]
    if not query:
        return _listing("resolved", "questions/resolved.html")
    db = get_db()
    cluster = request.args.get("cluster")
    cluster = cluster if cluster in cases.CLUSTERS else None
    hits = get_index().search(db.conn, ranking.live_query(query)[0], k=30, kind="case")
    found = cases.by_ids(db, [int(h.target) for h in hits if h.target.isdigit()])
    items = [
        cases.hide_asker(q, current_user.id)
        for q in found
        if not cluster or q["cluster"] == cluster
    ]
    return render_template(
        "questions/resolved.html", items=items, cluster=cluster, page=1, pages=1,
        total=len(items), query=query,
    )  # fmt: skip


@bp.route("/mijn-vragen")
@allow(*COLLEAGUES)
def mine():
    """Her own questions in one place: drafts, waiting, answered, resolved."""
    db = get_db()
    own = cases.by_author(db, current_user.id)
    groups = {
        "waiting": [q for q in own if q["status"] == "open" and not q["answer_count"]],
        "answered": [q for q in own if q["status"] == "open" and q["answer_count"]],
        "resolved": [q for q in own if q["status"] == "resolved"],
    }
    response = make_response(
        render_template(
            "questions/mine.html", groups=groups, drafts=drafts.for_user(db, current_user.id)
        )
    )
    response.headers["X-Offline"] = "bewaar"  # her own questions: kept for offline reading
    return response


def _question_or_404(question_id: int) -> dict:
    question = cases.get_question(get_db(), question_id)
    if question is None:
        abort(404)
    # Parents read resolved cases only; open questions are between colleagues.
    if current_user.role == "parent" and question["status"] != "resolved":
        abort(404)
    return question


def _render_detail(question: dict, form=None, status: int = 200, **extra):
    db = get_db()
    is_asker = current_user.id == question["author_id"]
    answers = cases.get_answers(db, question["id"])
    if question["best_answer_id"]:
        answers.sort(key=lambda a: a["id"] != question["best_answer_id"])
    key = f"{'addition' if is_asker else 'answer'}:{question['id']}"
    if form is None:
        draft = drafts.get(db, current_user.id, key) if is_colleague() else None
        form = (AdditionForm if is_asker else AnswerForm)(data=draft or None)
        extra.setdefault("draft", draft)
    revealed = extra.pop("revealed", None)
    shown = cases.hide_asker(question, current_user.id)
    return (
        render_template(
            "questions/detail.html",
            question=shown,
            additions=cases.get_additions(db, question["id"]),
            answers=answers,
            form=form,
            form_key=uuid.uuid4().hex,
            mark_form=EmptyForm(),
            is_asker=is_asker,
            can_edit=cases.can_edit(question, current_user),
            reveal_form=extra.pop("reveal_form", None) or RevealForm(formdata=None),
            revealed=revealed,
            findings=extra.pop("findings", []),
            dossier=dossier_for_cluster(
                db.conn, current_app.config["DOSSIER_DIR"], question["cluster"]
            ),
            followers=routing.follower_count(db, question["id"]),
            following=routing.is_following(db, question["id"], current_user.id),
            colleagues=_colleagues(question),
            may_close=_may_close(question, answers),
            warn_on_post=extra.pop("warn_on_post", False),
            **extra,
        ),
        status,
    )


@bp.route("/vragen/<id:question_id>")
@allow(*EVERYONE)
def detail(question_id: int):
    question = _question_or_404(question_id)
    body, status = _render_detail(question)
    response = make_response(body, status)
    if question["author_id"] == current_user.id:
        response.headers["X-Offline"] = "bewaar"  # her own question, never someone else's
    return response


def _privacy_step(question: dict, form, field: str, audit_subject: str):
    """The privacy guard before a post: a fix, a warning, or (None) go ahead.

    Returns a response to send back instead of posting, or None.
    """
    state, findings = privacy_step(form, ["body"])
    if state == FIXED:
        return _render_detail(question, form, findings=findings, warn_on_post=bool(findings))
    if state == INVALID:
        return _render_detail(question, form, 400)
    if state == WARN:
        return _render_detail(question, form, findings=findings, warn_on_post=True)
    log_override(findings, audit_subject)
    return None


@bp.route("/vragen/<id:question_id>/antwoord", methods=["POST"])
@allow(*COLLEAGUES)
def answer(question_id: int):
    question = _question_or_404(question_id)
    db = get_db()
    form = AnswerForm()
    if question["author_id"] == current_user.id:
        abort(403)  # her own question: she adds to it (see `addition`)
    drafts.save(db, current_user.id, f"answer:{question_id}", form.data)
    earlier = cases.posted_before(db, request.form.get("form_key"), current_user.id)
    if earlier:
        flash("Dit antwoord was al geplaatst; het staat er één keer.")
        return redirect(earlier)
    stop = _privacy_step(question, form, "body", f"question:{question_id}")
    if stop is not None:
        return stop
    try:
        answer_id = cases.add_answer(
            db,
            question_id,
            current_user.id,
            form.kind.data,
            form.body.data,
            request.form.get("form_key"),
        )
    except cases.CaseError as exc:
        form.body.errors = [*form.body.errors, str(exc)]
        return _render_detail(question, form, exc.status)
    routing.on_answer(db, question, current_user.id)
    flash("Dank je! Je antwoord staat bij de vraag.")
    return redirect(
        url_for("questions.detail", question_id=question_id, _anchor=f"antwoord-{answer_id}")
    )


@bp.route("/vragen/<id:question_id>/aanvulling", methods=["POST"])
@allow(*COLLEAGUES)
def addition(question_id: int):
    """The asker adds to her own question (it stays her question, not an answer)."""
    question = _question_or_404(question_id)
    if question["author_id"] != current_user.id:
        abort(403)
    db = get_db()
    form = AdditionForm()
    drafts.save(db, current_user.id, f"addition:{question_id}", form.data)
    stop = _privacy_step(question, form, "body", f"question:{question_id}")
    if stop is not None:
        return stop
    try:
        addition_id = cases.add_addition(db, question_id, current_user.id, form.body.data)
    except cases.CaseError as exc:
        form.body.errors = [*form.body.errors, str(exc)]
        return _render_detail(question, form, exc.status)
    flash("Je aanvulling staat onder je vraag.")
    return redirect(
        url_for("questions.detail", question_id=question_id, _anchor=f"aanvulling-{addition_id}")
    )


@bp.route("/vragen/<id:question_id>/meest-behulpzaam", methods=["POST"])
@allow(*COLLEAGUES)
def mark_best(question_id: int):
    question = _question_or_404(question_id)
    EmptyForm()
    answer_id = request.form.get("answer_id", "")
    try:
        if not answer_id.isdigit():
            raise cases.CaseError("Kies een antwoord.", 400)
        cases.mark_best(get_db(), get_index(), question_id, int(answer_id), current_user.id)
    except cases.CaseError as exc:
        flash(str(exc), "error")
        response, _ = _render_detail(question, AnswerForm(), exc.status)
        return response, exc.status
    flash("Dank je! Je vraag is nu een opgeloste casus en helpt de volgende collega.")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/vragen/<id:question_id>/bewerken", methods=["GET", "POST"])
@allow(*STAFF)
def edit(question_id: int):
    """Let the asker (or the coordinator) correct a question; a resolved case is re-indexed."""
    question = _question_or_404(question_id)
    if not cases.can_edit(question, current_user):
        abort(403)
    form = EditQuestionForm(data={"title": question["title"], "body": question["body"]})
    if form.validate_on_submit():
        try:
            cases.update_question(
                get_db(), get_index(), question_id, form.title.data, form.body.data
            )
        except cases.CaseError as exc:
            form.body.errors = [*form.body.errors, str(exc)]
        else:
            flash("De vraag is bijgewerkt.")
            return redirect(url_for("questions.detail", question_id=question_id))
    status = 400 if form.errors else 200
    return render_template("questions/edit.html", question=question, form=form), status


@bp.route("/vragen/<id:question_id>/verwijderen", methods=["GET", "POST"])
@allow("coordinator")
def delete(question_id: int):
    """Moderation: remove a question, its answers and its place in the index."""
    question = _question_or_404(question_id)
    form = EmptyForm()
    if form.validate_on_submit():
        cases.delete_question(get_db(), get_index(), question_id)
        flash("De vraag en de antwoorden zijn verwijderd.")
        return redirect(url_for("questions.open_list"))
    return render_template("questions/delete.html", question=question, form=form)


@bp.route("/vragen/<id:question_id>/wie-vroeg", methods=["POST"])
@allow("coordinator")
def reveal(question_id: int):
    """Show the coordinator who asked an anonymous question; the act is logged with a reason."""
    question = _question_or_404(question_id)
    form = RevealForm()
    if not question["anonymous"]:
        abort(400)
    if not form.validate_on_submit():
        return _render_detail(question, status=400, reveal_form=form)
    reveal_id = cases.record_reveal(get_db(), question_id, current_user.id, form.reason.data)
    # The audit log keeps ids only; the reason is in identity_reveals (docs/PRIVACY.md).
    audit("identity_revealed", subject=f"question:{question_id}", detail=f"reveal:{reveal_id}")
    revealed = {"name": question["author_name"], "school": question["school_name"]}
    return _render_detail(question, revealed=revealed)


def _colleagues(question: dict) -> list[dict]:
    """Everyone she may ask, except herself: the list never depends on who asked."""
    if current_user.role not in ("teacher", "expert") or question["status"] != "open":
        return []
    return colleagues(get_db(), exclude=(current_user.id,))


def _may_close(question: dict, answers: list) -> bool:
    """After both reminders, an expert may choose the best answer on the asker's behalf."""
    return (
        current_user.role == "expert"
        and question["status"] == "open"
        and bool(answers)
        and bool(question.get("reminded_again_at"))
        and current_user.id != question["author_id"]
    )


@bp.route("/vragen/<id:question_id>/volgen", methods=["POST"])
@allow(*STAFF)
def follow(question_id: int):
    """ "Ik wil dit ook weten": follow a question and hear of its answers."""
    _question_or_404(question_id)
    EmptyForm()
    following = routing.toggle_follow(get_db(), question_id, current_user.id)
    flash("Je volgt deze vraag." if following else "Je volgt deze vraag niet meer.")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/vragen/<id:question_id>/uitnodigen", methods=["POST"])
@allow(*COLLEAGUES)
def invite(question_id: int):
    """Ask a specific colleague to answer."""
    question = _question_or_404(question_id)
    EmptyForm()
    user_id = request.form.get("user_id", "")
    valid = {c["id"] for c in _colleagues(question)}
    if not user_id.isdigit() or int(user_id) not in valid:
        flash("Kies een collega uit de lijst.", "error")
        return redirect(url_for("questions.detail", question_id=question_id)), 303
    # Inviting the asker herself is accepted and ignored (the same message either way): the
    # list, and what happens, must not tell who asked an anonymous question.
    if int(user_id) != question["author_id"]:
        routing.invite(get_db(), question, int(user_id))
    flash("Je collega krijgt een melding met het verzoek om te antwoorden.")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/vragen/<id:question_id>/sluiten", methods=["POST"])
@allow("expert")
def close_for_asker(question_id: int):
    """An expert marks the best answer on behalf of an asker who did not, labelled as such."""
    question = _question_or_404(question_id)
    EmptyForm()
    answers = cases.get_answers(get_db(), question_id)
    answer_id = request.form.get("answer_id", "")
    if not _may_close(question, answers) or not answer_id.isdigit():
        abort(403)
    try:
        cases.mark_best(
            get_db(),
            get_index(),
            question_id,
            int(answer_id),
            question["author_id"],
            chosen_by=current_user.id,
        )
    except cases.CaseError as exc:
        abort(exc.status)
    flash("De vraag is gesloten met het gekozen antwoord, gemarkeerd als gekozen door een expert.")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/vragen/<id:question_id>/geholpen", methods=["POST"])
@allow(*COLLEAGUES)
def helped(question_id: int):
    """The asker says whether the most helpful answer really helped; it weighs in ranking."""
    question = _question_or_404(question_id)
    EmptyForm()
    value = request.form.get("helped", "")
    if question["author_id"] != current_user.id or question["status"] != "resolved":
        abort(403)
    if value not in cases.HELPED_BOOST:
        abort(400)
    cases.set_helped(get_db(), get_index(), question_id, value)
    flash("Dank je! Dat helpt de volgende collega kiezen.")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/vragen/onbeantwoord")
@allow("expert", "coordinator")
def unanswered():
    """The experts' queue: escalated questions without an answer, oldest first."""
    items = [cases.hide_asker(q, current_user.id) for q in cases.escalated_unanswered(get_db())]
    return render_template("questions/unanswered.html", items=items)


@bp.route("/vragen/<id:question_id>/antwoord/controle", methods=["POST"])
@allow(*COLLEAGUES)
def check_answer(question_id: int):
    """The privacy panel for an answer being written (htmx, while typing)."""
    question = _question_or_404(question_id)
    db = get_db()
    own = question["author_id"] == current_user.id
    key = f"{'addition' if own else 'answer'}:{question_id}"
    drafts.save(db, current_user.id, key, request.form.to_dict())
    body = request.form.get("body", "")[: cases.LIMITS["answer"][1]]
    findings = privacy.check_fields({"body": body}, school_names(db))
    return render_template(
        "_privacy.html", findings=findings, warn_on_post=False, fix_action=posted_fix_action()
    )
