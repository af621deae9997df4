"""Sign-off through the command line: secretary, then justerare; verify; tampering is caught."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from certs import self_signed
from conftest import Run, needs


@pytest.fixture
def minutes_pdf(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> Path:
    run = kansli("minutes", seed_copy, "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    return tmp_path / "ut" / "2023-10-27-ledningsgrupp.pdf"


@pytest.fixture
def signed_twice(kansli: Callable[..., Run], minutes_pdf: Path, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the seed minutes signed by the secretary (PEM key) and then the justerare (PKCS#12)."""
    secretary = self_signed(tmp_path, "sekr", "Helene Olofsson")
    justerare = self_signed(tmp_path, "just", "Cynthia Runefjärd", passphrase=b"hemligt")
    monkeypatch.setenv("KANSLI_LOSEN", "hemligt")
    once = tmp_path / "signerad-1.pdf"
    run = kansli("sign", minutes_pdf, "--field", "Vid anteckningarna", "--key", secretary.key,
                 "--cert", secretary.cert, "-o", once)
    assert run.code == 0, run.err
    twice = tmp_path / "signerad-2.pdf"
    run = kansli("sign", once, "--field", "Justeras", "--key", justerare.p12, "--passphrase-env", "KANSLI_LOSEN",
                 "-o", twice)
    assert run.code == 0, run.err
    return twice


def test_two_signatures_in_turn_then_verify(kansli: Callable[..., Run], signed_twice: Path, tmp_path: Path) -> None:
    run = kansli("verify", signed_twice)
    assert run.code == 1, run.out + run.err  # self-signed and no --trust: nobody's identity is checked
    assert "Vid anteckningarna: Helene Olofsson" in run.out
    assert "Justeras: Cynthia Runefjärd" in run.out
    assert "identitet är inte kontrollerad" in run.out and "Alla signaturer" not in run.out

    run = kansli("verify", "--integrity-only", signed_twice)
    assert run.code == 0, run.out + run.err
    assert "Vem som signerat är INTE kontrollerat" in run.out

    tampered = tmp_path / "ändrad.pdf"
    data = bytearray(signed_twice.read_bytes())
    spot = data.index(b"stream") + 20  # one byte inside the first page's compressed content
    data[spot] ^= 0x01
    tampered.write_bytes(bytes(data))
    run = kansli("verify", "--integrity-only", tampered)
    assert run.code == 1 and "Traceback" not in run.err
    assert "BRUTEN" in run.out


@needs("pdfsig", "poppler-utils")
def test_poppler_finds_both_signatures_valid(signed_twice: Path) -> None:
    report = subprocess.run(["pdfsig", str(signed_twice)], capture_output=True, text=True).stdout
    assert report.count("Signature Validation: Signature is Valid.") == 2, report


def test_signed_field_cannot_be_signed_again(kansli: Callable[..., Run], minutes_pdf: Path, tmp_path: Path) -> None:
    who = self_signed(tmp_path, "sekr", "Helene Olofsson")
    args = ("--field", "Justeras", "--key", who.key, "--cert", who.cert)
    assert kansli("sign", minutes_pdf, *args).code == 0
    before = minutes_pdf.read_bytes()
    run = kansli("sign", minutes_pdf, *args)
    assert run.code == 1 and "Traceback" not in run.err
    assert minutes_pdf.read_bytes() == before


def test_missing_field_is_refused_with_the_fields_there_are(kansli: Callable[..., Run], minutes_pdf: Path,
                                                            tmp_path: Path) -> None:
    who = self_signed(tmp_path, "sekr", "Helene Olofsson")
    out = tmp_path / "inget.pdf"
    run = kansli("sign", minutes_pdf, "--field", "Ordförande", "--key", who.key, "--cert", who.cert, "-o", out)
    assert run.code == 1
    assert "Vid anteckningarna" in run.err and "Justeras" in run.err
    assert not out.exists()


def test_unsigned_pdf_does_not_verify(kansli: Callable[..., Run], minutes_pdf: Path) -> None:
    run = kansli("verify", minutes_pdf)
    assert run.code == 1 and "inga signaturer" in run.err


def test_minutes_rerun_refuses_to_overwrite_the_signed_pdf(kansli: Callable[..., Run], minutes_pdf: Path,
                                                           seed_copy: Path, tmp_path: Path) -> None:
    who = self_signed(tmp_path, "sekr", "Helene Olofsson")
    assert kansli("sign", minutes_pdf, "--field", "Vid anteckningarna", "--key", who.key, "--cert", who.cert).code == 0
    signed = minutes_pdf.read_bytes()
    run = kansli("minutes", seed_copy, "-o", minutes_pdf.parent)
    assert run.code == 1 and "signerad" in run.err
    assert minutes_pdf.read_bytes() == signed


def test_open_pkcs12_needs_no_passphrase(kansli: Callable[..., Run], minutes_pdf: Path, tmp_path: Path) -> None:
    who = self_signed(tmp_path, "sekr", "Helene Olofsson")  # no passphrase: the .p12 is open
    run = kansli("sign", minutes_pdf, "--field", "Vid anteckningarna", "--key", who.p12)
    assert run.code == 0, run.err
    assert "Vid anteckningarna: Helene Olofsson" in kansli("verify", "--integrity-only", minutes_pdf).out


def test_protected_key_without_terminal_asks_for_the_env_variable(kansli: Callable[..., Run], minutes_pdf: Path,
                                                                  tmp_path: Path) -> None:
    who = self_signed(tmp_path, "sekr", "Helene Olofsson", passphrase=b"hemligt")
    run = kansli("sign", minutes_pdf, "--field", "Justeras", "--key", who.key, "--cert", who.cert)
    assert run.code == 2 and "--passphrase-env" in run.err


@pytest.mark.parametrize("victim", ["json", "key", "cert"])
def test_sign_never_writes_over_another_kind_of_file_or_its_own_key(kansli: Callable[..., Run], minutes_pdf: Path,
                                                                    seed_copy: Path, tmp_path: Path,
                                                                    victim: str) -> None:
    secretary = self_signed(tmp_path, "sekr", "Helene Olofsson")
    target = {"json": seed_copy, "key": secretary.key, "cert": secretary.cert}[victim]
    before = target.read_bytes()
    run = kansli("sign", minutes_pdf, "--field", "Vid anteckningarna", "--key", secretary.key,
                 "--cert", secretary.cert, "-o", target)
    assert run.code == 1 and "skrivs inte över" in run.err and "Traceback" not in run.err, run.err
    assert target.read_bytes() == before
