"""Sign a PDF into an empty signature field: PAdES baseline B, or with --tsa and --ltv B-T, B-LT, B-LTA.

The certificate must be able to sign (valid now, a signing key usage; `certificates.py`). With a
time-stamping authority the signature carries an RFC 3161 timestamp (B-T); with --ltv the
certificate chain and revocation data (OCSP/CRL, fetched now) go into the document security store
and a document timestamp seals them (B-LTA), so the signature can be checked offline for years.
Verification lives in `verify.py`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
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
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.extensions import DeveloperExtension
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.stamp.noop import NoOpStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import certificates, swedish
from .errors import InputError, SignatureError, UsageError
from .outputs import guard, write_atomic
from .stamp import draw
from .verify import SignatureReport, off_the_loop, quiet, read_pdf, verify

__all__ = ["SignatureReport", "load_signer", "needs_passphrase", "sign", "signature_fields", "verify"]

PKCS12_SUFFIXES = (".p12", ".pfx")
PKCS7_DATA_OID = bytes.fromhex("06092a864886f70d010701")  # how a PKCS#12 (PFX) file begins, in DER


_read = certificates.read


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


_load_cert = certificates.load_first


def _spki(cert: Any) -> bytes:
    """Return the DER-encoded public key (SubjectPublicKeyInfo) of *cert*."""
    spki: bytes = cert.public_key.dump()
    return spki


def signature_fields(data: bytes, pdf: Path) -> dict[str, bool]:
    """Return the signature fields of the PDF *data* by name, each True when already signed."""
    try:
        with quiet():
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            return {name: value is not None for name, value, _ in enumerate_sig_fields(reader)}
    except Exception as exc:
        raise InputError(f"PDF-filen kan inte läsas: den är skadad ({type(exc).__name__})", path=pdf) from exc


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


def _timestamper(tsa: str | None) -> Any:
    """Return pyHanko's RFC 3161 client for the URL *tsa*, or None."""
    if tsa is None:
        return None
    if not tsa.startswith(("http://", "https://")):
        raise UsageError(f"--tsa vill ha en http- eller https-adress, inte {tsa!r}")
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    return HTTPTimeStamper(tsa, timeout=20)


def _metadata(field: str, reason: str | None, location: str | None, *, ltv: bool,
              trust: Sequence[Path], signer: signers.SimpleSigner) -> signers.PdfSignatureMetadata:
    """Return pyHanko's signature settings: PAdES, SHA-256; with *ltv* validation data and B-LTA."""
    if not ltv:
        return signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason=reason, location=location)
    anchors = certificates.load_anchors(trust)
    cert: Any = signer.signing_cert
    extra = list(signer.cert_registry) if signer.cert_registry is not None else []
    context = ValidationContext(trust_roots=anchors, other_certs=extra, allow_fetching=True,
                                revocation_mode="hard-fail")
    return signers.PdfSignatureMetadata(
        field_name=field, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256", reason=reason,
        location=location, embed_validation_info=True, use_pades_lta=True, validation_context=context,
        # pyHanko wants every usage named here; the certificate has one of them (checked before)
        signer_key_usage=set(cert.key_usage_value.native) & certificates.SIGNING_KEY_USAGES)


