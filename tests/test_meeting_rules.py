"""Domain rules for minutes: errors stop the run, warnings do not."""

from __future__ import annotations

from typing import Any

from pipeline.errors import Problem
from pipeline.meeting.model import Minnesanteckningar
from pipeline.meeting.rules import meeting_rules, minutes_rules


def _check(data: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(p.where, p.message, p.warning) for p in check_minutes(Minnesanteckningar.model_validate(data))]


def check_minutes(m: Minnesanteckningar) -> list[Problem]:
    """Return what `kansli check` finds in minutes: the minutes' own rules, then the meeting's."""
    return minutes_rules(m) + meeting_rules(m)


def test_seed_breaks_no_rule(minutes_data: dict[str, Any]) -> None:
    assert _check(minutes_data) == []


def test_justerare_must_be_present(minutes_data: dict[str, Any]) -> None:
    minutes_data["justerare"] = "Petra Oxonius"
    found = _check(minutes_data)
    assert ("justerare", found[0][1], False) in found
    assert "Petra Oxonius" in found[0][1]


def test_secretary_must_be_present(minutes_data: dict[str, Any]) -> None:
    minutes_data["sekreterare"] = "Någon Annan"
    assert any(w == "sekreterare" and not warn for w, _, warn in _check(minutes_data))


def test_present_and_absent_at_once(minutes_data: dict[str, Any]) -> None:
    minutes_data["frånvarande"].append({"namn": "johan  westin", "organisation": "Haninge"})
    assert any(w == "frånvarande[2]" and not warn for w, _, warn in _check(minutes_data))


def test_meeting_must_end_after_it_starts(minutes_data: dict[str, Any]) -> None:
    minutes_data["slut"] = "08:00"
    assert any(w == "slut" and not warn for w, _, warn in _check(minutes_data))


def test_next_meeting_must_come_later(minutes_data: dict[str, Any]) -> None:
    minutes_data["nästa_möte"]["datum"] = "2023-10-20"
    assert any(w == "nästa_möte.datum" and not warn for w, _, warn in _check(minutes_data))


def test_weekend_and_holiday_are_warnings(minutes_data: dict[str, Any]) -> None:
    minutes_data["datum"] = "2023-10-28"
    minutes_data["nästa_möte"]["datum"] = "2023-12-25"
    found = _check(minutes_data)
    assert ("datum", "2023-10-28 är en lördag; stämmer datumet?", True) in found
    assert any(w == "nästa_möte.datum" and "Juldagen" in m and warn for w, m, warn in found)


def test_duplicate_participant_is_a_warning(minutes_data: dict[str, Any]) -> None:
    minutes_data["deltagare"].append({"namn": "Mats Bergström", "organisation": "Salem"})
    assert ("deltagare[7]", "Mats Bergström står två gånger", True) in _check(minutes_data)


def test_an_uppdrag_for_someone_not_there_suggests_a_name(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][4]["innehåll"][1]["beslut"][0]["uppdrag"]["vem"] = "Helen Olofson"
    found = _check(minutes_data)
    assert ("punkter[4].innehåll[1].beslut[0].uppdrag.vem",
            "'Helen Olofson' finns inte bland deltagarna; menade du 'Helene Olofsson'?", True) in found


def test_a_deadline_before_the_meeting_is_a_warning(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][4]["innehåll"][1]["beslut"][0]["uppdrag"]["senast"] = "2023-10-01"
    assert any(w.endswith("uppdrag.senast") and "före mötet" in m and warn for w, m, warn in _check(minutes_data))


def test_two_chairs_is_a_warning(minutes_data: dict[str, Any]) -> None:
    minutes_data["deltagare"][0]["roll"] = "Ordförande"
    found = _check(minutes_data)
    assert any(w == "deltagare[3].roll" and "Johan Westin och Magnus Gyllestad" in m and warn for w, m, warn in found)
    minutes_data["deltagare"][0]["roll"] = "vice ordförande"
    assert _check(minutes_data) == []


def test_minutes_need_a_secretary_and_a_justerare(minutes_data: dict[str, Any]) -> None:
    del minutes_data["justerare"]
    assert ("justerare", "justeraren saknas; minnesanteckningarna behöver \"justerare\" (en av deltagarna)",
            False) in _check(minutes_data)


def test_an_empty_item_in_the_minutes_is_a_warning(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][12]["innehåll"] = []
    assert ("punkter[12].innehåll", "punkten \"Övriga frågor\" har inget innehåll (inget som sades eller "
            "beslutades)", True) in _check(minutes_data)


def test_a_follow_up_names_an_earlier_uppdrag(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][2]["innehåll"].append({"uppföljning": [
        {"uppdrag": "2023-10-27/5", "status": "klart"}, {"uppdrag": "5", "status": "öppet"}]})
    found = [(w, warn) for w, _, warn in _check(minutes_data)]
    assert found == [("punkter[2].innehåll[1].uppföljning[0].uppdrag", False),
                     ("punkter[2].innehåll[1].uppföljning[1].uppdrag", False)]


def test_messages_name_items_as_people_count_them(kansli: Any, write_json: Any, minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][3]["innehåll"][2] = {"punktlista": []}
    minutes_data["deltagare"][0]["kommun"] = "Haninge"
    run = kansli("check", write_json(minutes_data))
    assert run.code == 1
    assert "punkt 4, punkter[3].innehåll[2].punktlista: listan är tom" in run.err
    assert "deltagare[0].kommun: okänt fält 'kommun'; menade du 'organisation'?" in run.err


def test_a_list_deeper_than_the_templates_show_is_a_warning(minutes_data: dict[str, Any]) -> None:
    """A fourth level was drawn as the third without a word; three levels (the templates' depth) pass."""
    def nested(depth: int) -> list[Any]:
        return ["x"] if depth == 1 else [{"text": "x", "underpunkter": nested(depth - 1)}]

    minutes_data["punkter"][0]["innehåll"] = [
        {"numrerad_lista": nested(3)}, {"punktlista": nested(4)},
        {"beslut": ["Beslut.", {"numrerad_lista": nested(5)}]}]
    deep = [(where, text) for where, text, warning in _check(minutes_data) if "nivåer" in text and warning]
    assert [where for where, _ in deep] == ["punkter[0].innehåll[1]", "punkter[0].innehåll[2].beslut[1]"]
    assert "4 nivåer" in deep[0][1] and "5 nivåer" in deep[1][1]
