"""verify() against the attacks of issue 10: forged overlays, metadata changes, impostors, bad certificates."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import certs
import forgery
import pytest
from certs import JUSTERARE, META, SECRETARY
from conftest import needs
from pdfdraw import Text, draw, signature_page

from pipeline import certificates
from pipeline.documents import MINUTES_SIGNATURES
from pipeline.errors import SignatureError
from pipeline.finish import finish
from pipeline.sign import sign
from pipeline.verify import SignatureReport, verify


@pytest.fixture(scope="module")
def helene(ca: certs.Authority, keys: Path) -> certs.Identity:
    return ca.issue(keys, "helene", "Helene Olofsson")


@pytest.fixture(scope="module")
def cynthia(ca: certs.Authority, keys: Path) -> certs.Identity:
    """The real justerare: her certificate says digitalSignature only, as many CAs issue them."""
    return ca.issue(keys, "cynthia", "Cynthia Runefjärd", kind="rsa", usage="digital")


@pytest.fixture
def finished(tmp_path: Path) -> Path:
    engine_pdf = draw(tmp_path / "motor.pdf", [[Text("Paragraf 1", 72, 700)], signature_page()])
    return finish(engine_pdf, tmp_path / "minnesanteckningar.pdf", META, signature_fields=MINUTES_SIGNATURES)


def sign_both(pdf: Path, secretary: certs.Identity, justerare: certs.Identity) -> Path:
    once = sign(pdf, pdf.with_name("signerad-1.pdf"), field=SECRETARY, key=secretary.key, cert=secretary.cert,
                passphrase=secretary.passphrase)
    return sign(once, pdf.with_name("signerad-2.pdf"), field=JUSTERARE, key=justerare.key, cert=justerare.cert)


@pytest.fixture
def signed(finished: Path, helene: certs.Identity, cynthia: certs.Identity) -> Path:
    return sign_both(finished, helene, cynthia)


def test_the_real_sign_off_holds_in_full(signed: Path, ca: certs.Authority) -> None:
    reports = verify(signed, trust=[ca.cert])
    assert [(r.field, r.signer) for r in reports] == [(SECRETARY, "Helene Olofsson"), (JUSTERARE, "Cynthia Runefjärd")]
    assert all(r.verified and not r.changes and not r.trust_problems for r in reports), reports


def test_a_digital_signature_only_certificate_is_trusted(signed: Path, ca: certs.Authority) -> None:
    """The CA vouches for Cynthia, whose key usage is digitalSignature alone: that is fit for signing."""
    (_, justerare) = verify(signed, trust=[ca.cert])
    assert justerare.trusted and justerare.trust_problems == ()


def test_without_trust_anchors_no_identity_is_claimed(signed: Path) -> None:
    reports = verify(signed)
    assert all(r.ok and not r.identity_checked and not r.verified for r in reports)


def _only_later_revision_is_blamed(reports: list[SignatureReport], text: str) -> None:
    assert len(reports) == 2
    for report in reports:
        assert report.intact  # the signed bytes themselves are untouched
        assert report.modified and not report.ok and not report.verified
        assert any(text in change for change in report.changes), report.changes


@pytest.mark.parametrize("number", [0, 1])  # not "page": that name is pytest-playwright's fixture
def test_a_new_signature_field_painting_over_the_page_is_reported(signed: Path, ca: certs.Authority,
                                                                  number: int) -> None:
    forged = forgery.overlay_field(signed, signed.with_name("förfalskad.pdf"), page=number)
    reports = verify(forged, trust=[ca.cert])
    _only_later_revision_is_blamed(reports, f"sida {number + 1}: ett nytt signaturfält 'Granskning' med synligt utseende")


def test_a_small_visible_field_is_reported_too(signed: Path, ca: certs.Authority) -> None:
    forged = forgery.overlay_field(signed, signed.with_name("liten.pdf"), box=(72, 72, 90, 80), name="Liten")
    _only_later_revision_is_blamed(verify(forged, trust=[ca.cert]), "'Liten'")


@pytest.mark.parametrize("subtype", ["/Square", "/FreeText", "/Stamp"])
def test_a_plain_annotation_over_the_page_is_reported(signed: Path, ca: certs.Authority, subtype: str) -> None:
    forged = forgery.overlay_annotation(signed, signed.with_name("anteckning.pdf"), subtype=subtype)
    _only_later_revision_is_blamed(verify(forged, trust=[ca.cert]), f"anteckning av typen {subtype[1:]}")


def test_a_new_look_for_a_signed_field_is_reported(signed: Path, ca: certs.Authority) -> None:
    forged = forgery.restyle_signed_widget(signed, signed.with_name("omgjord.pdf"), SECRETARY)
    reports = verify(forged, trust=[ca.cert])
    assert all(not r.ok for r in reports)
    assert any(f"ändrat signaturfält '{SECRETARY}'" in c for r in reports for c in r.changes)


def test_a_look_alike_stamp_without_a_signature_is_reported(finished: Path, helene: certs.Identity,
                                                            ca: certs.Authority) -> None:
    """The justerare's empty field gets a stamp "Signerat av …" and a value that is no signature."""
    once = sign(finished, finished.with_name("1.pdf"), field=SECRETARY, key=helene.key, cert=helene.cert)
    faked = forgery.fake_fill(once, once.with_name("falsk.pdf"), JUSTERARE)
    reports = verify(faked, trust=[ca.cert])
    assert [r.field for r in reports] == [SECRETARY]  # no second signature to show
    assert not reports[0].ok
    assert any(f"ett ändrat signaturfält '{JUSTERARE}' med synligt utseende" in c for c in reports[0].changes)


