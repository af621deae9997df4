"""Sign a PDF into an empty signature field (PAdES baseline B) and verify its signatures (pyHanko)."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_der_private_key,
    load_pem_private_key,
    pkcs12,
)
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.extensions import DeveloperExtension
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp.noop import NoOpStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import swedish
from .errors import InputError, SignatureError
from .outputs import guard, write_atomic
from .stamp import draw

PKCS12_SUFFIXES = (".p12", ".pfx")
PKCS7_DATA_OID = bytes.fromhex("06092a864886f70d010701")  # how a PKCS#12 (PFX) file begins, in DER


@dataclass(frozen=True)
class SignatureReport:
    """What verify() found for one signature."""

    field: str
    signer: str  # the certificate's common name
    signed_at: datetime | None  # the signing time the signer reported
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically sound
    modified: bool  # something beyond form filling and further signatures changed after it
    trusted: bool  # the certificate chains to one of the trust anchors given
    covers_whole_file: bool  # no later revision follows this signature
    problem: str = ""  # why the signature could not be checked at all, when it could not

    @property
    def ok(self) -> bool:
        """Return True when the signature is intact and nothing but form filling followed it."""
        return self.intact and not self.modified


@contextmanager
def _pyhanko_quiet() -> Iterator[None]:
    """Silence pyHanko's own error logging for the duration; we raise clear errors instead."""
    logger = logging.getLogger("pyhanko")
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(old)


def _read_pdf(pdf: Path) -> bytes:
    """Return the bytes of *pdf*, refusing what is missing or not a PDF."""
    try:
        data = pdf.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", path=pdf) from exc
    except OSError as exc:
        raise InputError(f"filen kan inte läsas: {exc.strerror}", path=pdf) from exc
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("filen är ingen PDF", path=pdf)
    return data


def _read(path: Path, what: str) -> bytes:
    """Return the bytes of the key or certificate file *path* (*what* names it in errors)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SignatureError(f"{what} kan inte läsas: {exc.strerror}", path=path) from exc


def load_signer(key: Path, cert: Path | None, passphrase: bytes | None) -> signers.SimpleSigner:
    """Return a signer from a PEM/DER key and certificate, or from a PKCS#12 file (*cert* optional)."""
    key_data = _read(key, "nyckelfilen")
    if key.suffix.lower() in PKCS12_SUFFIXES or PKCS7_DATA_OID in key_data[:32]:
        try:
            signer: signers.SimpleSigner = signers.SimpleSigner.load_pkcs12_data(
                key_data, other_certs=(), passphrase=passphrase)
        except (ValueError, TypeError) as exc:
            raise SignatureError("PKCS#12-filen kan inte öppnas: fel lösenfras, eller ingen giltig "
                                 "nyckelfil", path=key) from exc
        if cert is not None and _spki(_load_cert(cert)) != _spki(signer.signing_cert):
            raise SignatureError("nyckeln hör inte till certifikatet", path=key)
        return signer
    if cert is None:
        raise SignatureError("certifikatet saknas; ange certifikatfilen (eller en PKCS#12-fil som nyckel)",
                             path=key)
    private, passphrase = _private_key(key_data, passphrase, key)
    certificate = _load_cert(cert)
    if private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) != _spki(certificate):
        raise SignatureError("nyckeln hör inte till certifikatet", path=key)
    try:
        signing_key = load_private_key_from_pemder_data(key_data, passphrase=passphrase)
    except (ValueError, TypeError) as exc:
        raise SignatureError("nyckeln kan inte läsas", path=key) from exc
    return signers.SimpleSigner(signing_cert=certificate, signing_key=signing_key,
                                cert_registry=SimpleCertificateStore())  # type: ignore[no-untyped-call]


def needs_passphrase(key: Path) -> bool:
    """Return True when the key file *key* (PEM, DER or PKCS#12) cannot be opened without a passphrase."""
    data = _read(key, "nyckelfilen")
    is_pkcs12 = key.suffix.lower() in PKCS12_SUFFIXES or PKCS7_DATA_OID in data[:32]
    try:
        if is_pkcs12:
            pkcs12.load_key_and_certificates(data, None)
        else:
            (load_pem_private_key if b"-----BEGIN" in data else load_der_private_key)(data, password=None)
    except TypeError:  # an encrypted PEM/DER key
        return True
    except ValueError:  # a protected PKCS#12 file (a broken key file is for sign() to report)
        return is_pkcs12
    return False


