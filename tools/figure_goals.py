"""Draw the example plan's goal structure: inputs/plan/bilder/malstruktur.svg and .png.

The real plan shows the picture of SUP 2040's goal structure that the kansli has; this one is drawn
from the words of SUP 2040 (vision, övergripande mål, two långsiktiga mål and a delmål) so that the
example has its picture where chapter 1 says »enligt nedanstående bild«. The SVG is the source,
written as text (the same words give the same file); the PNG is drawn from it by cairosvg.

Run `python tools/figure_goals.py [FOLDER]`.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

ACCENT = "#1F4E79"
BOX = "#EAF1F8"
TEXT = "#1A1A1A"
FONT = "Carlito, Calibri, 'Liberation Sans', Arial, sans-serif"
WIDTH, HEIGHT = 800, 470
PNG_WIDTH = 1600  # pixels: 200 dpi at the text width of 16 cm, sharp in print

VISION = "Södertörn leder Sveriges starka och hållbara tillväxt"
OVERALL = ("En tillgänglig och hållbar infrastruktur bidrar till ett välmående näringsliv, motverkar "
           "segregation och skapar en gemensam arbetsmarknad på Södertörn")
LONG_TERM = (("Omställning", "Södertörn leder vägen i omställningen mot ett hållbart transportsystem"),
             ("Tillgänglighet", "Södertörn – Sveriges mest tillgängliga storstadsregion"))
SUB_GOAL = "Heltäckande och god laddinfrastruktur på Södertörn"


def _box(x: float, y: float, w: float, h: float, label: str, text: str, *, dark: bool = False,
         chars: int = 60) -> str:
    """Return an SVG group: a rounded box with a bold label and the wrapped *text* under it."""
    fill, ink, edge = (ACCENT, "#FFFFFF", ACCENT) if dark else (BOX, TEXT, ACCENT)
    lines = textwrap.wrap(text, chars)
    cx = x + w / 2
    parts = [f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10" fill="{fill}" stroke="{edge}" stroke-width="2"/>',
             f'<text x="{cx}" y="{y + 26}" font-size="17" font-weight="bold" fill="{ink}" '
             f'text-anchor="middle">{escape(label)}</text>']
    for n, line in enumerate(lines):
        parts.append(f'<text x="{cx}" y="{y + 50 + n * 20}" font-size="16" font-style="italic" fill="{ink}" '
                     f'text-anchor="middle">{escape(line)}</text>')
    return "\n".join(parts)


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{ACCENT}" stroke-width="3" marker-end="url(#pil)"/>'


def svg() -> str:
    """Return the goal structure as SVG text."""
    left, right = 40, 420
    body = [
        _box(40, 10, 720, 80, "Vision", VISION, dark=True, chars=70),
        _arrow(400, 90, 400, 118),
        _box(40, 122, 720, 100, "Övergripande mål för fokusområde infrastruktur", OVERALL, chars=80),
        _arrow(220, 222, 220, 250), _arrow(580, 222, 580, 250),
    ]
    for x, (name, text) in zip((left, right), LONG_TERM, strict=True):
        body.append(_box(x, 254, 340, 100, f"Långsiktigt mål: {name}", text, chars=36))
    body += [_arrow(220, 354, 220, 382), _box(left, 386, 340, 76, "Delmål", SUB_GOAL, chars=36)]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">\n'
            '<title>Målstruktur för SUP 2040</title>\n'
            f'<defs><marker id="pil" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto">'
            f'<path d="M0,0 L8,4 L0,8 z" fill="{ACCENT}"/></marker></defs>\n'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>\n'
            + "\n".join(body) + "\n</svg>\n")


def build(folder: Path) -> list[Path]:
    """Write malstruktur.svg and malstruktur.png into *folder* and return their paths."""
    import cairosvg

    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "malstruktur.svg"
    source.write_text(svg(), encoding="utf-8")
    png = folder / "malstruktur.png"
    cairosvg.svg2png(bytestring=source.read_bytes(), write_to=str(png), output_width=PNG_WIDTH)
    return [source, png]


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else root / "inputs" / "plan" / "bilder"):
        print(path)
