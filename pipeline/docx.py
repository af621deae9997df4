"""Render a Word template with docxtpl (always escaped), then set properties with python-docx."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError as JinjaError
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree
from markupsafe import Markup, escape

from .docxinfo import document_text
from .errors import InputError, KansliError, TemplateError, os_reason
from .sandbox import RenderRefused, Sandbox
from .zipguard import TEMPLATE, ZipRefused, check_parts, xml_problem

NUMBERED_STYLES = ("List Number", "List Number 2", "List Number 3")
MAX_TEXT = 2_000_000  # characters of one text (a paragraph): 2 MB of text takes ~150 MB to lay out


@dataclass(frozen=True)
class DocProperties:
    """Document properties written into docProps/core.xml."""

    title: str
    author: str
    created: datetime
    subject: str = ""
    keywords: str = ""
    language: str = "sv-SE"


def _read_picture(path: Path, width_cm: float) -> bytes:
    return path.read_bytes()


@dataclass(frozen=True)
class Picture:
    """A picture for the template: `{{ b.bild }}` in a run puts it in, *width_cm* wide, with its alt text.

    The file is read only when the document is rendered, by *load* (file, width) → PNG or JPEG bytes,
    so a context stays plain data. *alt* becomes the drawing's description (wp:docPr/@descr), which
    Word reads aloud and the PDF engines carry into the tagged PDF as the figure's alternative text.
    """

    file: Path
    width_cm: float
    alt: str
    name: str = "Bild"
    load: Callable[[Path, float], bytes] = field(default=_read_picture, compare=False, repr=False)


class _AltImage(InlineImage):  # type: ignore[misc]
    """docxtpl's InlineImage with the alternative text and a unique drawing id set."""

    def __init__(self, tpl: DocxTemplate, picture: Picture, number: int) -> None:
        super().__init__(tpl, io.BytesIO(picture.load(picture.file, picture.width_cm)), width=Cm(picture.width_cm))
        self.picture = picture
        self.number = number

    def _insert_image(self) -> str:
        inline = self.tpl.current_rendering_part.new_pic_inline(self.image_descriptor, self.width, self.height)
        for tag in ("wp:docPr", "pic:cNvPr"):
            for el in inline.xpath(f".//{tag}"):
                el.set("descr", self.picture.alt)
                el.set("name", self.picture.name)
        for el in inline.xpath(".//wp:docPr"):
            el.set("id", str(1000 + self.number))  # docxtpl renders every picture before ids are counted
        xml = etree.tostring(inline, encoding="unicode")
        return f'</w:t></w:r><w:r><w:drawing>{xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


def literal(text: str) -> Markup:
    """Return *text* escaped for WordprocessingML so docxtpl puts it in literally.

    XML-escaping alone is not enough: docxtpl rewrites '{_{', '}_}', '{_%' and '%_}' after
    rendering, so underscores go in as character references, which the XML parser turns back.
    """
    return Markup(str(escape(text)).replace("_", "&#95;"))


