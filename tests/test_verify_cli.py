"""kansli verify and sign on the command line: exit codes and Swedish reasons for every verdict."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import certs
import forgery
import pytest
from conftest import Run


@pytest.fixture
def minutes_pdf(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> Path:
    run = kansli("minutes", seed_copy, "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    return tmp_path / "ut" / "2023-10-27-ledningsgrupp.pdf"


@pytest.fixture
def ca(tmp_path: Path) -> certs.Authority:
    return certs.authority(tmp_path)


def sign_off(kansli: Callable[..., Run], pdf: Path, secretary: certs.Identity, justerare: certs.Identity) -> Path:
    for field, who in (("Vid anteckningarna", secretary), ("Justeras", justerare)):
        run = kansli("sign", pdf, "--field", field, "--key", who.key, "--cert", who.cert)
        assert run.code == 0, run.err
    return pdf


@pytest.fixture
def signed(kansli: Callable[..., Run], minutes_pdf: Path, ca: certs.Authority, tmp_path: Path) -> Path:
    secretary = ca.issue(tmp_path, "sekr", "Helene Olofsson")
    justerare = ca.issue(tmp_path, "just", "Cynthia Runefjärd", usage="digital")
    return sign_off(kansli, minutes_pdf, secretary, justerare)


def test_the_sign_off_with_trust_holds(kansli: Callable[..., Run], signed: Path, ca: certs.Authority) -> None:
    run = kansli("verify", signed, "--trust", ca.cert)
    assert run.code == 0, run.out + run.err
    assert run.out.count("hel; inget synligt ändrat efteråt; betrodd") == 2
    assert "Alla signaturer håller" in run.out


def test_a_forged_overlay_fails_and_is_named(kansli: Callable[..., Run], signed: Path, ca: certs.Authority) -> None:
    forged = forgery.overlay_field(signed, signed.with_name("förfalskad.pdf"))
    for args in (("--trust", ca.cert), ("--integrity-only",)):
        run = kansli("verify", forged, *args)
        assert run.code == 1, run.out
        assert "ÄNDRAT EFTERÅT" in run.out
        assert "sida 1: ett nytt signaturfält 'Granskning' med synligt utseende" in run.out
        assert "Alla signaturer håller" not in run.out and "Traceback" not in run.err


def test_a_changed_title_fails_and_is_named(kansli: Callable[..., Run], signed: Path, ca: certs.Authority) -> None:
    changed = forgery.change_info(signed, signed.with_name("titel.pdf"))
    run = kansli("verify", changed, "--trust", ca.cert)
    assert run.code == 1 and "dokumentinformationen ändrades: Title" in run.out


def test_a_self_signed_impostor_fails_with_trust(kansli: Callable[..., Run], minutes_pdf: Path,
                                                 ca: certs.Authority, tmp_path: Path) -> None:
    secretary = ca.issue(tmp_path, "sekr", "Helene Olofsson")
    impostor = certs.self_signed(tmp_path, "falsk", "Cynthia Runefjärd")
    signed = sign_off(kansli, minutes_pdf, secretary, impostor)
    run = kansli("verify", signed, "--trust", ca.cert)
    assert run.code == 1
    assert "Justeras: Cynthia Runefjärd" in run.out and "EJ BETRODD" in run.out
    assert "ej betrodd: certifikatet är självsignerat" in run.out
    assert "1 av 2 signaturer håller inte" in run.out


def test_integrity_only_and_trust_do_not_mix(kansli: Callable[..., Run], signed: Path, ca: certs.Authority) -> None:
    run = kansli("verify", signed, "--trust", ca.cert, "--integrity-only")
    assert run.code == 2 and "--integrity-only" in run.err


def test_a_trust_file_without_a_certificate_is_refused(kansli: Callable[..., Run], signed: Path,
                                                       tmp_path: Path) -> None:
    junk = tmp_path / "ca.pem"
    junk.write_text("inget certifikat här\n", encoding="utf-8")
    run = kansli("verify", signed, "--trust", junk)
    assert run.code == 1 and "förtroendecertifikatet innehåller inget" in run.err and "Traceback" not in run.err


def test_a_bad_moment_is_a_usage_error(kansli: Callable[..., Run], signed: Path) -> None:
    run = kansli("verify", signed, "--at", "i morgon")
    assert run.code == 2 and "--at" in run.err


@pytest.mark.parametrize(("days", "usage", "words"), [
    ((-60, -1), "both", "gått ut"),
    ((3, 60), "both", "gällde inte ännu"),
    ((-1, 30), "encipher", "tillåter inte signering"),
])
def test_sign_refuses_an_unfit_certificate(kansli: Callable[..., Run], minutes_pdf: Path, ca: certs.Authority,
                                           tmp_path: Path, days: tuple[int, int], usage: str, words: str) -> None:
    who = ca.issue(tmp_path, "olämplig", "Olle Olämplig", days=days, usage=usage)
    before = minutes_pdf.read_bytes()
    out = tmp_path / "signerad.pdf"
    run = kansli("sign", minutes_pdf, "--field", "Justeras", "--key", who.key, "--cert", who.cert, "-o", out)
    assert run.code == 1 and words in run.err and "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1  # one clear line
    assert not out.exists() and minutes_pdf.read_bytes() == before


def test_ltv_without_tsa_or_trust_is_a_usage_error(kansli: Callable[..., Run], minutes_pdf: Path,
                                                    ca: certs.Authority, tmp_path: Path) -> None:
    who = ca.issue(tmp_path, "sekr", "Helene Olofsson")
    run = kansli("sign", minutes_pdf, "--field", "Justeras", "--key", who.key, "--cert", who.cert, "--ltv")
    assert run.code == 2 and "--tsa" in run.err


def _damaged(signed: Path, how: str) -> Path:
    data = bytearray(signed.read_bytes())
    if how == "cms":  # the signature's own bytes (the hex in /Contents) turned to nonsense
        start = data.index(b"/Contents <") + len(b"/Contents <")
        data[start:start + 200] = b"41" * 100
    elif how == "halved":
        data = data[: len(data) // 2]
    elif how == "byterange":  # a /ByteRange that points past the end of the file
        start = data.index(b"/ByteRange [") + len(b"/ByteRange [")
        end = data.index(b"]", start)
        data[start:end] = b"0 99999999 99999999 9".ljust(end - start)
    elif how == "xref":
        data = data.replace(b"startxref", b"startxreg")
    out = signed.with_name(f"skadad-{how}.pdf")
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("how", ["cms", "halved", "byterange", "xref"])
def test_a_damaged_signed_file_gets_one_swedish_verdict(kansli: Callable[..., Run], signed: Path,
                                                        ca: certs.Authority, how: str) -> None:
    run = kansli("verify", _damaged(signed, how), "--trust", ca.cert)
    assert run.code == 1, run.out + run.err
    assert "Traceback" not in run.err and "internt fel" not in run.err
    assert "Alla signaturer håller" not in run.out
    text = run.out + run.err
    assert any(word in text for word in ("BRUTEN", "kan inte läsas", "kunde inte kontrolleras", "inga signaturer")), text
