"""Dutch dates and numbers in Europe/Amsterdam time, one way to write timestamps."""

from datetime import UTC, datetime

import pytest

from portal import clock


def test_stamps_are_utc_and_read_back():
    moment = datetime(2026, 12, 1, 13, 5, tzinfo=UTC)
    assert clock.stamp(moment) == "2026-12-01T13:05:00Z"
    assert clock.parse("2026-12-01T13:05:00Z") == moment
    with pytest.raises(ValueError):
        clock.stamp(datetime(2026, 12, 1, 13, 5))  # a naive moment is a bug


def test_pages_show_dutch_dates_in_amsterdam_time():
    assert clock.datum("2026-12-01T13:05:00Z") == "1 december 2026"
    assert clock.datum_tijd("2026-12-01T13:05:00Z") == "1 december 2026, 14:05"  # winter: +1
    assert clock.datum_tijd("2026-07-01T13:05:00Z") == "1 juli 2026, 15:05"  # summer: +2
    assert clock.datum_tijd("2026-12-31T23:30:00Z") == "1 januari 2027, 00:30"
    # A planned event is the wall-clock time people agreed on.
    assert clock.dag_datum_tijd("2027-01-15T19:30") == "vrijdag 15 januari 2027, 19:30"
    assert clock.datum("2026-12-01") == "1 december 2026"


def test_numbers_have_a_decimal_comma():
    assert clock.getal(3.5) == "3,5"
    assert clock.getal(1234.5) == "1.234,5"
    assert clock.getal(12) == "12"
    assert clock.duur(3.5) == "3,5 uur" and clock.duur(0.25) == "15 minuten"
    assert clock.duur(60) == "2,5 dagen" and clock.duur(None) == "–"
    assert clock.procent(0.426) == "43%"
