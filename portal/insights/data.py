"""Figures for the region's working group: which questions, how fast answered, what helped."""

import statistics

from .. import clock
from ..questions.cases import CLUSTERS

_hours = clock.hours_between


def _median(values):
    return round(statistics.median(values), 1) if values else None


def figures(db) -> dict:
    """Compute the region's figures (questions asked in the portal, not imported cases)."""
    rows = list(
        db.query(
            "SELECT q.cluster, q.status, q.created_at, q.resolved_at, q.escalated_at, "
            "(SELECT min(a.created_at) FROM answers a WHERE a.question_id = q.id) AS first_answer "
            "FROM questions q JOIN users u ON u.id = q.author_id WHERE q.ref IS NULL "
            "OR u.system = 0"
        )
    )
    rows = [r for r in rows if r["created_at"]]
    per_cluster = {}
    for slug, label in CLUSTERS.items():
        mine = [r for r in rows if r["cluster"] == slug]
        per_cluster[slug] = {
            "label": label,
            "asked": len(mine),
            "first_answer_h": _median(
                [_hours(r["created_at"], r["first_answer"]) for r in mine if r["first_answer"]]
            ),
            "resolved_h": _median(
                [_hours(r["created_at"], r["resolved_at"]) for r in mine if r["resolved_at"]]
            ),
        }
    helped = db.execute("SELECT count(*) FROM suggestion_helped").fetchone()[0]
    now = clock.stamp()
    ages = {"< 1 dag": 0, "1-3 dagen": 0, "3-7 dagen": 0, "> 7 dagen": 0}
    for r in rows:
        if r["status"] != "open":
            continue
        days = _hours(r["created_at"], now) / 24
        key = (
            "< 1 dag"
            if days < 1
            else "1-3 dagen"
            if days < 3
            else "3-7 dagen"
            if days < 7
            else "> 7 dagen"
        )
        ages[key] += 1
    asked = len(rows)
    return {
        "asked": asked,
        "per_cluster": per_cluster,
        "first_answer_h": _median(
            [_hours(r["created_at"], r["first_answer"]) for r in rows if r["first_answer"]]
        ),
        "resolved_h": _median(
            [_hours(r["created_at"], r["resolved_at"]) for r in rows if r["resolved_at"]]
        ),
        "escalated_share": sum(1 for r in rows if r["escalated_at"]) / asked if asked else 0.0,
        "helped": helped,
        # Of all the times a teacher came with a question: how often an existing case or
        # dossier answered it at once, without posting.
        "helped_share": helped / (helped + asked) if (helped + asked) else 0.0,
        "open_by_age": ages,
    }


def expertise_map(db) -> dict:
    """Who knows about what, per cluster; a cluster with fewer than two people is a gap."""
    out = {}
    for slug, label in CLUSTERS.items():
        if slug == "overig":
            continue
        people = list(
            db.query(
                "SELECT u.name, s.name AS school, s.kind AS school_kind, u.topics "
                "FROM user_expertise e JOIN users u ON u.id = e.user_id "
                "LEFT JOIN schools s ON s.id = u.school_id "
                "WHERE e.cluster = ? AND u.active = 1 ORDER BY u.name",
                [slug],
            )
        )
        out[slug] = {"label": label, "people": people, "gap": len(people) < 2}
    return out
