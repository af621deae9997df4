"""Properties (hypothesis): every valid meeting renders with all its text; no mutation of one breaks the tool."""

from __future__ import annotations

import copy
import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_MINUTES_JSON, Run, docx_text, pdf_text, snapshot, squash
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.pdftext import normalise

# --- the documented normalisation (pipeline/model/common.py), written out again on purpose ----------

_BREAKS = re.compile(r"\r\n|\r|\v|\u2028|\u2029")
_CONTROLS = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def as_text(value: str) -> str:
    """Return free text as kansli must print it: controls gone, breaks unified, NFC."""
    return unicodedata.normalize("NFC", _CONTROLS.sub("", _BREAKS.sub("\n", value)))


def as_name(value: str) -> str:
    """Return a name as kansli must print it: like text, invisible format characters (but joiners) gone."""
    kept = "".join(ch for ch in as_text(value) if ch in "\u200c\u200d" or unicodedata.category(ch) != "Cf")
    return " ".join(kept.split())


# --- strategies for valid meetings -------------------------------------------------------------------

MARKUP = ["&", "<", ">", "\"", "'", "{{", "}}", "{%", "%}", "{_{", "}_}", "{#", "<w:t>", "&amp;", "]]>", "\\",
          "{%p if x %}", "{{ organ }}"]
ANY_CHAR = st.characters(exclude_categories=["Cs"])  # every code point that can be a str in JSON text


