"""Vraag stellen: suggestions while typing, "Dit helpt mij", or post to colleagues."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

import privacy

from ..accounts.users import school_names
from ..db import get_db, get_index
from ..notifications import routing
from ..web.access import COLLEAGUES, allow
from ..web.audit import audit
from ..web.forms import EmptyForm
from . import bp, cases
from .forms import AskForm
from .suggest import Suggestions, suggest


def _query_text(form: AskForm) -> str:
    return f"{form.title.data or ''}\n{form.body.data or ''}".strip()


@bp.route("/vraag", methods=["GET", "POST"])
@allow(*COLLEAGUES)
def ask():
    """Serve the ask page; a POST searches first, fixes privacy findings or posts.

    An htmx POST (while typing) returns only the suggestions and the privacy panel.
    """
    form = AskForm()
    schools = school_names(get_db())
    suggestions, searched, warn_on_post = Suggestions([], []), False, False
    findings = None
    if request.method == "POST":
        fix = request.form.get("privacy_fix")
        if fix and not request.htmx:
            fixed = privacy.apply_fix(
                {"title": form.title.data, "body": form.body.data}, fix, schools
            )
            form.title.data, form.body.data = fixed["title"], fixed["body"]
        action = request.form.get("action")
        wants_post = action in ("post", "post_anyway") and not fix and not request.htmx
        if wants_post and form.validate_on_submit():
            findings = _findings(form, schools)
            kinds = sorted({ff.finding.kind for ff in findings})
            if kinds and action != "post_anyway":
                warn_on_post = True
            else:
                return _post(form, kinds)
        text = _query_text(form)
        searched = len(text) >= 8
        if searched:
            suggestions = suggest(get_db(), get_index(), text)
    context = {
        "form": form,
        "suggestions": suggestions,
        "searched": searched,
        "helped_form": EmptyForm(),
        "findings": findings if findings is not None else _findings(form, schools),
        "warn_on_post": warn_on_post,
    }
    if request.htmx:
        return render_block("ask/new.html", "suggestions", **context) + render_block(
            "ask/new.html", "privacy", oob=True, **context
        )
    status = 400 if form.errors else 200
    return render_template("ask/new.html", **context), status


def _findings(form: AskForm, schools):
    return privacy.check_fields({"title": form.title.data, "body": form.body.data}, schools)


def _post(form: AskForm, privacy_kinds: list[str]):
    question_id = cases.create_question(
        get_db(),
        current_user.id,
        form.cluster.data,
        form.title.data,
        form.body.data,
        anonymous=form.anonymous.data,
        grade_band=form.grade_band.data,
    )
    routing.announce(get_db(), get_index(), cases.get_question(get_db(), question_id))
    if privacy_kinds:
        # The teacher judged it a false alarm; kinds only, never the text itself.
        audit("privacy_warning_overridden", f"question:{question_id}", ",".join(privacy_kinds))
    flash("Je vraag staat uit bij je collega's in de regio.")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/vraag/helpt", methods=["POST"])
@allow(*COLLEAGUES)
def suggestion_helped():
    """Record that a suggestion answered the question; nothing is posted."""
    form = AskForm()
    kind, _, target = request.form.get("hit", "").partition(":")
    # The question being written comes along with the form: scrubbed of anything that could
    # identify a pupil, it becomes search memory for this suggestion (no name attached).
    asked = privacy.scrub(_query_text(form), school_names(get_db()))
    try:
        new = cases.record_helped(get_db(), get_index(), current_user.id, kind, target, asked)
    except cases.CaseError as exc:
        return render_template("errors/error.html", message=str(exc)), exc.status
    if request.htmx:
        return render_template("ask/_helped.html", kind=kind, target=target, new=new)
    flash(
        "Fijn dat dit je verder helpt! We hebben het genoteerd; er is niets geplaatst."
        if new
        else "Dit had je al aangegeven; het telt één keer mee."
    )
    if kind == "case" and target.isdigit():
        return redirect(url_for("questions.detail", question_id=int(target)))
    slug, _, anchor = target.partition("#")
    return redirect(url_for("kennisbank.dossier", slug=slug, _anchor=anchor or None))
