"""Activities for parents: planned at an Amsterdam wall-clock time (see portal/clock.py)."""

from .. import clock
from ..db import transaction

KINDS = {"ouderavond": "Thema-ouderavond", "ouders-voor-ouders": "Ouders voor ouders"}


def _now() -> str:
    return clock.local_stamp(clock.now())


def upcoming(db, limit: int = 20) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM activities WHERE starts_at >= ? ORDER BY starts_at LIMIT ?",
            [_now(), limit],
        )
    )


def past(db, limit: int = 20) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM activities WHERE starts_at < ? ORDER BY starts_at DESC LIMIT ?",
            [_now(), limit],
        )
    )


def exists(db, activity_id: int) -> bool:
    return bool(db.execute("SELECT 1 FROM activities WHERE id = ?", [activity_id]).fetchone())


def create(db, created_by: int, **fields) -> int:
    """Add an activity; ``starts_at`` is Amsterdam time, ``2027-01-15T19:30``."""
    with transaction(db.conn):
        cur = db.conn.execute(
            "INSERT INTO activities (title, kind, cluster, starts_at, place, online, "
            "description, summary, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                fields["title"].strip(),
                fields["kind"],
                fields.get("cluster") or None,
                fields["starts_at"],
                fields["place"].strip(),
                int(bool(fields.get("online"))),
                fields["description"].strip(),
                (fields.get("summary") or "").strip() or None,
                created_by,
                clock.stamp(),
            ),
        )
    return cur.lastrowid


def set_summary(db, activity_id: int, summary: str) -> None:
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE activities SET summary = ? WHERE id = ?", (summary.strip(), activity_id)
        )
