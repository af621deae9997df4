"""The finishing stage shared by both engines: PDF/A-2b marking, metadata, signature fields."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from . import clock, pdfactions, pdftext, structure
from .documents import After, SignatureSpot
from .engines.base import Engine
from .errors import EngineError, InputError, os_reason
from .outputs import carries_signature, write_atomic

CREATOR = "kansli"
SRGB = "sRGB IEC61966-2.1"
MIN_FIELD_HEIGHT = 14.0  # points; less than this is no room to sign in
COMFORTABLE_HEIGHT = 24.0  # less than this under a label, and the next page is tried
DEFAULT_FIELD_HEIGHT = 48.0  # used when no name line follows a label
MAX_FIELD_HEIGHT = 90.0  # a field never reaches further down (say, to the footer)
MAX_FIELD_WIDTH = 220.0
GAP = 2.0  # points kept clear between a field and the text around it


def escape(text: str) -> str:
    """Return *text* with &, > and < escaped for XML (as xml.sax.saxutils, whose import costs 20 ms)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


@dataclass(frozen=True)
class Metadata:
    """What the archive copy says about itself: title, author (the organisation), subject, language."""

    title: str
    author: str
    subject: str = ""
    keywords: str = ""
    language: str = "sv-SE"


@dataclass(frozen=True)
class Placement:
    """Where a signature field goes: page index and rectangle [x1, y1, x2, y2] in points."""

    page: int
    rect: tuple[float, float, float, float]


def finish(pdf_in: Path, pdf_out: Path, meta: Metadata, *,
           signature_fields: Sequence[SignatureSpot] = (), ua: bool = False) -> Path:
    """Write *pdf_in* as a PDF/A-2b archive copy with *meta* (and empty signature fields) to *pdf_out*.

    With *ua* (the engine tags for PDF/UA-1) a tagged *pdf_in* is declared PDF/UA-1 as well.

    Return *pdf_out*. The output is written atomically; *pdf_in* may equal *pdf_out*.
    """
    try:
        data = pdf_in.read_bytes()
    except OSError as exc:
        raise InputError(f"PDF-filen kan inte läsas: {os_reason(exc)}", path=pdf_in) from exc
    if carries_signature(pdf_in):
        raise InputError("PDF-filen är redan signerad; att efterbehandla den skulle bryta signaturen",
                         path=pdf_in)
    placements: list[Placement] = []
    if signature_fields:
        text = pdftext.PdfText(pdf_in)
        placements = [locate(text, spot) for spot in signature_fields]
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise InputError("PDF-filen är lösenordsskyddad", path=pdf_in) from exc
    except pikepdf.PdfError as exc:
        raise InputError(f"filen är ingen läsbar PDF ({exc})", path=pdf_in) from exc
    with pdf:
        missing = unembedded_fonts(pdf)
        if missing:
            raise EngineError("typsnitt är inte inbäddade, vilket PDF/A kräver: " + ", ".join(missing),
                              path=pdf_in)
        remove_actions(pdf)
        set_metadata(pdf, meta, clock.now(), ua=ua)
        ensure_output_intent(pdf)
        print_annotations(pdf)
        for spot, place in zip(signature_fields, placements, strict=True):
            add_signature_field(pdf, spot, place)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return write_atomic(pdf_out, out.getvalue(), force=pdf_out == pdf_in)


def make_pdf(engine: Engine, docx: Path, pdf: Path, scratch: Path, meta: Metadata, *,
             signatures: Sequence[SignatureSpot] = (), after: After | None = None) -> Path:
    """Convert *docx* with *engine* (into *scratch*), apply the *after* step, finish the result into *pdf*.

    The after step's companion documents are converted in the same engine call.
    """
    companions = list(after.companions()) if after is not None else []
    first, *others = engine.convert_many([(docx, scratch), *companions])
    if isinstance(first, EngineError):
        raise first
    raw = after.shape(first, others) if after is not None else first
    return finish(raw, pdf, meta, signature_fields=signatures, ua=engine.pdf_ua)


