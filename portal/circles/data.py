"""Teacher circles: members, meetings, the cases brought in and what a circle learned.

Who sees what (deny by default; the views check it on every circle, meeting, case and lesson):

- *inside* = the members and the facilitator. They see everything of their circle: the
  meetings, the cases brought in with every recorded step, and what the circle learned.
- *organisers* = the coordinator (every circle of the region), the person who started the
  circle and the facilitator. They manage members and meetings. A coordinator or starter who
  is not inside sees the circle's name, theme, members and meetings, never the cases, their
  steps or the lessons: what is said in a circle stays in the circle. Only what the
  facilitator publishes, de-identified, reaches the region.
- everyone else: the circle does not exist (404).

Meetings are planned in Amsterdam wall-clock time (``clock.local_stamp``); ``sequence`` is
the iCalendar SEQUENCE, bumped on every change or cancellation.
"""

import json
from dataclasses import dataclass

from .. import clock
from ..db import transaction

MODES = {"fysiek": "Op een vaste plek", "online": "Online"}
MIN_MEMBERS, MAX_MEMBERS = 4, 8


@dataclass(frozen=True)
class Access:
    """What one person may do with one circle."""

    member: bool
    facilitator: bool
    organiser: bool

    @property
    def inside(self) -> bool:
        return self.member or self.facilitator

    @property
    def any(self) -> bool:
        return self.inside or self.organiser


def access(db, circle: dict, user) -> Access:
    member = bool(
        db.execute(
            "SELECT 1 FROM circle_members WHERE circle_id = ? AND user_id = ?",
            [circle["id"], user.id],
        ).fetchone()
    )
    facilitator = circle["facilitator_id"] == user.id
    organiser = user.role == "coordinator" or facilitator or circle["created_by"] == user.id
    return Access(member, facilitator, organiser)


# ---- reading ------------------------------------------------------------------------------

CIRCLE_SELECT = """
SELECT c.*, f.name AS facilitator_name, fs.name AS facilitator_school,
       (SELECT count(*) FROM circle_members m WHERE m.circle_id = c.id) AS member_count,
       (SELECT min(starts_at) FROM circle_meetings x WHERE x.circle_id = c.id
        AND x.cancelled_at IS NULL AND x.starts_at >= :now) AS next_at
FROM circles c
LEFT JOIN users f ON f.id = c.facilitator_id
LEFT JOIN schools fs ON fs.id = f.school_id
"""


def _now_local() -> str:
    return clock.local_stamp(clock.now())


def get_circle(db, circle_id: int) -> dict | None:
    rows = list(
        db.query(CIRCLE_SELECT + "WHERE c.id = :id", {"now": _now_local(), "id": circle_id})
    )
    return rows[0] if rows else None


def circles_of(db, user_id: int) -> list[dict]:
    """The circles someone is inside of, or started: soonest next meeting first."""
    return list(
        db.query(
            CIRCLE_SELECT  # noqa: S608 # nosec B608 - constants and named parameters
            + "WHERE c.facilitator_id = :user OR c.created_by = :user OR EXISTS "
            "(SELECT 1 FROM circle_members m WHERE m.circle_id = c.id AND m.user_id = :user) "
            "ORDER BY next_at IS NULL, next_at, c.name",
            {"now": _now_local(), "user": user_id},
        )
    )


def all_circles(db) -> list[dict]:
    """Every circle of the region (the coordinator's overview)."""
    return list(
        db.query(
            CIRCLE_SELECT + "ORDER BY c.closed_at IS NOT NULL, next_at IS NULL, next_at, c.name",
            {"now": _now_local()},
        )
    )


def members(db, circle_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT u.id, u.name, u.role, s.name AS school FROM circle_members m "
            "JOIN users u ON u.id = m.user_id LEFT JOIN schools s ON s.id = u.school_id "
            "WHERE m.circle_id = ? ORDER BY u.name",
            [circle_id],
        )
    )


def inside_ids(db, circle: dict) -> list[int]:
    """Members and facilitator: who hears of the circle's meetings."""
    ids = [m["id"] for m in members(db, circle["id"])]
    if circle["facilitator_id"] and circle["facilitator_id"] not in ids:
        ids.append(circle["facilitator_id"])
    return ids


