"""Helpers the template builders share: Swedish document defaults and plain (non-theme) fonts."""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def plain_fonts(element: Any) -> None:
    """Drop theme-font attributes below *element*, so the named font (not the theme's) applies."""
    for rfonts in element.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)


def swedish_defaults(doc: Any, font: str) -> None:
    """Make sv-SE the language and *font* the font of the whole document (docDefaults)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        plain_fonts(rpr)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), font)


def paragraph_style(doc: Any, name: str, *, font: str, colour: Any, base: str = "Normal", size: float = 11,
                    bold: bool = False, italic: bool = False, before: float = 0, after: float = 6,
                    line: float = 1.0, left: float | None = None, keep: bool = False, align: Any = None,
                    quick: bool = False) -> Any:
    """Return the paragraph style *name* (made if missing), set to the given font and spacing."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles[base]
    if quick:
        style.quick_style = True
    plain_fonts(style.element)
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = colour
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = line
    pf.keep_with_next = keep
    if left is not None:
        pf.left_indent = Cm(left)
    if align is not None:
        pf.alignment = align
    return style
