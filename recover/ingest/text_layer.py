"""A PDF page's own text layer: characters with boxes, whether to trust it, and cell text.

Digital exports carry every printed character with its position; reading those is exact
and fast. A layer is trusted when it has real text and little of it is garbage (unmapped
glyphs, private-use code points). Coverage is judged per cell by the caller: a cell with
ink and no characters (a pasted image) goes to OCR.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from recover.model import BBox

MIN_CHARS = 20  # fewer printed characters than this is no usable text layer
MAX_GARBLED = 0.05  # share of characters that map to nothing readable
MAX_SIDEWAYS = 0.2  # share of characters drawn turned a quarter or more
_UPRIGHT = 0.1  # radians: a character turned less than this is upright
LAYER_CHAR_PX = 24  # character height of a text-layer page's render (the image gives only rules)


@dataclass(frozen=True)
class TextChar:
    """One printed character and its box in pixels of the page rendered at the page's dpi."""

    text: str
    box: BBox

    @property
    def center(self) -> tuple[float, float]:
        """Centre of the box."""
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


@dataclass(frozen=True)
class TextLayer:
    """The characters of a page (whitespace left out) and how many were garbage."""

    chars: list[TextChar]
    garbled: int
    sideways: int = 0  # characters drawn turned (a table printed across the page)

    def rescaled(self, factor: float) -> TextLayer:
        """The same characters in pixels of the page rendered ``factor`` times as fine."""
        chars = [TextChar(c.text, _scaled_box(c.box, factor)) for c in self.chars]
        return TextLayer(chars, self.garbled, self.sideways)

    @property
    def trustworthy(self) -> bool:
        """Enough real text, almost none of it garbage, and upright: sideways text would
        give sideways cells, so such a page goes the OCR way, which turns it first."""
        total = len(self.chars) + self.garbled
        return (
            len(self.chars) >= MIN_CHARS
            and self.garbled <= MAX_GARBLED * total
            and self.sideways <= MAX_SIDEWAYS * len(self.chars)
        )

    def char_height(self) -> int:
        """Median height of CJK and digit boxes: the page's character height in pixels."""
        heights = [c.box[3] - c.box[1] for c in self.chars if c.box[3] > c.box[1]]
        return max(4, int(np.median(heights))) if heights else 0


def _garbled(ch: str) -> bool:
    if ch in "\ufffd\ufffe\uffff":
        return True
    category = unicodedata.category(ch)
    return category in ("Co", "Cn", "Cs") or (category == "Cc" and ch not in "\r\n\t")


def _scaled_box(box: BBox, factor: float) -> BBox:
    x0, y0, x1, y1 = box
    return (round(x0 * factor), round(y0 * factor), round(x1 * factor), round(y1 * factor))


def has_images(page: pdfium.PdfPage) -> bool:
    """Whether the page draws any image (a pasted table, a scanned cell, a seal), on the
    page or inside a form object on it.

    PDFium's own calls on the raw handles: ``get_objects`` builds a Python object for each
    of the page's thousands of paths and characters, most of a text-layer page's ingest time.
    """
    for obj in _objects(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page.raw):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = _objects(pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, obj)
            if any(pdfium_c.FPDFPageObj_GetType(o) == pdfium_c.FPDF_PAGEOBJ_IMAGE for o in inner):
                return True
    return False


def _objects(count: Any, get: Any, parent: Any) -> Iterator[Any]:
    """The raw page objects of a page or form object (a damaged list raises, as ``get_objects``)."""
    total = count(parent)
    if total < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    for index in range(total):
        obj = get(parent, index)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        yield obj


def text_layer_dpi(page: pdfium.PdfPage, layer: TextLayer, dpi: int) -> int | None:
    """A coarser resolution for a page whose text comes from its layer, or None to keep ``dpi``.

    Only the rules come from the image there, and a finer render costs time and finds the
    same grid: the page is rendered so that its characters are ``LAYER_CHAR_PX`` tall.
    A page with images keeps ``dpi``: text pasted as an image is read by OCR
    (BENCHMARKS.md, text-layer speed).
    """
    char_h = layer.char_height()
    if not layer.trustworthy or char_h <= LAYER_CHAR_PX or has_images(page):
        return None
    return max(72, round(dpi * LAYER_CHAR_PX / char_h))


