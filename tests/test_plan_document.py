"""The whole plan: one PDF with the seed's words, a right table of contents, bookmarks and labels."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pdfcheck
import pikepdf
import pytest
from wordmatch import match_ratio, missing

from pipeline.api import build
from pipeline.engines import Engine
from pipeline.errors import EngineError, InputError, KansliError
from pipeline.finish import unembedded_fonts
from pipeline.outputs import Built
from pipeline.pdftext import normalise, page_texts
from pipeline.plan.assemble import outline
from pipeline.plan.pages import Line, heading_page, listed_page, verify_toc
from pipeline.road import findings, read_model, sort_findings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "plan" / "verksamhetsplan-2026.json"
SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_4c505e271257d39c.txt"
HEADINGS = ["1. Om verksamhetsplanen 2026", "2. Utvecklingsaktiviteter", "3. Kansliets uppdrag", "4. Organisation",
            "5. Kalendarium för möten", "6. Budget"]
APPENDICES = ["Samarbetskommitténs samarbetsavtal, 2010-08-18", "Södertörns utvecklingsprogram 2023–2026, SUP 2040"]

ENGINES = [
    "builtin",
    pytest.param("libreoffice", marks=pytest.mark.libreoffice),
]


@pytest.fixture(scope="module", params=ENGINES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Build the example plan once per engine; return the PDF and its page texts."""
    out = tmp_path_factory.mktemp(f"plan-{request.param}")
    result = build("plan", EXAMPLE, out, engine=request.param)
    assert sorted(p.name for p in out.iterdir()) == ["verksamhetsplan-2026.docx", "verksamhetsplan-2026.pdf"]
    assert result.warnings == []
    pdf = out / "verksamhetsplan-2026.pdf"
    return pdf, page_texts(pdf)


def _lines(text: str) -> list[str]:
    return [normalise(line) for line in text.splitlines() if line.strip()]


def _contents(texts: list[str]) -> dict[str, int]:
    """Return what the contents page lists: entry text → page number."""
    listed: dict[str, int] = {}
    page = next(t for t in texts if "Innehållsförteckning" in t)
    for line in _lines(page):
        for name in HEADINGS + APPENDICES:
            if name in line:
                number = re.search(r"(\d+)\s*$", line.rstrip(". "))
                assert number, f"no page number on the contents line {line!r}"
                listed[name] = int(number.group(1))
    return listed


def test_seed_words_in_order(built: tuple[Path, list[str]]) -> None:
    _, texts = built
    seed = SEED.read_text(encoding="utf-8")
    ratio = match_ratio(seed, "\n".join(texts))
    assert ratio >= 0.95, missing(seed, "\n".join(texts))


def test_every_contents_entry_names_the_page_of_its_heading(built: tuple[Path, list[str]]) -> None:
    _, texts = built
    listed = _contents(texts)
    assert set(listed) == set(HEADINGS + APPENDICES)
    for heading in HEADINGS:
        pages = [i + 1 for i, t in enumerate(texts) if heading in _lines(t)]
        assert pages == [listed[heading]], f"{heading}: listed {listed[heading]}, stands on {pages}"


def test_appendices_start_where_the_contents_say(built: tuple[Path, list[str]]) -> None:
    pdf, texts = built
    listed = _contents(texts)
    with pikepdf.open(pdf) as doc:
        labels = [pikepdf.Page(p).label for p in doc.pages]
    assert labels[listed[APPENDICES[0]] - 1] == "Bilaga 1: 1"
    assert labels[listed[APPENDICES[1]] - 1] == "Bilaga 2: 1"
    assert "Samarbetsavtal om Södertörnskommunernas" in texts[listed[APPENDICES[0]] - 1]
    assert "SUP 2040" in texts[listed[APPENDICES[1]] - 1]
    assert labels[0] == "1" and "Bilaga 1: 3" in labels