def test_a_stamp_taken_off_the_page_is_reported(signed: Path, ca: certs.Authority) -> None:
    removed = forgery.remove_annotation(signed, signed.with_name("borttagen.pdf"), JUSTERARE)
    reports = verify(removed, trust=[ca.cert])
    assert all(not r.ok for r in reports)
    assert any(f"sida 2: signaturfält '{JUSTERARE}' togs bort" in c for r in reports for c in r.changes), reports


def test_an_invisible_field_added_later_changes_nothing_a_reader_sees(signed: Path, ca: certs.Authority) -> None:
    extended = forgery.invisible_field(signed, signed.with_name("osynlig.pdf"))
    assert all(r.verified for r in verify(extended, trust=[ca.cert]))


@pytest.mark.parametrize("how", ["beskuren", "roterad", "skript"])
def test_other_later_changes_to_what_a_reader_sees_are_reported(signed: Path, ca: certs.Authority, how: str) -> None:
    from pyhanko.pdf_utils import generic

    out = signed.with_name(f"{how}.pdf")
    if how == "beskuren":  # a crop box that leaves a corner of the page
        changed = forgery.change_page(signed, out, "/CropBox", generic.ArrayObject([generic.FloatObject(v) for v in (0, 0, 10, 10)]))
    elif how == "roterad":
        changed = forgery.change_page(signed, out, "/Rotate", generic.NumberObject(180))  # type: ignore[no-untyped-call]
    else:
        changed = forgery.open_action_script(signed, out)
    _only_later_revision_is_blamed(verify(changed, trust=[ca.cert]), "innehållet ändrades efter signeringen")


def test_a_changed_title_in_the_document_information_is_named(signed: Path, ca: certs.Authority) -> None:
    changed = forgery.change_info(signed, signed.with_name("titel.pdf"))
    _only_later_revision_is_blamed(verify(changed, trust=[ca.cert]), "dokumentinformationen ändrades: Title")


@pytest.mark.parametrize("key", ["/Author", "/Subject", "/Keywords"])
def test_other_document_information_is_named(signed: Path, ca: certs.Authority, key: str) -> None:
    changed = forgery.change_info(signed, signed.with_name("info.pdf"), key=key, value="Någon annan")
    _only_later_revision_is_blamed(verify(changed, trust=[ca.cert]), key[1:])


def test_a_changed_xmp_title_is_named(signed: Path, ca: certs.Authority) -> None:
    changed = forgery.change_xmp_title(signed, signed.with_name("xmp.pdf"))
    _only_later_revision_is_blamed(verify(changed, trust=[ca.cert]), "XMP-metadata ändrades: dc:")


def test_a_self_signed_impostor_is_not_trusted(finished: Path, helene: certs.Identity, keys: Path,
                                               ca: certs.Authority) -> None:
    impostor = certs.self_signed(keys, "falsk", "Cynthia Runefjärd")
    reports = verify(sign_both(finished, helene, impostor), trust=[ca.cert])
    assert [r.trusted for r in reports] == [True, False]
    assert reports[1].ok  # intact: the trouble is who signed, not what
    assert any("självsignerat" in reason for reason in reports[1].trust_problems), reports[1].trust_problems


