"""Jobs run by a timer every few minutes (`flask --app wsgi jobs run`).

Every step claims its work with a conditional UPDATE inside the transaction that also
writes the notifications, so running twice, or in two processes at once, sends nothing
twice.
"""

import json
from datetime import datetime, timedelta

from flask import current_app

from index import SearchIndex

from .. import clock
from ..circles import jobs as circle_jobs
from ..db import transaction
from ..insights import themes as insight_themes
from ..kennisbank import store
from ..support import jobs as support_jobs
from . import mail, notify
from .schooltime import SchoolCalendar


def _claim(db, question_id: int, column: str, stamp: str) -> bool:
    # column comes from this module only (a fixed set), never from input.
    return bool(
        db.conn.execute(
            f"UPDATE questions SET {column} = ? WHERE id = ? AND {column} IS NULL",  # noqa: S608 # nosec B608
            (stamp, question_id),
        ).rowcount
    )


def _people(db, roles: tuple[str, ...], exclude: int) -> list[int]:
    marks = ",".join("?" * len(roles))
    return [
        r[0]
        for r in db.execute(
            f"SELECT id FROM users WHERE role IN ({marks}) AND active = 1 AND system = 0 "  # noqa: S608 # nosec B608
            "AND id != ?",
            [*roles, exclude],
        )
    ]


def run(db, index: SearchIndex, now: datetime | None = None) -> dict:
    """Run every job once, logged in job_runs; return what each did."""
    with transaction(db.conn):
        run_id = db.conn.execute(
            "INSERT INTO job_runs (started_at) VALUES (?)", (clock.stamp(),)
        ).lastrowid
    try:
        done = _run(db, index, now)
    except Exception as exc:
        with transaction(db.conn):
            db.conn.execute(
                "UPDATE job_runs SET finished_at = ?, error = ? WHERE id = ?",
                (clock.stamp(), f"{type(exc).__name__}: {exc}"[:500], run_id),
            )
        raise
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE job_runs SET finished_at = ?, result = ? WHERE id = ?",
            (clock.stamp(), json.dumps(done), run_id),
        )
        # A year of runs every five minutes is 100k rows: keep the last 30 days.
        db.conn.execute(
            "DELETE FROM job_runs WHERE started_at < ?", (clock.stamp_in(-timedelta(days=30)),)
        )
    return done


def _run(db, index: SearchIndex, now: datetime | None) -> dict:
    now = now or clock.now()
    config = current_app.config
    calendar = SchoolCalendar.from_config(config)
    broadcast_after = float(config["BROADCAST_AFTER_HOURS"])
    escalate_after = float(config["ESCALATE_AFTER_HOURS"])
    stamp = clock.stamp(now)
    done = {"broadcast": 0, "escalated": 0, "coordinator": 0, "reminded": 0, "feedback": 0}
    synced = store.sync(db.conn, index, config["DOSSIER_DIR"])
    done["dossier_sections_changed"] = synced["changed"] + synced["removed"] if synced else 0
    # The bands follow the region's own cases as it grows (index/ranking.py).
    done["recalibrated"] = 0
    if index.calibration_stale(db.conn):
        index.calibrate(db.conn)
        done["recalibrated"] = 1

    open_questions = list(
        db.query(
            "SELECT q.*, (SELECT count(*) FROM answers a WHERE a.question_id = q.id) AS answers, "
            "(SELECT min(a.created_at) FROM answers a WHERE a.question_id = q.id) AS first_answer "
            "FROM questions q WHERE q.status = 'open'"
        )
    )
    for q in open_questions:
        waited = calendar.hours_between(q["created_at"], now)
        with transaction(db.conn):
            if (
                q["answers"] == 0
                and waited >= broadcast_after
                and _claim(db, q["id"], "broadcast_at", stamp)
            ):
                told = {
                    r[0]
                    for r in db.execute(
                        "SELECT user_id FROM notifications "
                        "WHERE question_id = ? AND kind = 'new_question'",
                        [q["id"]],
                    )
                }
                everyone = [
                    u for u in _people(db, ("teacher", "expert"), q["author_id"]) if u not in told
                ]
                notify.notify(db, everyone, "new_question_region", q)
                done["broadcast"] += 1
            if (
                q["answers"] == 0
                and waited >= escalate_after
                and _claim(db, q["id"], "escalated_at", stamp)
            ):
                notify.notify(db, _people(db, ("expert",), q["author_id"]), "escalation", q)
                done["escalated"] += 1
            if (
                q["answers"] == 0
                and waited >= 2 * escalate_after
                and _claim(db, q["id"], "escalated_coordinator_at", stamp)
            ):
                notify.notify(db, _people(db, ("coordinator",), q["author_id"]), "escalation", q)
                done["coordinator"] += 1
            if q["answers"] and q["first_answer"]:
                since = now - clock.parse(q["first_answer"])
                if since >= timedelta(days=3) and _claim(db, q["id"], "reminded_at", stamp):
                    notify.notify(db, [q["author_id"]], "reminder", q)
                    done["reminded"] += 1
                if since >= timedelta(days=7) and _claim(db, q["id"], "reminded_again_at", stamp):
                    notify.notify(db, [q["author_id"]], "reminder_again", q)
                    done["reminded"] += 1

    week_ago = clock.stamp(now - timedelta(days=7))
    for q in db.query(
        "SELECT * FROM questions WHERE status = 'resolved' AND feedback_asked_at IS NULL "
        "AND resolved_at <= ? AND helped IS NULL",
        [week_ago],
    ):
        with transaction(db.conn):
            if _claim(db, q["id"], "feedback_asked_at", stamp):
                notify.notify(db, [q["author_id"]], "feedback", q)
                done["feedback"] += 1

    # The features that have their own waiting times (their jobs modules hold the SQL).
    done.update(support_jobs.run(db, now, calendar))
    done.update(circle_jobs.run(db, now))
    # The insight page's themes: embedded and clustered here, never in a request.
    done.update(insight_themes.run(db, index))
    done["digests"] = notify.queue_digests(db)
    done.update({f"mail_{k}": v for k, v in mail.send_outbox(db).items()})
    return done
