"""Zip bombs and XML bombs refused from the zip directory and a byte count, before any parser sees them.

Every .docx kansli opens (a document to convert, a Word template, a plan's appendix) passes
`check_zip` first: the zip directory alone tells the uncompressed sizes, the compression ratio and
the number of parts. An XML part that passes is counted (`check_xml`) before lxml builds a tree of
it: a few kilobytes of zip can hold millions of empty paragraphs.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import os_reason

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one .docx may hold; more is a bomb or no document kansli makes a PDF of."""

    total: int = 256 * MB  # uncompressed bytes of all parts together
    part: int = 64 * MB  # uncompressed bytes of one part (an image, say)
    xml_part: int = 4 * MB  # one XML part (2000 agenda items are 1 MB; 6 MB of text took 370 MB and 100 s)
    ratio: int = 100  # uncompressed/compressed, for parts above ratio_floor
    ratio_floor: int = 2 * MB
    parts: int = 2000
    elements: int = 500_000  # XML elements in one part (tree and layout ~800 bytes each)
    paragraphs: int = 100_000  # paragraphs in one part (each is a line at least: ~1 ms and 1.5 kB to lay out)


DOCUMENT = Limits()
# A template is rendered by docxtpl and python-docx, which hold several copies of each part.
TEMPLATE = Limits(total=64 * MB, part=32 * MB, xml_part=2 * MB, elements=100_000, paragraphs=10_000)

_PARAGRAPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")


class ZipRefused(Exception):
    """The file is no .docx kansli opens; the message (Swedish) says why, without the file's name."""


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size // 1024} kB"


def is_xml_part(name: str) -> bool:
    """Return True for the parts of a .docx that an XML parser reads."""
    return name.lower().endswith((".xml", ".rels", ".vml"))


def check_zip(path: Path, limits: Limits = DOCUMENT) -> None:
    """Raise ZipRefused unless *path* is a zip whose directory promises a document of sane size."""
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            raise ZipRefused("är ingen vanlig fil (utan t.ex. en pipe eller en enhet)")
        with open(path, "rb") as fh:
            head = fh.read(8)
    except IsADirectoryError:
        raise ZipRefused("är en mapp, inte ett Word-dokument") from None
    except OSError as exc:
        raise ZipRefused(f"kan inte läsa filen: {os_reason(exc)}") from exc
    if not head:
        raise ZipRefused("filen är tom")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ZipRefused("filen är krypterad eller ett gammalt Word-format (.doc); spara den som .docx")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        kind = "en PDF" if head.startswith(b"%PDF") else "inte ett zip-paket"
        raise ZipRefused(f"filen är ingen .docx ({kind})") from exc
    if len(infos) > limits.parts:
        raise ZipRefused(f"paketet har {len(infos)} delar; högst {limits.parts} tillåts")
    total = 0
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if name in names:
            raise ZipRefused(f"delen {name} finns två gånger i paketet")
        names.add(name)
        if info.flag_bits & 0x1:
            raise ZipRefused("filen är krypterad; spara en okrypterad kopia")
        size = info.file_size
        limit = limits.xml_part if is_xml_part(name) else limits.part
        if size > limit:
            raise ZipRefused(f"delen {name} packas upp till {_mb(size)}; högst {_mb(limit)} tillåts")
        if size > limits.ratio_floor and size > limits.ratio * max(info.compress_size, 1):
            raise ZipRefused(f"delen {name} packas upp {size // max(info.compress_size, 1)} gånger större "
                             f"än den ligger packad (en zip-bomb?); högst {limits.ratio} gånger tillåts")
        total += size
    if total > limits.total:
        raise ZipRefused(f"paketet packas upp till {_mb(total)}; högst {_mb(limits.total)} tillåts")


