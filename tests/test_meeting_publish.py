"""`kansli publish`: the copy for the web holds none of the meeting's personal data, and says who justerade."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from certs import authority, self_signed
from conftest import Run, docx_text, needs, pdf_text, squash
from test_finish import pdfa_violations

from pipeline.meeting.model import Minnesanteckningar
from pipeline.meeting.personal import MARKER, Finder
from pipeline.meeting.places import where
from pipeline.meeting.publish import context_where, scrub
from pipeline.meeting.signatureline import replace_signature_block

PERSONNUMMER = "19850709-9805"
MOBILE = "070-123 45 67"
EMAIL = "lisa.nystrom@example.com"
LISTED = "Lisa Nyström"
SECRETS = (PERSONNUMMER, MOBILE, EMAIL, LISTED)
PEOPLE = ("Karin Lund", "Per Holm", "Eva Berg")


def meeting() -> dict[str, Any]:
    """A meeting not seen before: a citizen's matter in Övriga frågor, with her number, phone and address."""
    return {
        "organ": "Södertörns miljögrupp",
        "datum": "2024-03-15", "start": "09:00", "slut": "11:30", "plats": "Stadshuset i Botkyrka",
        "deltagare": [{"namn": "Karin Lund", "organisation": "Botkyrka", "roll": "ordförande"},
                      {"namn": "Per Holm", "organisation": "Huddinge"},
                      {"namn": "Eva Berg", "organisation": "Haninge", "digitalt": True}],
        "sekreterare": "Per Holm", "justerare": "Eva Berg",
        "personuppgifter": [LISTED],
        "punkter": [
            {"rubrik": "Mötets öppnande", "innehåll": ["Karin Lund öppnar mötet."]},
            {"rubrik": "Budget", "innehåll": [
                "Budgeten är 2 102 500 kr för 2024 (KS 2023/123), beslutad 2023-10-27 kl 08.30-11.00.",
                {"beslut": ["Gruppen godkänner budgeten.", {"punktlista": ["Per Holm redovisar i maj."]}]}]},
            {"rubrik": "Övriga frågor", "innehåll": [
                f"En medborgare, {LISTED}, har skrivit till gruppen om bullret.",
                f"Hon nås på {MOBILE} eller {EMAIL}. Hennes personnummer {PERSONNUMMER} stod i brevet.",
                {"beslut": [{"uppdrag": {"vem": "Eva Berg", "att": f"svara {LISTED}s fråga"}}]}]},
        ],
        "avslutning": "Karin Lund avslutar mötet.",
    }


@pytest.fixture
def source(write_json: Callable[..., Path]) -> Path:
    return write_json(meeting(), "2024-03-15-miljo.json")


@pytest.fixture
def published(kansli: Callable[..., Run], source: Path, tmp_path: Path) -> tuple[Path, Run]:
    out = tmp_path / "webb"
    run = kansli("publish", source, "-o", out, "--html")
    assert run.code == 0, run.err
    return out, run


