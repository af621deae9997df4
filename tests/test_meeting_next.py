"""kansli next for a meeting: the next meeting's kallelse, dated from nästa_möte, carrying the open uppdrag."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import Run, pdf_text, squash


def _next(kansli: Callable[..., Run], source: Path) -> dict[str, Any]:
    run = kansli("next", source)
    assert run.code == 0, run.err
    written = Path(run.out.split("skrev ", 1)[1].strip())
    data: dict[str, Any] = json.loads(written.read_text(encoding="utf-8"))
    return data


def test_the_seed_gives_the_meeting_of_15_december(kansli: Callable[..., Run], seed_copy: Path) -> None:
    data = _next(kansli, seed_copy)
    target = seed_copy.parent / "2023-12-15-ledningsgrupp.json"
    assert target.is_file()
    assert (data["datum"], data["start"], data["slut"], data["plats"]) == (
        "2023-12-15", "08:30", "11:00", "Folkes i Huddinge Centrum")
    assert data["organ"] == "Södertörnskommunernas ledningsgrupp" and "deltagare" not in data
    assert [p["namn"] for p in data["kallade"]][-2:] == ["Petra Oxonius", "Camilla Broo"]
    assert [p["rubrik"] for p in data["punkter"]] == ["Välkommen", "Val av justerare", "Uppföljning av uppdrag",
                                                      "Övriga frågor"]
    follow = data["punkter"][2]["innehåll"][0]["uppföljning"]
    assert [(f["uppdrag"], f["status"]) for f in follow] == [("2023-10-27/5", "öppet"), ("2023-10-27/6", "öppet")]
    run = kansli("check", target)
    assert run.code == 0 and "(kallelse" in run.out, run.err


def test_kansli_agenda_works_on_it_at_once(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    _next(kansli, seed_copy)
    run = kansli("agenda", seed_copy.parent / "2023-12-15-ledningsgrupp.json", "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    text = squash(pdf_text(tmp_path / "ut" / "2023-12-15-ledningsgrupp-kallelse.pdf"))
    assert "Fredag den 15 december 2023 kl 08.30-11.00" in text
    assert "3. Uppföljning av uppdrag" in text and "4. Övriga frågor" in text
    # the uppdrag followed up are named, looked up in the meeting files of the same folder
    assert "Uppdrag 2023-10-27/5 (Helene Olofsson: kontakta ordförande och vice ordförande" in text
    assert "Uppdrag 2023-10-27/6 (Helene Olofsson: ta fram ett beslutsunderlag" in text


def test_it_never_overwrites(kansli: Callable[..., Run], seed_copy: Path) -> None:
    _next(kansli, seed_copy)
    target = seed_copy.parent / "2023-12-15-ledningsgrupp.json"
    target.write_text("{}", encoding="utf-8")
    run = kansli("next", seed_copy)
    assert run.code == 1 and "skrivs inte över" in run.err
    assert target.read_text(encoding="utf-8") == "{}"


def test_uppdrag_done_in_a_later_meeting_are_not_carried(kansli: Callable[..., Run], seed_copy: Path) -> None:
    first = _next(kansli, seed_copy)
    # the meeting of 15 December is held: uppdrag 5 is done; its own next meeting is in January
    first["punkter"][2]["innehåll"][0]["uppföljning"][0].update(status="klart", text="Klart via mejl.")
    first |= {"deltagare": first.pop("kallade")[-3:], "sekreterare": "Helene Olofsson",
              "justerare": "Camilla Broo", "nästa_möte": {"datum": "2024-01-19", "plats": "Teams"}}
    first["punkter"][3]["innehåll"] = [{"uppdrag": {"vem": "Camilla Broo", "att": "boka lokal"}}]
    for item in first["punkter"]:
        item.setdefault("innehåll", ["Noterat."])
    held = seed_copy.parent / "2023-12-15-ledningsgrupp.json"
    held.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    assert kansli("check", held).code == 0
    data = _next(kansli, held)
    assert (data["datum"], data["start"], data["slut"], data["plats"]) == ("2024-01-19", "08:30", "11:00", "Teams")
    assert [p["namn"] for p in data["kallade"]] == ["Helene Olofsson", "Petra Oxonius", "Camilla Broo"]
    follow = next(p for p in data["punkter"] if p["rubrik"] == "Uppföljning av uppdrag")["innehåll"][0]["uppföljning"]
    assert [f["uppdrag"] for f in follow] == ["2023-10-27/6", "2023-12-15/4"]


def test_marked_stående_items_are_the_ones_carried(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                                  minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"] = [
        {"rubrik": "Mötet öppnas", "stående": True, "föredragande": "Ordföranden", "innehåll": ["Öppnat."]},
        {"rubrik": "Budget", "innehåll": [{"uppdrag": {"vem": "Mats Bergström", "att": "räkna"}}]},
        {"rubrik": "Övriga frågor", "innehåll": ["Inga."]},
        {"rubrik": "Mötet avslutas", "stående": True, "innehåll": ["Avslutat."]},
    ]
    source = write_json(minutes_data, "styrelse.json")
    data = _next(kansli, source)
    assert (source.parent / "2023-12-15-styrelse.json").is_file()  # no date in the name: the new one leads
    assert [p["rubrik"] for p in data["punkter"]] == ["Mötet öppnas", "Uppföljning av uppdrag", "Mötet avslutas"]
    assert data["punkter"][0] == {"rubrik": "Mötet öppnas", "föredragande": "Ordföranden", "stående": True}


def test_without_nästa_möte_there_is_no_next_file(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                                  minutes_data: dict[str, Any]) -> None:
    del minutes_data["nästa_möte"]
    source = write_json(minutes_data)
    run = kansli("next", source)
    assert run.code == 1 and "nästa_möte" in run.err
    assert sorted(p.name for p in source.parent.iterdir()) == [source.name]