def candidates(db) -> list[dict]:
    """Active teachers and experts: who may be a member or the facilitator."""
    return list(
        db.query(
            "SELECT u.id, u.name, u.role, s.name AS school FROM users u "
            "LEFT JOIN schools s ON s.id = u.school_id WHERE u.role IN ('teacher', 'expert') "
            "AND u.active = 1 AND u.system = 0 ORDER BY s.name IS NULL, s.name, u.name"
        )
    )


MEETING_SELECT = """
SELECT x.*, (SELECT count(*) FROM circle_cases k WHERE k.meeting_id = x.id) AS case_count
FROM circle_meetings x
"""


def meetings(db, circle_id: int) -> list[dict]:
    return list(
        db.query(MEETING_SELECT + "WHERE x.circle_id = ? ORDER BY x.starts_at, x.id", [circle_id])
    )


def get_meeting(db, circle_id: int, meeting_id: int) -> dict | None:
    """A meeting of this circle (None for another circle's meeting: no id guessing)."""
    rows = list(
        db.query(MEETING_SELECT + "WHERE x.id = ? AND x.circle_id = ?", [meeting_id, circle_id])
    )
    return rows[0] if rows else None


def is_past(meeting: dict) -> bool:
    return meeting["starts_at"] < _now_local()


CASE_SELECT = """
SELECT k.*, x.circle_id, x.starts_at, u.name AS brought_by_name
FROM circle_cases k
JOIN circle_meetings x ON x.id = k.meeting_id
LEFT JOIN users u ON u.id = k.brought_by
"""


def _case(row: dict) -> dict:
    return {**row, "steps": json.loads(row["steps"] or "{}")}


def cases(db, circle_id: int) -> list[dict]:
    return [
        _case(r)
        for r in db.query(
            CASE_SELECT + "WHERE x.circle_id = ? ORDER BY x.starts_at, k.id", [circle_id]
        )
    ]


def get_case(db, circle_id: int, case_id: int) -> dict | None:
    rows = list(db.query(CASE_SELECT + "WHERE k.id = ? AND x.circle_id = ?", [case_id, circle_id]))
    return _case(rows[0]) if rows else None


LESSON_SELECT = """
SELECT l.*, u.name AS author_name, k.title AS case_title, q.title AS question_title,
       v.slug AS dossier_slug, v.status AS dossier_status
FROM circle_lessons l
LEFT JOIN users u ON u.id = l.created_by
LEFT JOIN circle_cases k ON k.id = l.case_id
LEFT JOIN questions q ON q.id = l.question_id
LEFT JOIN dossier_versions v ON v.id = l.dossier_version_id
"""


def lessons(db, circle_id: int) -> list[dict]:
    return list(db.query(LESSON_SELECT + "WHERE l.circle_id = ? ORDER BY l.id", [circle_id]))


def get_lesson(db, circle_id: int, lesson_id: int) -> dict | None:
    rows = list(
        db.query(LESSON_SELECT + "WHERE l.id = ? AND l.circle_id = ?", [lesson_id, circle_id])
    )
    return rows[0] if rows else None


def own_questions(db, user_id: int) -> list[dict]:
    """Her own questions (any status), to bring one into a circle."""
    return list(
        db.query(
            "SELECT id, title, body, status, anonymous, cluster FROM questions "
            "WHERE author_id = ? ORDER BY created_at DESC, id DESC LIMIT 100",
            [user_id],
        )
    )


# ---- writing: circles and members ---------------------------------------------------------


def _set_members(db, circle_id: int, member_ids: list[int]) -> None:
    stamp = clock.stamp()
    keep = sorted(set(member_ids))
    marks = ",".join("?" * len(keep)) or "NULL"
    db.conn.execute(
        f"DELETE FROM circle_members WHERE circle_id = ? AND user_id NOT IN ({marks})",  # noqa: S608 # nosec B608 - only '?' marks
        [circle_id, *keep],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO circle_members (circle_id, user_id, joined_at) VALUES (?, ?, ?)",
        [(circle_id, uid, stamp) for uid in keep],
    )