def test_an_impostor_ca_of_the_same_name_is_not_trusted(finished: Path, helene: certs.Identity, keys: Path,
                                                        ca: certs.Authority) -> None:
    rogue = certs.authority(keys, name="kansli test-CA", slug="falsk-ca")  # same name, other key
    impostor = rogue.issue(keys, "falsk2", "Cynthia Runefjärd")
    (_, justerare) = verify(sign_both(finished, helene, impostor), trust=[ca.cert])
    assert not justerare.trusted and justerare.trust_problems


def test_several_trust_anchors_each_vouch_for_their_own(finished: Path, helene: certs.Identity, keys: Path,
                                                        ca: certs.Authority) -> None:
    other = certs.authority(keys, name="Annan kommun CA", slug="annan-ca")
    guest = other.issue(keys, "gast", "Cynthia Runefjärd")
    signed = sign_both(finished, helene, guest)
    assert [r.trusted for r in verify(signed, trust=[ca.cert])] == [True, False]
    assert [r.trusted for r in verify(signed, trust=[ca.cert, other.cert])] == [True, True]


# Certificates that cannot sign: (validity in days from today, key usage, words of the reason)
UNFIT = [
    pytest.param((-60, -1), "both", "gått ut", id="utgånget"),
    pytest.param((5, 60), "both", "gällde inte ännu", id="ännu-inte-giltigt"),
    pytest.param((-1, 30), "encipher", "tillåter inte signering", id="bara-kryptering"),
    pytest.param((-1, 30), "absent", "ingen nyckelanvändning", id="ingen-nyckelanvändning"),
]


@pytest.mark.parametrize(("days", "usage", "words"), UNFIT)
def test_signing_refuses_a_certificate_that_cannot_sign(finished: Path, ca: certs.Authority, keys: Path,
                                                        days: tuple[int, int], usage: str, words: str) -> None:
    who = ca.issue(keys, f"olämplig-{usage}-{days[0]}", "Olle Olämplig", days=days, usage=usage)
    target = finished.with_name("ut.pdf")
    with pytest.raises(SignatureError, match=words) as info:
        sign(finished, target, field=SECRETARY, key=who.key, cert=who.cert)
    assert "Olle Olämplig" in str(info.value) and str(who.cert) in str(info.value)
    assert not target.exists()


@pytest.mark.parametrize(("days", "usage", "words"), UNFIT)
def test_verify_does_not_trust_a_certificate_that_could_not_sign(finished: Path, ca: certs.Authority, keys: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 days: tuple[int, int], usage: str, words: str) -> None:
    """A file signed elsewhere, by a tool that does not check the certificate: verify still does."""
    who = ca.issue(keys, f"annat-verktyg-{usage}-{days[0]}", "Olle Olämplig", days=days, usage=usage)
    monkeypatch.setattr(certificates, "check_can_sign", lambda *args, **kwargs: None)
    signed = sign(finished, finished.with_name("ut.pdf"), field=SECRETARY, key=who.key, cert=who.cert)
    (report,) = verify(signed, trust=[ca.cert])
    assert report.ok and not report.trusted and not report.verified
    assert any(words in reason for reason in report.trust_problems), report.trust_problems


def test_a_signature_whose_certificate_expired_since_has_no_proof_of_time(signed: Path, ca: certs.Authority) -> None:
    """Without a timestamp nothing proves the signature was made while the certificate was valid."""
    later = datetime.now(UTC) + timedelta(days=90)
    reports = verify(signed, trust=[ca.cert], at=later)
    assert all(r.ok and not r.trusted for r in reports)
    assert all(any("ingen betrodd tidsstämpel" in reason for reason in r.trust_problems) for r in reports)


@needs("pdfsig", "poppler-utils")
def test_poppler_agrees_the_real_sign_off_is_valid(signed: Path) -> None:
    out = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 2, out


def test_sign_and_verify_work_inside_a_running_event_loop(finished: Path, helene: certs.Identity,
                                                          ca: certs.Authority) -> None:
    """As in a web server's request handler: pyHanko's own asyncio.run() must not collide with the loop."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def handler() -> list[SignatureReport]:
        signed = sign(finished, finished.with_name("i-loop.pdf"), field=SECRETARY, key=helene.key, cert=helene.cert)
        return verify(signed, trust=[ca.cert])

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: another test's loop may run in this one
        (report,) = pool.submit(asyncio.run, handler()).result()
    assert report.verified