def test_bookmarks(built: tuple[Path, list[str]]) -> None:
    pdf, texts = built
    with pikepdf.open(pdf) as doc:
        tops = outline(doc)
    titles = [m.title for m in tops]
    for heading in HEADINGS:
        assert heading in titles
    assert any("Kalendarium" in t for t in titles) and any("Budget" in t for t in titles)
    first, second = (m for m in tops if m.title.startswith("Bilaga"))
    assert first.title == f"Bilaga 1: {APPENDICES[0]}" and second.title == f"Bilaga 2: {APPENDICES[1]}"
    assert [c.title for c in first.children] == [f"§ {n} {t}" for n, t in enumerate(
        ["Syfte", "Avtalstid", "Kommitténs sammansättning, beslut mm", "Kommitténs arbete", "Sekretariat",
         "Finansiering av projekt", "Särskilda projekt", "Avgift", "Utträde ur kommittén",
         "Kommitténs upplösande"], start=1)]
    for child in first.children + second.children:
        assert child.title in normalise(texts[child.page]), f"{child.title} is not on page {child.page + 1}"
    assert [c.title for c in second.children][:2] == ["Södertörnskommunernas samverkan", "Vision och mål"]
    for mark in tops:
        if mark.title in HEADINGS:
            assert mark.title in _lines(texts[mark.page])


def test_budget_sums_are_on_the_budget_page(built: tuple[Path, list[str]]) -> None:
    _, texts = built
    budget = next(t for t in texts if "6. Budget" in _lines(t))
    assert normalise(budget).count("2 102 500 kr") == 3


def test_archive_copy_and_qpdf_check(built: tuple[Path, list[str]]) -> None:
    pdf, _ = built
    assert pdfcheck.check(pdf) == []
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "sv-SE"
        assert str(doc.docinfo["/Title"]) == "Verksamhetsplan och budget 2026"
        assert "pdfaid" in doc.Root.Metadata.read_bytes().decode()
        assert unembedded_fonts(doc) == []
        assert "/OutputIntents" in doc.Root


def test_every_appendix_page_carries_its_mark(built: tuple[Path, list[str]]) -> None:
    _, texts = built
    listed = _contents(texts)
    starts = [listed[APPENDICES[0]], listed[APPENDICES[1]], len(texts) + 1]
    for n in (1, 2):
        first, end = starts[n - 1], starts[n]
        for page in range(first, end):
            assert f"Bilaga {n}, sida {page - first + 1} av {end - first}" in normalise(texts[page - 1]), page
    assert not any("Bilaga 1, sida" in t for t in texts[:starts[0] - 1])


def test_the_adoption_stands_on_the_title_page_and_in_the_metadata(built: tuple[Path, list[str]]) -> None:
    pdf, texts = built
    line = "Beslutad av samarbetskommittén den 22 januari 2026"
    assert line in normalise(texts[0])
    with pikepdf.open(pdf) as doc:
        assert line in str(doc.docinfo["/Subject"])
        assert line in str(doc.open_metadata().get("dc:description"))


def test_same_input_same_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769040000")
    first, second = tmp_path / "a", tmp_path / "b"
    build("plan", EXAMPLE, first)
    build("plan", EXAMPLE, second)
    name = "verksamhetsplan-2026.pdf"
    assert (first / name).read_bytes() == (second / name).read_bytes()  # marks and all, byte for byte
    assert page_texts(first / name) == page_texts(second / name)
    with pikepdf.open(first / name) as one, pikepdf.open(second / name) as two:
        assert outline(one) == outline(two)
        assert str(one.docinfo["/CreationDate"]) == str(two.docinfo["/CreationDate"])


def load_plan(source: Path) -> tuple[Any, Built]:
    """Return the plan in *source* and its warnings, as `kansli plan` finds them."""
    item, plan = read_model(source, "plan")
    return plan, sort_findings(source, findings(item, plan, source, "plan"))


def test_the_contents_check_fails_loudly(built: tuple[Path, list[str]]) -> None:
    pdf, texts = built
    plan, _ = load_plan(EXAMPLE)
    listed = _contents(texts)
    starts = [listed[APPENDICES[0]], listed[APPENDICES[1]]]
    verify_toc(pdf, plan, starts)
    with pytest.raises(KansliError, match=f"Bilaga 2 börjar på sidan {starts[1] + 1} men förteckningen säger"):
        verify_toc(pdf, plan, [starts[0], starts[1] + 1])
    data = _data()
    data["kapitel"][0]["rubrik"], data["kapitel"][1]["rubrik"] = data["kapitel"][1]["rubrik"], data["kapitel"][0]["rubrik"]
    with pytest.raises(KansliError, match="Utvecklingsaktiviteter"):
        verify_toc(pdf, type(plan).model_validate(data), starts)


