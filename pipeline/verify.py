"""Verify the signatures of a PDF: intact, nothing visible changed after them, signers trusted.

A signature passes only when all of these hold:
- the signed bytes are unchanged and the signature is cryptographically sound;
- nothing after it changes what a reader sees: pyHanko's difference analysis (page content, form
  structure) and `revisions.py` (annotations and widgets with an appearance, metadata);
- with trust anchors (`--trust`): the certificate chains to one of them, was valid at the time of
  signing, and has a key usage fit for signing (digitalSignature or nonRepudiation).

The time of signing is the one an RFC 3161 timestamp proves when the signature carries one from
a trusted time-stamping authority (then the chain and the revocation data embedded in the
document, PAdES B-LT/B-LTA, are judged at that time, offline); otherwise it is now (or *at*).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from . import certificates
from .errors import InputError
from .pdftext import read_bytes
from .revisions import Change, revision_changes


@dataclass(frozen=True)
class SignatureReport:
    """What verify() found for one signature."""

    field: str
    signer: str  # the certificate's common name
    signed_at: datetime | None  # proven by a timestamp when `timestamped`, else as the signer reported it
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically sound
    modified: bool  # something a reader sees (or the metadata) changed after it
    trusted: bool  # identity checked: chains to a trust anchor, valid then, key usage fit for signing
    covers_whole_file: bool  # no later revision follows this signature
    problem: str = ""  # why the signature could not be checked at all, when it could not
    changes: tuple[str, ...] = ()  # what changed after it, in Swedish
    trust_problems: tuple[str, ...] = ()  # why it is not trusted, in Swedish (empty when trusted)
    identity_checked: bool = True  # False when no trust anchors were given: `trusted` means nothing
    timestamped: bool = False  # a trusted RFC 3161 timestamp proves `signed_at`
    validation_data: bool = False  # the document carries chain and revocation data (DSS, B-LT)

    @property
    def ok(self) -> bool:
        """Return True when the signature is intact and nothing but form filling followed it."""
        return self.intact and not self.modified

    @property
    def verified(self) -> bool:
        """Return True when the signature holds in full: intact, unchanged after, signer trusted."""
        return self.ok and self.trusted and self.identity_checked


@contextmanager
def quiet() -> Iterator[None]:
    """Silence pyHanko's English logging and warnings for the duration; we report in Swedish."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator", "aiohttp", "asyncio")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def off_the_loop(work: Callable[[], T]) -> T:
    """Return work(), run in a thread of its own when this thread already runs an asyncio loop.

    pyHanko's synchronous API calls asyncio.run(), which refuses inside a running loop (a web
    server's request handler, a browser test driver); a fresh thread has none.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def read_pdf(pdf: Path) -> bytes:
    """Return the bytes of *pdf*, refusing what is missing or not a PDF."""
    data = read_bytes(pdf)
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("filen är ingen PDF", path=pdf)
    return data


@dataclass
class _Evidence:
    """What the document itself carries for validation: DSS certificates and revocation data."""

    certs: list[Any] = field(default_factory=list)
    ocsps: list[bytes] = field(default_factory=list)
    crls: list[bytes] = field(default_factory=list)

    @classmethod
    def read(cls, reader: PdfFileReader) -> _Evidence:
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            return cls()
        return cls(certs=list(dss.load_certs()),
                   ocsps=[ref.get_object().data for ref in dss.ocsps],
                   crls=[ref.get_object().data for ref in dss.crls])

    @property
    def present(self) -> bool:
        return bool(self.ocsps or self.crls)


def _signature_refs(reader: PdfFileReader) -> set[Any]:
    """Return the references of every signature and document timestamp dictionary in the file."""
    refs: set[Any] = set()
    for sig in [*reader.embedded_regular_signatures, *reader.embedded_timestamp_signatures]:
        value = sig.sig_field.raw_get("/V")
        if isinstance(value, generic.IndirectObject):
            refs.add(value.reference)
    return refs


def _context(anchors: Sequence[Any], evidence: _Evidence, moment: datetime) -> ValidationContext:
    """Return an offline validation context at *moment* with the document's own evidence."""
    return ValidationContext(trust_roots=list(anchors), other_certs=evidence.certs, ocsps=evidence.ocsps,
                             crls=evidence.crls, allow_fetching=False, revocation_mode="soft-fail",
                             moment=moment, retroactive_revinfo=True)


