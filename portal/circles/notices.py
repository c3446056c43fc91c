"""Tell a circle about its meetings: a notification, and a mail with the agenda item.

Each notification's subject is ``meeting:<id>:<sequence>`` (a reminder adds ``:herinnering``):
the notifications table keeps one per person and subject, so a change (a new sequence) is
told again, and nothing is told twice.
"""

from flask import current_app

from .. import clock
from ..notifications.notify import notify
from . import data, ics, methods

TEXTS = {
    "planned": "Nieuwe bijeenkomst van je leerkrachtkring",
    "changed": "Bijeenkomst van je leerkrachtkring gewijzigd",
    "cancelled": "Bijeenkomst van je leerkrachtkring gaat niet door",
    "tomorrow": "Morgen: bijeenkomst van je leerkrachtkring",
    "today": "Vandaag: bijeenkomst van je leerkrachtkring",
}


def calendar_text(circle: dict, meeting: dict) -> str:
    """The meeting's iCalendar text, as the mail attachment and the download send it."""
    config = current_app.config
    base = config["BASE_URL"].rstrip("/")
    method = methods.get(meeting.get("method"))
    return ics.meeting_calendar(
        circle,
        meeting,
        base_url=base,
        organizer=config.get("SMTP_SENDER") or "leer-kracht@localhost",
        region=config["REGION_NAME"],
        url=f"{base}/kringen/{circle['id']}",
        method_title=method.title if method else "",
    )


def tell(db, circle: dict, meeting: dict, change: str) -> int:
    """Notify everyone inside the circle of a planned, changed or cancelled meeting.

    Returns how many were told (0 when they heard of this version already).
    """
    subject = f"meeting:{meeting['id']}:{meeting['sequence']}"
    if change in ("tomorrow", "today"):
        subject += ":herinnering"
    return notify(
        db,
        data.inside_ids(db, circle),
        "circle_meeting",
        text=TEXTS[change],
        about={
            "subject": subject,
            "title": f"{circle['name']}: {clock.dag_datum_tijd(meeting['starts_at'])}",
            "url": f"/kringen/{circle['id']}#bijeenkomst-{meeting['id']}",
            "attachments": [
                {
                    "name": "bijeenkomst.ics",
                    "type": "text/calendar",
                    "text": calendar_text(circle, meeting),
                }
            ],
        },
    )
