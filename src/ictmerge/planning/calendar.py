"""Working-day calendars: the public holidays a schedule skips."""

from __future__ import annotations

import datetime as dt

#: Source of the Latvian holidays below.
LV_HOLIDAYS_SOURCE = (
    "source: likums 'Par svētku, atceres un atzīmējamām dienām', 2. pants (public holidays; "
    "4 May and 18 November move to the next Monday when they fall on a weekend)"
)


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _next_monday_if_weekend(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def latvian_holidays(year: int) -> set[dt.date]:
    """Public holidays of Latvia in a year."""
    easter = easter_sunday(year)
    days = {
        dt.date(year, 1, 1), easter - dt.timedelta(days=2), easter + dt.timedelta(days=1),
        dt.date(year, 5, 1), _next_monday_if_weekend(dt.date(year, 5, 4)),
        dt.date(year, 6, 23), dt.date(year, 6, 24),
        _next_monday_if_weekend(dt.date(year, 11, 18)),
        dt.date(year, 12, 24), dt.date(year, 12, 25), dt.date(year, 12, 26),
        dt.date(year, 12, 31),
    }
    return days


def holidays_between(country: str, start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """Holidays of the country between two dates (none known for other countries yet)."""
    if country.upper() != "LV":
        return frozenset()
    days: set[dt.date] = set()
    for year in range(start.year, end.year + 2):
        days |= latvian_holidays(year)
    return frozenset(days)
