"""The kennisbank: research-based dossiers, proposed edits, versions, review warnings."""

import difflib

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from . import dossiers
from .access import EVERYONE, STAFF, allow
from .cases import CLUSTERS
from .db import get_db, transaction
from .forms import EmptyForm, ProposalForm
from .search import ensure_dossiers_indexed, get_index
from .security import audit

bp = Blueprint("kennisbank", __name__, url_prefix="/kennisbank")
EDITORS = ("expert", "coordinator")


def _all():
    return dossiers.effective(get_db().conn, current_app.config["DOSSIER_DIR"])


def _dossier_or_404(slug: str) -> dossiers.Dossier:
    found = dossiers.get(get_db().conn, current_app.config["DOSSIER_DIR"], slug)
    if found is None:
        abort(404)
    return found


def dossier_for_cluster(cluster: str) -> dossiers.Dossier | None:
    """The kennisbank's dossier for a behaviour cluster (a case links to it)."""
    return next((d for d in _all() if d.cluster == cluster and cluster != "overig"), None)


@bp.route("")
@allow(*EVERYONE)
def index():
    by_cluster = {slug: [] for slug in CLUSTERS}
    for d in _all():
        by_cluster.setdefault(d.cluster, []).append(d)
    return render_template("kennisbank/index.html", by_cluster=by_cluster)


def closest_cases(d: dossiers.Dossier, k: int = 5):
    """Resolved cases nearest to a dossier, from the index (no names for parents)."""
    db = get_db()
    ensure_dossiers_indexed(db)
    hits = get_index().search(db.conn, f"{d.title}\n{d.summary}", k=k, kind="case")
    return [h for h in hits if h.cosine >= 0.80]


@bp.route("/<slug>")
@allow(*EVERYONE)
def dossier(slug: str):
    found = _dossier_or_404(slug)
    return render_template(
        "kennisbank/dossier.html",
        dossier=found,
        cases=closest_cases(found),
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
    rows = list(
        get_db().query(
            "SELECT v.id, v.status, v.note, v.proposed_at, v.decided_at, p.name AS proposer, "
            "d.name AS decider FROM dossier_versions v LEFT JOIN users p ON p.id = v.proposed_by "
            "LEFT JOIN users d ON d.id = v.decided_by WHERE v.slug = ? ORDER BY v.id DESC",
            [slug],
        )
    )
    return render_template("kennisbank/versions.html", dossier=found, versions=rows)


@bp.route("/<slug>/voorstel", methods=["GET", "POST"])
@allow(*EDITORS)
def propose(slug: str):
    """An expert or coordinator proposes an edit; a coordinator approves it."""
    found = _dossier_or_404(slug)
    form = ProposalForm(data={"markdown": found.markdown})
    errors = []
    if form.validate_on_submit():
        text = form.markdown.data.replace("\r\n", "\n")
        try:
            errors = dossiers.problems(dossiers.parse_text(slug, text))
        except ValueError as exc:
            errors = [str(exc)]
        if not errors:
            db = get_db()
            with transaction(db.conn):
                db.conn.execute(
                    "INSERT INTO dossier_versions (slug, markdown, note, proposed_by) "
                    "VALUES (?, ?, ?, ?)",
                    (slug, text, form.note.data or "", current_user.id),
                )
            flash("Je voorstel is opgeslagen. De coördinator beoordeelt het.")
            return redirect(url_for("kennisbank.dossier", slug=slug))
    status = 400 if (errors or form.errors) else 200
    return (
        render_template("kennisbank/propose.html", dossier=found, form=form, errors=errors),
        status,
    )


@bp.route("/beheer")
@allow("coordinator")
def review():
    """Proposed edits waiting for a decision, and dossiers due for review."""
    pending = list(
        get_db().query(
            "SELECT v.id, v.slug, v.note, v.proposed_at, u.name AS proposer "
            "FROM dossier_versions v LEFT JOIN users u ON u.id = v.proposed_by "
            "WHERE v.status = 'proposed' ORDER BY v.id"
        )
    )
    all_dossiers = _all()
    return render_template(
        "kennisbank/review.html",
        pending=pending,
        due=[d for d in all_dossiers if dossiers.due_for_review(d)],
        faulty=[(d, dossiers.problems(d)) for d in all_dossiers if dossiers.problems(d)],
        titles={d.slug: d.title for d in all_dossiers},
    )


def _proposal_or_404(version_id: int) -> dict:
    rows = list(
        get_db().query(
            "SELECT v.*, u.name AS proposer FROM dossier_versions v "
            "LEFT JOIN users u ON u.id = v.proposed_by WHERE v.id = ?",
            [version_id],
        )
    )
    if not rows:
        abort(404)
    return rows[0]


@bp.route("/voorstellen/<int:version_id>")
@allow("coordinator")
def proposal(version_id: int):
    row = _proposal_or_404(version_id)
    current = _dossier_or_404(row["slug"])
    diff = difflib.unified_diff(
        current.markdown.splitlines(),
        row["markdown"].splitlines(),
        "nu",
        "voorstel",
        lineterm="",
        n=2,
    )
    return render_template(
        "kennisbank/proposal.html", row=row, dossier=current, diff=list(diff), form=EmptyForm()
    )


@bp.route("/voorstellen/<int:version_id>/<any(goedkeuren, afwijzen):decision>", methods=["POST"])
@allow("coordinator")
def decide(version_id: int, decision: str):
    row = _proposal_or_404(version_id)
    EmptyForm()
    if row["status"] != "proposed":
        flash("Over dit voorstel is al besloten.", "error")
        return redirect(url_for("kennisbank.review"))
    status = "approved" if decision == "goedkeuren" else "rejected"
    db = get_db()
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE dossier_versions SET status = ?, decided_by = ?, "
            "decided_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
            (status, current_user.id, version_id),
        )
    audit(f"dossier_edit_{status}", subject=f"dossier:{row['slug']}", detail=str(version_id))
    if status == "approved":
        ensure_dossiers_indexed(db)  # the new text is searchable at once
        flash("Het voorstel is goedgekeurd en staat nu in de kennisbank.")
    else:
        flash("Het voorstel is afgewezen.")
    return redirect(url_for("kennisbank.review"))
