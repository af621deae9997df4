"""Bad input, derived from the example and from `kansli schema minutes`: exit 1, a named message, nothing lost."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_MINUTES_JSON, Run, snapshot

from pipeline.cli import main
from pipeline.engines.base import ENGINES, Engine
from pipeline.errors import EngineError


def _schema() -> dict[str, Any]:
    """Return the schema exactly as `kansli schema minutes` prints it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["schema", "minutes"]) == 0
    schema: dict[str, Any] = json.loads(out.getvalue())
    return schema


SCHEMA = _schema()


def _rich_seed() -> dict[str, Any]:
    """Return the seed example plus one agenda item holding every kind of block and every optional field."""
    data: dict[str, Any] = json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8"))
    data["frånvarande"][0].update({"roll": "vice ordförande", "digitalt": False})
    data["punkter"].append({"rubrik": "Allt på en gång", "innehåll": [
        "Ett stycke.",
        {"rubrik": "En underrubrik"},
        {"punktlista": ["ett", {"text": "två", "underpunkter": ["två a", {"text": "två b", "underpunkter": ["i"]}]}]},
        {"numrerad_lista": ["ett", {"text": "två", "underpunkter": ["två a"]}]},
        {"diskussion": ["Sagt.", {"uppdrag": {"vem": "Mats Bergström", "att": "ringa"}},
                        {"punktlista": ["p"]}, {"numrerad_lista": ["n"]}]},
        {"beslut": ["Beslutat.", {"punktlista": ["p"]}, {"numrerad_lista": ["n"]}]},
        {"uppdrag": {"vem": "Johan Westin", "att": "skriva", "senast": "2023-11-30"}},
        {"utestående": ["gammalt", {"text": "äldre", "underpunkter": ["äldst"]}]},
    ]})
    return data


SEED = _rich_seed()
Loc = tuple[str | int, ...]


def _where(loc: Loc) -> str:
    """Return *loc* written the way kansli names a field: punkter[3].innehåll[2].beslut[0]."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _branch(schema: dict[str, Any], value: Any) -> tuple[dict[str, Any], bool]:
    """Return the branch of a union *schema* that *value* takes, and whether it is a tagged block."""
    options = schema.get("oneOf") or schema.get("anyOf")
    if not options:
        return _resolve(schema), False
    kinds = {str: "string", bool: "boolean", dict: "object", type(None): "null"}
    for option in map(_resolve, options):
        if option.get("type") != kinds.get(type(value)):
            continue
        if isinstance(value, dict) and not set(value) <= set(option["properties"]):
            continue
        tagged = isinstance(value, dict) and "oneOf" in schema and len(option.get("required", [])) == 1 \
            and option["required"] == list(value)[:1]
        return option, tagged
    raise AssertionError(f"no branch of {schema} takes {value!r}")


@dataclass(frozen=True)
class Place:
    """One value of the seed, where it is, and what the schema says about it."""

    loc: Loc
    value: Any
    schema: dict[str, Any]
    tagged: bool  # an object like {"beslut": [...]}: its one key says what kind of block it is


def _places(value: Any, schema: dict[str, Any], loc: Loc = ()) -> Iterator[Place]:
    schema, tagged = _branch(schema, value)
    yield Place(loc, value, schema, tagged)
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _places(sub, schema["properties"][key], (*loc, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _places(sub, schema["items"], (*loc, i))


def _distinct(places: Iterator[Place]) -> list[Place]:
    """Return one place per position in the schema (punkter[*].innehåll[*] once), the first found."""
    seen: dict[str, Place] = {}
    for place in places:
        key = re.sub(r"\[\d+\]", "[*]", _where(place.loc))
        seen.setdefault(f"{key}:{type(place.value).__name__}:{sorted(place.value)[:1] if isinstance(place.value, dict) else ''}",
                        place)
    return list(seen.values())


PLACES = _distinct(_places(SEED, SCHEMA))
OBJECTS = [p for p in PLACES if isinstance(p.value, dict)]


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def _id(place: Place) -> str:
    return _where(place.loc) or "(roten)"


# --- the harness ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder holding an earlier good möte.docx and möte.pdf (the rich seed, default engine)."""
    folder = tmp_path_factory.mktemp("tidigare")
    source = folder / "möte.json"
    source.write_text(json.dumps(SEED, ensure_ascii=False), encoding="utf-8")
    assert main(["minutes", str(source), "-o", str(folder / "ut")]) == 0
    return folder / "ut"


