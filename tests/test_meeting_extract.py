"""kansli extract: a protokollsutdrag holds the chosen items whole, nothing else, and one signature field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import SEED_MINUTES_JSON, Run, pdf_text, squash
from test_finish import assert_archive_copy, pdfa_violations

from pipeline.finish import Metadata
from pipeline.meeting.minutes import minutes_context
from pipeline.meeting.model import Minnesanteckningar


def _item_texts(data: dict[str, Any], number: int, labels: bool = True) -> list[str]:
    """Return every text the minutes show for item *number*: its heading and its paragraphs (and labels)."""
    item = minutes_context(Minnesanteckningar.model_validate(data))["punkter"][number - 1]
    return [f"{number}. {item['rubrik']}"] + [p["text"] for p in item["stycken"] if labels or p["stil"] != "etikett"]


@pytest.fixture(scope="module")
def item5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("utdrag")
    assert main(["extract", str(SEED_MINUTES_JSON), "--item", "5", "-o", str(out)]) == 0
    return out / "2023-10-27-ledningsgrupp-utdrag-5.pdf"


def test_item_5_whole_and_nothing_of_item_6(item5: Path, minutes_data: dict[str, Any]) -> None:
    text = squash(pdf_text(item5))
    assert "Utdrag ur minnesanteckningar från Södertörnskommunernas ledningsgrupp 2023-10-27" in text
    for part in _item_texts(minutes_data, 5):
        assert squash(part) in text, part
    for part in _item_texts(minutes_data, 6, labels=False):  # "Beslut" is item 5's label too
        assert squash(part) not in text, part
    assert "Minnesanteckningarna har justerats av Cynthia Runefjärd." in text
    assert "Utdraget bestyrks" in text and "Helene Olofsson" in text
    assert "Vid anteckningarna" not in text and "Justeras" not in text


def test_one_signature_field_under_its_label(item5: Path) -> None:
    with pikepdf.open(item5) as doc:
        names = [str(f.T) for f in doc.Root.AcroForm.Fields]
        assert names == ["Utdraget bestyrks"]
        assert all(str(f.FT) == "/Sig" for f in doc.Root.AcroForm.Fields)


def test_the_extract_is_an_archive_copy(item5: Path) -> None:
    assert_archive_copy(item5, Metadata(
        title="Utdrag ur minnesanteckningar från Södertörnskommunernas ledningsgrupp 2023-10-27, punkt 5",
        author="Södertörnskommunernas samverkan", subject="Protokollsutdrag"))
    assert pdfa_violations(item5) == []


def test_several_items_keep_their_numbers_and_the_next_meeting_can_be_chosen(
        kansli: Callable[..., Run], tmp_path: Path, minutes_data: dict[str, Any]) -> None:
    run = kansli("extract", SEED_MINUTES_JSON, "-i", "14", "--item", "4", "--item", "4", "-o", tmp_path)
    assert run.code == 0, run.err
    text = squash(pdf_text(tmp_path / "2023-10-27-ledningsgrupp-utdrag-4-14.pdf"))
    assert text.index("4. Kommande möten") < text.index("14. Nästa möte")
    assert "5. Ordförande Samarbetskommittén 2023" not in text


def test_an_item_that_does_not_exist_is_refused(kansli: Callable[..., Run], tmp_path: Path) -> None:
    run = kansli("extract", SEED_MINUTES_JSON, "--item", "15", "-o", tmp_path / "ut")
    assert run.code == 1 and "punkt 15 finns inte; mötet har punkterna 1–14" in run.err
    assert not (tmp_path / "ut").exists()
    run = kansli("extract", SEED_MINUTES_JSON, "-o", tmp_path / "ut")
    assert run.code == 2 and "--item" in run.err


def test_no_extract_from_a_kallelse(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                    minutes_data: dict[str, Any], tmp_path: Path) -> None:
    del minutes_data["deltagare"]
    run = kansli("extract", write_json(minutes_data), "--item", "1", "-o", tmp_path / "ut")
    assert run.code == 1 and "filen är en kallelse" in run.err


def test_an_unseen_meeting(kansli: Callable[..., Run], write_json: Callable[..., Path], tmp_path: Path) -> None:
    data = json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8"))
    data["punkter"] = [{"rubrik": f"Ärende {n}", "innehåll": [f"Text om ärende {n} & <mer>.",
                                                              {"beslut": [f"Beslut i ärende {n}."]}]}
                       for n in range(1, 21)]
    data["nästa_möte"] = None
    del data["nästa_möte"]
    source = write_json(data, "nätverk.json")
    run = kansli("extract", source, "--item", "12", "-o", tmp_path)
    assert run.code == 0, run.err
    text = squash(pdf_text(tmp_path / "nätverk-utdrag-12.pdf"))
    assert "12. Ärende 12" in text and "Text om ärende 12 & <mer>." in text and "Beslut i ärende 12." in text
    assert "Ärende 11" not in text and "Ärende 13" not in text and "ärende 1." not in text
