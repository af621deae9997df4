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