@dataclass
class Setup:
    """A bad input named like the earlier output, and the folder that earlier output sits in."""

    path: Path
    out: Path
    before: dict[str, bytes]


@pytest.fixture
def setup(tmp_path: Path, earlier: Path) -> Setup:
    out = tmp_path / "ut"
    shutil.copytree(earlier, out)
    return Setup(tmp_path / "möte.json", out, snapshot(out))


def _refused(kansli: Callable[..., Run], s: Setup, *expected: str, code: int = 1) -> None:
    """Run minutes and check on s.path; both must fail with *code*, name the file and say *expected*."""
    for args in (("minutes", s.path, "-o", s.out), ("check", s.path)):
        run = kansli(*args)
        assert run.code == code, f"{args[0]}: exit {run.code}\n{run.err}"
        assert str(s.path) in run.err, run.err
        for text in expected:
            assert text in run.err, f"{args[0]}: {text!r} not in\n{run.err}"
        assert "Traceback" not in run.err and "internt fel" not in run.err, run.err
        assert snapshot(s.out) == s.before  # nothing new, nothing changed, no .kansli-* staging folder


def _write(s: Setup, data: Any) -> None:
    s.path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_the_rich_seed_itself_is_fine(earlier: Path) -> None:
    assert sorted(p.name for p in earlier.iterdir()) == ["möte.docx", "möte.pdf"]
    assert len(PLACES) > 40 and {p.schema.get("title") for p in OBJECTS} >= {
        "AgendaItem", "Assignment", "Decision", "Discussion", "ListItem", "NextMeeting", "Outstanding", "Person"}


# --- derived from the schema: every place, every kind of mistake -------------------------------------

WRONG = {str: 12345, bool: "ja", list: "text", dict: ["en lista"]}


@pytest.mark.parametrize("place", [p for p in PLACES if p.loc and type(p.value) in WRONG], ids=_id)
def test_wrong_type_names_the_field(kansli: Callable[..., Run], setup: Setup, place: Place) -> None:
    data = copy.deepcopy(SEED)
    parent = _get(data, place.loc[:-1])
    parent[place.loc[-1]] = WRONG[type(place.value)]
    _write(setup, data)
    _refused(kansli, setup, "1 fel i filen", f"{_where(place.loc)}: väntade", "fick")


@pytest.mark.parametrize("place", OBJECTS, ids=_id)
def test_missing_required_fields_are_named(kansli: Callable[..., Run], setup: Setup, place: Place) -> None:
    required = [key for key in place.schema.get("required", []) if key in place.value]
    if not required:
        pytest.skip("nothing required here")
    for key in required:
        data = copy.deepcopy(SEED)
        del _get(data, place.loc)[key]
        _write(setup, data)
        if place.tagged:  # {"beslut": …} without "beslut" is no kind of block at all
            _refused(kansli, setup, "1 fel i filen", f"{_where(place.loc)}: ")
        else:
            _refused(kansli, setup, "1 fel i filen", f"{_where((*place.loc, key))}: fältet saknas")


@pytest.mark.parametrize("place", OBJECTS, ids=_id)
def test_unknown_fields_are_named(kansli: Callable[..., Run], setup: Setup, place: Place) -> None:
    data = copy.deepcopy(SEED)
    _get(data, place.loc)["okänt_fält"] = True
    _write(setup, data)
    _refused(kansli, setup, "1 fel i filen", _where(place.loc), "okänt fält 'okänt_fält'")


@pytest.mark.parametrize("place", [p for p in OBJECTS if not p.tagged], ids=_id)
def test_misspelt_fields_get_a_suggestion(kansli: Callable[..., Run], setup: Setup, place: Place) -> None:
    for key in [k for k in place.value if len(k) >= 5 and k != "$schema"]:
        data = copy.deepcopy(SEED)
        obj = _get(data, place.loc)
        obj[key[:-1]] = obj.pop(key)
        _write(setup, data)
        _refused(kansli, setup, f"okänt fält {key[:-1]!r}; menade du {key!r}?")


