"""Signatures for the archive (issue 13): --tsa and --ltv against a real local test PKI (certomancer).

The PKI (tests/pki/certomancer.yml, served by tests/pki.py on 127.0.0.1) issues the signer a
certificate that expires in a few days. Signed with a timestamp and embedded validation data,
the PKI is stopped, and the signature is verified offline with the clock set after the
certificate expired: it must still hold, at the time the timestamp proves.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pki
import pytest
from certs import META
from conftest import Run, needs
from pdfdraw import Text, draw, signature_page
from test_finish import pdfa_violations

from pipeline.documents import MINUTES_SIGNATURES
from pipeline.errors import SignatureError
from pipeline.finish import finish
from pipeline.sign import sign
from pipeline.verify import verify


@pytest.fixture
def test_pki(tmp_path: Path) -> Iterator[pki.TestPKI]:
    folder = tmp_path / "pki"
    folder.mkdir()
    with pki.running(folder) as running:
        yield running


@pytest.fixture
def finished(tmp_path: Path) -> Path:
    engine_pdf = draw(tmp_path / "motor.pdf", [[Text("Paragraf 1", 72, 700)], signature_page()])
    return finish(engine_pdf, tmp_path / "minnesanteckningar.pdf", META, signature_fields=MINUTES_SIGNATURES)


def archive_sign(pdf: Path, test_pki: pki.TestPKI) -> Path:
    return sign(pdf, pdf.with_name("arkiv.pdf"), field="Justeras", key=test_pki.signer_key,
                cert=test_pki.signer_cert, tsa=test_pki.tsa_url, ltv=True, trust=[test_pki.ca_cert])


def test_an_archived_signature_outlives_its_certificate(finished: Path, test_pki: pki.TestPKI) -> None:
    signed = archive_sign(finished, test_pki)
    test_pki.stop()  # the CA's OCSP, CRL and TSA are gone from here on
    after_expiry = test_pki.signer_expires + dt.timedelta(days=400)
    (report,) = verify(signed, trust=[test_pki.ca_cert], at=after_expiry)
    assert report.verified, report
    assert report.timestamped and report.validation_data
    assert report.signed_at is not None and report.signed_at < test_pki.signer_expires


def test_without_the_archive_options_the_expired_signature_fails(finished: Path, test_pki: pki.TestPKI) -> None:
    signed = sign(finished, finished.with_name("vanlig.pdf"), field="Justeras", key=test_pki.signer_key,
                  cert=test_pki.signer_cert)
    test_pki.stop()
    (report,) = verify(signed, trust=[test_pki.ca_cert], at=test_pki.signer_expires + dt.timedelta(days=1))
    assert report.ok and not report.trusted and not report.timestamped
    assert any("gått ut" in reason for reason in report.trust_problems)


def test_a_timestamp_alone_proves_the_time(finished: Path, test_pki: pki.TestPKI) -> None:
    signed = sign(finished, finished.with_name("tid.pdf"), field="Justeras", key=test_pki.signer_key,
                  cert=test_pki.signer_cert, tsa=test_pki.tsa_url)
    test_pki.stop()
    (report,) = verify(signed, trust=[test_pki.ca_cert], at=test_pki.signer_expires + dt.timedelta(days=1))
    assert report.verified and report.timestamped and not report.validation_data


def test_the_archive_copy_carries_dss_and_a_document_timestamp(finished: Path, test_pki: pki.TestPKI) -> None:
    signed = archive_sign(finished, test_pki)
    with pikepdf.open(signed) as doc:
        dss = doc.Root.DSS
        assert len(dss.Certs) >= 2 and (len(dss.get("/OCSPs", [])) + len(dss.get("/CRLs", []))) >= 1
        kinds = [str(f.V.get("/Type")) for f in doc.Root.AcroForm.Fields if "/V" in f]
        assert kinds.count("/DocTimeStamp") == 1 and kinds.count("/Sig") == 1
    assert pdfa_violations(signed) == []


@needs("pdfsig", "poppler-utils")
def test_poppler_accepts_the_archived_signature(finished: Path, test_pki: pki.TestPKI) -> None:
    out = subprocess.run(["pdfsig", str(archive_sign(finished, test_pki))], capture_output=True, text=True).stdout
    assert "Signature Field Name: Justeras" in out
    assert out.count("Signature Validation: Signature is Valid.") >= 1, out


def test_an_unreachable_tsa_is_a_clear_error(finished: Path, test_pki: pki.TestPKI) -> None:
    url = test_pki.tsa_url
    test_pki.stop()
    target = finished.with_name("ut.pdf")
    with pytest.raises(SignatureError, match="tidsstämpeln kunde inte hämtas"):
        sign(finished, target, field="Justeras", key=test_pki.signer_key, cert=test_pki.signer_cert, tsa=url)
    assert not target.exists()


def test_the_command_line_signs_for_the_archive_and_verifies_later(kansli: Callable[..., Run], finished: Path,
                                                                   test_pki: pki.TestPKI) -> None:
    run = kansli("sign", finished, "--field", "Justeras", "--key", test_pki.signer_key, "--cert",
                 test_pki.signer_cert, "--tsa", test_pki.tsa_url, "--ltv", "--trust", test_pki.ca_cert)
    assert run.code == 0, run.err
    test_pki.stop()
    later = (test_pki.signer_expires + dt.timedelta(days=30)).isoformat()
    run = kansli("verify", finished, "--trust", test_pki.ca_cert, "--at", later)
    assert run.code == 0, run.out + run.err
    assert "(tidsstämplad)" in run.out and "inbäddade (LTV)" in run.out


def test_ltv_refuses_a_chain_it_cannot_build_or_check(finished: Path, test_pki: pki.TestPKI, tmp_path: Path) -> None:
    """A trust anchor that did not issue the certificate, or a PKI that no longer answers: nothing is signed."""
    import certs

    other = tmp_path / "annan"
    other.mkdir()
    stranger = certs.authority(other)  # a trust anchor that did not issue the signer's certificate
    target = finished.with_name("ut.pdf")
    with pytest.raises(SignatureError, match="kunde inte knytas till utfärdaren i --trust"):
        sign(finished, target, field="Justeras", key=test_pki.signer_key, cert=test_pki.signer_cert,
             tsa=test_pki.tsa_url, ltv=True, trust=[stranger.cert])
    test_pki.stop()
    with pytest.raises(SignatureError, match="tidsstämpeln kunde inte hämtas|spärrinformation"):
        archive_sign(finished, test_pki)
    assert not target.exists() and not finished.with_name("arkiv.pdf").exists()


def test_two_archived_signatures_in_turn_both_hold_later(finished: Path, test_pki: pki.TestPKI) -> None:
    """The secretary and the justerare each sign with --tsa --ltv; the later DSS and timestamps change nothing visible."""
    first = sign(finished, finished.with_name("1.pdf"), field="Vid anteckningarna", key=test_pki.signer_key,
                 cert=test_pki.signer_cert, tsa=test_pki.tsa_url, ltv=True, trust=[test_pki.ca_cert])
    both = archive_sign(first, test_pki)
    test_pki.stop()
    reports = verify(both, trust=[test_pki.ca_cert], at=test_pki.signer_expires + dt.timedelta(days=30))
    assert [r.field for r in reports] == ["Vid anteckningarna", "Justeras"]
    assert all(r.verified and r.timestamped and not r.changes for r in reports), reports