def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return loaded


def _copy_with(tmp_path: Path, data: dict[str, Any]) -> Path:
    shutil.copytree(EXAMPLE.parent / "bilagor", tmp_path / "bilagor")
    shutil.copytree(EXAMPLE.parent / "bilder", tmp_path / "bilder")
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_missing_appendix_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    data = _data()
    data["bilagor"][1]["fil"] = "bilagor/finns-inte.pdf"
    source = _copy_with(tmp_path, data)
    out = tmp_path / "ut"
    out.mkdir()
    earlier = out / "plan.pdf"
    earlier.write_bytes(b"an earlier good output")
    with pytest.raises(InputError) as err:
        build("plan", source, out)
    assert "Bilaga 2" in str(err.value) and "finns-inte.pdf" in str(err.value)
    assert sorted(p.name for p in out.iterdir()) == ["plan.pdf"]
    assert earlier.read_bytes() == b"an earlier good output"


def test_encrypted_appendix_is_refused(tmp_path: Path) -> None:
    source = _copy_with(tmp_path, _data())
    sup = tmp_path / "bilagor" / "sup-2040.pdf"
    with pikepdf.open(sup, allow_overwriting_input=True) as pdf:
        pdf.save(sup, encryption=pikepdf.Encryption(owner="ägare", user="läsare"))
    with pytest.raises(InputError, match="Bilaga 2"):
        build("plan", source, tmp_path / "ut")
    assert not (tmp_path / "ut").exists() or not any((tmp_path / "ut").iterdir())


def test_corrupt_docx_appendix_is_refused(tmp_path: Path) -> None:
    source = _copy_with(tmp_path, _data())
    (tmp_path / "bilagor" / "samarbetsavtal-2010.docx").write_bytes(b"PK\x03\x04broken")
    with pytest.raises(InputError, match="Bilaga 1"):
        build("plan", source, tmp_path / "ut")


def test_warnings_for_unbalanced_budget_and_wrong_weekday(tmp_path: Path) -> None:
    data = _data()
    data["budget"]["kostnader"][4]["belopp"] = 60_000
    data["kalendarium"]["grupper"][0]["möten"][1]["datum"] = "2026-04-24"  # a Friday
    _, built = load_plan(_copy_with(tmp_path, data))
    messages = [p.message for p in built.warnings]
    assert any("underskott på 7 500 kr" in m for m in messages)
    assert any("2026-04-24 är en fredag" in m for m in messages)


def test_many_chapters_and_a_wrapped_heading_keep_the_contents_right(tmp_path: Path) -> None:
    data = _data()
    long_title = ("Utvecklingsaktiviteter för det övergripande målet och de två långsiktiga målen inom "
                  "fokusområde infrastruktur")
    data["kapitel"][1]["rubrik"] = long_title
    for n in range(12):  # "5. Extra kapitel 1" is a substring of "15. Extra kapitel 11"
        data["kapitel"].append({"rubrik": f"Extra kapitel {n}", "innehåll": ["Text i ett extra kapitel. " * 120]})
    out = tmp_path / "ut"
    build("plan", _copy_with(tmp_path, data), out, engine="builtin")
    texts = page_texts(out / "plan.pdf")
    contents = _lines(next(t for t in texts if "Innehållsförteckning" in t))
    for n in range(12):
        heading = f"{n + 4}. Extra kapitel {n}"
        (entry,) = [line for line in contents if line.startswith(heading + " ")]
        listed = int(re.search(r"(\d+)\s*$", entry.rstrip(". ")).group(1))  # type: ignore[union-attr]
        assert heading in _lines(texts[listed - 1]), f"{heading} is not on page {listed}"
    wrapped = [i + 1 for i, t in enumerate(texts) if any(
        line.startswith("2. Utvecklingsaktiviteter för det") for line in _lines(t))]
    assert len(wrapped) == 2  # the contents and the chapter itself