def texts(chars: st.SearchStrategy[str], max_size: int = 40) -> st.SearchStrategy[str]:
    """Return free text mixing *chars* with markup fragments."""
    piece = st.one_of(st.text(chars, max_size=12), st.sampled_from(MARKUP))
    return st.lists(piece, max_size=max_size // 8).map("".join)


def filled(chars: st.SearchStrategy[str], max_size: int = 40) -> st.SearchStrategy[str]:
    """Return text that surely says something (has a visible letter)."""
    return st.tuples(texts(chars, max_size), st.sampled_from("AbcÅäöXyz"), texts(chars, max_size)).map("".join)


def assignment_what(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # The sentence "X får i uppdrag att …." drops a leading "att " and moves a final .!? (documented).
    return filled(chars).filter(lambda t: not as_text(t).strip().lower().startswith("att ")
                                and as_text(t).strip()[-1:] not in ".!?")


@st.composite
def meetings(draw: st.DrawFn, chars: st.SearchStrategy[str], name_size: int = 12) -> dict[str, Any]:
    """Return a meeting that satisfies the model and the rules, with text from *chars*."""
    text, full = texts(chars), filled(chars)
    n_present = draw(st.integers(1, 5))
    n_absent = draw(st.integers(0, 3))
    # names differ in their last word (a number), so nobody is both present and absent
    names = [f"{draw(filled(chars, name_size))} {i}" for i in range(n_present + n_absent)]
    people = [{"namn": n, "organisation": draw(text), "roll": draw(text), "digitalt": draw(st.booleans())}
              for n in names]
    when = draw(st.dates(date(2000, 1, 1), date(2090, 12, 31)))
    start = draw(st.times(time(0, 0), time(22, 0))).replace(second=0, microsecond=0)
    sep = draw(st.sampled_from([":", "."]))

    present = st.sampled_from(names[:n_present])
    assignment = st.fixed_dictionaries(
        {"vem": present, "att": assignment_what(chars)},
        optional={"senast": st.integers(1, 90).map(lambda d: (when + timedelta(days=d)).isoformat())})

    items = st.recursive(text, lambda kids: st.fixed_dictionaries({"text": text, "underpunkter": st.lists(kids, max_size=2)}),
                         max_leaves=4)
    item_list = st.lists(items, min_size=1, max_size=3)
    part = st.one_of(text, item_list.map(lambda x: {"punktlista": x}), item_list.map(lambda x: {"numrerad_lista": x}),
                     assignment.map(lambda x: {"uppdrag": x}))
    block = st.one_of(
        text, full.map(lambda x: {"rubrik": x}),
        item_list.map(lambda x: {"punktlista": x}), item_list.map(lambda x: {"numrerad_lista": x}),
        st.lists(part, min_size=1, max_size=3).map(lambda x: {"diskussion": x}),
        st.lists(part, min_size=1, max_size=3).map(lambda x: {"beslut": x}),
        assignment.map(lambda x: {"uppdrag": x}),
        item_list.map(lambda x: {"utestående": x}),
    )
    data: dict[str, Any] = {
        "organ": draw(full), "datum": when.isoformat(), "start": start.strftime(f"%H{sep}%M"),
        "plats": draw(full), "deltagare": people[:n_present], "frånvarande": people[n_present:],
        "sekreterare": draw(present), "justerare": draw(present),
        "punkter": draw(st.lists(st.fixed_dictionaries({"rubrik": full, "innehåll": st.lists(block, max_size=4)}),
                                 min_size=1, max_size=4)),
        "avslutning": draw(text),
    }
    if draw(st.booleans()):
        data["slut"] = time(start.hour + 1, draw(st.integers(0, 59))).strftime("%H:%M")
    if draw(st.booleans()):
        data["nästa_möte"] = {"datum": (when + timedelta(days=draw(st.integers(1, 400)))).isoformat(),
                              "plats": draw(text), "text": draw(text)}
    return data


def expected(data: dict[str, Any]) -> list[str]:
    """Return every string of *data* that must come out, normalised as documented."""
    out: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, str):
            if key in ("datum", "start", "slut", "senast"):
                return
            out.append(as_name(value) if key in ("namn", "vem", "sekreterare", "justerare") else as_text(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)

    walk(data)
    return out


def _render(folder: Path, data: dict[str, Any], *args: str) -> int:
    source = folder / "möte.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return main(["minutes", str(source), "-o", str(folder / "ut"), *args])


PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(PROPERTY, max_examples=40)
@given(meetings(ANY_CHAR))
def test_every_valid_meeting_renders_to_a_docx_holding_all_its_text(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        assert _render(folder, data, "--no-pdf") == 0
        text = squash(docx_text(folder / "ut" / "möte.docx"))
        for wanted in expected(data):
            assert squash(wanted) in text, wanted


# What the fonts of both engines (Carlito, DejaVu Sans as fallback) draw and pypdf reads back as the
# same characters: Latin, Greek, Cyrillic and punctuation. (Emoji, CJK and RTL are in test_hostile.py.)
PDF_CHARS = st.sampled_from([chr(c) for c in [*range(0x20, 0x7F), *range(0xA1, 0x180), *range(0x391, 0x3CA),
                                              *range(0x400, 0x460)] if chr(c).isprintable() and c != 0xAD]
                            + list("–—‘’“”„…€•\t\v"))


def _in_pdf(wanted: str, pdf: str) -> bool:
    # Line breaks may fall inside a long word, so the PDF is compared with all whitespace removed.
    return "".join(normalise(wanted).split()) in pdf


@pytest.mark.slow
@settings(PROPERTY, max_examples=10)
@given(meetings(PDF_CHARS, name_size=8))
def test_every_valid_meeting_renders_to_a_pdf_holding_all_its_text(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        assert _render(folder, data) == 0
        pdf = "".join(normalise(pdf_text(folder / "ut" / "möte.pdf")).split())
        for wanted in expected(data):
            assert _in_pdf(wanted, pdf), wanted


# --- mutations of the seed -------------------------------------------------------------------------

SEED: dict[str, Any] = json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8"))
Loc = tuple[str | int, ...]


def _locs(value: Any, loc: Loc = ()) -> list[Loc]:
    out = [loc]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _locs(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _locs(v, (*loc, i))
    return out


LOCS = _locs(SEED)


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


OBJECT_LOCS = [loc for loc in LOCS if isinstance(_get(SEED, loc), dict)]
JUNK = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHAR, max_size=8),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
                    max_leaves=6)


def _spot(data: Any, loc: Loc) -> tuple[Any, Any] | None:
    """Return (container, key) of *loc* in *data*, or None when an earlier mutation took it away."""
    try:
        container = _get(data, loc[:-1])
    except (KeyError, IndexError, TypeError):
        return None
    key = loc[-1]
    if isinstance(container, dict) and key in container:
        return container, key
    if isinstance(container, list) and isinstance(key, int) and key < len(container):
        return container, key
    return None


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """Return the seed's JSON text after one random mutation (structural or of the raw bytes)."""
    data = copy.deepcopy(SEED)
    kind = draw(st.sampled_from(["delete", "retype", "junk key", "truncate", "flip", "several"]))
    rounds = draw(st.integers(2, 5)) if kind == "several" else 1
    for _ in range(rounds):
        op = draw(st.sampled_from(["delete", "retype", "junk key"])) if kind == "several" else kind
        if op in ("delete", "retype"):
            spot = _spot(data, draw(st.sampled_from(LOCS[1:])))
            if spot is not None and op == "delete":
                del spot[0][spot[1]]
            elif spot is not None:
                spot[0][spot[1]] = draw(JUNK)
        elif op == "junk key":
            loc = draw(st.sampled_from(OBJECT_LOCS))
            spot = _spot(data, loc) if loc else (data, None)
            target = spot and (spot[0][spot[1]] if spot[1] is not None else spot[0])
            if isinstance(target, dict):
                target[draw(st.text(ANY_CHAR, min_size=1, max_size=10))] = draw(JUNK)
    raw = json.dumps(data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2]))).encode(
        "utf-8", "surrogatepass")
    if kind == "truncate":
        raw = raw[: draw(st.integers(0, len(raw) - 1))]
    elif kind == "flip":
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ (1 << draw(st.integers(0, 7)))]) + raw[at + 1:]
    return raw


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder with an earlier good möte.docx (the seed)."""
    folder = tmp_path_factory.mktemp("tidigare")
    assert _render(folder, SEED, "--no-pdf") == 0
    return folder / "ut"


@settings(PROPERTY, max_examples=150,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=mutated())
def test_mutations_never_crash_nor_leave_partial_files(kansli: Callable[..., Run], earlier: Path,
                                                       raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "möte.json", Path(tmp) / "ut"
        shutil.copytree(earlier, out)
        before = snapshot(out)
        source.write_bytes(raw)
        for args in (("check", source), ("minutes", source, "-o", out, "--no-pdf")):
            run = kansli(*args)
            event(f"{args[0]}: exit {run.code}")
            assert run.code in (0, 1), run.err
            assert "Traceback" not in run.err and "internt fel" not in run.err, run.err
            if run.code == 1:
                assert str(source) in run.err
                assert snapshot(out) == before
            elif args[0] == "minutes":
                assert sorted(snapshot(out)) == ["möte.docx"]
