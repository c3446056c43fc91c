"""Time in one place: UTC stamps in the database, Dutch dates and numbers on pages.

Moments that happened (a question asked, a mail sent) are stored as UTC stamps
``2026-12-01T13:05:00Z``. Planned events (a parent evening, a circle meeting) are stored as
the wall-clock time people agreed on in Europe/Amsterdam, ``2027-01-15T19:30``, so a summer
time change never moves them. Pages show both in Dutch, in Amsterdam time.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STAMP = "%Y-%m-%dT%H:%M:%SZ"
LOCAL = "%Y-%m-%dT%H:%M"

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
MONTH_ABBREVIATIONS = (
    "jan",
    "feb",
    "mrt",
    "apr",
    "mei",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def now() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


def stamp(moment: datetime | None = None) -> str:
    """Write a moment as the database's UTC stamp."""
    moment = moment or now()
    if moment.tzinfo is None:
        raise ValueError("stamp() needs an aware datetime")
    return moment.astimezone(UTC).strftime(STAMP)


def stamp_in(delta: timedelta) -> str:
    """The UTC stamp of now plus ``delta`` (negative for the past)."""
    return stamp(now() + delta)


def parse(value: str | datetime) -> datetime:
    """Read a stamp back as an aware datetime.

    A UTC stamp (``...Z``) is UTC; a stamp without a zone (a planned event) is Amsterdam
    wall-clock time.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=AMSTERDAM)
    text = value.strip().replace(" ", "T")
    if text.endswith("Z"):
        return datetime.strptime(text, STAMP).replace(tzinfo=UTC)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)


def local(value: str | datetime) -> datetime:
    """The moment in Amsterdam time."""
    return parse(value).astimezone(AMSTERDAM)


def local_stamp(moment: datetime) -> str:
    """Write a planned event's Amsterdam wall-clock time (``2027-01-15T19:30``)."""
    return moment.astimezone(AMSTERDAM).strftime(LOCAL) if moment.tzinfo else moment.strftime(LOCAL)


def hours_between(start: str | datetime, end: str | datetime) -> float:
    return (parse(end) - parse(start)).total_seconds() / 3600


# ---- Dutch for pages ---------------------------------------------------------------------


def datum(value: str | datetime | date | None) -> str:
    """``1 december 2026``."""
    if not value:
        return ""
    day = value if isinstance(value, date) and not isinstance(value, datetime) else local(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def maand(key: str) -> str:
    """``november 2026`` for the month key ``2026-11``."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def datum_tijd(value: str | datetime | None) -> str:
    """``1 december 2026, 14:05`` in Amsterdam time."""
    if not value:
        return ""
    moment = local(value)
    return f"{datum(moment)}, {moment:%H:%M}"


def dag_datum_tijd(value: str | datetime | None) -> str:
    """``dinsdag 1 december 2026, 14:05``: for planned events."""
    if not value:
        return ""
    moment = local(value)
    return f"{WEEKDAYS[moment.weekday()]} {datum_tijd(moment)}"


def getal(value: float | int | None, decimals: int = 1) -> str:
    """A number with a decimal comma (``3,5``); whole numbers without decimals."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def cel(count: int | None) -> str:
    """A count of the insight page: withheld counts (None, fewer than 5) in words."""
    return "minder dan 5" if count is None else getal(count)


def procent(share: float | None) -> str:
    """``42%`` (a share between 0 and 1)."""
    return "–" if share is None else f"{round(100 * share)}%"


def duur(hours: float | None) -> str:
    """A duration in words a teacher reads at a glance: ``3,5 uur``, ``2,5 dagen``."""
    if hours is None:
        return "–"
    if hours < 1:
        minutes = max(1, round(hours * 60))
        return f"{minutes} minu{'ut' if minutes == 1 else 'ten'}"
    if hours < 48:
        value = round(hours * 2) / 2
        return f"{getal(value)} uur"
    days = round(hours / 24 * 2) / 2
    return f"{getal(days)} dag{'en' if days != 1 else ''}"


FILTERS = {
    "datum": datum,
    "datum_tijd": datum_tijd,
    "dag_datum_tijd": dag_datum_tijd,
    "getal": getal,
    "cel": cel,
    "procent": procent,
    "duur": duur,
}


# ---- dates and times typed by people -------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y")
_TIME_FORMATS = ("%H:%M", "%H.%M", "%H%M", "%H:%M:%S")


def parse_typed(day: str, time_of_day: str = "") -> datetime:
    """A planned moment as a phone's date and time pickers send it ("2027-01-15", "19:30"),
    or as a person types it without them ("15-01-2027", "19.30", or "15-01-2027 19:30" in
    one field). Raises ValueError with a Dutch message."""
    day, time_of_day = (day or "").strip(), (time_of_day or "").strip()
    if not time_of_day and " " in day:
        day, _, time_of_day = day.partition(" ")
    if "T" in day and not time_of_day:
        day, _, time_of_day = day.partition("T")
    found_day = next((_try(day, f) for f in _DATE_FORMATS if _try(day, f)), None)
    if found_day is None:
        raise ValueError("Vul een datum in, bijvoorbeeld 15-01-2027.")
    found_time = next((_try(time_of_day, f) for f in _TIME_FORMATS if _try(time_of_day, f)), None)
    if found_time is None:
        raise ValueError("Vul een tijd in, bijvoorbeeld 19:30.")
    return datetime.combine(found_day.date(), found_time.time(), tzinfo=AMSTERDAM)


def _try(text: str, fmt: str):
    try:
        return datetime.strptime(text, fmt)
    except ValueError:
        return None