def test_heading_page_takes_whole_words_and_the_largest_type() -> None:
    lines = [Line(2, "5. Extra kapitel 1 7 .........", 11.0), Line(2, "15. Extra kapitel 11 ........ 17", 11.0),
             Line(7, "5. Extra kapitel 1", 16.0), Line(17, "15. Extra kapitel 11", 16.0),
             Line(3, "2. Utvecklingsaktiviteter för det övergripande", 16.0), Line(3, "målet", 16.0)]
    assert heading_page(lines, "5. Extra kapitel 1") == 7
    assert heading_page(lines, "15. Extra kapitel 11") == 17
    assert heading_page(lines, "2. Utvecklingsaktiviteter för det övergripande målet") == 3
    assert heading_page(lines, "6. Budget") is None


def test_listed_page_reads_the_entry_and_its_wrapped_line() -> None:
    lines = [Line(2, "5. Extra kapitel 1 ...... 7", 11.0), Line(2, "15. Extra kapitel 11 ...... 17", 11.0),
             Line(2, "2. Utvecklingsaktiviteter för det övergripande", 11.0), Line(2, "målet ....... 3", 11.0),
             Line(2, "Bilaga 1 Samarbetsavtal, 2010-08-18 ......... 19", 11.0)]
    assert listed_page(lines, "5. Extra kapitel 1") == 7
    assert listed_page(lines, "15. Extra kapitel 11") == 17
    assert listed_page(lines, "2. Utvecklingsaktiviteter för det övergripande målet") == 3
    assert listed_page(lines, "Samarbetsavtal, 2010-08-18") == 19
    assert listed_page(lines, "6. Budget") is None


class _AppendixFails(Engine):
    """An engine that converts the plan with builtin but fails on the agreement."""

    name = "prov"

    def __init__(self) -> None:
        from pipeline.engines import get_engine

        self.inner = get_engine("builtin")

    def check(self) -> None:
        """Nothing to check."""

    def convert(self, docx: Path, pdf: Path) -> Path:
        """Convert, or fail on the agreement."""
        if "samarbetsavtal" in docx.name:
            raise EngineError("motorn gav upp", path=docx)
        return self.inner.convert(docx, pdf)


class _AppendixFailsInBatch(_AppendixFails):
    """The same, converting many documents in one go as LibreOffice does."""

    def convert_many(self, jobs: Sequence[tuple[Path, Path]]) -> list[Path | EngineError]:
        """Convert each; the second document (the agreement) fails."""
        results: list[Path | EngineError] = []
        for i, (docx, pdf) in enumerate(jobs):
            if i == 1:
                results.append(EngineError("motorn gav upp", path=docx))
            else:
                results.append(self.inner.convert(docx, pdf))
        return results


@pytest.mark.parametrize("engine", [_AppendixFails, _AppendixFailsInBatch])
def test_appendix_the_engine_cannot_convert_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     engine: type[_AppendixFails]) -> None:
    monkeypatch.setattr("pipeline.road.get_engine", lambda name: engine())
    with pytest.raises(InputError) as err:
        build("plan", EXAMPLE, tmp_path / "ut")
    message = str(err.value)
    assert "Bilaga 1 (»Samarbetskommitténs samarbetsavtal, 2010-08-18«)" in message
    assert "motorn gav upp" in message
    assert not (tmp_path / "ut").exists() or not any((tmp_path / "ut").iterdir())


def test_the_users_own_template_copy(tmp_path: Path) -> None:
    own = tmp_path / "min-mall.docx"
    shutil.copyfile(ROOT / "templates" / "verksamhetsplan.docx", own)
    built = build("plan", EXAMPLE, tmp_path / "ut", template=own)
    assert [p.name for p in built.outputs] == ["verksamhetsplan-2026.docx", "verksamhetsplan-2026.pdf"]


def test_a_plan_without_appendices(tmp_path: Path) -> None:
    data = _data()
    data["bilagor"] = []
    out = tmp_path / "ut"
    build("plan", _copy_with(tmp_path, data), out)
    texts = page_texts(out / "plan.pdf")
    assert "Summa" in texts[-1] and not any("Bilaga" in t for t in texts)  # the plan ends with its budget
    assert "Bilagor" not in texts[1] and "Innehållsförteckning" in texts[1]
    with pikepdf.open(out / "plan.pdf") as pdf:
        assert not any(m.title.startswith("Bilaga") for m in outline(pdf))
        assert pikepdf.Page(pdf.pages[-1]).label == str(len(texts))  # plain numbers to the end