def _private_key(data: bytes, passphrase: bytes | None, key: Path) -> tuple[PrivateKeyTypes, bytes | None]:
    """Return the private key in *data* and the passphrase it needs (None for an unprotected key).

    A passphrase given for an unprotected key is ignored (it may come from an environment
    variable set for another key); every other problem is a SignatureError saying which.
    """
    loader = load_pem_private_key if b"-----BEGIN" in data else load_der_private_key
    try:
        return loader(data, password=passphrase), passphrase
    except TypeError as exc:
        if passphrase is not None:
            return _private_key(data, None, key)
        raise SignatureError("nyckeln är skyddad med en lösenfras; ange lösenfrasen", path=key) from exc
    except ValueError as exc:
        if passphrase is not None and (b"ENCRYPTED" in data or b"-----BEGIN" not in data):
            raise SignatureError("fel lösenfras för nyckeln", path=key) from exc
        raise SignatureError("nyckelfilen innehåller ingen läsbar privat nyckel (PEM, DER eller PKCS#12)",
                             path=key) from exc


def _load_cert(cert: Path) -> Any:
    """Return the first certificate in the PEM/DER file *cert*."""
    try:
        certs = list(load_certs_from_pemder_data(_read(cert, "certifikatfilen")))
    except (ValueError, TypeError) as exc:
        raise SignatureError("certifikatfilen innehåller inget läsbart certifikat", path=cert) from exc
    if not certs:
        raise SignatureError("certifikatfilen innehåller inget certifikat", path=cert)
    first: Any = certs[0]
    return first


def _spki(cert: Any) -> bytes:
    """Return the DER-encoded public key (SubjectPublicKeyInfo) of *cert*."""
    spki: bytes = cert.public_key.dump()
    return spki


def signature_fields(data: bytes, pdf: Path) -> dict[str, bool]:
    """Return the signature fields of the PDF *data* by name, each True when already signed."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        return {name: value is not None for name, value, _ in enumerate_sig_fields(reader)}
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"PDF-filen kan inte läsas ({exc})", path=pdf) from exc


class _ArchiveWriter(IncrementalPdfFileWriter):
    """An incremental writer that never raises the PDF version above 1.7, PDF/A-2's limit.

    For ECDSA on the common curves pyHanko declares PDF 2.0 and the ISO/TS 32002 extension; the
    signature is the same CMS either way and PAdES readers (pdfsig, Acrobat) accept it in 1.7.
    """

    def ensure_output_version(self, version: tuple[int, int]) -> None:
        """Raise the output version to *version*, but not beyond 1.7."""
        super().ensure_output_version(min(version, (1, 7)))  # type: ignore[no-untyped-call]

    def register_extension(self, ext: DeveloperExtension) -> None:
        """Declare *ext* unless it extends PDF 2.0, which an archive copy must not claim."""
        if str(ext.base_version) <= "/1.7":
            super().register_extension(ext)


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Make the Info dict's /Producer exactly pyHanko's name, as pyHanko writes it into the XMP.

    pyHanko appends its name to an existing /Producer but puts only its name in the XMP packet;
    PDF/A needs the two to match, so the Info entry is set to the name alone beforehand.
    """
    ref = writer.trailer.raw_get("/Info")
    info = writer.trailer["/Info"]
    if isinstance(ref, generic.IndirectObject) and isinstance(info, generic.DictionaryObject):
        info[generic.pdf_name("/Producer")] = generic.TextStringObject(VENDOR)
        writer.mark_update(ref)


