"""Tests for pipeline.sign: two signatures in turn, tampering caught, refusals, PDF/A kept."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import certs
import docx
import pikepdf
import pytest
from certs import JUSTERARE, META, SECRETARY
from conftest import needs
from pdfdraw import Text, draw, signature_page
from test_finish import assert_archive_copy, pdfa_violations

from pipeline.documents import MINUTES_SIGNATURES
from pipeline.errors import InputError, OutputError, SignatureError
from pipeline.finish import finish
from pipeline.sign import needs_passphrase, sign, verify


@pytest.fixture(scope="module")
def helene(ca: certs.Authority, keys: Path) -> certs.Identity:
    """The secretary: issued by the test CA, key protected by a passphrase."""
    return ca.issue(keys, "helene", "Helene Olofsson", passphrase=b"hemlig fras")


@pytest.fixture(scope="module")
def cynthia(keys: Path) -> certs.Identity:
    """The justerare: self-signed (intact but never trusted), RSA, no passphrase."""
    return certs.self_signed(keys, "cynthia", "Cynthia Runefjärd", kind="rsa")


@pytest.fixture
def finished(tmp_path: Path) -> Path:
    engine_pdf = draw(tmp_path / "motor.pdf", [[Text("Paragraf 1", 72, 700)], signature_page()])
    return finish(engine_pdf, tmp_path / "minnesanteckningar.pdf", META, signature_fields=MINUTES_SIGNATURES)


def sign_both(pdf: Path, helene: certs.Identity, cynthia: certs.Identity) -> Path:
    once = sign(pdf, pdf.with_name("signerad-1.pdf"), field=SECRETARY, key=helene.key, cert=helene.cert,
                passphrase=helene.passphrase)
    return sign(once, pdf.with_name("signerad-2.pdf"), field=JUSTERARE, key=cynthia.p12)


def pdfsig(pdf: Path) -> str:
    return subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True).stdout


def test_two_signatures_in_turn_are_both_valid(finished: Path, helene: certs.Identity,
                                               cynthia: certs.Identity, ca: certs.Authority) -> None:
    signed = sign_both(finished, helene, cynthia)
    reports = verify(signed, trust=[ca.cert])
    assert [(r.field, r.signer) for r in reports] == [(SECRETARY, "Helene Olofsson"),
                                                     (JUSTERARE, "Cynthia Runefjärd")]
    assert all(r.intact and not r.modified and r.ok for r in reports)
    assert [r.trusted for r in reports] == [True, False]  # the CA vouches for Helene only
    assert [r.covers_whole_file for r in reports] == [False, True]
    assert all(r.signed_at is not None for r in reports)


@needs("pdfsig", "poppler-utils")
def test_poppler_finds_both_signatures_valid(finished: Path, helene: certs.Identity,
                                             cynthia: certs.Identity) -> None:
    """poppler, an independent reader, agrees with verify."""
    out = pdfsig(sign_both(finished, helene, cynthia))
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert f"Signature Field Name: {SECRETARY}" in out and f"Signature Field Name: {JUSTERARE}" in out
    assert "Signer Certificate Common Name: Helene Olofsson" in out


def test_signing_keeps_the_archive_copy(finished: Path, helene: certs.Identity,
                                        cynthia: certs.Identity) -> None:
    assert_archive_copy(finished, META)
    signed = sign_both(finished, helene, cynthia)
    assert_archive_copy(signed, META)  # P-256 signing must not lift the file to PDF 2.0 either
    with pikepdf.open(signed) as doc:
        stamps = {str(a.T): a.AP.N for a in doc.pages[1].Annots}
        fonts = {name: stamp.Resources.Font.KSig for name, stamp in stamps.items()}
        assert fonts[SECRETARY].objgen == fonts[JUSTERARE].objgen  # one embedded font for both stamps
        assert "/FontFile2" in fonts[SECRETARY].FontDescriptor
        assert b"(Signerat av Helene Olofsson)" in stamps[SECRETARY].read_bytes()
        assert "(Signerat av Cynthia Runefjärd)".encode("cp1252") in stamps[JUSTERARE].read_bytes()


def test_signed_copy_passes_the_pdfa_validator(finished: Path, helene: certs.Identity,
                                               cynthia: certs.Identity) -> None:
    assert pdfa_violations(sign_both(finished, helene, cynthia)) == []


def test_stamp_font_widths_agree_with_the_font_program(finished: Path, cynthia: certs.Identity) -> None:
    """PDF/A (6.2.11.5) wants /Widths to match the embedded program; checked here with fontTools."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    signed = sign(finished, finished.with_name("s.pdf"), field=JUSTERARE, key=cynthia.key, cert=cynthia.cert)
    with pikepdf.open(signed) as doc:
        (font,) = [a.AP.N.Resources.Font.KSig for a in doc.pages[1].Annots if str(a.T) == JUSTERARE]
        widths = [int(w) for w in font.Widths]
        program = ttlib.TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
    scale = 1000 / program["head"].unitsPerEm
    cmap, metrics = program.getBestCmap(), program["hmtx"].metrics
    checked = 0
    for code in range(32, 256):
        char = bytes([code]).decode("cp1252", errors="replace")
        if ord(char) in cmap:
            assert widths[code - 32] == round(metrics[cmap[ord(char)]][0] * scale), (code, char)
            checked += 1
    assert checked > 180


