"""A circle meeting as an iCalendar invitation (RFC 5545, iTIP METHOD REQUEST or CANCEL).

Written with the `icalendar` library (escaping, CRLF, folding at 75 octets). The time zone is
a short VTIMEZONE with the EU summer-time rules: icalendar's own one, generated from zoneinfo,
lists every change since 1970 (about 8 kB) and ends in 2038.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import icalendar

from .. import clock

TZID = "Europe/Amsterdam"
VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Amsterdam\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def uid(meeting_id: int, base_url: str) -> str:
    """Stable per meeting: a change or cancellation updates the same agenda item."""
    host = urlsplit(base_url).hostname or "leer-kracht.local"
    return f"kring-bijeenkomst-{meeting_id}@{host}"


def meeting_calendar(
    circle: dict,
    meeting: dict,
    *,
    base_url: str,
    organizer: str,
    region: str,
    url: str,
    method_title: str = "",
) -> str:
    """The meeting as an iCalendar text: REQUEST while it goes ahead, CANCEL when cancelled."""
    cancelled = bool(meeting.get("cancelled_at"))
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Leer-Kracht//Leerkrachtkring//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    cal.add_component(icalendar.Timezone.from_ical(VTIMEZONE))
    start = clock.local(meeting["starts_at"])  # aware, Europe/Amsterdam
    event = icalendar.Event()
    event.add("uid", uid(meeting["id"], base_url))
    event.add("dtstamp", clock.now())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=int(meeting["minutes"])))
    event.add("sequence", int(meeting["sequence"]))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", f"{circle['name']} (leerkrachtkring)")
    place = meeting.get("place") or circle.get("place") or ""
    if place:
        event.add("location", place)
    lines = []
    if method_title:
        lines.append(f"Methode: {method_title}")
    if meeting.get("agenda"):
        lines.append(meeting["agenda"])
    lines.append(f"In de portal: {url}")
    event.add("description", "\n\n".join(lines))
    event.add("url", url)
    event.add("organizer", icalendar.vCalAddress(f"mailto:{organizer}"), parameters={"cn": region})
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")