def _circle_values(fields: dict) -> tuple:
    """name, cluster, theme, facilitator_id, mode, place: as both INSERT and UPDATE store them."""
    return (
        fields["name"].strip(),
        fields.get("cluster") or None,
        (fields.get("theme") or "").strip(),
        fields.get("facilitator_id"),
        fields.get("mode") or "fysiek",
        (fields.get("place") or "").strip(),
    )


def create_circle(db, created_by: int, member_ids: list[int], **fields) -> int:
    with transaction(db.conn):
        circle_id = db.conn.execute(
            "INSERT INTO circles (name, cluster, theme, facilitator_id, mode, place, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*_circle_values(fields), created_by, clock.stamp()),
        ).lastrowid
        _set_members(db, circle_id, member_ids)
    return circle_id


def update_circle(db, circle_id: int, member_ids: list[int], **fields) -> None:
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE circles SET name = ?, cluster = ?, theme = ?, facilitator_id = ?, mode = ?, "
            "place = ? WHERE id = ?",
            (*_circle_values(fields), circle_id),
        )
        _set_members(db, circle_id, member_ids)


# ---- writing: meetings --------------------------------------------------------------------


def create_meeting(
    db, circle_id: int, starts_at: str, minutes: int, place: str, agenda: str, method: str
) -> int:
    with transaction(db.conn):
        return db.conn.execute(
            "INSERT INTO circle_meetings (circle_id, starts_at, minutes, place, agenda, method, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (circle_id, starts_at, minutes, place.strip(), agenda.strip(), method, clock.stamp()),
        ).lastrowid


def update_meeting(
    db, meeting_id: int, starts_at: str, minutes: int, place: str, agenda: str, method: str
) -> bool:
    """Change a meeting that still goes ahead; True when something changed (SEQUENCE + 1)."""
    fields = (starts_at, int(minutes), place.strip(), agenda.strip(), method)
    with transaction(db.conn):
        row = db.conn.execute(
            "SELECT starts_at, minutes, place, agenda, method FROM circle_meetings "
            "WHERE id = ? AND cancelled_at IS NULL",
            (meeting_id,),
        ).fetchone()
        if row is None or tuple(row) == fields:
            return False
        db.conn.execute(
            "UPDATE circle_meetings SET starts_at = ?, minutes = ?, place = ?, agenda = ?, "
            "method = ?, sequence = sequence + 1 WHERE id = ?",
            (*fields, meeting_id),
        )
    return True


def cancel_meeting(db, meeting_id: int) -> bool:
    """Cancel once: False when it was cancelled already."""
    with transaction(db.conn):
        return bool(
            db.conn.execute(
                "UPDATE circle_meetings SET cancelled_at = ?, sequence = sequence + 1 "
                "WHERE id = ? AND cancelled_at IS NULL",
                (clock.stamp(), meeting_id),
            ).rowcount
        )


def due_reminders(db, start: str, end: str) -> list[dict]:
    """Meetings going ahead that start between two Amsterdam wall-clock stamps."""
    return list(
        db.query(
            "SELECT x.*, c.name AS circle_name FROM circle_meetings x "
            "JOIN circles c ON c.id = x.circle_id WHERE x.cancelled_at IS NULL "
            "AND c.closed_at IS NULL AND x.starts_at > ? AND x.starts_at < ? ORDER BY x.id",
            [start, end],
        )
    )


# ---- writing: cases and their steps -------------------------------------------------------


def add_case(
    db,
    meeting_id: int,
    brought_by: int,
    method: str,
    title: str,
    summary: str,
    question_id: int | None = None,
) -> int:
    stamp = clock.stamp()
    with transaction(db.conn):
        return db.conn.execute(
            "INSERT INTO circle_cases (meeting_id, brought_by, question_id, method, title, "
            "summary, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                meeting_id,
                brought_by,
                question_id,
                method,
                title.strip(),
                summary.strip(),
                stamp,
                stamp,
            ),
        ).lastrowid


def save_step(db, case_id: int, key: str, text: str) -> None:
    """Keep what was said at one step (an empty text clears the step).

    One UPDATE with json_set: two people saving different steps at once lose nothing.
    ``key`` is a step key of the case's method (letters and '-', checked by the caller).
    """
    path = f'$."{key}"'
    with transaction(db.conn):
        if text.strip():
            db.conn.execute(
                "UPDATE circle_cases SET steps = json_set(steps, ?, ?), updated_at = ? "
                "WHERE id = ?",
                (path, text.strip(), clock.stamp(), case_id),
            )
        else:
            db.conn.execute(
                "UPDATE circle_cases SET steps = json_remove(steps, ?), updated_at = ? "
                "WHERE id = ?",
                (path, clock.stamp(), case_id),
            )