def test_stamp_shows_what_the_font_can_and_a_question_mark_for_the_rest(finished: Path, keys: Path) -> None:
    guest = certs.self_signed(keys, "gast", "Łukasz Żółw")
    signed = sign(finished, finished.with_name("s.pdf"), field=JUSTERARE, key=guest.key, cert=guest.cert)
    with pikepdf.open(signed) as doc:
        (stamp,) = [a.AP.N.read_bytes() for a in doc.pages[1].Annots if str(a.T) == JUSTERARE]
    assert "(Signerat av ?ukasz ?ó?w)".encode("cp1252") in stamp
    assert verify(signed)[0].signer == "Łukasz Żółw"  # the certificate keeps the real name
    assert_archive_copy(signed, META)


def test_earlier_revision_is_kept_byte_for_byte(finished: Path, helene: certs.Identity) -> None:
    before = finished.read_bytes()
    signed = sign(finished, finished.with_name("s.pdf"), field=SECRETARY, key=helene.key, cert=helene.cert,
                  passphrase=helene.passphrase)
    assert signed.read_bytes().startswith(before)


@pytest.mark.parametrize("where", ["title", "compressed stream"])
def test_one_changed_byte_is_caught(finished: Path, helene: certs.Identity, cynthia: certs.Identity,
                                    where: str) -> None:
    reports = verify(tamper(sign_both(finished, helene, cynthia), where))
    assert len(reports) == 2
    assert not any(r.intact for r in reports)
    assert not any(r.ok for r in reports)


@needs("pdfsig", "poppler-utils")
@pytest.mark.parametrize("where", ["title", "compressed stream"])
def test_poppler_also_catches_one_changed_byte(finished: Path, helene: certs.Identity,
                                               cynthia: certs.Identity, where: str) -> None:
    assert "Signature is Valid." not in pdfsig(tamper(sign_both(finished, helene, cynthia), where))


def tamper(signed: Path, where: str) -> Path:
    """Return a copy of *signed* with one byte changed in its title or inside its first stream."""
    data = bytearray(signed.read_bytes())
    if where == "title":
        data[data.index(b"testmote")] = ord("T")  # the Info title, covered by both signatures
    else:
        data[data.index(b"stream") + 20] ^= 0x01  # inside the first (deflated) stream: it no longer inflates
    tampered = signed.with_name("ändrad.pdf")
    tampered.write_bytes(bytes(data))
    return tampered


def test_a_change_appended_after_signing_is_reported(finished: Path, helene: certs.Identity) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign(finished, finished.with_name("s.pdf"), field=SECRETARY, key=helene.key, cert=helene.cert,
                  passphrase=helene.passphrase)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    extra = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 72 72 200 200 re f"))
    writer.add_stream_to_page(1, extra)  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    changed = signed.with_name("tillagd.pdf")
    changed.write_bytes(out.getvalue())
    (report,) = verify(changed)
    assert report.intact  # the signed bytes themselves are untouched
    assert report.modified and not report.ok  # but the page changed after signing


