"""The region's questions: open questions, resolved cases, answering, the most helpful answer."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

import privacy

from ..accounts.forms import RevealForm
from ..accounts.users import colleagues, school_names
from ..db import get_db, get_index
from ..kennisbank.store import dossier_for_cluster
from ..notifications import routing
from ..web.access import COLLEAGUES, EVERYONE, STAFF, allow
from ..web.audit import audit
from ..web.forms import EmptyForm
from . import bp, cases
from .forms import AnswerForm, EditQuestionForm

PAGE = 30


def _page() -> int:
    page = request.args.get("pagina", "1")
    return max(1, min(int(page), 10_000)) if page.isdigit() else 1


def _listing(status: str, template: str):
    db = get_db()
    cluster = request.args.get("cluster")
    cluster = cluster if cluster in cases.CLUSTERS else None
    page = _page()
    items = cases.list_questions(db, status, cluster, limit=PAGE, offset=(page - 1) * PAGE)
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
    """Resolved cases: questions with the answer that helped most."""
    return _listing("resolved", "questions/resolved.html")


def _question_or_404(question_id: int) -> dict:
    question = cases.get_question(get_db(), question_id)
    if question is None:
        abort(404)
    # Parents read resolved cases only; open questions are between colleagues.
    if current_user.role == "parent" and question["status"] != "resolved":
        abort(404)
    return question


def _render_detail(question: dict, form: AnswerForm, status: int = 200, **extra):
    answers = cases.get_answers(get_db(), question["id"])
    if question["best_answer_id"]:
        answers.sort(key=lambda a: a["id"] != question["best_answer_id"])
    return (
        render_template(
            "questions/detail.html",
            question=question,
            answers=answers,
            form=form,
            mark_form=EmptyForm(),
            is_asker=current_user.id == question["author_id"],
            can_edit=cases.can_edit(question, current_user),
            reveal_form=extra.pop("reveal_form", None) or RevealForm(formdata=None),
            findings=extra.pop("findings", []),
            dossier=dossier_for_cluster(
                get_db().conn, current_app.config["DOSSIER_DIR"], question["cluster"]
            ),
            followers=routing.follower_count(get_db(), question["id"]),
            following=routing.is_following(get_db(), question["id"], current_user.id),
            colleagues=_colleagues(question),
            may_close=_may_close(question, answers),
            warn_on_post=extra.pop("warn_on_post", False),
            **extra,
        ),
        status,
    )


@bp.route("/vragen/<int:question_id>")
@allow(*EVERYONE)
def detail(question_id: int):
    return _render_detail(_question_or_404(question_id), AnswerForm())


@bp.route("/vragen/<int:question_id>/antwoord", methods=["POST"])
@allow(*COLLEAGUES)
def answer(question_id: int):
    question = _question_or_404(question_id)
    form = AnswerForm()
    schools = school_names(get_db())
    fix = request.form.get("privacy_fix")
    if fix:
        form.body.data = privacy.apply_fix({"body": form.body.data}, fix, schools)["body"]
        findings = privacy.check_fields({"body": form.body.data}, schools)
        return _render_detail(question, form, findings=findings, warn_on_post=bool(findings))
    if not form.validate_on_submit():
        return _render_detail(question, form, 400)
    findings = privacy.check_fields({"body": form.body.data}, schools)
    if findings and request.form.get("action") != "post_anyway":
        return _render_detail(question, form, findings=findings, warn_on_post=True)
    if findings:
        kinds = ",".join(sorted({ff.finding.kind for ff in findings}))
        audit("privacy_warning_overridden", f"question:{question_id}", kinds)
    try:
        answer_id = cases.add_answer(
            get_db(), question_id, current_user.id, form.kind.data, form.body.data
        )
    except cases.CaseError as exc:
        form.body.errors = [*form.body.errors, str(exc)]
        return _render_detail(question, form, exc.status)
    routing.on_answer(get_db(), question, current_user.id)
    flash("Dank je! Je antwoord staat bij de vraag.")
    return redirect(
        url_for("questions.detail", question_id=question_id, _anchor=f"antwoord-{answer_id}")
    )


@bp.route("/vragen/<int:question_id>/meest-behulpzaam", methods=["POST"])
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


@bp.route("/vragen/<int:question_id>/bewerken", methods=["GET", "POST"])
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


@bp.route("/vragen/<int:question_id>/verwijderen", methods=["GET", "POST"])
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


@bp.route("/vragen/<int:question_id>/wie-vroeg", methods=["POST"])
@allow("coordinator")
def reveal(question_id: int):
    """Show the coordinator who asked an anonymous question; the act is logged with a reason."""
    question = _question_or_404(question_id)
    form = RevealForm()
    if not question["anonymous"]:
        abort(400)
    if not form.validate_on_submit():
        return _render_detail(question, AnswerForm(formdata=None), 400, reveal_form=form)
    audit("identity_revealed", subject=f"question:{question_id}", detail=form.reason.data)
    revealed = {"name": question["author_name"], "school": question["school_name"]}
    return _render_detail(question, AnswerForm(formdata=None), revealed=revealed)


def _colleagues(question: dict) -> list[dict]:
    if current_user.role not in ("teacher", "expert") or question["status"] != "open":
        return []
    return colleagues(get_db(), exclude=(current_user.id, question["author_id"]))


def _may_close(question: dict, answers: list) -> bool:
    """After both reminders, an expert may choose the best answer on the asker's behalf."""
    return (
        current_user.role == "expert"
        and question["status"] == "open"
        and bool(answers)
        and bool(question.get("reminded_again_at"))
        and current_user.id != question["author_id"]
    )


@bp.route("/vragen/<int:question_id>/volgen", methods=["POST"])
@allow(*STAFF)
def follow(question_id: int):
    """ "Ik wil dit ook weten": follow a question and hear of its answers."""
    _question_or_404(question_id)
    EmptyForm()
    following = routing.toggle_follow(get_db(), question_id, current_user.id)
    flash("Je volgt deze vraag." if following else "Je volgt deze vraag niet meer.")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/vragen/<int:question_id>/uitnodigen", methods=["POST"])
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
    routing.invite(get_db(), question, int(user_id))
    flash("Je collega krijgt een melding met het verzoek om te antwoorden.")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/vragen/<int:question_id>/sluiten", methods=["POST"])
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


@bp.route("/vragen/<int:question_id>/geholpen", methods=["POST"])
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
    return render_template("questions/unanswered.html", items=cases.escalated_unanswered(get_db()))


@bp.route("/vragen/<int:question_id>/antwoord/controle", methods=["POST"])
@allow(*COLLEAGUES)
def check_answer(question_id: int):
    """The privacy panel for an answer being written (htmx, while typing)."""
    _question_or_404(question_id)
    findings = privacy.check_fields({"body": request.form.get("body", "")}, school_names(get_db()))
    return render_template("_privacy.html", findings=findings, warn_on_post=False)