def check_xml(name: str, data: bytes, limits: Limits = DOCUMENT) -> None:
    """Raise ZipRefused when the XML part *name* holds more elements or paragraphs than *limits* allow."""
    elements = data.count(b"<") - data.count(b"</") - data.count(b"<!") - data.count(b"<?")
    if elements > limits.elements:
        raise ZipRefused(f"delen {name} har över {limits.elements:,} XML-element; "
                         "så stora dokument görs inte".replace(",", " "))
    if elements > limits.paragraphs:
        paragraphs = len(_PARAGRAPH.findall(data))
        if paragraphs > limits.paragraphs:
            raise ZipRefused(f"delen {name} har {paragraphs:,} stycken; högst {limits.paragraphs:,} "
                             "tillåts (en styckebomb?)".replace(",", " "))


def check_parts(path: Path, limits: Limits = DOCUMENT) -> None:
    """Raise ZipRefused unless *path* passes `check_zip` and each XML part passes `check_xml`.

    For files read by libraries that parse every part (python-docx, docxtpl): each XML part is
    read once here, which its size limit keeps cheap.
    """
    check_zip(path, limits)
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if is_xml_part(info.filename):
                    data = archive.read(info)
                    check_xml(info.filename, data, limits)
                    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # Word never writes one; entities hide text
                        raise ZipRefused(f"delen {info.filename} har en egen DTD (<!DOCTYPE>), vilket Word aldrig "
                                         "skriver; spara om dokumentet i Word")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError,
            zlib.error) as exc:
        raise ZipRefused(f"paketet går inte att packa upp ({type(exc).__name__})") from exc


# Strict Open XML spells the vocabularies with other namespaces; read it as the transitional one.
STRICT = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/officeDocument/relationships":
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/drawingml/main": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing":
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://purl.oclc.org/ooxml/officeDocument/math": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True,
                          remove_pis=True, load_dtd=False)


def xml_problem(exc: etree.XMLSyntaxError) -> str:
    """Return a Swedish description of an XML syntax error (libxml's own words stay out)."""
    line = getattr(exc, "lineno", None) or (exc.position[0] if getattr(exc, "position", None) else None)
    text = str(exc)
    if "Entity" in text or "entity" in text:
        what = "en entitetsreferens (&namn;) som inte är definierad"
    elif "huge" in text.lower() or "XML_PARSE_HUGE" in text:
        what = "en orimligt stor textnod eller djup nästling"
    elif "Document is empty" in text or "Start tag expected" in text:
        what = "inget XML-innehåll"
    elif "Excessive depth" in text or "depth" in text.lower():
        what = "för djup nästling"
    else:
        what = "trasig XML"
    return f"{what}{f' (rad {line})' if line else ''}"


def to_transitional(root: etree._Element) -> etree._Element:
    """Return *root* with Strict Open XML namespaces renamed to the transitional ones, text untouched.

    Done on the parsed tree, element by element and attribute by attribute: replacing bytes in the
    part would also rewrite a paragraph that happens to quote a namespace address.
    """
    for el in root.iter(tag=etree.Element):
        qname = etree.QName(el)
        if qname.namespace in STRICT:
            el.tag = f"{{{STRICT[qname.namespace]}}}{qname.localname}"
        for key in [k for k in el.attrib if k.startswith("{")]:
            attr = etree.QName(key)
            if attr.namespace in STRICT:
                value = el.attrib.pop(key)
                el.set(f"{{{STRICT[attr.namespace]}}}{attr.localname}", value)
    return root


def parse_xml(name: str, data: bytes, limits: Limits = DOCUMENT) -> etree._Element:
    """Return the root of the XML part *name* from *data*; ZipRefused when it is a bomb or broken.

    Entity references are never expanded; one that is left in the tree (declared in a DTD, or not
    at all) is refused, since its text would silently go missing.
    """
    check_xml(name, data, limits)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ZipRefused(f"delen {name} är inte giltig XML: {xml_problem(exc)}") from exc
    if root is None:
        raise ZipRefused(f"delen {name} är tom")
    entity = next(root.iter(tag=etree.Entity), None)
    if entity is not None:
        raise ZipRefused(f"delen {name} innehåller entitetsreferensen {entity.text} som inte kan lösas upp; "
                         "spara om dokumentet i Word")
    if b"purl.oclc.org/ooxml/" in data:  # Strict Open XML (a cheap test; the renaming is by parsing)
        to_transitional(root)
    return root
