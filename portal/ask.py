"""Vraag stellen: suggestions while typing, "Dit helpt mij", or post to colleagues."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from . import cases
from .access import COLLEAGUES, allow
from .db import get_db
from .forms import AskForm, EmptyForm
from .search import Suggestions, suggest

bp = Blueprint("ask", __name__, url_prefix="/vraag")


def _query_text(form: AskForm) -> str:
    return f"{form.title.data or ''}\n{form.body.data or ''}".strip()


@bp.route("", methods=["GET", "POST"])
@allow(*COLLEAGUES)
def new():
    """Serve the ask page; a POST searches first or posts, an HTMX POST returns suggestions."""
    form = AskForm()
    suggestions, searched = Suggestions([], []), False
    if request.method == "POST":
        wants_post = request.form.get("action") == "post" and not request.htmx
        if wants_post and form.validate_on_submit():
            question_id = cases.create_question(
                get_db(),
                current_user.id,
                form.cluster.data,
                form.title.data,
                form.body.data,
                anonymous=form.anonymous.data,
                grade_band=form.grade_band.data,
            )
            flash("Je vraag staat uit bij je collega's in de regio.")
            return redirect(url_for("questions.detail", question_id=question_id))
        text = _query_text(form)
        searched = len(text) >= 8
        if searched:
            suggestions = suggest(text)
    context = {
        "form": form,
        "suggestions": suggestions,
        "searched": searched,
        "helped_form": EmptyForm(),
    }
    if request.htmx:
        return render_block("ask/new.html", "suggestions", **context)
    status = 400 if form.errors else 200
    return render_template("ask/new.html", **context), status


@bp.route("/helpt", methods=["POST"])
@allow(*COLLEAGUES)
def helped():
    """Record that a suggestion answered the question; nothing is posted."""
    EmptyForm()
    # The text of the question being written comes along with the form; it is not kept.
    kind, _, target = request.form.get("hit", "").partition(":")
    try:
        cases.record_helped(get_db(), current_user.id, kind, target)
    except cases.CaseError as exc:
        return render_template("errors/error.html", message=str(exc)), 400
    if request.htmx:
        return render_template("ask/_helped.html", kind=kind, target=target)
    flash("Fijn dat dit je verder helpt! We hebben het genoteerd; er is niets geplaatst.")
    if kind == "case" and target.isdigit():
        return redirect(url_for("questions.detail", question_id=int(target)))
    slug, _, anchor = target.partition("#")
    return redirect(url_for("kennisbank.dossier", slug=slug, _anchor=anchor or None))