def test_an_invisible_field_made_by_another_tool_can_be_signed(finished: Path, cynthia: certs.Identity) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(finished.read_bytes()))
    append_signature_field(writer, SigFieldSpec(sig_field_name="Osynlig"))
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    extended = finished.with_name("osynlig.pdf")
    extended.write_bytes(out.getvalue())
    signed = sign(extended, extended, field="Osynlig", key=cynthia.key, cert=cynthia.cert)
    assert [(r.field, r.ok) for r in verify(signed)] == [("Osynlig", True)]
    with pikepdf.open(signed) as doc:
        (widget,) = [a for a in doc.pages[0].get("/Annots", []) if str(a.get("/T")) == "Osynlig"]
        appearance = widget.get("/AP", pikepdf.Dictionary()).get("/N")
        assert appearance is None or b"Signerat" not in appearance.read_bytes()  # nothing drawn in no space


def test_a_signed_field_is_not_signed_again(finished: Path, helene: certs.Identity,
                                            cynthia: certs.Identity) -> None:
    once = sign(finished, finished.with_name("s.pdf"), field=SECRETARY, key=helene.key, cert=helene.cert,
                passphrase=helene.passphrase)
    with pytest.raises(SignatureError, match="redan signerat"):
        sign(once, once.with_name("igen.pdf"), field=SECRETARY, key=cynthia.key, cert=cynthia.cert)
    assert not once.with_name("igen.pdf").exists()


def test_missing_field_is_refused_with_the_fields_there_are(finished: Path, cynthia: certs.Identity) -> None:
    target = finished.with_name("ut.pdf")
    with pytest.raises(SignatureError) as info:
        sign(finished, target, field="Ordförande", key=cynthia.key, cert=cynthia.cert)
    assert "'Ordförande' finns inte" in str(info.value)
    assert f"'{SECRETARY}'" in str(info.value) and f"'{JUSTERARE}'" in str(info.value)
    assert sorted(p.name for p in finished.parent.iterdir()) == ["minnesanteckningar.pdf", "motor.pdf"]


def test_signing_in_place_keeps_the_first_signature(finished: Path, helene: certs.Identity,
                                                    cynthia: certs.Identity) -> None:
    sign(finished, finished, field=SECRETARY, key=helene.key, cert=helene.cert, passphrase=helene.passphrase)
    sign(finished, finished, field=JUSTERARE, key=cynthia.key, cert=cynthia.cert)
    assert [r.ok for r in verify(finished)] == [True, True]


def test_another_signed_file_is_not_overwritten(finished: Path, helene: certs.Identity,
                                                cynthia: certs.Identity) -> None:
    other = sign_both(finished, helene, cynthia)  # a signed file already lies at the target
    before = other.read_bytes()
    with pytest.raises(OutputError):
        sign(finished, other, field=SECRETARY, key=helene.key, cert=helene.cert, passphrase=helene.passphrase)
    assert other.read_bytes() == before


@pytest.mark.parametrize(("passphrase", "message"), [
    (b"fel fras", "fel lösenfras"),
    (None, "skyddad med en lösenfras"),
])
def test_key_passphrase_problems_are_clear(finished: Path, helene: certs.Identity, passphrase: bytes | None,
                                           message: str) -> None:
    with pytest.raises(SignatureError, match=message):
        sign(finished, finished.with_name("ut.pdf"), field=SECRETARY, key=helene.key, cert=helene.cert,
             passphrase=passphrase)
    assert not finished.with_name("ut.pdf").exists()


