"""Hostile and odd text through the whole CLI: literal in the .docx and the PDF, or refused by name."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_MINUTES_JSON, Run, docx_text, pdf_text, snapshot, squash

from pipeline.cli import main

# Markup of every language the road passes through: XML (Word), Jinja (docxtpl), docxtpl's own
# {_{ … }_} rewriting and its paragraph/row tags. Each must come out exactly as typed.
MARKUP = [
    "R&D <2024> & co",
    "\"dubbla\" och 'enkla' citattecken, ”typografiska” och »svenska«",
    "{{ organ }} och {{organ}} och {{ 7*7 }}",
    "{% if true %}OM{% endif %} och {%p if x %} och {%tr for r in rader %}",
    "{_{ docxtpl }_} och {_% tagg %_}",
    "{# kommentar #} och }} {{ och %} {%",
    "<w:p><w:r><w:t>inskjuten</w:t></w:r></w:p>",
    "<![CDATA[x]]> &amp; &lt;b&gt; &#65; &nbsp;",
    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]>&e;",
    "C:\\Users\\sekr\\möte.docx och \\n som text",
]


def _seed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8"))
    return data


def _every_place(data: dict[str, Any], texts: Sequence[str]) -> dict[str, Any]:
    """Return *data* with *texts* in every kind of field the secretary writes free text in."""
    texts = list(texts)
    data["organ"] = f"{data['organ']} {texts[0]}"
    data["plats"] = f"{data['plats']} {texts[1 % len(texts)]}"
    data["deltagare"][0]["organisation"] = texts[2 % len(texts)]
    data["deltagare"][0]["roll"] = texts[3 % len(texts)]
    data["frånvarande"][0]["organisation"] = texts[4 % len(texts)]
    data["punkter"].append({
        "rubrik": f"Rubrik {texts[5 % len(texts)]}",
        "innehåll": [
            *texts,
            {"rubrik": texts[6 % len(texts)]},
            {"punktlista": [texts[7 % len(texts)], {"text": texts[8 % len(texts)], "underpunkter": [
                texts[9 % len(texts)], {"text": texts[0], "underpunkter": [texts[1 % len(texts)]]}]}]},
            {"numrerad_lista": [texts[2 % len(texts)], {"text": texts[3 % len(texts)],
                                                        "underpunkter": [texts[4 % len(texts)]]}]},
            {"diskussion": [texts[5 % len(texts)], {"punktlista": [texts[6 % len(texts)]]}]},
            {"beslut": [texts[7 % len(texts)],
                        {"uppdrag": {"vem": "Helene Olofsson", "att": texts[8 % len(texts)],
                                     "senast": "2023-11-30"}}]},
            {"uppdrag": {"vem": "Magnus Gyllestad", "att": texts[9 % len(texts)]}},
            {"utestående": [texts[0], texts[1 % len(texts)]]},
        ],
    })
    data["nästa_möte"]["plats"] = texts[2 % len(texts)]
    data["nästa_möte"]["text"] = texts[3 % len(texts)]
    data["avslutning"] = texts[4 % len(texts)]
    return data


def _write(folder: Path, data: Any, name: str = "möte.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _render(folder: Path, data: dict[str, Any], *args: str) -> tuple[int, Path]:
    """Run `kansli minutes` on *data* (default engine) and return the exit code and the output folder."""
    out = folder / "ut"
    code = main(["minutes", str(_write(folder, data)), "-o", str(out), *args])
    return code, out


@pytest.fixture(scope="module")
def markup_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """Return (docx text, PDF text) of the seed with every markup string in every kind of field."""
    code, out = _render(tmp_path_factory.mktemp("markup"), _every_place(_seed(), MARKUP))
    assert code == 0
    return docx_text(out / "möte.docx"), pdf_text(out / "möte.pdf")


@pytest.mark.parametrize("text", MARKUP)
def test_markup_comes_out_literally_in_the_docx(markup_run: tuple[str, str], text: str) -> None:
    docx, _ = markup_run
    # in every place it was put: the paragraphs alone hold each text once, so expect several
    assert squash(docx).count(squash(text)) >= 3
    assert "49" not in docx and "OMoch" not in squash(docx).replace(" ", "")


@pytest.mark.parametrize("text", MARKUP)
def test_markup_comes_out_literally_in_the_pdf(markup_run: tuple[str, str], text: str) -> None:
    _, pdf = markup_run
    assert squash(pdf).count(squash(text)) >= 3


def test_markup_in_the_title_reaches_header_footer_and_pdf(markup_run: tuple[str, str]) -> None:
    docx, pdf = markup_run
    title = f"Minnesanteckningar från Södertörnskommunernas ledningsgrupp {MARKUP[0]}"
    assert title in squash(docx)
    assert title in squash(pdf)


def test_kansli_pdf_keeps_markup_of_a_docx(kansli: Callable[..., Run], tmp_path: Path) -> None:
    code, out = _render(tmp_path, _every_place(_seed(), MARKUP), "--no-pdf")
    assert code == 0
    run = kansli("pdf", out / "möte.docx", "-o", tmp_path / "pdf")
    assert run.code == 0, run.err
    text = squash(pdf_text(tmp_path / "pdf" / "möte.pdf"))
    for markup in MARKUP:
        assert squash(markup) in text


def test_check_accepts_markup(kansli: Callable[..., Run], tmp_path: Path) -> None:
    run = kansli("check", _write(tmp_path, _every_place(_seed(), MARKUP)))
    assert run.code == 0 and "ok:" in run.out


# --- control characters ---------------------------------------------------------------------------

def _paragraphs(data: dict[str, Any], *texts: str) -> dict[str, Any]:
    data["punkter"][0]["innehåll"] = list(texts)
    return data


def test_vertical_tab_is_a_line_break(tmp_path: Path) -> None:
    code, out = _render(tmp_path, _paragraphs(_seed(), "Första raden\vAndra raden", "CR\r\nLF och\rCR"))
    assert code == 0
    lines = docx_text(out / "möte.docx").splitlines()
    assert lines[lines.index("Första raden") + 1] == "Andra raden"
    assert lines[lines.index("CR") + 1: lines.index("CR") + 3] == ["LF och", "CR"]
    pdf_lines = [squash(line) for line in pdf_text(out / "möte.pdf").splitlines()]
    assert pdf_lines[pdf_lines.index("Första raden") + 1] == "Andra raden"


CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])


def test_other_control_characters_are_removed(tmp_path: Path) -> None:
    dirty = "Bo" + CONTROLS + "rd\ufffe\uffff" + "et"  # \a and \f would be docxtpl's paragraph and page breaks
    data = _paragraphs(_seed(), dirty)
    data["deltagare"].append({"namn": "Anna\x00 Berg\x1b", "organisation": "Sal\x7fem"})
    code, out = _render(tmp_path, data)
    assert code == 0
    docx = docx_text(out / "möte.docx")
    assert "Bordet" in docx.splitlines() and "Anna Berg" in docx and "Salem" in docx
    assert not set(CONTROLS) & set(docx)
    pdf = squash(pdf_text(out / "möte.pdf"))
    assert "Bordet" in pdf and "Anna Berg" in pdf and "Salem" in pdf


def test_tabs_stay_whitespace(tmp_path: Path) -> None:
    code, out = _render(tmp_path, _paragraphs(_seed(), "kolumn ett\tkolumn två"))
    assert code == 0
    assert "kolumn ett kolumn två" in squash(docx_text(out / "möte.docx"))


# --- zero-width characters, emoji, right-to-left names ----------------------------------------------

ZERO_WIDTH = "noll\u200bbredd fog\u200dning icke\u200cfog ord\u2060fog mjuk\u00adbindestreck bom\ufeffmitt"
EMOJI = "Bra möte 👍🏽 🇸🇪 👨‍👩‍👧 ✅"
ARABIC = "محمد علي"
HEBREW = "שרה כהן"


@pytest.fixture(scope="module")
def world_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """Return (docx, pdf, stderr) of the seed with zero-width text, emoji and an RTL justerare."""
    data = _paragraphs(_seed(), ZERO_WIDTH, EMOJI, f"{HEBREW} och {ARABIC} talar.")
    data["deltagare"] += [{"namn": ARABIC, "organisation": "مدينة"}, {"namn": HEBREW, "organisation": "עירייה"}]
    data["justerare"] = HEBREW
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code, out = _render(tmp_path_factory.mktemp("world"), data)
    assert code == 0, err.getvalue()
    return out / "möte.docx", out / "möte.pdf", err.getvalue()


def test_zero_width_emoji_and_rtl_are_kept_in_the_docx(world_run: tuple[Path, Path, str]) -> None:
    paragraphs = docx_text(world_run[0]).splitlines()
    for text in (ZERO_WIDTH, EMOJI, f"{HEBREW} och {ARABIC} talar.", ARABIC, HEBREW, "مدينة", "עירייה"):
        assert text in paragraphs


def _words_in_pdf(pdf: str, word: str) -> bool:
    """Return True when *word* stands in the PDF text in logical or visual (reversed) order."""
    text = unicodedata.normalize("NFKC", pdf)  # shaped Arabic comes out as presentation forms
    return word in text or word[::-1] in text


@pytest.mark.parametrize("word", [*ARABIC.split(), *HEBREW.split(), "مدينة", "עירייה"])
def test_rtl_words_are_drawn_in_the_pdf(world_run: tuple[Path, Path, str], word: str) -> None:
    pdf = pdf_text(world_run[1])
    assert _words_in_pdf(pdf, word)
    assert "\x00" not in "".join(line for line in pdf.splitlines() if word[0] in line)


def test_zero_width_text_keeps_its_letters_in_the_pdf(world_run: tuple[Path, Path, str]) -> None:
    pdf = "".join(ch for ch in pdf_text(world_run[1]) if unicodedata.category(ch) != "Cf")
    visible = "".join(ch for ch in ZERO_WIDTH if unicodedata.category(ch) != "Cf")
    assert visible in pdf


def test_invisible_characters_are_not_drawn(world_run: tuple[Path, Path, str]) -> None:
    # pypdf extracts only what is drawn; LibreOffice draws none of these in mid-line.
    pdf = pdf_text(world_run[1])
    line = next(line for line in pdf.splitlines() if "noll" in line)
    assert not set("\u200b\u200d\u2060\ufeff\u00ad") & set(line)


def test_emoji_are_drawn_or_reported(world_run: tuple[Path, Path, str]) -> None:
    # Neither engine here has an emoji font; what must not happen is a silent gap or a .notdef box.
    pdf, err = pdf_text(world_run[1]), world_run[2]
    assert "\x00" not in pdf and "\ufffd" not in pdf
    assert "👍" in pdf or ("emoji" in err and "utelämnas" in err), err
    assert "Bra möte" in pdf


def test_rtl_is_shown_or_reported(world_run: tuple[Path, Path, str]) -> None:
    # The builtin engine draws right-to-left script in typing order, unshaped, and says so.
    pdf, err = unicodedata.normalize("NFKC", pdf_text(world_run[1])), world_run[2]
    assert "höger-till-vänster" in err or f"{HEBREW} och {ARABIC} talar." in squash(pdf), err


# --- empty names -----------------------------------------------------------------------------------

BLANKS = ["", "   ", "\t\n", "\u00a0\u3000", "\u200b\u200b", "\x00\x01", "\u200e\ufeff "]


def _set(data: dict[str, Any], where: tuple[str | int, ...], value: Any) -> None:
    target: Any = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value


NAME_FIELDS: list[tuple[tuple[str | int, ...], str]] = [
    (("sekreterare",), "sekreterare"),
    (("justerare",), "justerare"),
    (("deltagare", 2, "namn"), "deltagare[2].namn"),
    (("frånvarande", 1, "namn"), "frånvarande[1].namn"),
    (("punkter", 4, "innehåll", 1, "beslut", 0, "uppdrag", "vem"), "punkter[4].innehåll[1].beslut[0].uppdrag.vem"),
]


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
@pytest.mark.parametrize(("where", "shown"), NAME_FIELDS, ids=[s for _, s in NAME_FIELDS])
def test_empty_names_are_refused_with_the_field(kansli: Callable[..., Run], tmp_path: Path,
                                                where: tuple[str | int, ...], shown: str, blank: str) -> None:
    data = _seed()
    _set(data, where, blank)
    path = _write(tmp_path, data)
    run = kansli("minutes", path, "-o", tmp_path / "ut")
    assert run.code == 1
    assert f"{shown}: namnet är tomt" in run.err and str(path) in run.err and "Traceback" not in run.err
    assert not (tmp_path / "ut").exists() or snapshot(tmp_path / "ut") == {}


TEXT_FIELDS: list[tuple[tuple[str | int, ...], str]] = [
    (("organ",), "organ"),
    (("plats",), "plats"),
    (("punkter", 2, "rubrik"), "punkter[2].rubrik"),
    (("punkter", 4, "innehåll", 1, "beslut", 0, "uppdrag", "att"), "punkter[4].innehåll[1].beslut[0].uppdrag.att"),
]


@pytest.mark.parametrize(("where", "shown"), TEXT_FIELDS, ids=[s for _, s in TEXT_FIELDS])
def test_whitespace_only_required_texts_are_refused(kansli: Callable[..., Run], tmp_path: Path,
                                                    where: tuple[str | int, ...], shown: str) -> None:
    data = _seed()
    _set(data, where, " \u200b\t ")
    run = kansli("check", _write(tmp_path, data))
    assert run.code == 1 and f"{shown}: texten är tom" in run.err


def test_names_that_look_equal_are_equal(kansli: Callable[..., Run], tmp_path: Path) -> None:
    # a decomposed "ä" (as macOS copies it), a zero-width space and a no-break space from Teams
    data = _seed()
    data["justerare"] = unicodedata.normalize("NFD", "Cynthia\u200b Runefjärd")
    data["sekreterare"] = "Helene\u00a0Olofsson\u200e"
    run = kansli("check", _write(tmp_path, data))
    assert run.code == 0, run.err
    assert "två gånger" not in run.err


# --- size --------------------------------------------------------------------------------------------

def _long_paragraph(size: int) -> str:
    words = ["Ledningsgruppen", "beslutar", "att", "R&D", "<2024>", "{{", "x", "}}", "går", "vidare", "–", "åäö"]
    out: list[str] = []
    length = 0
    i = 0
    while length < size:
        word = f"{words[i % len(words)]}{i}" if i % 7 == 0 else words[i % len(words)]
        out.append(word)
        length += len(word) + 1
        i += 1
    return " ".join(out)[:size]


def _in_order(needles: Sequence[str], hay: Sequence[str]) -> Iterator[str]:
    """Yield the needles that are not found in *hay* in order (each after the previous one)."""
    at = 0
    for needle in needles:
        try:
            at = hay.index(needle, at) + 1
        except ValueError:
            yield needle


@pytest.mark.slow
def test_a_200000_character_paragraph_renders_whole(tmp_path: Path) -> None:
    # Rendered, not refused: a pasted report is a legitimate if unusual paragraph, and both the
    # .docx and the PDF take it in about a second (see the report for time and memory).
    paragraph = _long_paragraph(200_000)
    assert len(paragraph) == 200_000
    code, out = _render(tmp_path, _paragraphs(_seed(), paragraph, "Efter det långa stycket."))
    assert code == 0
    assert paragraph in docx_text(out / "möte.docx").splitlines()
    pdf_words = pdf_text(out / "möte.pdf").split()
    assert list(_in_order([*paragraph.split(), "Efter", "det", "långa", "stycket."], pdf_words)) == []


@pytest.mark.slow
def test_a_200000_character_word_renders_whole(tmp_path: Path) -> None:
    # A blob without spaces (base64 pasted by mistake) is still the user's text: it is broken over
    # lines in linear time and comes out whole, in the .docx and in the PDF.
    data = _paragraphs(_seed(), "Före.", "z" * 200_000, "Efter.")
    code, out = _render(tmp_path, data)
    assert code == 0
    assert "z" * 200_000 in docx_text(out / "möte.docx").splitlines()
    pdf = "".join(pdf_text(out / "möte.pdf").split())  # the word runs over pages, between headers
    assert pdf.count("z") == 200_000
    assert pdf.index("Före.") < pdf.index("z") and pdf.rindex("z") < pdf.index("Efter.")


def test_a_2000_character_word_is_rendered(tmp_path: Path) -> None:
    word = "https://example.se/?" + "q" * 1980
    data = _paragraphs(_seed(), f"Länk: {word} slut.")
    data["deltagare"][1]["organisation"] = word
    code, out = _render(tmp_path, data)
    assert code == 0
    assert f"Länk: {word} slut." in docx_text(out / "möte.docx").splitlines()
    pdf = "".join(pdf_text(out / "möte.pdf").split())
    # the paragraph may run over a page break: take out the footer and the next page's header
    pdf = re.sub(r"Minnesanteckningarfrån[^,]*,\d{4}-\d\d-\d\dSida\d+av\d+SÖDERTÖRNSKOMMUNERNASAMVERKAR"
                 r"www\.sodertornskommunerna\.se", "", pdf)
    assert f"Länk:{word}slut." in pdf
    assert pdf.count("q") == 2 * 1980  # the table cell runs over a page break, so count its letters


@pytest.mark.slow
def test_2000_agenda_items_render_in_order(tmp_path: Path) -> None:
    data = _seed()
    data["punkter"] = [{"rubrik": f"Punkt {i} om R&D <{i}>", "innehåll": [
        f"Text {i} {{{{ x }}}}", {"beslut": [f"Beslut {i}"]}]} for i in range(1, 2001)]
    code, out = _render(tmp_path, data)
    assert code == 0
    docx_lines = [squash(line) for line in docx_text(out / "möte.docx").splitlines()]
    expected = [f"{i}. Punkt {i} om R&D <{i}>" for i in range(1, 2001)]
    assert list(_in_order(expected, docx_lines)) == []
    pdf_lines = [squash(line) for line in pdf_text(out / "möte.pdf").splitlines()]
    assert list(_in_order(expected, pdf_lines)) == []
    assert f"{2001}. Nästa möte" in pdf_lines
    assert list(_in_order([f"Text {i} {{{{ x }}}}" for i in range(1, 2001)], pdf_lines)) == []


def test_hostile_input_leaves_nothing_behind_when_refused(tmp_path: Path) -> None:
    good = _seed()
    code, out = _render(tmp_path, good, "--no-pdf")
    assert code == 0
    before = snapshot(out)
    bad = copy.deepcopy(good)
    bad["sekreterare"] = "\u200b"
    assert _render(tmp_path, bad, "--no-pdf")[0] == 1
    assert snapshot(out) == before


def test_messages_never_pass_terminal_tricks_through(kansli: Callable[..., Run], tmp_path: Path) -> None:
    # An escape sequence or a bidi override in a bad key or value must not reach the terminal raw.
    tricks = "\x1b[2J\x1b]0;titel\x07\u202e\x9b"
    data = _seed()
    data[f"organ{tricks}"] = 1
    data["datum"] = f"2023-10-27{tricks}"
    data["deltagare"][0][f"namn{tricks}"] = tricks
    data["deltagare"][1]["digitalt"] = tricks
    path = _write(tmp_path, data)
    for args in (("check", path), ("minutes", path, "-o", tmp_path / "ut")):
        run = kansli(*args)
        assert run.code == 1 and "4 fel" in run.err
        assert not set("\x1b\x07\u202e\x9b") & set(run.err), repr(run.err)
        assert "deltagare[1].digitalt: väntade true eller false" in run.err and "datum: väntade ett datum" in run.err
