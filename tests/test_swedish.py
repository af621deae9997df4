"""Swedish formatting: dates, times, amounts and Swedish time, in one place."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from pipeline import swedish


def test_dates_times_and_amounts() -> None:
    assert swedish.long_date(date(2023, 10, 27)) == "fredag den 27 oktober 2023"
    assert swedish.long_date(date(2023, 12, 15), year=False, den=False) == "fredag 15 december"
    assert swedish.clock_span(time(8, 30), time(11)) == "kl 08.30-11.00"
    assert swedish.amount(2_102_500) == "2 102 500 kr"


def test_an_instant_is_shown_in_swedish_time_with_the_season() -> None:
    assert swedish.moment(datetime(2026, 11, 24, 5, 11, tzinfo=UTC)) == "2026-11-24 06.11 CET"
    assert swedish.moment(datetime(2026, 6, 24, 5, 11, tzinfo=UTC)) == "2026-06-24 07.11 CEST"
