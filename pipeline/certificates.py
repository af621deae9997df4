"""Certificates: reading them, whether one may sign at a given time, and why one is not trusted.

Every verdict comes with a reason in Swedish. A certificate fit for signing documents has a
key usage extension naming digitalSignature or nonRepudiation (either suffices), and is valid at
the moment of signing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pyhanko.keys import load_certs_from_pemder_data

from . import swedish
from .errors import SignatureError, os_reason

SIGNING_KEY_USAGES = frozenset({"digital_signature", "non_repudiation"})


def read(path: Path, what: str) -> bytes:
    """Return the bytes of the key or certificate file *path* (*what* names it in errors)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SignatureError(f"{what} kan inte läsas: {os_reason(exc)}", path=path) from exc


def load_all(path: Path, what: str = "certifikatfilen") -> list[Any]:
    """Return every certificate in the PEM/DER file *path*; refuse a file that holds none."""
    try:
        certs = list(load_certs_from_pemder_data(read(path, what)))
    except (ValueError, TypeError, KeyError) as exc:
        raise SignatureError(f"{what} innehåller inget läsbart certifikat", path=path) from exc
    if not certs:
        raise SignatureError(f"{what} innehåller inget certifikat", path=path)
    return certs


def load_first(path: Path) -> Any:
    """Return the first certificate in the PEM/DER file *path*."""
    return load_all(path)[0]


def load_anchors(paths: Sequence[Path]) -> list[Any]:
    """Return the trust anchors in the PEM files *paths* (each must hold at least one certificate)."""
    return [cert for path in paths for cert in load_all(path, "förtroendecertifikatet")]


def common_name(cert: Any) -> str:
    """Return the certificate's common name, or its whole subject when it has none."""
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def _day(value: datetime) -> str:
    return swedish.moment(value)


def validity_problem(cert: Any, at: datetime) -> str | None:
    """Return why *cert* is not valid at the moment *at*, or None when it is."""
    validity = cert["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    if at < start:
        return f"certifikatet gällde inte ännu ({_day(at)}; giltigt från {_day(start)})"
    if at > end:
        return f"certifikatet hade gått ut ({_day(at)}; giltigt till {_day(end)})"
    return None


def key_usage_problem(cert: Any) -> str | None:
    """Return why *cert* may not sign documents by its key usage, or None when it may."""
    try:
        usage = cert.key_usage_value
    except (ValueError, TypeError) as exc:
        return f"certifikatets nyckelanvändning kan inte läsas ({exc})"
    if usage is None:
        return "certifikatet anger ingen nyckelanvändning; för signering krävs digitalSignature eller nonRepudiation"
    if not set(usage.native) & SIGNING_KEY_USAGES:
        named = ", ".join(sorted(usage.native)) or "ingen"
        return (f"certifikatets nyckelanvändning ({named}) tillåter inte signering; "
                "det krävs digitalSignature eller nonRepudiation")
    return None


def check_can_sign(cert: Any, at: datetime, *, path: Path) -> None:
    """Raise SignatureError when *cert* (read from *path*) cannot sign at *at*: validity, key usage."""
    for problem in (validity_problem(cert, at), key_usage_problem(cert)):
        if problem is not None:
            who = common_name(cert)
            raise SignatureError(f"kan inte signera med certifikatet för {who!r}: {problem}", path=path)


# Why pyHanko found no trusted path, by AdES sub-indication name, in Swedish.
TRUST_REASONS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "certifikatet är inte utfärdat av någon betrodd utfärdare (--trust)",
    "CHAIN_CONSTRAINTS_FAILURE": "certifikatkedjan uppfyller inte kraven (t.ex. en utfärdare som inte är CA)",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "certifikatkedjan kunde inte kontrolleras",
    "EXPIRED": "certifikatet har gått ut",
    "OUT_OF_BOUNDS_NO_POE": "certifikatet har gått ut och inget visar att signaturen gjordes medan det gällde",
    "OUT_OF_BOUNDS_NOT_REVOKED": "certifikatet har gått ut och inget visar att signaturen gjordes medan det gällde",
    "NOT_YET_VALID": "certifikatet gällde inte ännu",
    "REVOKED_NO_POE": "certifikatet är återkallat",
    "REVOKED_CA_NO_POE": "utfärdarens certifikat är återkallat",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "spärrinformationen gäller inte vid tidpunkten",
    "TRY_LATER": "spärrinformation saknas eller är för gammal",
    "CRYPTO_CONSTRAINTS_FAILURE": "en algoritm i kedjan är inte längre godtagbar",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "en algoritm i kedjan är inte längre godtagbar",
    "SIG_CONSTRAINTS_FAILURE": "certifikatets nyckelanvändning tillåter inte signering",
    "NO_SIGNING_CERTIFICATE_FOUND": "signerarens certifikat saknas i signaturen",
}


def trust_reason(indication: Any, cert: Any, anchors: Sequence[Any]) -> str:
    """Return, in Swedish, why a signer's certificate was not trusted (pyHanko's *indication*)."""
    name = getattr(indication, "name", "")
    if cert.self_signed != "no" and all(cert.sha256 != anchor.sha256 for anchor in anchors):
        anchor_names = {common_name(a) for a in anchors}
        if common_name(cert) in anchor_names:
            return "certifikatet är självsignerat och bara namnet liknar ett betrott certifikat"
        return "certifikatet är självsignerat och inte något av de betrodda certifikaten (--trust)"
    return TRUST_REASONS.get(name, f"certifikatet kunde inte knytas till en betrodd utfärdare ({name or 'okänt skäl'})")
