"""A second, digits-only reading of a cell's crop (the checks' independent witness).

The checks run after every page is read, so the crop is cut from the prepared page kept
losslessly in the output folder (:class:`recover.prepare.kept_pages.KeptPages`), with the
page's recorded geometry: the same pixels, margins and padding as the first reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from recover.model import Cell, Document, PageGeometry
from recover.prepare.kept_pages import KeptPages
from recover.read.cell_lines import line_crops, padded_crop
from recover.read.ocr.engine import LineReading, LineRecognizer

Reread = Callable[[Cell], str | None]
"""Reads a cell's crop again with a digits-only recogniser (None when it cannot)."""
ReadDigits = Callable[[Sequence[np.ndarray]], list[LineReading]]


def digits_reader(reader: LineRecognizer) -> ReadDigits | None:
    """The engine's digits-only recogniser, or None when the engine says it has none."""
    return reader.recognize_digits if reader.digits_only else None


def reread_crop(
    gray: np.ndarray, mask: np.ndarray, geometry: PageGeometry, cell: Cell, read_digits: ReadDigits
) -> str | None:
    """The digits-only reading of the one text line in ``cell``; None for several lines."""
    lines = line_crops(mask, cell.bbox, geometry.char_height, geometry.cell_margin)
    if len(lines) != 1:
        return None  # amounts sit on one line; anything else is not re-read
    readings = read_digits([padded_crop(gray, lines[0].bbox, geometry.crop_pad)])
    return str(readings[0].text) if readings and readings[0].text else None


def kept_page_rereader(doc: Document, kept: KeptPages, reader: LineRecognizer) -> Reread | None:
    """Re-reads cells of any page of ``doc`` from its kept prepared image (None when the
    engine has no digits-only reading)."""
    read_digits = digits_reader(reader)
    if read_digits is None:
        return None
    geometry = {p.number: p.geometry for p in doc.pages if p.geometry is not None}

    def reread(cell: Cell) -> str | None:
        loaded = kept.load(cell.page)
        if loaded is None or cell.page not in geometry:
            return None
        gray, mask = loaded
        return reread_crop(gray, mask, geometry[cell.page], cell, read_digits)

    return reread