def locate(text: pdftext.PdfText, spot: SignatureSpot) -> Placement:
    """Return where the field for *spot* goes: below its label, above the name under it.

    The label's last occurrence is used (the signature block ends the document), so pages are
    searched from the end. The column reaches to the next text right of the label on its line
    (at most MAX_FIELD_WIDTH); the field ends just above the first text below the label in it.
    """
    hits: list[pdftext.Hit] = []
    for index in reversed(range(len(text))):
        hits = text.find(spot.label, [index])
        if hits:
            break
    if not hits:
        raise InputError(f"signaturblocket saknas: texten {spot.label!r} finns inte i dokumentet, "
                         f"så fältet {spot.name!r} kan inte placeras", path=text.path)
    hit = min(hits, key=lambda h: h.y)  # the lowest on its page
    fragments = text.fragments(hit.page)
    x0, _, x1, _ = text.mediabox(hit.page)
    left_margin = min((f.x for f in fragments), default=x0 + 56.0) - x0
    right_edge = x1 - left_margin  # the right margin taken as the mirror of the left one
    beside = [f.x for f in fragments if abs(f.y - hit.y) <= 0.25 * hit.height and f.x > hit.x + hit.width]
    x2 = min([*beside, right_edge, hit.x + MAX_FIELD_WIDTH]) - 3 * GAP
    top = hit.y - 0.3 * hit.height - GAP
    in_column = [f for f in fragments if f.y < hit.y - 0.5 * hit.height and f.x < x2 and f.x + f.width > hit.x]
    if in_column:
        bottom = max(max(f.y + 0.8 * f.size for f in in_column) + GAP, top - MAX_FIELD_HEIGHT)
    else:
        bottom = max(top - DEFAULT_FIELD_HEIGHT, 18.0)
    page = hit.page
    if top - bottom < COMFORTABLE_HEIGHT and hit.page + 1 < len(text):
        # A page break between label and name: sign in the space above the name on the next page.
        after = _space_at_top(text, hit.page + 1, hit.x, x2)
        if after is not None:
            page, (bottom, top) = hit.page + 1, after
    if top - bottom < MIN_FIELD_HEIGHT or x2 - hit.x < 3 * MIN_FIELD_HEIGHT:
        raise InputError(f"det finns inget utrymme för en underskrift under {spot.label!r}; "
                         "lämna tomma rader mellan rubriken och namnet i signaturblocket", path=text.path)
    return Placement(page, (round(hit.x, 2), round(bottom, 2), round(x2, 2), round(top, 2)))


def _space_at_top(text: pdftext.PdfText, page: int, x1: float, x2: float) -> tuple[float, float] | None:
    """Return (bottom, top) of the first roomy space above a line with text in the column x1..x2
    in the top half of *page* (where a signature block goes on after a page break), or None."""
    _, y0, _, y1 = text.mediabox(page)
    upper = y1 - 36.0  # with nothing above the name line: the top margin at most
    for row in pdftext.lines(text.fragments(page)):
        if row[0].y < (y0 + y1) / 2:
            break
        bottom = max(f.y + 0.8 * f.size for f in row) + GAP
        if upper - bottom >= COMFORTABLE_HEIGHT and any(f.x < x2 and f.x + f.width > x1 for f in row):
            return max(bottom, upper - MAX_FIELD_HEIGHT), upper
        upper = min(f.y - 0.3 * f.size for f in row) - GAP
    return None


def _fonts(resources: object, seen: set[tuple[int, int]]) -> Iterator[Dictionary]:
    """Yield every font reachable from a /Resources dict, through forms and Type 3 glyphs."""
    if not isinstance(resources, Dictionary):
        return
    for key in ("/Font", "/XObject"):
        table = resources.get(key)
        for item in table.values() if isinstance(table, Dictionary) else ():
            if item.is_indirect:
                if item.objgen in seen:
                    continue
                seen.add(item.objgen)
            if key == "/Font" and isinstance(item, Dictionary):
                yield item
            if item.get("/Subtype") in (Name.Form, Name.Type3):
                yield from _fonts(item.get("/Resources"), seen)


def unembedded_fonts(pdf: pikepdf.Pdf) -> list[str]:
    """Return the names of the fonts used in *pdf* whose font program is not embedded, sorted."""
    seen: set[tuple[int, int]] = set()
    fonts: list[Dictionary] = []
    for page in pdf.pages:
        fonts.extend(_fonts(page.obj.get("/Resources"), seen))
        for annot in page.obj.get("/Annots", Array()):
            normal = annot.get("/AP", Dictionary()).get("/N") if isinstance(annot, Dictionary) else None
            streams = [normal] if isinstance(normal, pikepdf.Stream) else (
                list(normal.values()) if isinstance(normal, Dictionary) else [])
            for stream in streams:
                fonts.extend(_fonts(stream.get("/Resources"), seen))
    missing: set[str] = set()
    for font in fonts:
        subtype = font.get("/Subtype")
        if subtype == Name.Type3:
            continue  # its glyphs are content streams in the file
        if subtype == Name.Type0:
            descendants = font.get("/DescendantFonts", Array())
            target = descendants[0] if len(descendants) else font
        else:
            target = font
        descriptor = target.get("/FontDescriptor")
        if not (isinstance(descriptor, Dictionary) and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))):
            missing.add(str(font.get("/BaseFont", "?")).lstrip("/"))
    return sorted(missing)


def remove_actions(pdf: pikepdf.Pdf) -> None:
    """Remove scripts, launched programs, unsafe links, automatic actions and page transitions from *pdf*."""
    pdfactions.remove_actions(pdf)


