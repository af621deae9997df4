"""When and by whom the minutes were justerade, read from the signed PDF after it verifies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from ..documents import MINUTES_SIGNATURES
from ..errors import InputError
from ..fields import clean_text
from ..swedish import day_month, in_sweden

SECRETARY_FIELD, JUSTERING_FIELD = (spot.name for spot in MINUTES_SIGNATURES)


@dataclass(frozen=True)
class Justering:
    """The justerare's signature in a signed PDF that verified: who signed, when, and what to tell the user."""

    signer: str
    signed_at: datetime | None
    trusted: bool  # the certificate chains to the trust anchors given (--trust); False without any
    timestamped: bool  # a trusted timestamp proves when it was signed

    def sentence(self) -> str:
        """Return 'Justerat den 3 november 2023 av Cynthia Runefjärd (elektronisk underskrift).'."""
        when = f" den {day_month(in_sweden(self.signed_at).date(), year=True)}" if self.signed_at else ""
        return f"Justerat{when} av {self.signer} (elektronisk underskrift)."


def _title(pdf: Path) -> str:
    import pikepdf

    try:
        with pikepdf.open(pdf) as doc:
            info = doc.trailer.get("/Info")
            return str(info.get("/Title", "")) if info is not None else ""
    except pikepdf.PdfError as exc:
        raise InputError(f"den signerade filen är ingen läsbar PDF ({exc})", path=pdf) from exc


def read_justering(pdf: Path, title: str, trust: Sequence[Path] = ()) -> Justering:
    """Return the justering of the signed minutes *pdf*, whose title must be *title*.

    Raise InputError when a signature does not verify (broken, or changed afterwards), when the
    justerare has not signed, when the certificate does not chain to *trust* (if given), or when
    the PDF is the minutes of another meeting.
    """
    stat = pdf.stat() if pdf.is_file() else None
    key = (str(pdf.resolve()), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)
    return _read(key, pdf, title, tuple(trust))


@lru_cache(maxsize=8)
def _read(key: tuple[str, int, int], pdf: Path, title: str, trust: tuple[Path, ...]) -> Justering:
    from .. import api

    reports = api.verify(pdf, trust=list(trust))
    if not reports:
        raise InputError("den signerade PDF-filen har inga signaturer (--signed)", path=pdf)
    for r in reports:
        if not r.ok:
            changed = "; ".join(r.changes[:2]) or "innehållet har ändrats efter signeringen"
            why = r.problem or (f"ändrat efteråt: {changed}" if r.intact else "signaturen är bruten")
            raise InputError(f"signaturen i fältet »{r.field}« håller inte: {why}; kontrollera med "
                             "kansli verify och använd en hel signerad fil", path=pdf)
    found = _title(pdf)
    if found != title:
        raise InputError(f"den signerade PDF-filen är inte minnesanteckningarna från detta möte: "
                         f"den heter »{clean_text(found)[:80]}«, väntade »{title}«", path=pdf)
    justering = next((r for r in reports if r.field == JUSTERING_FIELD), None)
    if justering is None:
        raise InputError(f"fältet »{JUSTERING_FIELD}« är inte signerat än; publicera när justeraren har "
                         "signerat, eller utan --signed", path=pdf)
    if trust and not justering.verified:
        why = "; ".join(justering.trust_problems[:2]) or "certifikatet är inte från de betrodda utfärdarna"
        raise InputError(f"signaturen i fältet »{JUSTERING_FIELD}« är inte gjord med ett certifikat från "
                         f"de betrodda utfärdarna (--trust): {why}", path=pdf)
    signer = " ".join(clean_text(justering.signer).split()) or "okänd"
    return Justering(signer, justering.signed_at, bool(trust) and justering.verified, justering.timestamped)