@pytest.mark.parametrize("place", [p for p in OBJECTS if p.tagged], ids=_id)
def test_misspelt_block_kinds_list_the_kinds(kansli: Callable[..., Run], setup: Setup, place: Place) -> None:
    data = copy.deepcopy(SEED)
    obj = _get(data, place.loc)
    (key,) = obj
    obj[key + "x"] = obj.pop(key)
    _write(setup, data)
    _refused(kansli, setup, f"{_where(place.loc)}: okänd sorts innehåll", key)


@pytest.mark.parametrize(("block", "kinds"), [
    ({"rubrik": "Beslut om budget", "punktlista": ["a"]}, ("punktlista", "rubrik")),
    ({"beslut": ["a"], "diskussion": ["b"]}, ("beslut", "diskussion")),
    ({"uppdrag": {"vem": "Mats Bergström", "att": "ringa"}, "utestående": ["x"]}, ("utestående", "uppdrag")),
], ids=["rubrik+punktlista", "beslut+diskussion", "uppdrag+utestående"])
def test_two_kinds_of_content_in_one_object(kansli: Callable[..., Run], setup: Setup, block: dict[str, Any],
                                            kinds: tuple[str, str]) -> None:
    data = copy.deepcopy(SEED)
    data["punkter"][1]["innehåll"].append(block)
    _write(setup, data)
    extra, tag = kinds
    _refused(kansli, setup, "1 fel i filen", f"punkter[1].innehåll[1].{tag}.{extra}: '{extra}' kan inte stå i "
             f"samma objekt som '{tag}'", "eget objekt")


def test_several_mistakes_are_listed_together(kansli: Callable[..., Run], setup: Setup) -> None:
    data = copy.deepcopy(SEED)
    data["datum"] = "2023-02-30"
    data["deltagare"][1]["digitalt"] = "ja"
    data["punkter"][3]["innehåll"][1] = 7
    del data["plats"]
    _write(setup, data)
    _refused(kansli, setup, "4 fel", "datum: datumet finns inte: 2023-02-30", "deltagare[1].digitalt",
             "punkter[3].innehåll[1]", "plats: fältet saknas")


# --- values that look right and are not ----------------------------------------------------------------

VALUES: list[tuple[Loc, Any, str]] = [
    (("datum",), "2023-02-30", "datum: datumet finns inte: 2023-02-30"),
    (("datum",), "2023-13-01", "datum: datumet finns inte: 2023-13-01"),
    (("datum",), "27/10/2023", "datum: väntade ett datum som \"2023-10-27\""),
    (("datum",), 20231027, "datum: väntade ett datum som \"2023-10-27\", fick 20231027"),
    (("datum",), 0, "datum: väntade ett datum"),
    (("nästa_möte", "datum"), "2023-11-31", "nästa_möte.datum: datumet finns inte: 2023-11-31"),
    (("punkter", 13, "innehåll", 6, "uppdrag", "senast"), "2024-02-30",
     "punkter[13].innehåll[6].uppdrag.senast: datumet finns inte: 2024-02-30"),
    (("start",), "25:00", "start: väntade en tid som \"08:30\", fick \"25:00\""),
    (("slut",), "11:60", "slut: väntade en tid"),
    (("start",), "8", "start: väntade en tid"),
    (("start",), 830, "start: väntade en tid som \"08:30\", fick 830"),
    (("start",), "08:30Z", "start: väntade en tid"),
    (("nästa_möte", "start"), 8.5, "nästa_möte.start: väntade en tid"),
    (("start",), 10**30, "start: väntade en tid"),
    (("deltagare", 0, "digitalt"), 10**30, "deltagare[0].digitalt: väntade true eller false"),
    (("punkter",), [], "punkter: listan är tom"),
    # an empty "deltagare" makes the file a kallelse (contract v2): `check` accepts it, `minutes` refuses it
    # (tests/test_meeting_agenda.py)
    (("punkter", 3, "innehåll", 2, "punktlista"), [], "punkter[3].innehåll[2].punktlista: listan är tom"),
    (("slut",), "08:00", "slut: mötet slutar (08:00) innan det börjar (08:30)"),
    (("nästa_möte", "datum"), "2023-10-01", "nästa_möte.datum: nästa möte (2023-10-01) ligger inte efter"),
    (("justerare",), "Okänd Person", "justerare: justeraren 'Okänd Person' finns inte bland deltagarna"),
]


