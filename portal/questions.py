"""The region's questions: open questions, resolved cases, answering, the most helpful answer."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from . import cases, privacy
from .access import COLLEAGUES, EVERYONE, STAFF, allow
from .accounts import school_names
from .db import get_db
from .forms import AnswerForm, EditQuestionForm, EmptyForm, RevealForm
from .kennisbank import dossier_for_cluster
from .search import get_index
from .security import audit

bp = Blueprint("questions", __name__)

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
            dossier=dossier_for_cluster(question["cluster"]),
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
