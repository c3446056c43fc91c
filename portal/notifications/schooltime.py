"""School hours: the clock that escalation runs on.

Only the hours of the school day (a setting, default 08:30-15:00 Europe/Amsterdam) on
school days count: not weekends, not Dutch public holidays, not the region's school
holidays (noord / midden / zuid, from the ``holidays`` package), not the extra days off
a region sets. A question asked on Friday at 16:00 has waited 0 school hours on Monday
at 08:30.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from .. import clock

SUBDIVISIONS = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}


@dataclass(frozen=True)
class SchoolCalendar:
    start: time
    end: time
    region: str = "midden"
    extra_days_off: frozenset[date] = frozenset()

    @classmethod
    def from_config(cls, config) -> "SchoolCalendar":
        first, last = config.get("SCHOOL_DAY", "08:30-15:00").split("-")
        return cls(
            start=time.fromisoformat(first),
            end=time.fromisoformat(last),
            region=config.get("SCHOOL_REGION", "midden"),
            extra_days_off=frozenset(parse_days_off(config.get("SCHOOL_HOLIDAYS", ""))),
        )

    def day_off(self, day: date) -> str | None:
        """Why ``day`` is no school day (Dutch), or None when it is one."""
        if day.weekday() >= 5:
            return "weekend"
        if day in self.extra_days_off:
            return "vrije dag van de regio"
        return _holidays(self.region, day.year).get(day)

    def is_school_day(self, day: date) -> bool:
        return self.day_off(day) is None

    def hours_between(self, start: datetime | str, end: datetime | str) -> float:
        """School hours between two moments."""
        first, last = clock.local(start), clock.local(end)
        if last <= first:
            return 0.0
        total = 0.0
        day = first.date()
        while day <= last.date():
            if self.is_school_day(day):
                opens = datetime.combine(day, self.start, tzinfo=clock.AMSTERDAM)
                closes = datetime.combine(day, self.end, tzinfo=clock.AMSTERDAM)
                overlap = min(closes, last) - max(opens, first)
                total += max(0.0, overlap.total_seconds() / 3600)
            day += timedelta(days=1)
        return total


@cache
def _holidays(region: str, year: int) -> dict:
    """Public holidays and the region's school holidays of one year, in Dutch."""
    return dict(
        holidays.country_holidays(
            "NL",
            subdiv=SUBDIVISIONS[region],
            years=year,
            categories=("public", "school"),
            language="nl",
        )
    )


def parse_days_off(spec: str) -> list[date]:
    """'2027-02-14..2027-02-22,2027-06-11' -> every day in those ranges (inclusive)."""
    days = []
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        first, _, last = part.partition("..")
        day, stop = date.fromisoformat(first.strip()), date.fromisoformat((last or first).strip())
        while day <= stop:
            days.append(day)
            day += timedelta(days=1)
    return days
