"""A second, digits-only reading of a cell's crop (the checks' independent witness).

During extraction it reads from the prepared page in memory; at the document stage (cells
of a table stitched over pages) from the prepared page images kept in the output folder,
handed over as decoded images so that the stage can run in a worker on another machine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from recover.model import Cell
from recover.prepare.ink import ink_mask
from recover.prepare.text_blobs import estimate_char_height
from recover.read.cell_lines import line_crops, padded_crop
from recover.read.ocr.engine import LineReading, LineRecognizer

Reread = Callable[[Cell], str | None]
"""Reads a cell's crop again with a digits-only recogniser (None when it cannot)."""
ReadDigits = Callable[[Sequence[np.ndarray]], list[LineReading]]


def digits_reader(reader: LineRecognizer) -> ReadDigits | None:
    """The engine's digits-only recogniser, when it has one."""
    read: ReadDigits | None = getattr(reader, "recognize_digits", None)
    return read


def reread_crop(
    gray: np.ndarray, mask: np.ndarray, char_h: int, margin: int, cell: Cell, read_digits: ReadDigits
) -> str | None:
    """The digits-only reading of the one text line in ``cell``; None for several lines."""
    lines = line_crops(mask, cell.bbox, char_h, margin)
    if len(lines) != 1:
        return None  # amounts sit on one line; anything else is not re-read
    readings = read_digits([padded_crop(gray, lines[0].bbox, max(2, char_h // 4))])
    return str(readings[0].text) if readings and readings[0].text else None


def saved_page_rereader(
    images: Callable[[int], np.ndarray | None], dpi: int, reader: LineRecognizer
) -> Reread | None:
    """Re-reads cells from kept page images (``images(page)`` → grayscale, None if not kept), any page."""
    read_digits = digits_reader(reader)
    if read_digits is None:
        return None
    pages: dict[int, tuple[np.ndarray, np.ndarray, int] | None] = {}

    def reread(cell: Cell) -> str | None:
        if cell.page not in pages:
            gray = images(cell.page)
            if gray is None:
                pages[cell.page] = None
            else:
                mask = ink_mask(gray, dpi)
                pages[cell.page] = (gray, mask, estimate_char_height(mask, dpi))
        loaded = pages[cell.page]
        if loaded is None:
            return None
        gray, mask, char_h = loaded
        return reread_crop(gray, mask, char_h, max(2, char_h // 8) + 1, cell, read_digits)

    return reread
