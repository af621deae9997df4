"""The fast subset codes give exactly what reportlab's splitString gives, per document, whatever came before."""

from __future__ import annotations

from pipeline.engines.builtin import fonts
from pipeline.engines.builtin.subsets import ESCAPE, chunks

# Swedish text, PDF string specials, a no-break space, a character the font lacks, and then so many
# different letters that reportlab opens a second subset (codes above 255)
TEXTS = ["Justeras (ordförande)", "Vid anteckningarna", "å ä ö Å Ä Ö", "back\\slash", "100\u00a0kr", "\u4e00",
         "Justeras (ordförande)", "".join(map(chr, range(0x391, 0x3CA))), "".join(map(chr, range(0x410, 0x450))),
         "".join(map(chr, range(0x100, 0x180))), "ΑΒΓ абв ĀĂ", "", "Justeras åäö ΑΒΓ"]


class Doc:
    """Stands for a reportlab document: the font's per-document state is keyed by it."""


def reportlab(font: object, text: str, doc: object) -> list[tuple[int, str]]:
    return [(s, raw.decode("latin-1").translate(ESCAPE)) for s, raw in font.splitString(text, doc)]  # type: ignore[attr-defined]


def test_same_pieces_as_reportlab_and_documents_kept_apart() -> None:
    font = fonts.ttfont(fonts.resolve("Calibri"))
    ours, theirs = Doc(), Doc()
    subsets_seen = set()
    for text in TEXTS * 2:
        got = chunks(font, text, ours)
        assert got == reportlab(font, text, theirs), text
        subsets_seen.update(s for s, _ in got)
    assert subsets_seen >= {0, 1}  # the second subset was reached, and still matched
    # a new document starts from nothing: what the first one assigned must not leak into it
    fresh, fresh_theirs = Doc(), Doc()
    for text in reversed(TEXTS):
        assert chunks(font, text, fresh) == reportlab(font, text, fresh_theirs), text