def _pdf_date(moment: datetime) -> str:
    """Return *moment* (UTC) as a PDF date string."""
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _clean(text: str) -> str:
    """Return *text* without the control characters XML 1.0 cannot carry."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text).strip()


def xmp_packet(meta: Metadata, producer: str, moment: datetime, *, ua: bool = False) -> bytes:
    """Return the XMP metadata packet declaring PDF/A-2b with *meta*, matching the Info dict.

    With *ua* it also declares PDF/UA-1 (pdfuaid:part 1)."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def alt(tag: str, value: str) -> str:
        return f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt></{tag}>'

    props = [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<dc:format>application/pdf</dc:format>",
        alt("dc:title", _clean(meta.title)),
        f"<dc:creator><rdf:Seq><rdf:li>{escape(_clean(meta.author))}</rdf:li></rdf:Seq></dc:creator>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(_clean(meta.language))}</rdf:li></rdf:Bag></dc:language>",
    ]
    if _clean(meta.subject):
        props.append(alt("dc:description", _clean(meta.subject)))
    if _clean(meta.keywords):
        props.append(f"<pdf:Keywords>{escape(_clean(meta.keywords))}</pdf:Keywords>")
    props += [
        f"<pdf:Producer>{escape(_clean(producer))}</pdf:Producer>",
        f"<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{stamp}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>",
    ]
    body = "\n   ".join(props)
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   {body}
  </rdf:Description>
  {structure.UA_ID if ua else ""}
 </rdf:RDF>
</x:xmpmeta>
{" " * 2000}
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def set_metadata(pdf: pikepdf.Pdf, meta: Metadata, moment: datetime, *, ua: bool = False) -> None:
    """Set the Info dict, the XMP packet, /Lang and DisplayDocTitle of *pdf* from *meta*.

    A tagged *pdf* is marked; with *ua* it also declares PDF/UA-1."""
    old = pdf.trailer.get("/Info")
    producer = str(old.get("/Producer", CREATOR)) if isinstance(old, Dictionary) else CREATOR
    info = Dictionary(Title=String(_clean(meta.title)), Author=String(_clean(meta.author)),
                      Creator=String(CREATOR), Producer=String(_clean(producer)),
                      CreationDate=String(_pdf_date(moment)), ModDate=String(_pdf_date(moment)))
    if _clean(meta.subject):
        info.Subject = String(_clean(meta.subject))
    if _clean(meta.keywords):
        info.Keywords = String(_clean(meta.keywords))
    pdf.trailer.Info = pdf.make_indirect(info)
    ua = ua and structure.is_tagged(pdf)
    pdf.Root.Metadata = pdf.make_stream(xmp_packet(meta, producer, moment, ua=ua),
                                        Type=Name.Metadata, Subtype=Name.XML)
    structure.mark(pdf)
    pdf.Root.Lang = String(meta.language)
    prefs = pdf.Root.get("/ViewerPreferences")
    if not isinstance(prefs, Dictionary):
        prefs = pdf.Root.ViewerPreferences = Dictionary()
    prefs.DisplayDocTitle = True


def ensure_output_intent(pdf: pikepdf.Pdf) -> None:
    """Give *pdf* an sRGB PDF/A output intent unless it already has one."""
    intents = pdf.Root.get("/OutputIntents")
    if isinstance(intents, Array) and any(
            isinstance(i, Dictionary) and i.get("/S") == Name.GTS_PDFA1 for i in intents):
        return
    icc = (resources.files("pipeline") / "resources" / "sRGB.icc").read_bytes()
    profile = pdf.make_stream(icc, N=3)
    intent = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFA1,
                        OutputConditionIdentifier=String(SRGB), Info=String(SRGB),
                        RegistryName=String("http://www.color.org"), DestOutputProfile=profile)
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])


def print_annotations(pdf: pikepdf.Pdf) -> None:
    """Mark every annotation printable and visible, as PDF/A requires."""
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", Array()):
            if isinstance(annot, Dictionary) and annot.get("/Subtype") != Name.Popup:
                flags = int(annot.get("/F", 0))
                annot.F = (flags | 4) & ~(1 | 2 | 32)  # Print on; Invisible, Hidden, NoView off


def add_signature_field(pdf: pikepdf.Pdf, spot: SignatureSpot, place: Placement) -> None:
    """Add an empty, printable signature field named after *spot* at *place*."""
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, Dictionary):
        form = pdf.Root.AcroForm = pdf.make_indirect(Dictionary(Fields=Array()))
    if "/Fields" not in form:
        form.Fields = Array()
    if "/NeedAppearances" in form:
        del form["/NeedAppearances"]
    if any(str(f.get("/T", "")) == spot.name for f in form.Fields):
        raise InputError(f"signaturfältet {spot.name!r} finns redan i dokumentet")
    page = pdf.pages[place.page]
    x1, y1, x2, y2 = place.rect
    appearance = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form,
                                 BBox=Array([0, 0, round(x2 - x1, 2), round(y2 - y1, 2)]),
                                 Resources=Dictionary())
    widget = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig, T=String(spot.name), TU=String(spot.label),
        F=4, Rect=Array([x1, y1, x2, y2]), P=page.obj, AP=Dictionary(N=appearance),
    ))
    if "/Annots" not in page.obj:
        page.obj.Annots = Array()
    page.obj.Annots.append(widget)
    form.Fields.append(widget)
    structure.add_form(pdf, widget, page.obj)