def _texts(value: Any) -> Iterator[str]:
    """Yield every string in the context *value*."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _escape_all(value: Any, tpl: DocxTemplate, pictures: list[Picture]) -> Any:
    """Return *value* with every string escaped and every Picture made an image of *tpl*."""
    if isinstance(value, str):
        return literal(value)
    if isinstance(value, Picture):
        pictures.append(value)
        return _AltImage(tpl, value, len(pictures))
    if isinstance(value, Mapping):
        return {k: _escape_all(v, tpl, pictures) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escape_all(v, tpl, pictures) for v in value]
    return value


def _open_template(template: Path) -> DocxTemplate:
    if not template.is_file():
        raise TemplateError("mallen är ingen vanlig fil" if template.exists() else "mallen finns inte", path=template)
    try:
        check_parts(template, TEMPLATE)  # a bomb is refused before python-docx parses a part
    except ZipRefused as exc:
        raise TemplateError(f"mallen är inte ett Word-dokument som kan användas: {exc}", path=template) from exc
    try:
        tpl = DocxTemplate(str(template))
        tpl.init_docx()  # docxtpl opens lazily; open now so a bad file is named as the template
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise TemplateError("mallen är inte ett Word-dokument (.docx)", path=template) from exc
    return tpl


_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_UNSAFE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def _tag(env: Sandbox, exc: BaseException) -> str:
    """Return the Jinja tag(s) on the template line where *exc* happened, or ''."""
    line = None
    tb = exc.__traceback__
    while tb is not None:  # Jinja puts the template's own line numbers into the traceback
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    line = line or getattr(exc, "lineno", None)
    lines = env.source.splitlines()
    if not line or line > len(lines):
        return ""
    tags = _JINJA_TAG.findall(re.sub(r"<[^>]+>", "", lines[line - 1]))
    return " ".join(tags)[:200]


def _refusal(template: Path, env: Sandbox, exc: BaseException) -> TemplateError:
    """Return the error for a template the sandbox stopped, naming the template and the tag."""
    tag = _tag(env, exc)
    where = f"; taggen: »{tag}«" if tag else ""
    if isinstance(exc, RecursionError):
        return TemplateError(f"mallen anropar sig själv utan slut{where}", path=template)
    if isinstance(exc, RenderRefused):
        return TemplateError(f"{exc.message}{where}", path=template)
    unsafe = _UNSAFE.search(str(exc))
    what = f"»{unsafe[1]}« hos {unsafe[2]}" if unsafe else "något som inte är mallens data"
    return TemplateError(f"mallen försöker nå Pythons inre ({what}); det tillåts inte{where}", path=template)


def _tag_error(template: Path, exc: JinjaError) -> TemplateError:
    around = " ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
    where = f" nära: »{around[:200]}«" if around else ""
    if isinstance(exc, UndefinedError):
        return TemplateError(f"mallen använder en variabel som inte finns ({exc.message}){where}", path=template)
    return TemplateError(f"fel i en mall-tagg: {exc.message}{where}", path=template)


def restart_numbering(document: Any) -> int:
    """Give each run of consecutive numbered-list paragraphs its own numbering, starting at 1.

    Return the number of lists found. Without this, docxtpl loops make numbering run on across
    every agenda item ("6. 7. 8." in the second list).
    """
    numbering = document.part.numbering_part.element
    styles = {s.style_id: s for s in document.styles if s.name in NUMBERED_STYLES}
    lists = 0
    previous_was_list = False
    current_num: dict[int, int] = {}
    for para in document.element.body.iter(qn("w:p")):
        style_id = para.style
        if style_id not in styles:
            previous_was_list = False
            continue
        style = styles[style_id]
        num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
        if num_pr is None or num_pr.numId is None:
            continue
        base_num = numbering.num_having_numId(num_pr.numId.val)
        abstract_id = base_num.abstractNumId.val
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        if not previous_was_list:
            current_num = {}
            lists += 1
        if abstract_id not in current_num:
            new = numbering.add_num(abstract_id)
            override = new.add_lvlOverride(ilvl=0)
            override.add_startOverride(1)
            current_num[abstract_id] = new.numId
        p_pr = para.get_or_add_pPr()
        p_num = p_pr.get_or_add_numPr()
        p_num.get_or_add_ilvl().val = ilvl
        p_num.get_or_add_numId().val = current_num[abstract_id]
        previous_was_list = True
    return lists


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def missing_texts(document: Any, expected: Iterable[str]) -> list[str]:
    """Return the expected texts that do not stand in the rendered document."""
    have = _norm(document_text(document))
    return [t for t in expected if _norm(t) and _norm(t) not in have]


def _set_properties(document: Any, props: DocProperties) -> None:
    core = document.core_properties
    core.title = props.title
    core.author = props.author
    core.subject = props.subject
    core.keywords = props.keywords
    core.language = props.language
    core.created = props.created.replace(tzinfo=None)
    core.modified = props.created.replace(tzinfo=None)
    core.last_modified_by = props.author
    core.revision = 1


def render_docx(template: Path, context: Mapping[str, Any], out: Path, *, properties: DocProperties,
                expected: Sequence[str] = ()) -> Path:
    """Render *template* with *context* into *out* and return *out*.

    Every string in the context is escaped; *expected* texts must all come out, or KansliError.
    """
    longest = max(_texts(context), key=len, default="")
    if len(longest) > MAX_TEXT:  # Word's XML holds no text node past 10 MB; refuse before it breaks there
        raise InputError(f"en text är {len(longest):,} tecken lång (»{longest[:40]}…«); högst {MAX_TEXT:,} tecken "
                         "i en och samma text".replace(",", " "), path=out)
    tpl = _open_template(template)
    env = Sandbox()  # a template is code from a file that was mailed around: sandboxed, with limits
    try:
        tpl.render(_escape_all(context, tpl, []), jinja_env=env, autoescape=True)
    except (SecurityError, RecursionError) as exc:
        raise _refusal(template, env, exc) from None
    except JinjaError as exc:
        raise _tag_error(template, exc) from exc
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"mallen gav ett trasigt dokument: {xml_problem(exc)}", path=template) from exc
    except (ArithmeticError, TypeError, ValueError, LookupError) as exc:  # Python's own errors in a tag
        tag = _tag(env, exc)
        raise TemplateError(f"en tagg i mallen går inte att räkna ut ({type(exc).__name__})"
                            f"{f'; taggen: »{tag}«' if tag else ''}", path=template) from exc
    document = tpl.docx
    restart_numbering(document)
    _set_properties(document, properties)
    lost = missing_texts(document, expected)
    if lost:
        sample = lost[0][:80]
        raise KansliError(f"text försvann vid renderingen ({len(lost)} st), t.ex. »{sample}«; "
                          "kontrollera mallen", path=template)
    try:
        out.write_bytes(_stable_zip(document, properties.created))
    except OSError as exc:
        raise KansliError(f"kan inte skriva: {os_reason(exc)}", path=out) from exc
    return out


def _stable_zip(document: Any, moment: datetime) -> bytes:
    """Return the saved *document* with every zip entry dated *moment* (python-docx uses 'now').

    With SOURCE_DATE_EPOCH set, the same input then gives the same .docx, byte for byte.
    """
    raw = io.BytesIO()
    document.save(raw)
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
