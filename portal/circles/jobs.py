"""Timed work of the teacher circles, run by `flask --app wsgi jobs run`."""

from datetime import datetime, time, timedelta

from .. import clock
from ..db import transaction
from . import data, notices

# No reminder mail in the night: the timer runs every few minutes, the first run after
# this hour reminds of tomorrow's meetings.
REMIND_FROM = time(7, 0)


def run(db, now: datetime) -> dict:
    """Remind members of a meeting coming up (the day before); return counts for the log.

    A reminder's subject is unique per person and meeting version (notices.tell), so a
    second run, or two at once, remind nobody twice; a moved meeting is reminded again.
    """
    done = {"circle_reminders": 0, "circle_meetings_reminded": 0}
    local = now.astimezone(clock.AMSTERDAM)
    if local.time() < REMIND_FROM:
        return done
    day_after_tomorrow = datetime.combine(local.date() + timedelta(days=2), time(0, 0))
    today = local.date()
    for meeting in data.due_reminders(
        db, clock.local_stamp(local), clock.local_stamp(day_after_tomorrow)
    ):
        circle = data.get_circle(db, meeting["circle_id"])
        when = "today" if clock.local(meeting["starts_at"]).date() == today else "tomorrow"
        with transaction(db.conn):
            told = notices.tell(db, circle, meeting, when)
        done["circle_reminders"] += told
        done["circle_meetings_reminded"] += 1 if told else 0
    return done
