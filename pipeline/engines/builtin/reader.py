"""The reader: a .docx package → the document model (sections, paragraphs, tables, resolved styles)."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree
from PIL import Image as PILImage

from .model import Block, Document, PageBreak, Paragraph, RunStyle, Section, Text, Toc
from .numbering import Numbering
from .package import Package
from .runs import MC, A, Collected, R, RunReader
from .styles import Props, Styles, W, merge, num, para_format, parse_ppr, parse_rpr, run_style, val
from .tables import read_table

MAX_BLOCKS = 2_000_000
MAX_PIXELS = 25_000_000  # a 39-megapixel image took 435 MB to convert; more is a bomb, or no document image
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")
HEADING = re.compile(r"heading ([1-9])$")


_STYLES: dict[tuple[object, ...], Styles] = {}


def _styles(pkg: Package, part: str | None, theme: dict[str, str]) -> Styles:
    """Return the Styles of *part*, shared between documents made from the same template."""
    key = (pkg.fingerprint(part), tuple(sorted(theme.items())))
    styles = _STYLES.get(key) if key[0] is not None else None
    if styles is None:
        styles = Styles(pkg.xml_or_none(part), theme)
        if key[0] is not None:
            if len(_STYLES) >= 16:
                _STYLES.pop(next(iter(_STYLES)))
            _STYLES[key] = styles
    return styles


@dataclass
class Context:
    """Where blocks are being read: table style properties to apply, header/footer or body."""

    ppr: Props = field(default_factory=dict)
    rpr: Props = field(default_factory=dict)
    body: bool = True
    depth: int = 0


class Reader:
    """Reads one .docx package into a Document."""

    def __init__(self, pkg: Package, warn: Callable[[str], None]) -> None:
        self.pkg = pkg
        self.warn = warn
        main = pkg.main
        theme_root = pkg.xml_or_none(pkg.related(main, "theme"))
        self.theme: dict[str, str] = {}
        if theme_root is not None:
            for kind in ("major", "minor"):
                latin = theme_root.find(f".//{A}{kind}Font/{A}latin")
                if latin is not None and latin.get("typeface"):
                    self.theme[kind] = latin.get("typeface") or ""
        self.styles = _styles(pkg, pkg.related(main, "styles"), self.theme)
        style_num = {}
        for sid in list(self.styles.by_name.values()):
            numid = self.styles.ppr(sid).get("numId")
            if numid:
                style_num[sid] = numid
        self.numbering = Numbering(pkg.xml_or_none(pkg.related(main, "numbering")), self.theme, style_num)
        settings = pkg.xml_or_none(pkg.related(main, "settings"))
        self.default_tab = 36.0
        self.even_odd = False
        self.additive = False
        self.compat = 15  # Word's compatibility mode; below 15 a table's text, not its edge, meets the margin
        if settings is not None:
            tab = num(settings.find(W + "defaultTabStop"))
            if tab and tab > 0:
                self.default_tab = tab / 20
            self.even_odd = settings.find(W + "evenAndOddHeaders") is not None
            self.additive = settings.find(f"{W}compat/{W}doNotUseHTMLParagraphAutoSpacing") is not None
            for setting in settings.iterfind(f"{W}compat/{W}compatSetting"):
                if setting.get(W + "name") == "compatibilityMode":
                    self.compat = int(num(setting, "val", 15) or 15)
        self.part = main
        self._image_refused = False  # _image said why it left an image out: the run reader need not guess
        self.runs = RunReader(self.styles.rpr, self.theme, self._image, self._url, self._run_warning)
        self.headings: list[Paragraph] = []
        self.has_toc = False
        self.count = 0
        self._memo: dict[tuple[str, str, int], tuple[Props, Props]] = {}  # (context dict, merged)

    def _run_warning(self, feature: str) -> None:
        if self._image_refused and feature.startswith("bilder i format"):
            self._image_refused = False
            return
        self.warn(feature)

    # --- relationships -------------------------------------------------------------------------
    def _image(self, rid: str) -> bytes | None:
        rel = self.pkg.rels(self.part).get(rid)
        if rel is None or rel.external or not self.pkg.has(rel.target):
            return None
        data = self.pkg.read(rel.target)
        if not data.startswith(IMAGE_MAGIC):
            return None
        try:
            with warnings.catch_warnings():  # Pillow's English bomb warning becomes our Swedish one
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                with PILImage.open(io.BytesIO(data)) as img:
                    if img.width * img.height > MAX_PIXELS:
                        raise PILImage.DecompressionBombError(f"{img.width}×{img.height}")
                    img.verify()
                with PILImage.open(io.BytesIO(data)) as img:
                    img.load()  # decode it all now: a truncated image is found here, not in the layout
                    if img.mode in ("CMYK", "YCbCr", "I;16", "I", "F"):  # keep the PDF in RGB (PDF/A-friendly)
                        out = io.BytesIO()
                        img.convert("RGB").save(out, "PNG")
                        data = out.getvalue()
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            self.warn(f"bilder med över {MAX_PIXELS // 1_000_000} miljoner bildpunkter (utelämnas)")
            self._image_refused = True
            return None
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
            self.warn("trasiga eller avkortade bilder (utelämnas)")
            self._image_refused = True
            return None
        return data

    def _url(self, rid: str) -> str | None:
        rel = self.pkg.rels(self.part).get(rid)
        return rel.target if rel is not None and rel.external else None

    # --- document --------------------------------------------------------------------------------
    def read(self) -> Document:
        """Return the Document model of the package."""
        root = self.pkg.xml(self.pkg.main)
        body = root.find(W + "body")
        if body is None:
            raise ValueError("dokumentet saknar brödtext (w:body)")
        title, author = self.pkg.core()
        sections: list[Section] = []
        current: list[Block] = []
        ctx = Context()
        for child in self._flatten(body, 0):
            if child.tag == W + "p":
                current.extend(self.paragraph(child, ctx))
                sect = child.find(f"{W}pPr/{W}sectPr")
                if sect is not None:
                    sections.append(self.section(sect, current, sections))
                    current = []
            elif child.tag == W + "tbl":
                current.append(read_table(self, child, ctx))
            elif child.tag == W + "sectPr":
                sections.append(self.section(child, current, sections))
                current = []
        if current or not sections:
            sections.append(self.section(None, current, sections))
        notes = self._notes()
        if notes:
            sections[-1].blocks.extend(notes)
        return Document(sections, title=title, author=author, even_odd=self.even_odd,
                        default_tab=self.default_tab, additive_spacing=self.additive, has_toc=self.has_toc,
                        uses_numpages_in_body=self.runs.uses_numpages, headings=self.headings,
                        lang=self._lang())

    def _lang(self) -> str:
        """Return the language of the default text: the Normal style's, else docDefaults'."""
        props = self.styles.doc_rpr
        if self.styles.default_para:
            props = merge(props, self.styles.rpr(self.styles.default_para))
        return str(props.get("lang") or "")

    def _flatten(self, container: etree._Element, depth: int) -> list[etree._Element]:
        """Return the block-level children of *container*, content controls and custom XML opened."""
        out: list[etree._Element] = []
        for child in container:
            tag = child.tag
            if tag in (W + "p", W + "tbl", W + "sectPr"):
                out.append(child)
            elif depth < 20 and tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    out.extend(self._flatten(content, depth + 1))
            elif depth < 20 and tag in (W + "customXml", W + "ins", W + "moveTo"):
                out.extend(self._flatten(child, depth + 1))
            elif depth < 20 and tag == MC + "AlternateContent":
                fallback = child.find(MC + "Fallback")
                if fallback is not None:
                    out.extend(self._flatten(fallback, depth + 1))
        return out

    def blocks(self, container: etree._Element, ctx: Context) -> list[Block]:
        """Return the blocks (paragraphs and tables) inside *container*."""
        out: list[Block] = []
        if ctx.depth > 12:
            self.warn("tabeller i många nivåer")
            return out
        for child in self._flatten(container, 0):
            if child.tag == W + "p":
                out.extend(self.paragraph(child, ctx))
            elif child.tag == W + "tbl":
                out.append(read_table(self, child, ctx))
        return out

    # --- paragraphs ------------------------------------------------------------------------------
    def paragraph(self, p: etree._Element, ctx: Context) -> list[Block]:
        """Return the blocks one w:p makes: usually one Paragraph; page breaks and a TOC split it."""
        self.count += 1
        if self.count > MAX_BLOCKS:
            raise ValueError("dokumentet har orimligt många stycken")
        ppr_el = p.find(W + "pPr")
        direct = parse_ppr(ppr_el)
        sid = direct.get("pStyle") or self.styles.default_para
        style_ppr = self.styles.ppr(sid)
        ppr = self._base_ppr(sid, ctx)
        num_id = direct.get("numId") if "numId" in direct else style_ppr.get("numId")
        ilvl = direct.get("ilvl", style_ppr.get("ilvl", 0)) or 0
        level = self.numbering.level(num_id, ilvl) if num_id else None
        if level is not None:
            ppr = merge(ppr, level.ppr) if "numId" in direct else merge(merge(
                merge(self.styles.doc_ppr, ctx.ppr), level.ppr), style_ppr)
        ppr = merge(ppr, direct)
        base = self._base_rpr(sid, ctx)
        mark = parse_rpr(ppr_el.find(W + "rPr") if ppr_el is not None else None, self.theme)
        mark.pop("rStyle", None)
        fmt = para_format(ppr)
        was_suppressing = self.runs.suppressing()
        got = Collected()
        self.runs.paragraph(p, base, got)
        if was_suppressing and self.runs.suppressing() and got.toc is None:
            return []  # a paragraph of a stale field result (a TOC entry) that is rebuilt
        para = Paragraph([], fmt, style_id=sid, default_style=run_style(merge(base, mark)))
        para.anchors = got.anchors
        if level is not None and num_id:
            got_label = self.numbering.next_label(num_id, ilvl)
            if got_label is not None:
                label, lvl = got_label
                lprops = merge(merge(base, mark), lvl.rpr)
                if label and lvl.fmt == "bullet" and lprops.get("font", "").lower() in (
                        "symbol", "wingdings", "wingdings 2", "wingdings 3"):
                    lprops["font"] = base.get("font")
                para.label, para.label_style, para.label_suffix = label, run_style(lprops), lvl.suffix
        outline = ppr.get("outline")
        if outline is None:
            m = HEADING.match(self.styles.name(sid))
            outline = int(m.group(1)) - 1 if m else None
        para.outline = outline
        out = self._split(para, got)
        if ctx.body and outline is not None and para.plain_text():
            anchor = f"_kansli_h{len(self.headings)}"
            para.anchors.append(anchor)
            self.headings.append(para)
        for box in got.extra:
            out.extend(self.blocks(box, Context(depth=ctx.depth + 1, body=ctx.body)))
        if self.numbering.unknown_formats:
            self.warn("numreringsformat " + ", ".join(sorted(self.numbering.unknown_formats)))
            self.numbering.unknown_formats.clear()
        return out

    def _base_ppr(self, sid: str, ctx: Context) -> Props:
        hit = self._memo.get(("p", sid, id(ctx.ppr)))
        if hit is None or hit[0] is not ctx.ppr:
            hit = (ctx.ppr, merge(merge(self.styles.doc_ppr, ctx.ppr), self.styles.ppr(sid)))
            self._memo[("p", sid, id(ctx.ppr))] = hit
        return hit[1]

    def _base_rpr(self, sid: str, ctx: Context) -> Props:
        hit = self._memo.get(("r", sid, id(ctx.rpr)))
        if hit is None or hit[0] is not ctx.rpr:
            hit = (ctx.rpr, merge(merge(self.styles.doc_rpr, ctx.rpr), self.styles.rpr(sid)))
            self._memo[("r", sid, id(ctx.rpr))] = hit
        return hit[1]

    def _split(self, para: Paragraph, got: Collected) -> list[Block]:
        """Return *para* split at its page breaks, with the rebuilt TOC placed where its field stood."""
        out: list[Block] = []
        last = len(got.parts) - 1
        for i, inlines in enumerate(got.parts):
            if i > 0:
                out.append(PageBreak())
            if i == 0:
                para.inlines = inlines
                piece = para
            else:
                piece = Paragraph(inlines, para.fmt, para.style_id, default_style=para.default_style,
                                  outline=para.outline)
            toc_here = got.toc is not None and i == got.toc_at
            empty = not inlines and not (i == 0 and para.label)
            # an empty paragraph mark after a page break stays on the page before (as in Word and LO)
            if not empty or (i == last and last == 0 and not got.suppressed):
                out.append(piece)
            if toc_here and got.toc is not None:
                out.append(self._toc(got.toc))
        if para.fmt.page_break_before and out and out[0] is para:
            out.insert(0, PageBreak())
        return out

    def _toc(self, toc: Toc) -> Toc:
        self.has_toc = True
        for lvl in range(1, 10):
            sid = self.styles.by_name.get(f"toc {lvl}", "")
            ppr = merge(self.styles.doc_ppr, self.styles.ppr(sid)) if sid else dict(self.styles.doc_ppr)
            if not sid:
                ppr = merge(ppr, {"left": 11.0 * (lvl - 1), "after": 5.0})
            rpr = merge(self.styles.doc_rpr, self.styles.rpr(sid or self.styles.default_para))
            toc.formats[lvl] = para_format(ppr)
            toc.styles[lvl] = run_style(rpr)
        return toc

    # --- sections --------------------------------------------------------------------------------
    def section(self, sect: etree._Element | None, blocks: list[Block], before: list[Section]) -> Section:
        """Return the Section that *sect* describes, holding *blocks*."""
        sec = Section(blocks=blocks)
        prev = before[-1] if before else None
        if prev is not None:
            sec.headers, sec.footers = dict(prev.headers), dict(prev.footers)
            for name in ("width", "height", "top", "right", "bottom", "left", "header_dist", "footer_dist"):
                setattr(sec, name, getattr(prev, name))
        if sect is None:
            return sec
        size = sect.find(W + "pgSz")
        if size is not None:
            w, h = num(size, "w"), num(size, "h")
            if w and h and 1440 <= w <= 31680 and 1440 <= h <= 31680:
                sec.width, sec.height = w / 20, h / 20
            if val(size, "orient") == "landscape" and sec.width < sec.height:
                sec.width, sec.height = sec.height, sec.width
        mar = sect.find(W + "pgMar")
        if mar is not None:
            for attr, name in (("top", "top"), ("right", "right"), ("bottom", "bottom"), ("left", "left"),
                               ("header", "header_dist"), ("footer", "footer_dist")):
                v = num(mar, attr)
                if v is not None:
                    setattr(sec, name, min(abs(v) / 20, 0.45 * min(sec.width, sec.height)))
        for kind, store in (("headerReference", sec.headers), ("footerReference", sec.footers)):
            for ref in sect.findall(W + kind):
                rel = self.pkg.rels(self.pkg.main).get(ref.get(R + "id") or "")
                if rel is not None and not rel.external and self.pkg.has(rel.target):
                    store[ref.get(W + "type") or "default"] = self._part_blocks(rel.target)
        sec.title_page = sect.find(W + "titlePg") is not None and val(sect.find(W + "titlePg")) not in ("0", "false")
        sec.start = val(sect.find(W + "type")) or "nextPage"
        start = num(sect.find(W + "pgNumType"), "start")
        sec.page_fmt = val(sect.find(W + "pgNumType"), "fmt") or "decimal"
        sec.page_start = int(start) if start is not None else None
        cols = num(sect.find(W + "cols"), "num")
        if cols and cols > 1:
            self.warn("flera spalter (återges i en spalt)")
        return sec

    def _part_blocks(self, part: str) -> list[Block]:
        saved, saved_fields, saved_numpages = self.part, self.runs.fields, self.runs.uses_numpages
        self.part, self.runs.fields = part, []
        try:
            return self.blocks(self.pkg.xml(part), Context(body=False))
        finally:
            self.part, self.runs.fields, self.runs.uses_numpages = saved, saved_fields, saved_numpages

    def _notes(self) -> list[Block]:
        """Return the referenced foot- and endnotes as small paragraphs for the end of the document."""
        if not self.runs.notes:
            return []
        out: list[Block] = []
        parts: dict[str, dict[str, etree._Element]] = {}
        for i, (kind, nid) in enumerate(self.runs.notes, start=1):
            if kind not in parts:
                target = self.pkg.related(self.pkg.main, kind)
                root = self.pkg.xml_or_none(target)
                parts[kind] = {n.get(W + "id") or "": n for n in root} if root is not None else {}
                self.part = target or self.part
            note = parts[kind].get(nid)
            if note is None:
                continue
            self.runs.in_note = str(i)
            out.extend(self.blocks(note, Context(body=False)))
        self.part = self.pkg.main
        if out:
            rule = Paragraph([Text("\u2014" * 8, RunStyle(size=8))], para_format({"before": 12.0}))
            out.insert(0, rule)
        return out
