"""Finding personal data in text: personnummer by their checksum, phone numbers, e-mail, listed names; and what must stay."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline import swedish
from pipeline.meeting.model import Minnesanteckningar
from pipeline.meeting.personal import (
    EMAIL,
    LISTED,
    MARKER,
    PERSONNUMMER,
    PHONE,
    SAMORDNINGSNUMMER,
    Finder,
    Hit,
    Removal,
    luhn_ok,
    merge,
    redact_model,
)


def check_digit(nine: str) -> str:
    """Return the Luhn digit that completes the nine digits YYMMDDNNN (computed here, independently)."""
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return str((10 - total % 10) % 10)


@st.composite
def personnummer(draw: st.DrawFn, *, samordning: bool = False) -> str:
    """Draw a valid personnummer (or samordningsnummer) in one of the ways people write them."""
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)))
    day = born.day + (60 if samordning else 0)
    serial = draw(st.integers(0, 999))
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    ten = nine + check_digit(nine)
    century = draw(st.booleans())
    sep = draw(st.sampled_from(["-", "", "+", " ", "\u2013"] if not century else ["-", ""]))
    head = f"{born.year // 100}{ten[:6]}" if century else ten[:6]
    return f"{head}{sep}{ten[6:]}"


@st.composite
def mobile(draw: st.DrawFn) -> str:
    """Draw a Swedish mobile number written as people do: 070-123 45 67, 0701234567, +46 70 123 45 67."""
    prefix = draw(st.sampled_from(["70", "72", "73", "76", "79"]))
    digits = draw(st.text("0123456789", min_size=7, max_size=7))
    style = draw(st.sampled_from(["0{p}-{a} {b} {c}", "0{p}{a}{b}{c}", "0{p} {a} {b} {c}", "+46 {p} {a} {b} {c}",
                                  "+46{p}{a}{b}{c}", "+46 (0){p}-{a} {b} {c}", "0{p}-{a}{b}{c}", "0046 {p} {a} {b} {c}"]))
    return style.format(p=prefix, a=digits[:3], b=digits[3:5], c=digits[5:])


# ten digits with nothing between may be a valid personnummer too (0708794185): removed either way,
# named by the stronger kind
AS_NUMBER = {PHONE, PERSONNUMMER, SAMORDNINGSNUMMER}

WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzåäöÅÄÖ ,."), max_size=30)


def test_luhn_on_known_numbers() -> None:
    assert luhn_ok("8507099805") and luhn_ok("4111111111111111")
    assert not luhn_ok("8507099806")


@given(personnummer(), WORDS, WORDS)
def test_a_personnummer_is_removed_however_written(number: str, before: str, after: str) -> None:
    text = f"{before} {number} {after}"
    out, kinds, _ = Finder().redact(text)
    assert kinds == [PERSONNUMMER] and number not in out and out.count(MARKER) == 1
    assert out == f"{before} {MARKER} {after}"


@given(personnummer(samordning=True))
def test_a_samordningsnummer_is_day_plus_sixty(number: str) -> None:
    assert Finder().redact(f"Samordningsnummer {number}.")[1] == [SAMORDNINGSNUMMER]


@given(personnummer())
def test_a_number_failing_the_checksum_stays_but_is_counted(number: str) -> None:
    # written as a personnummer is written (with - or +); ten digits starting with 0 and nothing
    # between may also be a valid phone number ("0101010008" is one, in the 010 series) and goes as such
    assume("-" in number or "+" in number)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    out, kinds, near = Finder().redact(f"Ärende {wrong}")
    assert out == f"Ärende {wrong}" and kinds == [] and near == 1


def test_dates_that_do_not_exist_are_no_personnummer() -> None:
    # month 20 (an organisationsnummer), day 32, 30 February: whatever the checksum says
    for text in ("Huddinge kommun 212000-0142", "991332-1234", "000230-1239", "19000230-1233"):
        assert Finder().redact(text) == (text, [], 0)


@given(mobile(), WORDS)
def test_a_mobile_number_is_removed(number: str, around: str) -> None:
    out, kinds, _ = Finder().redact(f"Ring {number}{around and ' ' + around}")
    assert len(kinds) == 1 and set(kinds) <= AS_NUMBER and number not in out and MARKER in out


@pytest.mark.parametrize("number", ["08-123 456 78", "08-12 34 56", "08 - 123 45 67", "031-12 34 56", "0152-123 45",
                                    "(08) 123 456 78", "+46 8 123 456 78", "0046 8 123 456 78", "+46 (0)31 12 34 56",
                                    "08-535 300 00"])
def test_landlines_with_their_area_code_are_removed(number: str) -> None:
    out, kinds, _ = Finder().redact(f"tel. {number}, dagtid")
    assert kinds == [PHONE] and out == f"tel. {MARKER}, dagtid"


@given(st.lists(mobile(), min_size=2, max_size=5), st.sampled_from([" ", "  ", " - ", "\n"]))
def test_numbers_with_only_a_space_between_are_each_removed(numbers: list[str], sep: str) -> None:
    out, kinds, _ = Finder().redact(sep.join(numbers))
    assert len(kinds) == len(numbers) and set(kinds) <= AS_NUMBER and not any(ch.isdigit() for ch in out)


@pytest.mark.parametrize("address", ["anna.svensson@example.se", "A+b@sub.kommun.se", "örjan@botkyrka.se"])
def test_email_addresses_are_removed(address: str) -> None:
    assert Finder().redact(f"Mejla <{address}>.") == (f"Mejla <{MARKER}>.", [EMAIL], 0)


KEEP = [
    "Mötet 2023-10-27 kl 08.30-11.00, nästa kl 8.30 – 9.30 och 13:00-15:30.",
    "Budgeten är 2 102 500 kr, 12 345 678 kronor och 0,5 mnkr.",
    "Se KS 2023/123, Dnr KS/2023:0451, dnr 2023-00123 och ärende 2024/12345.",
    "År 2024 och 2025, vecka 47, 27/10 2023, 05-10-2023, 27.10.2023, 15 december.",
    "Paragraf § 123, sidan 12-14, 1 200 invånare, 40 procent.",
    "Verksamhetsplan 2024–2026 antogs i punkt 7.",
    "Box 123, 141 85 Huddinge; bankgiro 5050-1055; Dnr 0123-456; org.nr 212000-0142.",
]


@pytest.mark.parametrize("text", KEEP)
def test_dates_times_amounts_and_diarienummer_survive(text: str) -> None:
    assert Finder(["Anna Svensson"]).redact(text) == (text, [], 0)


@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.times(), st.integers(0, 10**13))
def test_generated_dates_times_and_amounts_survive(day: dt.date, moment: dt.time, money: int) -> None:
    text = (f"Den {swedish.long_date(day)} ({swedish.iso(day)}) {swedish.clock_span(moment, moment)} "
            f"kostade det {swedish.amount(money)}; dnr KS {day.year}/{money % 1000}.")
    assert Finder().redact(text) == (text, [], 0)


@given(st.text(st.characters(blacklist_categories=("Nd",), blacklist_characters="@")))
def test_text_without_digits_or_at_signs_is_left_as_it_is(text: str) -> None:
    assert Finder().redact(text) == (text, [], 0)


def test_listed_names_match_case_insensitively_on_word_boundaries_and_in_the_genitive() -> None:
    finder = Finder(["Anna Svensson", "Kalle"])
    out, kinds, _ = finder.redact("ANNA  SVENSSON, anna\nsvenssons hund, Kalles och KALLE:s men inte Kallestad eller Annasvensson.")
    assert out == f"{MARKER}, {MARKER} hund, {MARKER} och {MARKER} men inte Kallestad eller Annasvensson."
    assert kinds == [LISTED] * 4


@given(st.sampled_from(["Lisa Nyström", "Ali Öztürk", "O'Brien", "A. Berg"]), WORDS)
def test_a_listed_name_never_stays(name: str, around: str) -> None:
    out, _, _ = Finder([name]).redact(f"{around} {name.upper()} {around}")
    assert re.search(re.escape(name), out, re.IGNORECASE) is None


def test_overlapping_finds_become_one_named_by_the_strongest() -> None:
    assert merge([Hit(5, 10, PHONE), Hit(0, 12, PERSONNUMMER), Hit(20, 25, LISTED)]) == [
        Hit(0, 12, PERSONNUMMER), Hit(20, 25, LISTED)]
    out, kinds, _ = Finder(["kalle.anka"]).redact("kalle.anka@example.se")
    assert out == MARKER and kinds == [EMAIL]


def test_the_marker_itself_is_never_personal_data() -> None:
    assert Finder(["personuppgift"]).redact(MARKER)[1] == [LISTED]  # a silly list is obeyed...
    assert Finder().redact(MARKER) == (MARKER, [], 0)  # ...but nothing else takes the marker


def test_the_summary_counts_kinds_and_never_holds_values() -> None:
    removal = Removal(("punkter", 0, "innehåll", 1), (PHONE, PERSONNUMMER, PHONE))
    assert removal.summary() == "personnummer och 2 telefonnummer"


def test_a_model_is_cleaned_everywhere_but_names_in_a_role(minutes_data: dict[str, object]) -> None:
    minutes_data["punkter"][0]["innehåll"] = ["Cynthia Runefjärd, 070-123 45 67, ringer Cynthia Runefjärds syster."]  # type: ignore[index]
    model = Minnesanteckningar.model_validate(minutes_data)
    def role(path: tuple[str | int, ...]) -> bool:
        return path == ("justerare",) or (path[0] == "deltagare" and path[-1] == "namn")

    cleaned, removals = redact_model(model, Finder(["Cynthia Runefjärd"]), role)
    assert isinstance(cleaned, Minnesanteckningar)
    assert cleaned.justerare == "Cynthia Runefjärd" and "Cynthia Runefjärd" in [p.namn for p in cleaned.deltagare]
    assert cleaned.punkter[0].innehall == [f"{MARKER}, {MARKER}, ringer {MARKER} syster."]
    assert (removals[0].path, removals[0].kinds) == (("punkter", 0, "innehåll", 0), (LISTED, PHONE, LISTED))
    assert all(r.path[0] == "punkter" for r in removals)  # the seed's text names her too; her roles stay
    assert model.punkter[0].innehall != cleaned.punkter[0].innehall  # the original is untouched


@settings(max_examples=30)
@given(st.lists(personnummer() | mobile(), min_size=1, max_size=4))
def test_nothing_found_is_left_in_the_text(numbers: list[str]) -> None:
    text = " och ".join(numbers)
    out, kinds, _ = Finder().redact(text)
    assert len(kinds) == len(numbers) and not any(n in out for n in numbers)
