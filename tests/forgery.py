"""What an attacker appends to a signed PDF as an incremental update, for the verify tests.

Each function writes a copy of the signed file with one more revision and returns its path; the
signed bytes stay untouched, so every signature is still "intact" and only the later revision
tells the story.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field, enumerate_sig_fields

FORGED = b"BESLUT: ALLT GODKANT, 10 MKR"
PAGE = (0, 0, 595, 842)


class _Writer(IncrementalPdfFileWriter):
    """An incremental writer that writes only what it is told (pyHanko's would refresh the XMP packet)."""

    def _update_meta(self) -> None:
        pass


def _name(value: str) -> generic.NameObject:
    return generic.pdf_name(value)


def _write(writer: IncrementalPdfFileWriter, out: Path) -> Path:
    buffer = io.BytesIO()
    writer.write(buffer)  # type: ignore[no-untyped-call]
    out.write_bytes(buffer.getvalue())
    return out


def _white_page_with(writer: IncrementalPdfFileWriter, text: bytes) -> Any:
    """Return a reference to a form XObject that paints the page white and writes *text* on it."""
    font = generic.DictionaryObject({_name("/Type"): _name("/Font"), _name("/Subtype"): _name("/Type1"),
                                     _name("/BaseFont"): _name("/Helvetica")})
    stream = generic.StreamObject({
        _name("/Type"): _name("/XObject"), _name("/Subtype"): _name("/Form"),
        _name("/BBox"): generic.ArrayObject([generic.FloatObject(v) for v in PAGE]),
        _name("/Resources"): generic.DictionaryObject({_name("/Font"): generic.DictionaryObject({_name("/F1"): font})}),
    }, stream_data=b"1 1 1 rg 0 0 595 842 re f 0 g BT /F1 24 Tf 72 700 Td (" + text + b") Tj ET")
    return writer.add_object(stream)


def overlay_field(signed: Path, out: Path, *, page: int = 0, box: tuple[int, int, int, int] = PAGE,
                  name: str = "Granskning") -> Path:
    """Add a new, unsigned signature field whose widget paints *page* white with forged text."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    append_signature_field(writer, SigFieldSpec(sig_field_name=name, on_page=page, box=box))
    (_, _, ref), *_ = enumerate_sig_fields(writer, with_name=name)
    widget = ref.get_object()
    widget[_name("/AP")] = generic.DictionaryObject({_name("/N"): _white_page_with(writer, FORGED)})
    writer.mark_update(ref)
    return _write(writer, out)


def overlay_annotation(signed: Path, out: Path, *, subtype: str = "/Square", page: int = 0) -> Path:
    """Add a plain annotation (not a form field) covering *page* with the forged appearance."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    annot = writer.add_object(generic.DictionaryObject({
        _name("/Type"): _name("/Annot"), _name("/Subtype"): _name(subtype),
        _name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in PAGE]),
        _name("/F"): generic.NumberObject(4),  # type: ignore[no-untyped-call]
        _name("/AP"): generic.DictionaryObject({_name("/N"): _white_page_with(writer, FORGED)}),
    }))
    page_ref = writer.root["/Pages"]["/Kids"][page]
    page_dict = page_ref.get_object()
    annots = page_dict.get("/Annots", generic.ArrayObject())
    annots = generic.ArrayObject([*annots, annot])
    page_dict[_name("/Annots")] = annots
    writer.update_container(page_dict)  # type: ignore[no-untyped-call]
    return _write(writer, out)


def restyle_signed_widget(signed: Path, out: Path, field: str) -> Path:
    """Replace the appearance of the already signed field *field* with the forged white page."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    (_, _, ref), *_ = enumerate_sig_fields(writer, with_name=field)
    widget = ref.get_object()
    widget[_name("/AP")] = generic.DictionaryObject({_name("/N"): _white_page_with(writer, FORGED)})
    widget[_name("/Rect")] = generic.ArrayObject([generic.FloatObject(v) for v in PAGE])
    writer.mark_update(ref)
    return _write(writer, out)


def invisible_field(signed: Path, out: Path, name: str = "Osynlig") -> Path:
    """Add a new signature field without a visible widget (as a document timestamp adds one)."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    append_signature_field(writer, SigFieldSpec(sig_field_name=name))
    return _write(writer, out)