def docx_xml(path: Path) -> str:
    """Return every XML part of a .docx, joined: body, headers, footers, properties, comments."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))


def test_the_copy_holds_no_personal_data_that_the_minutes_hold(
        kansli: Callable[..., Run], source: Path, published: tuple[Path, Run], tmp_path: Path) -> None:
    out, _ = published
    run = kansli("minutes", source, "-o", tmp_path / "original")
    assert run.code == 0, run.err
    original = squash(pdf_text(tmp_path / "original" / "2024-03-15-miljo.pdf"))
    copy_pdf = out / "2024-03-15-miljo-webb.pdf"
    texts = {"pdf": squash(pdf_text(copy_pdf)), "docx": squash(docx_xml(out / "2024-03-15-miljo-webb.docx")),
             "html": squash((out / "2024-03-15-miljo-webb.html").read_text(encoding="utf-8"))}
    for secret in SECRETS:
        assert secret in original
        for kind, text in texts.items():
            assert secret.casefold() not in text.casefold(), (secret, kind)
            assert "Nyström" not in text and "Nyströms" not in text, kind
    for kind, text in texts.items():
        assert text.count(MARKER) == 5, kind  # the name, number, phone, e-mail, the genitive in the uppdrag
        for person in PEOPLE:
            assert person in text, (person, kind)
        assert "2 102 500 kr" in text and "KS 2023/123" in text and "2023-10-27" in text and "08.30-11.00" in text


@needs("pdftotext", "poppler-utils")
def test_poppler_reads_none_of_it_either(published: tuple[Path, Run]) -> None:
    out, _ = published
    text = subprocess.run(["pdftotext", str(out / "2024-03-15-miljo-webb.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert not any(secret in squash(text) for secret in (*SECRETS, "Nyström"))
    assert squash(text).count(MARKER) == 5 and all(person in text for person in PEOPLE)


def test_the_report_names_where_and_what_but_never_the_value(published: tuple[Path, Run]) -> None:
    _, run = published
    lines = run.out.splitlines()
    assert "tog bort 5 personuppgifter ur kopian för webben:" in lines
    assert "  punkt 3, innehåll stycke 1: namn ur personuppgifter" in lines
    assert "  punkt 3, innehåll stycke 2: personnummer, e-postadress och telefonnummer" in lines
    assert "  punkt 3, innehåll beslut 3, uppdrag 1, att: namn ur personuppgifter" in lines
    for secret in (*SECRETS, "Nyström"):
        assert secret not in run.out + run.err


def test_check_reports_and_writes_nothing(kansli: Callable[..., Run], source: Path, tmp_path: Path) -> None:
    out = tmp_path / "inget"
    run = kansli("publish", source, "-o", out, "--check", "--html")
    assert run.code == 0, run.err
    assert "  punkt 3, innehåll stycke 2: personnummer, e-postadress och telefonnummer" in run.out
    assert "inget skrevs" in run.out and not out.exists()


def test_the_copy_has_no_signature_fields_but_a_justering_line_and_is_pdfa(published: tuple[Path, Run]) -> None:
    out, _ = published
    pdf = out / "2024-03-15-miljo-webb.pdf"
    with pikepdf.open(pdf) as doc:
        assert "/AcroForm" not in doc.Root
        assert all("/Annots" not in page.obj for page in doc.pages)
        assert "utan personuppgifter" in str(doc.docinfo.get("/Subject"))
    text = squash(pdf_text(pdf))
    assert "Vid anteckningarna: Per Holm. Justerare: Eva Berg." in text
    assert "Justeras" not in text  # the signature block is gone, not left empty
    assert "Vid anteckningarna: Per Holm. Justerare: Eva Berg." in docx_text(out / "2024-03-15-miljo-webb.docx")
    assert pdfa_violations(pdf) == []


def test_officials_in_their_role_stay_even_when_listed(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                                       tmp_path: Path) -> None:
    data = meeting()
    data["personuppgifter"] = ["Eva Berg"]
    run = kansli("publish", write_json(data), "-o", tmp_path / "ut", "--no-pdf")
    assert run.code == 0, run.err
    assert "personuppgifter rad 1 är också namnet på deltagare och justerare" in run.out
    text = docx_text(tmp_path / "ut" / "möte-webb.docx")
    assert text.count("Eva Berg") == 2  # in Deltagare and as justerare, not as the one given the uppdrag
    assert f"{MARKER} får i uppdrag" in text


def test_a_listed_text_found_nowhere_is_reported_by_its_place(kansli: Callable[..., Run],
                                                               write_json: Callable[..., Path], tmp_path: Path) -> None:
    data = meeting()
    data["personuppgifter"] = [LISTED, "Sven Hemlig"]
    run = kansli("publish", write_json(data), "-o", tmp_path / "ut", "--check")
    assert "personuppgifter rad 2 finns inte i texten" in run.out and "Hemlig" not in run.out


@pytest.fixture
def signed(kansli: Callable[..., Run], source: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Return the minutes signed by the secretary and the justerare (both issued by a test CA), and the CA."""
    ca = authority(tmp_path)
    run = kansli("minutes", source, "-o", tmp_path / "original")
    assert run.code == 0, run.err
    pdf = tmp_path / "original" / "2024-03-15-miljo.pdf"
    for field, name in (("Vid anteckningarna", "Per Holm"), ("Justeras", "Eva Berg")):
        who = ca.issue(tmp_path, name.split()[0].lower(), name)
        run = kansli("sign", pdf, "--field", field, "--key", who.key, "--cert", who.cert)
        assert run.code == 0, run.err
    return pdf, ca.cert