def sign(pdf_in: Path, pdf_out: Path, *, field: str, key: Path, cert: Path | None = None,
         passphrase: bytes | None = None, reason: str | None = None, location: str | None = None,
         force: bool = False) -> Path:
    """Sign *pdf_in* into its empty signature field *field* and write the result to *pdf_out*.

    Return *pdf_out*. The signature (PAdES baseline B, SHA-256) is an incremental update, so
    earlier signatures stay valid; *pdf_out* may be *pdf_in*. Keys are PEM/DER (with *cert*) or
    PKCS#12 (.p12/.pfx, certificate inside). Nothing is written when anything fails.
    """
    data = _read_pdf(pdf_in)
    fields = signature_fields(data, pdf_in)
    if field not in fields:
        known = ", ".join(repr(f) for f in fields) or "inga"
        raise SignatureError(f"signaturfältet {field!r} finns inte; fälten i dokumentet: {known}", path=pdf_in)
    if fields[field]:
        raise SignatureError(f"signaturfältet {field!r} är redan signerat", path=pdf_in)
    if not force and pdf_out.resolve() != pdf_in.resolve():
        guard(pdf_out, force=False)
    with _pyhanko_quiet():
        signer = load_signer(key, cert, passphrase)
        meta = signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason=reason, location=location)
        out = io.BytesIO()
        try:
            writer = _ArchiveWriter(io.BytesIO(data), strict=False)
            (_, _, ref), *_ = enumerate_sig_fields(writer, with_name=field)
            when = swedish.moment(datetime.now(UTC))
            draw(writer, ref, [f"Signerat av {_common_name(signer.signing_cert)}", when])
            _align_producer(writer)
            signers.PdfSigner(meta, signer=signer, stamp_style=NoOpStampStyle()).sign_pdf(writer, output=out)
        except (SigningError, PdfError, ValueError, KeyError, TypeError) as exc:
            raise SignatureError(f"signeringen misslyckades ({exc})", path=pdf_in) from exc
    signed = out.getvalue()
    if not signed.startswith(data):
        raise SignatureError("internt fel: signeringen skrev inte en inkrementell uppdatering", path=pdf_in)
    # Overwriting the input is safe: the new file holds every byte of the old one, unchanged.
    return write_atomic(pdf_out, signed, force=True)


def _validation_context(trust: Sequence[Path]) -> ValidationContext:
    """Return a validation context trusting the certificates in *trust*, offline."""
    roots: list[Any] = []
    for path in trust:
        try:
            roots.extend(load_certs_from_pemder_data(_read(path, "förtroendecertifikatet")))
        except (ValueError, TypeError) as exc:
            raise SignatureError("filen innehåller inget läsbart certifikat", path=path) from exc
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _common_name(cert: Any) -> str:
    """Return the certificate's common name, or its whole subject when it has none."""
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def verify(pdf: Path, *, trust: Sequence[Path] = ()) -> list[SignatureReport]:
    """Return a report for every signature in *pdf*, in signing order (empty when unsigned)."""
    data = _read_pdf(pdf)
    context = _validation_context(trust)
    with _pyhanko_quiet():
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            embedded = list(reader.embedded_regular_signatures)
        except Exception as exc:  # a damaged file fails in many ways deep in pyHanko
            raise InputError(f"PDF-filen kan inte läsas ({exc})", path=pdf) from exc
        return [_report(sig, context) for sig in embedded]


def _report(sig: Any, context: ValidationContext) -> SignatureReport:
    """Return the SignatureReport for one embedded signature."""
    name = str(sig.field_name)
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context)
    except Exception as exc:  # noqa: BLE001 - whatever breaks validation (zlib, struct, ...) means "not intact"
        signer = "okänd"
        with contextlib.suppress(Exception):  # the certificate is only wanted for the name
            signer = _common_name(sig.signer_cert)
        return SignatureReport(field=name, signer=signer,
                               signed_at=None, intact=False, modified=True, trusted=False,
                               covers_whole_file=False, problem=f"kunde inte kontrolleras ({exc})")
    level = status.modification_level
    modified = (level is None or level > ModificationLevel.FORM_FILLING or status.docmdp_ok is False
                or status.coverage is None or status.coverage.name not in ("ENTIRE_FILE", "ENTIRE_REVISION"))
    return SignatureReport(
        field=name,
        signer=_common_name(status.signing_cert),
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        modified=bool(modified),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
    )

