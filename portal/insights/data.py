"""Figures for the region's working group: which questions, how fast answered, what helped.

Every count, median or share that rests on fewer than MIN_CELL questions is withheld
(``None``, shown as "minder dan 5"): small numbers can point at a pupil or a teacher.
"""

import statistics
from datetime import timedelta

from .. import clock
from ..questions.cases import CLUSTERS
from .themes import MIN_CELL

_hours = clock.hours_between


def _median(values):
    return round(statistics.median(values), 1) if len(values) >= MIN_CELL else None


OTHER_SCHOOLS = "Andere scholen (minder dan 5 vragen per school)"


def cell(n: int) -> int | None:
    """A count as it may be shown: None below MIN_CELL (zero is safe to show)."""
    return n if n == 0 or n >= MIN_CELL else None


def _rows(db) -> list[dict]:
    """The questions teachers asked in the portal (not cases imported from elsewhere)."""
    rows = db.query(
        "SELECT q.id, q.cluster, q.status, q.created_at, q.resolved_at, q.escalated_at, "
        "u.school_id, s.name AS school, "
        "(SELECT min(a.created_at) FROM answers a WHERE a.question_id = q.id "
        " AND a.author_id != q.author_id) AS first_answer "
        "FROM questions q JOIN users u ON u.id = q.author_id "
        "LEFT JOIN schools s ON s.id = u.school_id WHERE q.ref IS NULL OR u.system = 0"
    )
    return [r for r in rows if r["created_at"]]


def _times(rows) -> dict:
    return {
        "asked": cell(len(rows)),
        "first_answer_h": _median(
            [_hours(r["created_at"], r["first_answer"]) for r in rows if r["first_answer"]]
        ),
        "resolved_h": _median(
            [_hours(r["created_at"], r["resolved_at"]) for r in rows if r["resolved_at"]]
        ),
    }


def funnel(db, rows=None) -> list[dict]:
    """From question to help: the steps in order, each with its count."""
    rows = _rows(db) if rows is None else rows
    helped = db.execute("SELECT count(*) FROM suggestion_helped").fetchone()[0]
    support = db.execute("SELECT count(*) FROM support_requests").fetchone()[0]
    steps = [
        ("gesteld", "Vragen gesteld", len(rows)),
        ("geholpen", "Meteen geholpen door een casus of dossier ('Dit helpt mij')", helped),
        ("beantwoord", "Beantwoord door collega's", sum(1 for r in rows if r["first_answer"])),
        ("opgelost", "Opgelost (meest behulpzame antwoord gekozen)",
         sum(1 for r in rows if r["resolved_at"])),
        ("escalatie", "Naar de experts (geen antwoord op tijd)",
         sum(1 for r in rows if r["escalated_at"])),
        ("ondersteuning", "Directe ondersteuning in de klas gevraagd", support),
    ]  # fmt: skip
    return [{"key": k, "label": label, "count": cell(n)} for k, label, n in steps]


def figures(db) -> dict:
    """Compute the region's figures (questions asked in the portal, not imported cases)."""
    rows = _rows(db)
    per_cluster = {
        slug: {"label": label, **_times([r for r in rows if r["cluster"] == slug])}
        for slug, label in CLUSTERS.items()
    }
    # A school with fewer than MIN_CELL questions is not named: that it appears at all would
    # say that one of its few teachers asked (an anonymous asker's school, say). Such schools
    # are pooled in one row.
    by_school: dict[str, list] = {}
    for r in rows:
        by_school.setdefault(r["school"] or "zonder school", []).append(r)
    per_school = {
        name: _times(group) for name, group in sorted(by_school.items()) if len(group) >= MIN_CELL
    }
    pooled = [r for group in by_school.values() if len(group) < MIN_CELL for r in group]
    if pooled:
        per_school[OTHER_SCHOOLS] = _times(pooled)
    helped = db.execute("SELECT count(*) FROM suggestion_helped").fetchone()[0]
    now = clock.stamp()
    ages = {"< 1 dag": 0, "1-3 dagen": 0, "3-7 dagen": 0, "> 7 dagen": 0}
    for r in rows:
        if r["status"] != "open":
            continue
        days = _hours(r["created_at"], now) / 24
        key = "< 1 dag" if days < 1 else "1-3 dagen" if days < 3 else "3-7 dagen" if days < 7 \
            else "> 7 dagen"  # fmt: skip
        ages[key] += 1
    asked = len(rows)
    return {
        "asked": asked,
        "per_cluster": per_cluster,
        "per_school": per_school,
        "per_month": per_month(rows),
        "funnel": funnel(db, rows),
        **{k: v for k, v in _times(rows).items() if k != "asked"},
        "escalated_share": (
            sum(1 for r in rows if r["escalated_at"]) / asked if asked >= MIN_CELL else None
        ),
        "helped": cell(helped),
        # Of all the times a teacher came with a question: how often an existing case or
        # dossier answered it at once, without posting.
        "helped_share": helped / (helped + asked) if (helped + asked) >= MIN_CELL else None,
        "open_by_age": {k: cell(n) for k, n in ages.items()},
    }


def per_month(rows, months: int = 12) -> list[dict]:
    """Questions per calendar month (Amsterdam), the last ``months`` months, per cluster."""
    today = clock.now().astimezone(clock.AMSTERDAM).date().replace(day=1)
    keys = []
    day = today
    for _ in range(months):
        keys.append(day.strftime("%Y-%m"))
        day = (day - timedelta(days=1)).replace(day=1)
    keys.reverse()
    out = {k: {"month": k, "total": 0, **dict.fromkeys(CLUSTERS, 0)} for k in keys}
    for r in rows:
        key = clock.parse(r["created_at"]).astimezone(clock.AMSTERDAM).strftime("%Y-%m")
        if key in out:
            out[key]["total"] += 1
            out[key][r["cluster"]] = out[key].get(r["cluster"], 0) + 1
    return [
        {
            "month": k,
            "label": clock.maand(k),
            "total": cell(v["total"]),
            **{c: cell(v[c]) for c in CLUSTERS},
        }
        for k, v in out.items()
    ]


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


def csv_rows(db, name: str, themes: dict | None) -> tuple[list[str], list[list]]:
    """(header, rows) of one figure for its CSV download; withheld cells stay empty."""
    f = figures(db)
    if name == "trechter":
        return ["stap", "aantal"], [[s["label"], s["count"]] for s in f["funnel"]]
    if name == "soort-gedrag":
        return (
            ["soort gedrag", "vragen", "eerste antwoord (uur, mediaan)", "opgelost (uur, mediaan)"],
            [[c["label"], c["asked"], c["first_answer_h"], c["resolved_h"]]
             for c in f["per_cluster"].values()],
        )  # fmt: skip
    if name == "school":
        return (
            ["school", "vragen", "eerste antwoord (uur, mediaan)", "opgelost (uur, mediaan)"],
            [[s, t["asked"], t["first_answer_h"], t["resolved_h"]]
             for s, t in f["per_school"].items()],
        )  # fmt: skip
    if name == "maand":
        header = ["maand", "vragen", *CLUSTERS.values()]
        return header, [[m["month"], m["total"], *(m[c] for c in CLUSTERS)] for m in f["per_month"]]
    if name == "themas":
        return (
            ["thema", "vragen", "gedekt door de kennisbank (aandeel)", "voorbeeld"],
            [[", ".join(t["words"]), t["size"], round(t["covered_share"], 2), t["examples"][0]]
             for t in (themes or {}).get("themes", [])],
        )  # fmt: skip
    raise KeyError(name)
