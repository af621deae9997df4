"""Swedish formatting of dates, times and amounts through Babel, and Swedish time (Europe/Stockholm)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

LOCALE = "sv_SE"
TIME_ZONE = "Europe/Stockholm"


def zone() -> tzinfo:
    """Return Swedish time (Europe/Stockholm); UTC where the time-zone database is missing."""
    try:
        return ZoneInfo(TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def in_sweden(moment: datetime) -> datetime:
    """Return *moment* (aware) as Swedish local time."""
    return moment.astimezone(zone())


def moment(value: datetime) -> str:
    """Return an instant as Swedes read it in a log or a stamp: '2026-11-24 06.11 CET'."""
    return f"{in_sweden(value):%Y-%m-%d %H.%M %Z}"


def _plain(text: str) -> str:
    # Babel's sv group separator is a no-break space; we use an ordinary space so that copied and
    # searched text ("2 102 500 kr") matches what people type. Table cells keep amounts unbroken.
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")


def capitalise(text: str) -> str:
    """Return *text* with its first letter upper-case."""
    return text[:1].upper() + text[1:]


def weekday(d: date) -> str:
    """Return the Swedish weekday of *d*: 'fredag'."""
    return str(format_date(d, "EEEE", locale=LOCALE))


def weekday_plural(d: date) -> str:
    """Return the Swedish weekday of *d* in the plural form used in calendars: 'fredagar'."""
    return weekday(d) + "ar"


def long_date(d: date, *, year: bool = True, den: bool = True) -> str:
    """Return 'fredag den 27 oktober 2023' (without 'den' / the year on request)."""
    pattern = "EEEE 'den' d MMMM" if den else "EEEE d MMMM"
    if year:
        pattern += " y"
    return str(format_date(d, pattern, locale=LOCALE))


def day_month(d: date, *, year: bool = False) -> str:
    """Return '27 oktober' (or '27 oktober 2023')."""
    return str(format_date(d, "d MMMM y" if year else "d MMMM", locale=LOCALE))


def iso(d: date) -> str:
    """Return '2023-10-27'."""
    return d.isoformat()


def clock(t: time) -> str:
    """Return '08.30'."""
    return str(format_time(t, "HH.mm", locale=LOCALE))


def clock_span(start: time, end: time | None) -> str:
    """Return 'kl 08.30-11.00', or 'kl 08.30' without an end."""
    if end is None:
        return f"kl {clock(start)}"
    return f"kl {clock(start)}-{clock(end)}"


def number(value: int | float) -> str:
    """Return '525 625'."""
    return _plain(str(format_decimal(value, locale=LOCALE)))


def amount(value: int | float) -> str:
    """Return '2 102 500 kr'."""
    return f"{number(value)} kr"