def test_signed_minutes_give_the_date_and_the_justerare(kansli: Callable[..., Run], source: Path,
                                                        signed: tuple[Path, Path], tmp_path: Path) -> None:
    pdf, ca = signed
    run = kansli("publish", source, "-o", tmp_path / "ut", "--signed", pdf, "--trust", ca, "--html")
    assert run.code == 0, run.err
    assert "signaturerna är hela; certifikatet är betrott" in run.out
    text = squash(pdf_text(tmp_path / "ut" / "2024-03-15-miljo-webb.pdf"))
    found = re.search(r"Justerat den (\d{1,2} \w+ \d{4}) av Eva Berg \(elektronisk underskrift\)\.", text)
    assert found is not None, text
    assert found[0] in (tmp_path / "ut" / "2024-03-15-miljo-webb.html").read_text(encoding="utf-8")


def test_a_signed_pdf_that_does_not_verify_is_refused(kansli: Callable[..., Run], source: Path,
                                                      signed: tuple[Path, Path], tmp_path: Path) -> None:
    pdf, _ = signed
    tampered = tmp_path / "ändrad.pdf"
    data = bytearray(pdf.read_bytes())
    spot = data.index(b"stream") + 20
    data[spot] ^= 0x01
    tampered.write_bytes(bytes(data))
    out = tmp_path / "ut"
    run = kansli("publish", source, "-o", out, "--signed", tampered)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"fel: {tampered}: signaturen i fältet »Vid anteckningarna« håller inte" in run.err
    assert not out.exists()


def test_an_untrusted_signer_is_refused_when_trust_is_asked(kansli: Callable[..., Run], source: Path,
                                                            signed: tuple[Path, Path], tmp_path: Path) -> None:
    pdf, _ = signed
    (tmp_path / "annan").mkdir()
    other = authority(tmp_path / "annan")
    run = kansli("publish", source, "-o", tmp_path / "ut", "--signed", pdf, "--trust", other.cert, "--check")
    assert run.code == 1 and "betrodda utfärdarna" in run.err


def test_the_signed_minutes_of_another_meeting_are_refused(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                                           signed: tuple[Path, Path], tmp_path: Path) -> None:
    pdf, _ = signed
    data = meeting()
    data["datum"] = "2024-04-12"
    run = kansli("publish", write_json(data, "april.json"), "-o", tmp_path / "ut", "--signed", pdf)
    assert run.code == 1 and "inte minnesanteckningarna från detta möte" in run.err


def test_minutes_not_yet_justerade_are_refused(kansli: Callable[..., Run], source: Path, tmp_path: Path) -> None:
    run = kansli("minutes", source, "-o", tmp_path / "original")
    pdf = tmp_path / "original" / "2024-03-15-miljo.pdf"
    who = self_signed(tmp_path, "per", "Per Holm")
    assert kansli("sign", pdf, "--field", "Vid anteckningarna", "--key", who.key, "--cert", who.cert).code == 0
    run = kansli("publish", source, "-o", tmp_path / "ut", "--signed", pdf)
    assert run.code == 1 and "fältet »Justeras« är inte signerat än" in run.err
    run = kansli("publish", source, "-o", tmp_path / "ut", "--signed", tmp_path / "original" / "2024-03-15-miljo.docx")
    assert run.code == 1 and "Traceback" not in run.err


def test_places_are_named_as_people_count() -> None:
    m = Minnesanteckningar.model_validate(json.loads(json.dumps(meeting())))
    assert where(m, ("punkter", 2, "innehåll", 1)) == "punkt 3, innehåll stycke 2"
    assert where(m, ("punkter", 1, "innehåll", 1, "beslut", 1, "punktlista", 0)) == \
        "punkt 2, innehåll beslut 2, punktlista 2, rad 1"
    assert where(m, ("punkter", 0, "rubrik")) == "punkt 1, rubrik"
    assert where(m, ("deltagare", 1, "roll")) == "deltagare 2, roll"
    assert where(m, ("avslutning",)) == "avslutning"