def sign(pdf_in: Path, pdf_out: Path, *, field: str, key: Path, cert: Path | None = None,
         passphrase: bytes | None = None, reason: str | None = None, location: str | None = None,
         force: bool = False, tsa: str | None = None, ltv: bool = False, trust: Sequence[Path] = ()) -> Path:
    """Sign *pdf_in* into its empty signature field *field* and write the result to *pdf_out*.

    Return *pdf_out*. The signature (PAdES, SHA-256) is an incremental update, so earlier
    signatures stay valid; *pdf_out* may be *pdf_in*. Keys are PEM/DER (with *cert*) or PKCS#12
    (.p12/.pfx, certificate inside). *tsa* is the URL of an RFC 3161 time-stamping authority;
    *ltv* (which needs *tsa* and the trust anchors *trust* to build the chain to) embeds the chain
    and revocation data and seals them with a document timestamp. A certificate that has expired,
    is not yet valid or may not sign is refused. Nothing is written when anything fails.
    """
    if ltv and (tsa is None or not trust):
        raise UsageError("--ltv kräver både --tsa URL (tidsstämplar) och --trust CA.pem (kedjan att bädda in)")
    data = read_pdf(pdf_in)
    fields = signature_fields(data, pdf_in)
    if field not in fields:
        known = ", ".join(repr(f) for f in fields) or "inga"
        raise SignatureError(f"signaturfältet {field!r} finns inte; fälten i dokumentet: {known}", path=pdf_in)
    if fields[field]:
        raise SignatureError(f"signaturfältet {field!r} är redan signerat", path=pdf_in)
    in_place = pdf_out.resolve() == pdf_in.resolve()
    if not in_place:  # never the key or the certificate, a signed PDF or a file of another kind, unless --force
        guard(pdf_out, force=force, inputs=[p for p in (key, cert) if p is not None], made="pdf")
    with quiet():
        signer = load_signer(key, cert, passphrase)
        now = datetime.now(UTC)
        certificates.check_can_sign(signer.signing_cert, now, path=cert or key)
        meta = _metadata(field, reason, location, ltv=ltv, trust=trust, signer=signer)
        timestamper = _timestamper(tsa)
        try:
            signed = off_the_loop(lambda: _signed(data, field, signer, meta, timestamper, now))
        except Exception as exc:  # pyHanko, aiohttp and the validator fail in many ways; all mean "not signed"
            raise SignatureError(f"signeringen misslyckades ({_why(exc, tsa)})", path=pdf_in) from exc
    if not signed.startswith(data):
        raise SignatureError("internt fel: signeringen skrev inte en inkrementell uppdatering", path=pdf_in)
    # Overwriting the input is safe: the new file holds every byte of the old one, unchanged.
    return write_atomic(pdf_out, signed, force=True) if in_place else \
        write_atomic(pdf_out, signed, force=force, inputs=[p for p in (key, cert) if p is not None], made="pdf")


# Why signing failed, by the name of an exception in the chain (pyHanko's own messages are English).
REASONS = {
    "TimestampRequestError": "tidsstämpeln kunde inte hämtas från {tsa}",
    "InsufficientRevinfoError": "spärrinformation (OCSP/CRL) för certifikatet kunde inte hämtas",
    "RevokedError": "certifikatet är återkallat",
    "ExpiredError": "ett certifikat i kedjan har gått ut",
    "PathBuildingError": "certifikatet kunde inte knytas till utfärdaren i --trust",
    "InvalidCertificateError": "certifikatet får inte användas för signering",
    "PathValidationError": "certifikatkedjan till --trust kunde inte bekräftas",
}


def _signed(data: bytes, field: str, signer: signers.SimpleSigner, meta: signers.PdfSignatureMetadata,
            timestamper: Any, now: datetime) -> bytes:
    """Return *data* with the signature in *field* appended as an incremental update."""
    out = io.BytesIO()
    writer = _ArchiveWriter(io.BytesIO(data), strict=False)
    (_, _, ref), *_ = enumerate_sig_fields(writer, with_name=field)
    draw(writer, ref, [f"Signerat av {certificates.common_name(signer.signing_cert)}", swedish.moment(now)])
    _align_producer(writer)
    signers.PdfSigner(meta, signer=signer, stamp_style=NoOpStampStyle(),
                      timestamper=timestamper).sign_pdf(writer, output=out)
    return out.getvalue()


def _why(exc: BaseException, tsa: str | None) -> str:
    """Return a Swedish reason for a failed signing, from the most specific cause known."""
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(chain) < 20:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    for name, reason in REASONS.items():
        if any(name in (k.__name__ for k in type(e).__mro__) for e in chain):
            return reason.format(tsa=tsa)
    if any(isinstance(e, OSError) for e in chain):
        return "nätverksfel"
    return type(exc).__name__
