"""Timed work of direct support, run by `flask --app wsgi jobs run`."""

from datetime import datetime

from flask import current_app

from .. import clock
from . import data


def in_school_hours(calendar, now: datetime) -> bool:
    """Whether ``now`` falls in the school day of a school day (Amsterdam time)."""
    moment = clock.local(now)
    return calendar.is_school_day(moment.date()) and (
        calendar.start <= moment.time() < calendar.end
    )


def run(db, now, calendar) -> dict:
    """Escalate requests that waited too long (school hours); return counts for the log.

    A request nobody took within PORTAL_SUPPORT_ESCALATE_AFTER_HOURS school hours goes to
    the coordinator and to the experts who had not heard of it yet; only while school is
    in, so nobody is called on a Saturday or at night. Each request escalates once.
    """
    done = {"support_escalated": 0}
    if not in_school_hours(calendar, now):
        return done
    after = float(current_app.config["SUPPORT_ESCALATE_AFTER_HOURS"])
    stamp = clock.stamp(now)
    for row in data.waiting(db):
        if calendar.hours_between(row["created_at"], now) >= after and data.escalate(
            db, row, stamp
        ):
            done["support_escalated"] += 1
    return done