def test_a_template_without_a_signature_block_gets_the_line_at_the_end() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>Text</w:t></w:r></w:p><w:sectPr/></w:body>'
           '</w:document>').encode()
    out = replace_signature_block(xml, "Justerare: A & B <c>.").decode()
    assert "Justerare: A &amp; B &lt;c&gt;.</w:t></w:r></w:p><w:sectPr/>" in out
    assert replace_signature_block(out.encode(), "Justerare: A & B <c>.").decode().count("Justerare") == 1


def test_what_an_earlier_meeting_says_about_an_uppdrag_is_cleaned_too(
        kansli: Callable[..., Run], write_json: Callable[..., Path], tmp_path: Path) -> None:
    earlier = meeting()
    earlier["datum"] = "2024-02-09"
    earlier["punkter"][1]["innehåll"] = [{"uppdrag": {"vem": "Per Holm", "att": f"ringa {LISTED} på {MOBILE}"}}]
    write_json(earlier, "2024-02-09-miljo.json")
    data = meeting()
    data["punkter"][0]["innehåll"] = [{"uppföljning": [{"uppdrag": "2024-02-09/2", "status": "klart"}]}]
    source = write_json(data, "2024-03-15-miljo.json")
    run = kansli("minutes", source, "-o", tmp_path / "original", "--no-pdf")
    assert run.code == 0, run.err
    assert f"(Per Holm: ringa {LISTED} på {MOBILE})" in docx_text(tmp_path / "original" / "2024-03-15-miljo.docx")
    run = kansli("publish", source, "-o", tmp_path / "webb", "--no-pdf", "--html")
    assert run.code == 0, run.err
    assert ("  uppföljning av uppdrag 2024-02-09/2 (beskrivningen ur det mötet): telefonnummer och namn ur "
            "personuppgifter") in run.out.splitlines()
    text = docx_text(tmp_path / "webb" / "2024-03-15-miljo-webb.docx")
    assert f"Uppdrag 2024-02-09/2 (Per Holm: ringa {MARKER} på {MARKER}): klart." in text
    html = (tmp_path / "webb" / "2024-03-15-miljo-webb.html").read_text(encoding="utf-8")
    assert MOBILE not in html and LISTED not in html and "2024-02-09/2" in html


def test_every_string_of_the_context_is_looked_through_once_more() -> None:
    context = {"justerare": LISTED, "deltagare": [{"namn": LISTED, "detalj": f"{LISTED}s vän"}],
               "punkter": [{"nummer": 3, "rubrik": "R", "stycken": [{"stil": "stycke", "text": "a"},
                                                                   {"stil": "stycke", "text": f"Ring {MOBILE}"}]}]}
    cleaned, found = scrub(context, Finder([LISTED]))
    assert cleaned["justerare"] == LISTED and cleaned["deltagare"][0]["namn"] == LISTED  # in their role
    assert cleaned["deltagare"][0]["detalj"] == f"{MARKER} vän"
    assert cleaned["punkter"][0]["stycken"][1] == {"stil": "stycke", "text": f"Ring {MARKER}"}
    assert [(context_where(context, r.path), r.summary()) for r in found] == [
        ("deltagare", "namn ur personuppgifter"), ("punkt 3, stycke 2", "telefonnummer")]


def test_a_number_like_a_personnummer_with_a_wrong_checksum_stays_and_is_pointed_out(
        kansli: Callable[..., Run], write_json: Callable[..., Path], tmp_path: Path) -> None:
    data = meeting()
    data["punkter"][1]["innehåll"].append("Fakturan har nummer 850709-9806.")
    run = kansli("publish", write_json(data), "-o", tmp_path / "ut", "--no-pdf")
    assert run.code == 0, run.err
    assert ("kontrollera: punkt 2, innehåll stycke 3: 1 nummer liknar personnummer men kontrollsiffran stämmer "
            "inte; står kvar") in run.out.splitlines()
    assert "850709-9806" in docx_text(tmp_path / "ut" / "möte-webb.docx")
