"""The dossiers in force: files with approved portal edits on top, their versions, the index.

Dossier files stay the base. An edit made in the portal is a row in ``dossier_versions``
(proposed, then approved or rejected by the coordinator); the latest approved one is in
force. The index follows at start-up, on approval, in ``kennisbank sync`` and ``jobs run``.
"""

from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from index import Doc, SearchIndex, ranking
from index.documents import section_document
from index.search import synced

from .. import clock
from ..db import transaction
from .dossiers import Dossier, content_hash, load_all, parse_text


def approved_versions(conn) -> dict[str, tuple[int, str]]:
    """The latest approved portal edit per dossier: {slug: (version id, markdown)}."""
    rows = conn.execute(
        "SELECT slug, id, markdown FROM dossier_versions WHERE id IN "
        "(SELECT max(id) FROM dossier_versions WHERE status = 'approved' GROUP BY slug)"
    )
    return {slug: (vid, text) for slug, vid, text in rows}


def _approved_ids(conn) -> dict[str, int]:
    """{slug: id of the approved edit in force}: cheap, no texts."""
    return dict(
        conn.execute(
            "SELECT slug, max(id) FROM dossier_versions WHERE status = 'approved' GROUP BY slug"
        )
    )


# Approved edits never change, so each is parsed once per process, keyed by database file
# and version id (one process may serve several databases, e.g. in tests).
_parsed_edits: dict[tuple[str, int], Dossier] = {}


def effective(conn, directory) -> list[Dossier]:
    """The dossiers in force: the files, with approved portal edits on top."""
    edits = _approved_ids(conn)
    if not edits:
        return load_all(directory)
    database = conn.execute("PRAGMA database_list").fetchone()[2]
    if any((database, vid) not in _parsed_edits for vid in edits.values()):
        for slug, (vid, text) in approved_versions(conn).items():
            # Validated on approval; should a row still be broken, the file's text stays.
            with suppress(ValueError):
                _parsed_edits[(database, vid)] = replace(parse_text(slug, text), version=vid)
    return [
        _parsed_edits.get((database, edits[d.slug]), d) if d.slug in edits else d
        for d in load_all(directory)
    ]


def fingerprint(conn, directory) -> str:
    """Changes when a file or an approved edit changes: the index then syncs."""
    stamp = ",".join(f"{k}:{v}" for k, v in sorted(_approved_ids(conn).items()))
    base = content_hash(Path(directory)) if Path(directory).is_dir() else "none"
    return f"{base}|{stamp}"


def get(conn, directory, slug: str) -> Dossier | None:
    return next((d for d in effective(conn, directory) if d.slug == slug), None)


def section_docs(dossiers: list[Dossier]) -> list[Doc]:
    """One index document per dossier section, with the teacher questions it answers."""
    return [
        section_document(
            d.slug, s.anchor, f"{d.title}: {s.heading}", s.plain, d.cluster, s.questions
        )  # fmt: skip
        for d in dossiers
        for s in d.sections
    ]


def needs_sync(conn, directory) -> bool:
    """Whether the dossiers in force differ from what the index holds (cheap: no model)."""
    return not synced(conn, "dossier", fingerprint(conn, directory))


def sync(conn, index: SearchIndex, directory, force: bool = False) -> dict | None:
    """Bring the dossier sections in the index in line with the dossiers in force.

    Cheap when nothing changed (a fingerprint of file stats and approved edits); returns
    None then.
    """
    stamp = fingerprint(conn, directory)
    if not force and synced(conn, "dossier", stamp):
        return None
    return index.sync_kind(conn, "dossier", section_docs(effective(conn, directory)), stamp)


def dossier_for_cluster(conn, directory, cluster: str) -> Dossier | None:
    """The kennisbank's main dossier for a behaviour cluster (a case links to it)."""
    if cluster == "overig":
        return None
    found = [d for d in effective(conn, directory) if d.cluster == cluster]
    return next((d for d in found if d.slug == cluster), found[0] if found else None)


# ---- the cases closest to a dossier ---------------------------------------------------------

# {(database, slug, dossier version, case seq): hits}. A dossier page is read far more
# often than cases change, so the search runs once per change, not once per view.
_closest: dict[tuple, list] = {}


def closest_cases(conn, index: SearchIndex, dossier: Dossier, k: int = 5) -> list:
    """Resolved cases nearest to a dossier's title and summary, from the index."""
    database = conn.execute("PRAGMA database_list").fetchone()[2]
    key = (database, dossier.slug, dossier.version, index.kind_seq(conn, "case"))
    if key not in _closest:
        if len(_closest) > 500:
            _closest.clear()
        hits = index.search(conn, f"{dossier.title}\n{dossier.summary}", k=k, kind="case")
        _closest[key] = ranking.closest_cases(hits)
    return _closest[key]


# ---- versions: proposed edits and decisions -------------------------------------------------


def versions(db, slug: str) -> list[dict]:
    return list(
        db.query(
            "SELECT v.id, v.status, v.note, v.proposed_at, v.decided_at, p.name AS proposer, "
            "d.name AS decider FROM dossier_versions v LEFT JOIN users p ON p.id = v.proposed_by "
            "LEFT JOIN users d ON d.id = v.decided_by WHERE v.slug = ? ORDER BY v.id DESC",
            [slug],
        )
    )


def propose(db, slug: str, text: str, note: str, user_id: int) -> int:
    with transaction(db.conn):
        cur = db.conn.execute(
            "INSERT INTO dossier_versions (slug, markdown, note, proposed_by, proposed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (slug, text, note or "", user_id, clock.stamp()),
        )
    return cur.lastrowid


def pending(db) -> list[dict]:
    """Proposed edits waiting for a decision, oldest first."""
    return list(
        db.query(
            "SELECT v.id, v.slug, v.note, v.proposed_at, u.name AS proposer "
            "FROM dossier_versions v LEFT JOIN users u ON u.id = v.proposed_by "
            "WHERE v.status = 'proposed' ORDER BY v.id"
        )
    )


def proposal(db, version_id: int) -> dict | None:
    rows = list(
        db.query(
            "SELECT v.*, u.name AS proposer FROM dossier_versions v "
            "LEFT JOIN users u ON u.id = v.proposed_by WHERE v.id = ?",
            [version_id],
        )
    )
    return rows[0] if rows else None


def decide(db, version_id: int, approve: bool, user_id: int) -> bool:
    """Approve or reject a proposed edit; False when it was decided already."""
    with transaction(db.conn):
        changed = db.conn.execute(
            "UPDATE dossier_versions SET status = ?, decided_by = ?, decided_at = ? "
            "WHERE id = ? AND status = 'proposed'",
            ("approved" if approve else "rejected", user_id, clock.stamp(), version_id),
        ).rowcount
    return bool(changed)