@pytest.mark.parametrize(("loc", "value", "expected"), VALUES, ids=[f"{_where(v[0])}={v[1]!r}"[:60] for v in VALUES])
def test_values_that_do_not_exist(kansli: Callable[..., Run], setup: Setup, loc: Loc, value: Any,
                                  expected: str) -> None:
    data = copy.deepcopy(SEED)
    _get(data, loc[:-1])[loc[-1]] = value
    _write(setup, data)
    _refused(kansli, setup, expected)


# --- files that are not JSON, or not quite ----------------------------------------------------------------

TEXT = json.dumps(SEED, ensure_ascii=False, indent=2)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _column_of(text: str, needle: str) -> int:
    at = text.index(needle)
    return at - text.rfind("\n", 0, at)


def _deep_items(depth: int) -> bytes:
    item = '"botten"'
    for _ in range(depth):
        item = '{"text": "nivå", "underpunkter": [' + item + "]}"
    data = TEXT.replace('"punktlista": [\n', '"punktlista": [\n' + item + ",\n", 1)
    return data.encode("utf-8")


START, NEW_MEETING, REMOTE = '"start"', '"Nytt möte"', '"digitalt": true'

RAW: list[tuple[str, bytes, str]] = [
    ("missing comma", TEXT.replace('"2023-10-27",', '"2023-10-27"', 1).encode(),
     f"rad {_line_of(TEXT, START)}, kolumn 3: JSON-syntaxfel: kommatecken saknas"),
    ("trailing comma", TEXT.replace('"Magnus Gyllestad avslutar mötet."', '"Magnus Gyllestad avslutar mötet.",').encode(),
     "JSON-syntaxfel: fältnamn ska stå inom dubbla citattecken (eller ett kommatecken för mycket före })"),
    ("trailing comma in list", TEXT.replace('"Nytt möte"', '"Nytt möte",', 1).encode(),
     f"rad {_line_of(TEXT, NEW_MEETING) + 1}"),
    ("unterminated string", TEXT[: TEXT.index("Huddinge kommunhus") + 8].encode(),
     f"rad {_line_of(TEXT, 'Huddinge kommunhus')}, kolumn 12: JSON-syntaxfel: en text saknar sitt avslutande"),
    ("truncated", TEXT[:5000].rsplit(",", 1)[0].encode(), "JSON-syntaxfel"),
    ("single quotes", TEXT.replace('"organ"', "'organ'", 1).encode(), "rad 3, kolumn 3: JSON-syntaxfel"),
    ("comment", TEXT.replace("{\n", "{\n  // möte\n", 1).encode(), "rad 2, kolumn 3: JSON-syntaxfel"),
    ("newline in a string", TEXT.replace("Huddinge kommunhus, lokal", "Huddinge kommunhus,\nlokal", 1).encode(),
     "otillåtet tecken (t.ex. tabb eller radbrytning) inuti en text"),
    ("bad escape", TEXT.replace("lokal Valhall", "lokal \\Valhall", 1).encode(), "ogiltig \\-sekvens"),
    ("two BOMs", b"\xef\xbb\xbf\xef\xbb\xbf" + TEXT.encode(), "BOM"),
    ("cp1252", TEXT.encode("cp1252", errors="replace"),
     f"rad {_line_of(TEXT, 'Södertörns')}, kolumn {_column_of(TEXT, 'Södertörns') + 1}: filen är inte sparad "
     "som UTF-8 (troligen Windows-1252/ANSI, där tecknet är »ö«); spara om den som UTF-8"),
    ("latin-1 in one string", TEXT.encode().replace(b"Valhall", "Valhäll".encode("latin-1")),
     f"rad {_line_of(TEXT, 'Valhall')}, kolumn {_column_of(TEXT, 'Valhall') + 4}: filen är inte sparad som UTF-8 "
     "(troligen Windows-1252/ANSI, där tecknet är »ä«)"),
    ("UTF-16 with BOM", TEXT.encode("utf-16"), "UTF-16"),
    ("UTF-16 without BOM", TEXT.encode("utf-16-le"), "UTF-16"),
    ("empty", b"", "filen är tom"),
    ("only whitespace", b" \n\t\n", "filen är tom"),
    ("only a BOM", b"\xef\xbb\xbf", "filen är tom"),
    ("NUL bytes", b"\x00" * 64, "nollbyte"),
    ("PNG", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "ingen textfil"),
    ("random bytes", bytes((i * 197 + 11) % 256 for i in range(4096)), "möte.json"),
    ("a .docx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "ingen textfil"),
    ("array", b"[1, 2, 3]", "filen ska innehålla ett JSON-objekt"),
    ("string", b'"minnesanteckningar"', "filen ska innehålla ett JSON-objekt"),
    ("null", b"null", "filen ska innehålla ett JSON-objekt"),
    ("number", b"12", "filen ska innehålla ett JSON-objekt"),
    ("two objects", (TEXT + "\n{}").encode(), "något står efter JSON-objektets slut"),
    ("duplicate key", TEXT.replace('"plats": "Huddinge', '"plats": "x",\n  "plats": "Huddinge', 1).encode(),
     "fältet 'plats' står två gånger"),
    ("deep arrays", b'{"punkter": ' + b"[" * 40_000 + b"]" * 40_000 + b"}", "för djupt nästlad"),
    ("deep objects", b'{"a": ' * 40_000 + b"1" + b"}" * 40_000, "för djupt nästlad"),
    ("too many objects", b'{"punkter": [' + b"{}," * 60_000 + b"{}]}", "filen har 60 003 objekt och listor"),
    ("deep valid items", _deep_items(300), "punkter[3].innehåll[2].punktlista[0]: för djupt nästlat"),
    ("5000-digit number", TEXT.replace('"digitalt": true', '"digitalt": 1' + "0" * 5000, 1).encode(),
     f"rad {_line_of(TEXT, REMOTE)}, kolumn {_column_of(TEXT, REMOTE) + len(REMOTE) - 4}: talet är för långt (5001 siffror)"),
    ("1e999", TEXT.replace('"digitalt": true', '"digitalt": 1e999', 1).encode(),
     f"rad {_line_of(TEXT, REMOTE)}, kolumn {_column_of(TEXT, REMOTE) + len(REMOTE) - 4}: talet 1e999 är för stort"),
    ("NaN", TEXT.replace('"Huddinge kommunhus, lokal Valhall"', "NaN", 1).encode(), "NaN är inget tal i JSON"),
    ("-Infinity", TEXT.replace('"digitalt": true', '"digitalt": -Infinity', 1).encode(), "-Infinity är inget tal"),
    ("UTF-32", TEXT.encode("utf-32"), "sparad som UTF-32"),
    ("UTF-32 without a BOM", TEXT.encode("utf-32-le"), "sparad som UTF-32"),
    ("UTF-16 without a BOM", TEXT.encode("utf-16-be"), "sparad som UTF-16"),
    ("half an emoji", TEXT.replace("Magnus Gyllestad hälsar", "Magnus \\ud83d hälsar", 1).encode(),
     "punkter[0].innehåll[0]: ogiltig \\u-sekvens"),
    ("half an emoji in a key", TEXT.replace('"organ"', '"org\\udc00an"', 1).encode(), "ogiltig \\u-sekvens"),
]


@pytest.mark.parametrize(("raw", "expected"), [r[1:] for r in RAW], ids=[r[0] for r in RAW])
def test_broken_files_are_refused(kansli: Callable[..., Run], setup: Setup, raw: bytes, expected: str) -> None:
    setup.path.write_bytes(raw)
    _refused(kansli, setup, expected)


def test_a_utf8_bom_is_fine(kansli: Callable[..., Run], setup: Setup) -> None:
    setup.path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert kansli("check", setup.path).code == 0
    assert kansli("minutes", setup.path, "-o", setup.out, "--no-pdf").code == 0


def test_a_directory_is_a_usage_error(kansli: Callable[..., Run], setup: Setup) -> None:
    setup.path.mkdir()
    _refused(kansli, setup, "är en mapp", code=2)


def test_a_missing_file_is_named(kansli: Callable[..., Run], setup: Setup) -> None:
    for args in (("minutes", setup.path, "-o", setup.out), ("check", setup.path)):
        run = kansli(*args)
        assert run.code in (1, 2) and str(setup.path) in run.err and "Traceback" not in run.err
    assert snapshot(setup.out) == setup.before


def test_an_unreadable_file_is_named(kansli: Callable[..., Run], setup: Setup) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    setup.path.write_text(TEXT, encoding="utf-8")
    setup.path.chmod(0)
    _refused(kansli, setup, "kan inte läsa filen")


def test_check_goes_on_after_a_bad_file(kansli: Callable[..., Run], tmp_path: Path) -> None:
    good, bad = tmp_path / "bra.json", tmp_path / "dålig.json"
    good.write_text(TEXT, encoding="utf-8")
    bad.write_text(TEXT.replace('"2023-10-27"', '"2023-02-30"', 1), encoding="utf-8")
    run = kansli("check", bad, good)
    assert run.code == 1
    assert f"ok: {good}" in run.out and f"{bad}: 1 fel" in run.err and "datumet finns inte" in run.err


# --- kansli pdf and kansli schema ------------------------------------------------------------------------

def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.fixture
def bad_docxs(tmp_path: Path, earlier: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    docx = (earlier / "möte.docx").read_bytes()
    made = {
        "empty": b"",
        "not a zip": b"PK\x03\x04 inte en zip",
        "json": TEXT.encode(),
        "truncated": docx[: len(docx) // 2],
    }
    paths = {}
    for name, data in made.items():
        paths[name] = folder / f"{name.replace(' ', '-')}.docx"
        paths[name].write_bytes(data)
    paths["zip without document"] = folder / "zip.docx"
    _zip(paths["zip without document"], {"hej.txt": b"hej"})
    paths["broken document.xml"] = folder / "xml.docx"
    with zipfile.ZipFile(earlier / "möte.docx") as src:
        members = {n: src.read(n) for n in src.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:500]
    _zip(paths["broken document.xml"], members)
    paths["not docx"] = folder / "anteckningar.txt"
    paths["not docx"].write_text("hej", encoding="utf-8")
    return paths


@pytest.mark.parametrize("kind", ["empty", "not a zip", "json", "truncated", "zip without document",
                                  "broken document.xml", "not docx"])
def test_pdf_refuses_broken_documents(kansli: Callable[..., Run], bad_docxs: dict[str, Path], earlier: Path,
                                      tmp_path: Path, kind: str) -> None:
    path = bad_docxs[kind]
    out = tmp_path / "pdf"
    out.mkdir()
    shutil.copy(earlier / "möte.pdf", out / f"{path.stem}.pdf")  # an earlier PDF by the same name
    before = snapshot(out)
    run = kansli("pdf", path, "-o", out)
    assert run.code == 1, run.err
    assert str(path) in run.err and "Traceback" not in run.err and "internt fel" not in run.err, run.err
    assert snapshot(out) == before


def test_pdf_of_a_directory_is_a_usage_error(kansli: Callable[..., Run], tmp_path: Path) -> None:
    folder = tmp_path / "mapp.docx"
    folder.mkdir()
    run = kansli("pdf", folder, "-o", tmp_path / "pdf")
    assert run.code == 2 and str(folder) in run.err and "Traceback" not in run.err
    assert not (tmp_path / "pdf").exists()


def test_schema_usage_errors(kansli: Callable[..., Run], tmp_path: Path) -> None:
    assert kansli("schema", "mötet").code == 2
    run = kansli("schema", "minutes", "-o", tmp_path)
    assert run.code == 2 and "Traceback" not in run.err


def test_schema_into_an_impossible_place_is_named(kansli: Callable[..., Run], tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "minutes.schema.json"
    run = kansli("schema", "minutes", "-o", target)
    assert run.code == 1 and str(blocker) in run.err and "Traceback" not in run.err
    assert blocker.read_text(encoding="utf-8") == "x"


# --- a run that fails late (in the PDF engine) still leaves nothing behind --------------------------------

class BrokenEngine(Engine):
    """An engine that writes half a PDF and then fails the way it was told to (see FAILURES)."""

    name = "trasig"
    failure: BaseException = RuntimeError("boom")

    def check(self) -> None:
        """Nothing to check."""

    def convert(self, docx: Path, pdf: Path) -> Path:
        """Write half a PDF, then fail."""
        pdf.write_bytes(b"%PDF-1.7\n% half a file")
        raise BrokenEngine.failure


FAILURES: list[tuple[BaseException, int, str]] = [
    (EngineError("motorn gav upp"), 1, "motorn gav upp"),
    (RuntimeError("en bugg i motorn"), 1, "internt fel: RuntimeError: en bugg i motorn"),
    (OSError(28, "No space left on device"), 1, "disken är full"),
    (KeyboardInterrupt(), 130, "avbrutet"),
]


@pytest.mark.parametrize(("failure", "code", "said"), FAILURES, ids=["EngineError", "bug", "disk full", "Ctrl-C"])
def test_a_late_failure_leaves_the_earlier_output_untouched(kansli: Callable[..., Run], setup: Setup,
                                                            monkeypatch: pytest.MonkeyPatch, failure: BaseException,
                                                            code: int, said: str) -> None:
    monkeypatch.setitem(ENGINES, "trasig", f"{__name__}:BrokenEngine")
    monkeypatch.setattr(BrokenEngine, "failure", failure)
    setup.path.write_text(TEXT, encoding="utf-8")
    for args in (("minutes", setup.path, "-o", setup.out, "--engine", "trasig"),
                 ("pdf", setup.out / "möte.docx", "--engine", "trasig")):
        run = kansli(*args)
        assert run.code == code and said in run.err and "Traceback" not in run.err, run.err
        assert snapshot(setup.out) == setup.before


def test_pdf_never_overwrites_a_signed_pdf(kansli: Callable[..., Run], setup: Setup) -> None:
    signed = setup.out / "möte.pdf"
    signed.write_bytes(signed.read_bytes() + b"\n% /ByteRange [0 1 2 3]\n")  # what a signature leaves
    before = snapshot(setup.out)
    run = kansli("pdf", setup.out / "möte.docx")
    assert run.code == 1 and str(signed) in run.err and "signerad" in run.err and "--force" in run.err
    assert snapshot(setup.out) == before
    assert kansli("pdf", setup.out / "möte.docx", "--force").code == 0
    assert signed.read_bytes() != before["möte.pdf"]


def test_a_late_failure_takes_away_the_output_folder_it_made(kansli: Callable[..., Run], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ENGINES, "trasig", f"{__name__}:BrokenEngine")
    monkeypatch.setattr(BrokenEngine, "failure", EngineError("motorn gav upp"))
    source = tmp_path / "möte.json"
    source.write_text(TEXT, encoding="utf-8")
    run = kansli("minutes", source, "-o", tmp_path / "ny" / "mapp", "--engine", "trasig")
    assert run.code == 1 and "motorn gav upp" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["möte.json"]
    assert kansli("minutes", source, "-o", tmp_path / "ny" / "mapp", "--no-pdf").code == 0
    assert [p.name for p in (tmp_path / "ny" / "mapp").iterdir()] == ["möte.docx"]


def test_a_huge_file_is_refused_before_it_is_read(kansli: Callable[..., Run], setup: Setup) -> None:
    with setup.path.open("wb") as fh:  # sparse: 60 MB on paper, nothing on disk
        fh.truncate(60 * 1024 * 1024)
    _refused(kansli, setup, "filen är för stor (60 MB)")