T = TypeVar("T")
KEY_USAGE = KeyUsageConstraints(key_usage=set(certificates.SIGNING_KEY_USAGES))


def _token_time(token: Any) -> datetime | None:
    """Return the time an RFC 3161 timestamp token (CMS SignedData) states, or None when unreadable."""
    try:
        when: datetime = token["encap_content_info"]["content"].parsed["gen_time"].native
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
    return when


def _timestamp_time(sig: Any) -> datetime | None:
    """Return the time the signature's RFC 3161 timestamp token states, or None without one."""
    try:
        tokens = list(extract_tst_data_iter(sig.signer_info, signed=False))
    except (KeyError, ValueError, TypeError):
        return None
    return _token_time(tokens[0]) if tokens else None


def _validate(sig: Any, anchors: Sequence[Any], evidence: _Evidence, moment: datetime) -> Any:
    context = _context(anchors, evidence, moment)
    return validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context,
                                  key_usage_settings=KEY_USAGE)


def _unreadable(sig: Any, exc: BaseException, anchors: Sequence[Any]) -> SignatureReport:
    """Return the report for a signature that could not be checked at all (damaged, or of an unknown kind)."""
    signer = "okänd"
    with contextlib.suppress(Exception):  # the certificate is only wanted for the name
        signer = certificates.common_name(sig.signer_cert)
    field = "okänt fält"
    with contextlib.suppress(Exception):
        field = str(sig.field_name)
    return SignatureReport(field=field, signer=signer, signed_at=None, intact=False, modified=True,
                           trusted=False, covers_whole_file=False, identity_checked=bool(anchors),
                           problem="signaturen kunde inte kontrolleras: den är skadad eller av ett slag som "
                                   f"inte stöds ({type(exc).__name__})")


def _safe_report(sig: Any, anchors: Sequence[Any], evidence: _Evidence, at: datetime,
                 later: Sequence[Change], sealed: Sequence[str]) -> SignatureReport:
    """Return _report(), or the report of an uncheckable signature when a hostile file breaks it."""
    try:
        return _report(sig, anchors, evidence, at, later, sealed)
    except Exception as exc:  # noqa: BLE001 - certificates and signatures from a file may be malformed anywhere
        return _unreadable(sig, exc, anchors)


