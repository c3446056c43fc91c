"""Timed work of direct support, run by `flask --app wsgi jobs run`."""


def run(db, now, calendar) -> dict:
    """Escalate requests that waited too long (school hours); return counts for the log."""
    return {}