def set_case_method(db, case_id: int, method: str) -> bool:
    """Another method for a case, only while no step is recorded yet."""
    with transaction(db.conn):
        return bool(
            db.conn.execute(
                "UPDATE circle_cases SET method = ?, updated_at = ? WHERE id = ? AND steps = '{}'",
                (method, clock.stamp(), case_id),
            ).rowcount
        )


# ---- writing: what the circle learned -----------------------------------------------------


def add_lesson(
    db,
    circle_id: int,
    created_by: int,
    body: str,
    meeting_id: int | None = None,
    case_id: int | None = None,
) -> int:
    with transaction(db.conn):
        return db.conn.execute(
            "INSERT INTO circle_lessons (circle_id, meeting_id, case_id, body, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (circle_id, meeting_id, case_id, body.strip(), created_by, clock.stamp()),
        ).lastrowid


def claim_publication(
    db, lesson_id: int, kind: str, body: str, question_id=None, dossier_version_id=None
) -> bool:
    """Mark a lesson published (inside the caller's transaction); False if it already was.

    ``body`` is the de-identified text that was published: the circle keeps that version.
    """
    return bool(
        db.conn.execute(
            "UPDATE circle_lessons SET published_as = ?, body = ?, question_id = ?, "
            "dossier_version_id = ?, published_at = ? WHERE id = ? AND published_at IS NULL",
            (kind, body.strip(), question_id, dossier_version_id, clock.stamp(), lesson_id),
        ).rowcount
    )


# ---- personal data (account export and deletion, called by accounts/gdpr.py) --------------


def export(db, user_id: int) -> dict:
    """What the circles hold about a person: memberships, her cases, her lessons."""
    rows = lambda sql: [dict(r) for r in db.query(sql, [user_id])]  # noqa: E731
    return {
        "circles": rows(
            "SELECT c.id, c.name, c.theme, m.joined_at, "
            "CASE WHEN c.facilitator_id = ?1 THEN 'begeleider' "
            "WHEN m.user_id IS NOT NULL THEN 'lid' ELSE 'gestart' END AS role "
            "FROM circles c LEFT JOIN circle_members m ON m.circle_id = c.id AND m.user_id = ?1 "
            "WHERE m.user_id IS NOT NULL OR c.facilitator_id = ?1 OR c.created_by = ?1 "
            "ORDER BY c.id"
        ),
        "cases_brought_in": [
            {**r, "steps": json.loads(r["steps"] or "{}")}
            for r in rows(
                "SELECT k.id, x.circle_id, x.starts_at AS meeting, k.method, k.title, k.summary, "
                "k.steps, k.question_id, k.created_at FROM circle_cases k "
                "JOIN circle_meetings x ON x.id = k.meeting_id WHERE k.brought_by = ? "
                "ORDER BY k.id"
            )
        ],
        "lessons_written": rows(
            "SELECT id, circle_id, body, created_at, published_as, published_at "
            "FROM circle_lessons WHERE created_by = ? ORDER BY id"
        ),
    }


def forget(db, user_id: int) -> None:
    """Before an account is deleted: end her memberships and unlink her from the rest.

    What the circle recorded and learned stays as the circle's knowledge, without her name
    (as questions and answers do). Runs inside the caller's transaction when there is one.
    """
    with transaction(db.conn):
        db.conn.execute("DELETE FROM circle_members WHERE user_id = ?", (user_id,))
        db.conn.execute(
            "UPDATE circles SET facilitator_id = NULL WHERE facilitator_id = ?", (user_id,)
        )
        db.conn.execute("UPDATE circles SET created_by = NULL WHERE created_by = ?", (user_id,))
        db.conn.execute(
            "UPDATE circle_cases SET brought_by = NULL WHERE brought_by = ?", (user_id,)
        )
        db.conn.execute(
            "UPDATE circle_lessons SET created_by = NULL WHERE created_by = ?", (user_id,)
        )
