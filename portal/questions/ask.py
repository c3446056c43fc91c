"""Vraag stellen: suggestions while typing, "Dit helpt mij", or post to colleagues."""

import uuid

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
from ..web.guard import fix_fields
from . import bp, cases, drafts
from .forms import AskForm
from .suggest import Suggestions, suggest


def _bounded(form: AskForm) -> dict[str, str]:
    """Return title and body cut to the fields' own maximum.

    Search and the privacy scan work on these copies, so every request's work is bounded
    whatever is pasted; the form keeps the full text, so the length check can say what
    is too long and her draft loses nothing.
    """
    return {
        "title": (form.title.data or "")[: cases.LIMITS["title"][1]],
        "body": (form.body.data or "")[: cases.LIMITS["body"][1]],
    }


def _query_text(form: AskForm) -> str:
    bounded = _bounded(form)
    return f"{bounded['title']}\n{bounded['body']}".strip()


@bp.route("/vraag", methods=["GET", "POST"])
@allow(*COLLEAGUES)
def ask():
    """Serve the ask page; a POST searches first, fixes privacy findings or posts.

    An htmx POST (while typing) returns only the suggestions and the privacy panel. Every
    POST also keeps her text as a draft, so nothing is lost.
    """
    db = get_db()
    draft = drafts.get(db, current_user.id, "ask") if request.method == "GET" else None
    form = AskForm(data=draft) if draft else AskForm()
    schools = school_names(db)
    suggestions, searched, warn_on_post = Suggestions([], []), False, False
    findings = None
    if request.method == "POST":
        earlier = cases.posted_before(db, request.form.get("form_key"), current_user.id)
        if earlier:
            flash("Je vraag was al geplaatst; hij staat er één keer.")
            return redirect(earlier)
        drafts.save(db, current_user.id, "ask", form.data)
        fix = request.form.get("privacy_fix")
        if fix and not request.htmx:
            whole = {"title": form.title.data, "body": form.body.data}
            fixed = fix_fields(whole, fix, schools)
            form.title.data, form.body.data = fixed["title"], fixed["body"]
            drafts.save(db, current_user.id, "ask", form.data)
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
            suggestions = suggest(db, get_index(), text)
    elif draft:
        suggestions = suggest(db, get_index(), _query_text(form))
        searched = True
    context = {
        "form": form,
        "form_key": request.form.get("form_key") or uuid.uuid4().hex,
        "draft": draft,
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


@bp.route("/vraag/opnieuw", methods=["POST"])
@allow(*COLLEAGUES)
def discard_draft():
    """Throw the kept draft away and start with an empty ask page."""
    EmptyForm()
    drafts.delete(get_db(), current_user.id, "ask")
    flash("Je concept is weggegooid.")
    return redirect(url_for("questions.ask"))


@bp.route("/concept/bewaren", methods=["POST"])
@allow(*COLLEAGUES)
def keep_draft():
    """Save the text a page carried (signed) after a failed post, and go back to it."""
    EmptyForm()
    carried = drafts.uncarry(request.form.get("carried", ""))
    if carried is None:
        flash("Deze tekst kon niet meer worden bewaard. Begin opnieuw.")
        return redirect(url_for("home.index"))
    key, page, fields = carried
    drafts.save(get_db(), current_user.id, key, fields)
    flash("Je tekst is bewaard: kijk hem na en plaats hem.")
    return redirect(page)


def _findings(form: AskForm, schools):
    return privacy.check_fields(_bounded(form), schools)


def _post(form: AskForm, privacy_kinds: list[str]):
    db = get_db()
    question_id = cases.create_question(
        db,
        current_user.id,
        form.cluster.data,
        form.title.data,
        form.body.data,
        anonymous=form.anonymous.data,
        grade_band=form.grade_band.data,
        form_key=request.form.get("form_key"),
    )
    routing.announce(db, get_index(), cases.get_question(db, question_id))
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