def change_info(signed: Path, out: Path, key: str = "/Title", value: str = "Beslut: allt godkänt") -> Path:
    """Change one entry of the document information dictionary."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    info_ref = writer.trailer.raw_get("/Info")
    info = info_ref.get_object()
    info[_name(key)] = generic.TextStringObject(value)
    writer.mark_update(info_ref)
    return _write(writer, out)


def change_xmp_title(signed: Path, out: Path, title: str = "Beslut: allt godkänt") -> Path:
    """Rewrite the XMP packet with another dc:title (the /Info dictionary left as it was)."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    meta_ref = writer.root.raw_get("/Metadata")
    stream = meta_ref.get_object()
    data = stream.data
    start = data.index(b"<rdf:li", data.index(b"<dc:title"))
    start = data.index(b">", start) + 1
    end = data.index(b"</rdf:li>", start)
    new = generic.StreamObject(dict(stream.items()), stream_data=data[:start] + title.encode() + data[end:])
    new.pop(_name("/Length"), None)
    new.pop(_name("/Filter"), None)
    new.pop(_name("/DecodeParms"), None)
    writer.root[_name("/Metadata")] = writer.add_object(new)
    writer.update_root()  # type: ignore[no-untyped-call]
    return _write(writer, out)


def change_page(signed: Path, out: Path, key: str, value: Any, page: int = 0) -> Path:
    """Set *key* of the page dictionary (a /CropBox that hides the text, a /Rotate) to *value*."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    page_dict = writer.root["/Pages"]["/Kids"][page].get_object()
    page_dict[_name(key)] = value
    writer.update_container(page_dict)  # type: ignore[no-untyped-call]
    return _write(writer, out)


def open_action_script(signed: Path, out: Path) -> Path:
    """Give the document a JavaScript action that runs when it is opened."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    writer.root[_name("/OpenAction")] = generic.DictionaryObject({
        _name("/S"): _name("/JavaScript"), _name("/JS"): generic.TextStringObject("app.alert('Godkänt')")})
    writer.update_root()  # type: ignore[no-untyped-call]
    return _write(writer, out)


def fake_fill(signed: Path, out: Path, field: str, name: str = "Cynthia Runefjärd") -> Path:
    """Fill the empty field *field* with a look-alike stamp and a value that is no signature at all."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    (_, _, ref), *_ = enumerate_sig_fields(writer, with_name=field)
    widget = ref.get_object()
    stamp = generic.StreamObject({
        _name("/Type"): _name("/XObject"), _name("/Subtype"): _name("/Form"),
        _name("/BBox"): generic.ArrayObject([generic.FloatObject(v) for v in (0, 0, 200, 40)]),
    }, stream_data=b"0.1 0.25 0.55 rg BT /Helv 9 Tf 20 20 Td (Signerat av " + name.encode("cp1252") + b") Tj ET")
    widget[_name("/AP")] = generic.DictionaryObject({_name("/N"): writer.add_object(stamp)})
    widget[_name("/V")] = writer.add_object(generic.DictionaryObject({_name("/Type"): _name("/Sig")}))
    writer.mark_update(ref)
    return _write(writer, out)


def remove_annotation(signed: Path, out: Path, field: str, page: int = 1) -> Path:
    """Take the widget of the signed field *field* off its page (the stamp disappears)."""
    writer = _Writer(io.BytesIO(signed.read_bytes()), strict=False)
    (_, _, ref), *_ = enumerate_sig_fields(writer, with_name=field)
    page_dict = writer.root["/Pages"]["/Kids"][page].get_object()
    kept = [a for a in page_dict["/Annots"] if a.reference != ref.reference]
    page_dict[_name("/Annots")] = generic.ArrayObject(kept)
    writer.update_container(page_dict)  # type: ignore[no-untyped-call]
    return _write(writer, out)