def _report(sig: Any, anchors: Sequence[Any], evidence: _Evidence, at: datetime,
            later: Sequence[Change], sealed: Sequence[str]) -> SignatureReport:
    """Return the SignatureReport for one embedded signature."""
    name = str(sig.field_name)
    stamped = _timestamp_time(sig)
    notes: list[str] = []
    try:
        status = _validate(sig, anchors, evidence, stamped or at)
        ts = status.timestamp_validity
        timestamped = stamped is not None and ts is not None and ts.intact and ts.valid and (ts.trusted or not anchors)
        if stamped is not None and not timestamped:
            notes.append("tidsstämpeln är ogiltig eller kommer från en utfärdare som inte är betrodd")
            status = _validate(sig, anchors, evidence, at)
    except Exception as exc:  # noqa: BLE001 - whatever breaks validation (zlib, struct, asn1, ...) means "not intact"
        return _unreadable(sig, exc, anchors)
    level = status.modification_level
    changes = [str(c) for c in later if c.revision > sig.signed_revision]
    if (level is None or level > ModificationLevel.FORM_FILLING or status.docmdp_ok is False
            or status.coverage is None or status.coverage.name not in ("ENTIRE_FILE", "ENTIRE_REVISION")):
        changes.insert(0, "innehållet ändrades efter signeringen (mer än ifyllnad av signaturfält)")
    cert = status.signing_cert
    moment = stamped if timestamped and stamped is not None else at
    problems = [*notes, *sealed]
    for problem in (certificates.key_usage_problem(cert), certificates.validity_problem(cert, moment)):
        if problem is not None:
            problems.append(f"{problem}, och ingen betrodd tidsstämpel visar att signaturen gjordes medan det gällde"
                            if "gått ut" in problem and not timestamped else problem)
    claimed = status.signer_reported_dt
    if not timestamped and claimed is not None and certificates.validity_problem(cert, claimed):
        problems.append(f"enligt signaturens egen tidsuppgift: {certificates.validity_problem(cert, claimed)}")
    if anchors and status.validation_path is None:
        problems.append(certificates.trust_reason(status.trust_problem_indic, cert, anchors))
    elif anchors and not status.trusted and not problems:
        problems.append(certificates.TRUST_REASONS.get(getattr(status.trust_problem_indic, "name", ""),
                                                       "certifikatet kunde inte bekräftas"))
    return SignatureReport(
        field=name,
        signer=certificates.common_name(cert),
        signed_at=stamped if timestamped else claimed,
        intact=bool(status.intact and status.valid),
        modified=bool(changes),
        trusted=bool(anchors) and bool(status.trusted) and not problems,
        covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        changes=tuple(changes),
        trust_problems=tuple(dict.fromkeys(problems)),
        identity_checked=bool(anchors),
        timestamped=timestamped,
        validation_data=evidence.present,
    )


def _document_timestamps(reader: PdfFileReader, anchors: Sequence[Any], evidence: _Evidence,
                         at: datetime) -> list[str]:
    """Return what is wrong with the document timestamps (B-LTA) that seal the validation data.

    Each is judged at the time it states itself, with the validation data the document carries.
    """
    found: list[str] = []
    for ts in reader.embedded_timestamp_signatures:
        try:
            moment = _token_time(ts.signed_data) or at
            status = validate_pdf_timestamp(ts, validation_context=_context(anchors, evidence, moment))
        except Exception as exc:  # noqa: BLE001 - a damaged timestamp fails in many ways inside pyHanko
            found.append(f"dokumenttidsstämpeln kunde inte kontrolleras ({type(exc).__name__})")
            continue
        if not (status.intact and status.valid):
            found.append("dokumenttidsstämpeln är bruten")
        elif anchors and not status.trusted:
            found.append("dokumenttidsstämpeln kommer från en utfärdare som inte är betrodd")
    return found


def verify(pdf: Path, *, trust: Sequence[Path] = (), at: datetime | None = None) -> list[SignatureReport]:
    """Return a report for every signature in *pdf*, in signing order (empty when unsigned).

    *trust* names PEM files of trust anchors; without them identities are not checked
    (`SignatureReport.identity_checked` is False). *at* is the moment to validate at when no
    trusted timestamp proves the time of signing (default: now).
    """
    data = read_pdf(pdf)
    anchors = certificates.load_anchors(trust)
    moment = at or datetime.now(UTC)
    return off_the_loop(lambda: _verify(pdf, data, anchors, moment))


def _verify(pdf: Path, data: bytes, anchors: Sequence[Any], moment: datetime) -> list[SignatureReport]:
    with quiet():
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            embedded = list(reader.embedded_regular_signatures)
            first = min((sig.signed_revision for sig in embedded), default=0)
            later = revision_changes(reader, first, _signature_refs(reader)) if embedded else []
            evidence = _Evidence.read(reader)
            sealed = _document_timestamps(reader, anchors, evidence, moment)
        except Exception as exc:  # a damaged file fails in many ways deep in pyHanko
            raise InputError(f"PDF-filen kan inte läsas: den är skadad ({type(exc).__name__})", path=pdf) from exc
        return [_safe_report(sig, anchors, evidence, moment, later, sealed) for sig in embedded]