def read_text_layer(page: pdfium.PdfPage, dpi: int) -> TextLayer | None:
    """The page's characters in pixel coordinates at ``dpi``; None for a rotated page
    (its boxes are not in the rendered image's frame) or a page without text."""
    if page.get_rotation() != 0:
        return None
    scale = dpi / 72.0
    height_pt = page.get_height()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return None
        text = textpage.get_text_range(0, count)
        chars: list[TextChar] = []
        garbled = sideways = 0
        # get_text_range is index-aligned with the characters for BMP text (CJK included).
        aligned = len(text) == count
        raw, rect = (
            textpage.raw,
            pdfium_c.FS_RECTF(),
        )  # one box filled per character (get_charbox makes one each)
        for index in range(count):
            ch = text[index] if aligned else textpage.get_text_range(index, 1)
            if not ch or ch.isspace():
                continue
            if _garbled(ch):
                garbled += 1
                continue
            # Loose boxes span the font's ascent and descent: every character of a printed
            # line gets the same vertical extent (a tight comma or 一 would not).
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
                raise pdfium.PdfiumError("Failed to get charbox.")
            left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
            angle = pdfium_c.FPDFText_GetCharAngle(raw, index)
            if _UPRIGHT < angle < 2 * math.pi - _UPRIGHT:
                sideways += 1
            if right <= left or top <= bottom:
                continue
            box = (
                round(left * scale),
                round((height_pt - top) * scale),
                round(right * scale),
                round((height_pt - bottom) * scale),
            )
            chars.append(TextChar(ch, box))
    finally:
        textpage.close()
    return TextLayer(chars, garbled, sideways)


def chars_in(box: BBox, chars: list[TextChar]) -> list[TextChar]:
    """Characters whose centre lies inside ``box``."""
    x0, y0, x1, y1 = box
    return [c for c in chars if x0 <= c.center[0] < x1 and y0 <= c.center[1] < y1]


def lines_of(chars: list[TextChar]) -> list[str]:
    """Characters grouped into printed lines (top to bottom), each read left to right.

    A character joins a line when its vertical centre lies within the line's box; a gap
    wider than a character between neighbours becomes one space.
    """
    lines: list[list[TextChar]] = []
    spans: list[list[int]] = []  # each line's [top, bottom], kept as characters join it
    for ch in sorted(chars, key=lambda c: c.center[1]):
        cy = ch.center[1]
        for line, span in zip(lines, spans, strict=True):
            if span[0] <= cy <= span[1]:
                line.append(ch)
                span[0], span[1] = min(span[0], ch.box[1]), max(span[1], ch.box[3])
                break
        else:
            lines.append([ch])
            spans.append([ch.box[1], ch.box[3]])
    return [joined(line) for line in lines]


def joined(line: list[TextChar]) -> str:
    """One printed line's characters left to right; a gap wider than its tallest character
    becomes one space."""
    line = sorted(line, key=lambda c: c.box[0])
    height = max(c.box[3] - c.box[1] for c in line)
    parts = [line[0].text]
    for prev, cur in itertools.pairwise(line):
        if cur.box[0] - prev.box[2] > height:
            parts.append(" ")
        parts.append(cur.text)
    return "".join(parts)


def assign_to_cells(
    slots: dict[tuple[int, int], int], row_lines: list[int], col_lines: list[int], chars: list[TextChar]
) -> tuple[dict[int, list[TextChar]], list[TextChar]]:
    """Characters per cell (by the grid slot their centre falls in) and those outside the grid.

    ``slots`` maps every (row, col) slot to the index of the cell covering it.
    """
    inside: dict[int, list[TextChar]] = {}
    outside = []
    centers = np.array([ch.center for ch in chars], dtype=np.float64).reshape(-1, 2)
    # One search for all characters (the same positions as one search per character).
    rows = np.searchsorted(row_lines, centers[:, 1]) - 1
    cols = np.searchsorted(col_lines, centers[:, 0]) - 1
    for ch, row, col in zip(chars, rows.tolist(), cols.tolist(), strict=True):
        cell = slots.get((row, col))
        if cell is None:
            outside.append(ch)
        else:
            inside.setdefault(cell, []).append(ch)
    return inside, outside