def test_key_formats_pkcs12_without_suffix_der_and_a_spare_passphrase(finished: Path, cynthia: certs.Identity,
                                                                     tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    bundle = tmp_path / "cynthia.nyckel"  # a PKCS#12 file recognised by its content, not its name
    bundle.write_bytes(cynthia.p12.read_bytes())
    once = sign(finished, tmp_path / "1.pdf", field=SECRETARY, key=bundle)
    der = tmp_path / "cynthia.der"
    private = serialization.load_pem_private_key(cynthia.key.read_bytes(), password=None)
    der.write_bytes(private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    # an unprotected key with a passphrase given anyway (say from an environment variable) still signs
    twice = sign(once, tmp_path / "2.pdf", field=JUSTERARE, key=der, cert=cynthia.cert, passphrase="onödig".encode())
    assert [(r.signer, r.ok) for r in verify(twice)] == [("Cynthia Runefjärd", True)] * 2


def test_needs_passphrase_tells_protected_keys_from_open_ones(helene: certs.Identity,
                                                              cynthia: certs.Identity) -> None:
    assert needs_passphrase(helene.key) and needs_passphrase(helene.p12)
    assert not needs_passphrase(cynthia.key) and not needs_passphrase(cynthia.p12)


def test_pkcs12_with_wrong_passphrase_is_refused(finished: Path, helene: certs.Identity) -> None:
    with pytest.raises(SignatureError, match="PKCS#12"):
        sign(finished, finished.with_name("ut.pdf"), field=SECRETARY, key=helene.p12, passphrase=b"fel")


def test_key_of_someone_else_is_refused(finished: Path, helene: certs.Identity, cynthia: certs.Identity) -> None:
    with pytest.raises(SignatureError, match="hör inte till certifikatet"):
        sign(finished, finished.with_name("ut.pdf"), field=SECRETARY, key=cynthia.key, cert=helene.cert)


def test_unreadable_key_and_certificate_are_refused(finished: Path, cynthia: certs.Identity) -> None:
    junk = finished.with_name("skräp.pem")
    junk.write_text("-----BEGIN PRIVATE KEY-----\nnej\n-----END PRIVATE KEY-----\n", encoding="utf-8")
    with pytest.raises(SignatureError, match="ingen läsbar privat nyckel"):
        sign(finished, finished.with_name("ut.pdf"), field=SECRETARY, key=junk, cert=cynthia.cert)
    with pytest.raises(SignatureError, match="certifikat"):
        sign(finished, finished.with_name("ut.pdf"), field=SECRETARY, key=cynthia.key, cert=junk)
    with pytest.raises(SignatureError, match="kan inte läsas"):
        sign(finished, finished.with_name("ut.pdf"), field=SECRETARY, key=finished.with_name("saknas.pem"),
             cert=cynthia.cert)


def test_not_a_pdf_is_an_input_error(tmp_path: Path, cynthia: certs.Identity) -> None:
    text = tmp_path / "brev.pdf"
    text.write_text("Hej!", encoding="utf-8")
    with pytest.raises(InputError, match="ingen PDF"):
        sign(text, tmp_path / "ut.pdf", field=SECRETARY, key=cynthia.key, cert=cynthia.cert)
    with pytest.raises(InputError, match="ingen PDF"):
        verify(text)
    with pytest.raises(InputError, match="finns inte"):
        verify(tmp_path / "saknas.pdf")


def test_unsigned_pdf_has_no_signatures(finished: Path) -> None:
    assert verify(finished) == []


@pytest.mark.libreoffice
@needs("pdfsig", "poppler-utils")
def test_libreoffice_minutes_signed_in_turn(tmp_path: Path, helene: certs.Identity,
                                            cynthia: certs.Identity) -> None:
    from pipeline.engines.libreoffice import LibreOfficeEngine

    document = docx.Document()
    document.add_paragraph("Magnus Gyllestad avslutar mötet.")
    table = document.add_table(rows=4, cols=2)
    for cell, text in zip(table.rows[0].cells + table.rows[3].cells,
                          [SECRETARY, JUSTERARE, "Helene Olofsson", "Cynthia Runefjärd"], strict=True):
        cell.text = text
    document.save(str(tmp_path / "m.docx"))
    engine_pdf = LibreOfficeEngine().convert(tmp_path / "m.docx", tmp_path / "motor.pdf")
    pdf = finish(engine_pdf, tmp_path / "minnesanteckningar.pdf", META, signature_fields=MINUTES_SIGNATURES)
    signed = sign_both(pdf, helene, cynthia)
    assert [r.ok for r in verify(signed)] == [True, True]
    assert pdfsig(signed).count("Signature is Valid.") == 2
    assert_archive_copy(signed, META)
    with pikepdf.open(signed) as doc:
        assert "/StructTreeRoot" in doc.Root
