"""The kennisbank: research-based dossiers, proposed edits, versions, review warnings."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_db, get_index
from ..questions.cases import CLUSTERS
from ..web.access import EVERYONE, STAFF, allow
from ..web.audit import audit
from ..web.forms import EmptyForm
from . import bp, dossiers, editing, store

EDITORS = ("expert", "coordinator")
OFFLINE_PAGES = {"kennisbank.index", "kennisbank.dossier", "kennisbank.printable"}


@bp.after_request
def _keep_offline(response):
    """The kennisbank may stay on any device: the service worker keeps these pages."""
    if request.endpoint in OFFLINE_PAGES and response.status_code == 200:
        response.headers["X-Offline"] = "bewaar"
    return response


def _all():
    return store.effective(get_db().conn, current_app.config["DOSSIER_DIR"])


def _dossier_or_404(slug: str) -> dossiers.Dossier:
    found = store.get(get_db().conn, current_app.config["DOSSIER_DIR"], slug)
    if found is None:
        abort(404)
    return found


@bp.route("")
@allow(*EVERYONE)
def index():
    by_cluster = {slug: [] for slug in CLUSTERS}
    for d in _all():
        by_cluster.setdefault(d.cluster, []).append(d)
    return render_template("kennisbank/index.html", by_cluster=by_cluster)


@bp.route("/<slug>")
@allow(*EVERYONE)
def dossier(slug: str):
    found = _dossier_or_404(slug)
    return render_template(
        "kennisbank/dossier.html",
        dossier=found,
        cases=store.closest_cases(get_db().conn, get_index(), found),
        can_edit=current_user.role in EDITORS,
        due=dossiers.due_for_review(found),
    )


@bp.route("/<slug>/print")
@allow(*EVERYONE)
def printable(slug: str):
    """A plain page for printing and handing out (e.g. at a parent meeting)."""
    return render_template("kennisbank/print.html", dossier=_dossier_or_404(slug))


@bp.route("/<slug>/versies")
@allow(*STAFF)
def versions(slug: str):
    found = _dossier_or_404(slug)
    return render_template(
        "kennisbank/versions.html", dossier=found, versions=store.versions(get_db(), slug)
    )


@bp.route("/<slug>/voorstel", methods=["GET", "POST"])
@allow(*EDITORS)
def propose(slug: str):
    """An expert or coordinator proposes an edit, section by section; a coordinator approves.

    The form has fields per section (never the file format); what comes back is checked
    like a dossier file, and nothing is saved while a check fails.
    """
    found = _dossier_or_404(slug)
    form = editing.form_for(found, data=editing.values(found))
    problems = []
    if form.validate_on_submit():
        text = editing.assemble(found, form.data)
        try:
            proposed = dossiers.parse_text(slug, text)
            problems = dossiers.problems(proposed)
        except ValueError as exc:
            current_app.logger.warning("proposal for %s does not parse: %s", slug, exc)
            problems = ["Dit voorstel kan niet worden gelezen. Kijk de bronnen en teksten na."]
        else:
            if not problems and editing.values(proposed) == editing.values(found):
                problems = ["Je hebt nog niets veranderd."]
        if not problems:
            store.propose(get_db(), slug, text, form.note.data, current_user.id)
            flash("Je voorstel is opgeslagen. De coördinator beoordeelt het.")
            return redirect(url_for("kennisbank.dossier", slug=slug))
    status = 400 if (problems or form.errors) else 200
    layout = editing.layout(found)
    opened = editing.flagged(layout, form.errors, problems) | {request.args.get("sectie")}
    return (
        render_template(
            "kennisbank/propose.html",
            dossier=found,
            form=form,
            layout=layout,
            problems=problems,
            opened=opened,
        ),
        status,
    )


@bp.route("/beheer")
@allow("coordinator")
def review():
    """Proposed edits waiting for a decision, and dossiers due for review."""
    all_dossiers = _all()
    return render_template(
        "kennisbank/review.html",
        pending=store.pending(get_db()),
        due=[d for d in all_dossiers if dossiers.due_for_review(d)],
        faulty=[(d, dossiers.problems(d)) for d in all_dossiers if dossiers.problems(d)],
        titles={d.slug: d.title for d in all_dossiers},
    )


def _proposal_or_404(version_id: int) -> dict:
    row = store.proposal(get_db(), version_id)
    if row is None:
        abort(404)
    return row


@bp.route("/voorstellen/<id:version_id>")
@allow("coordinator")
def proposal(version_id: int):
    row = _proposal_or_404(version_id)
    current = _dossier_or_404(row["slug"])
    try:
        changed = editing.changes(current, dossiers.parse_text(row["slug"], row["markdown"]))
    except ValueError:
        changed = []  # an old proposal that no longer parses: nothing to approve
    return render_template(
        "kennisbank/proposal.html", row=row, dossier=current, changes=changed, form=EmptyForm()
    )


@bp.route("/voorstellen/<id:version_id>/<any(goedkeuren, afwijzen):decision>", methods=["POST"])
@allow("coordinator")
def decide(version_id: int, decision: str):
    row = _proposal_or_404(version_id)
    EmptyForm()
    if row["status"] != "proposed":
        flash("Over dit voorstel is al besloten.", "error")
        return redirect(url_for("kennisbank.review"))
    approve = decision == "goedkeuren"
    db = get_db()
    if not store.decide(db, version_id, approve, current_user.id):
        flash("Over dit voorstel is al besloten.", "error")
        return redirect(url_for("kennisbank.review"))
    status = "approved" if approve else "rejected"
    audit(f"dossier_edit_{status}", subject=f"dossier:{row['slug']}", detail=str(version_id))
    if approve:
        # The new text is searchable at once (the sections of one dossier: a second or two).
        store.sync(db.conn, get_index(), current_app.config["DOSSIER_DIR"])
        flash("Het voorstel is goedgekeurd en staat nu in de kennisbank.")
    else:
        flash("Het voorstel is afgewezen.")
    return redirect(url_for("kennisbank.review"))
