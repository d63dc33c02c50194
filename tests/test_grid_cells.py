"""A cell's ink: dust alone is no text, a dash alone is (line crops, no OCR engine)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import cv2
import numpy as np

from recover.model import Cell, CellStatus, Page, PageGeometry, Provenance, Table
from recover.prepare.orientation import PreparedPage
from recover.read.cell_lines import cell_ink, line_crops
from recover.read.ocr.engine import LineReading, no_digits_reading
from recover.read.page_text import read_page_text

CHAR_H = 20


def _cell(*marks: tuple[int, int, int, int]) -> np.ndarray:
    mask = np.zeros((60, 200), np.uint8)
    cv2.rectangle(mask, (0, 0), (199, 59), 255, 2)  # the cell's rules
    for x0, y0, x1, y1 in marks:
        mask[y0:y1, x0:x1] = 255
    return mask


def test_a_dust_dot_alone_leaves_the_cell_empty() -> None:
    # A 4 × 4 speck of toner in an empty amount cell was read as "1", "•" or "日".
    assert line_crops(_cell((90, 28, 94, 32)), (0, 0, 200, 60), CHAR_H, 4) == []
    assert line_crops(_cell((40, 20, 47, 27), (150, 30, 154, 34)), (0, 0, 200, 60), CHAR_H, 4) == []


def test_a_dash_alone_is_text() -> None:
    # "-" prints a zero in many filings: wider than any dust.
    crops = line_crops(_cell((90, 29, 101, 33)), (0, 0, 200, 60), CHAR_H, 4)
    assert len(crops) == 1


def test_a_number_with_its_decimal_point_is_one_line() -> None:
    digits = [(60 + 12 * i, 20, 68 + 12 * i, 36) for i in range(3)]
    crops = line_crops(_cell(*digits, (98, 33, 101, 36)), (0, 0, 200, 60), CHAR_H, 4)
    assert len(crops) == 1
    assert crops[0].bbox[0] == 60


def _number(x: int = 60, y: int = 20) -> list[tuple[int, int, int, int]]:
    """Three digits (8 × 16 px) and a decimal point at their foot."""
    return [(x + 12 * i, y, x + 8 + 12 * i, y + 16) for i in range(3)] + [(x + 38, y + 13, x + 41, y + 16)]


def test_a_line_of_dust_above_a_number_is_set_aside() -> None:
    # Dots of a faded rule over an amount were read as a first line "1" ("1\n1,369.68").
    mask = np.zeros((90, 200), np.uint8)
    cv2.rectangle(mask, (0, 0), (199, 89), 255, 2)
    for x0, y0, x1, y1 in [*_number(60, 50), (150, 10, 153, 14), (150, 20, 153, 24)]:
        mask[y0:y1, x0:x1] = 255
    ink = cell_ink(mask, (0, 0, 200, 90), CHAR_H, 4)
    assert [line.bbox for line in ink.lines] == [(60, 50, 101, 66)]
    assert sorted(ink.set_aside) == [(150, 10, 153, 14), (150, 20, 153, 24)]


def test_dust_far_beside_a_number_is_cut_off_its_line() -> None:
    ink = cell_ink(_cell(*_number(), (160, 26, 163, 29)), (0, 0, 200, 60), CHAR_H, 4)
    assert [line.bbox[0::2] for line in ink.lines] == [(60, 101)]  # the point stays, the speck not
    assert ink.set_aside == [(160, 26, 163, 29)]


def test_a_cell_of_dust_alone_keeps_its_dust_on_record() -> None:
    ink = cell_ink(_cell((90, 28, 94, 32)), (0, 0, 200, 60), CHAR_H, 4)
    assert ink.lines == [] and ink.set_aside == [(90, 28, 94, 32)]


def test_set_aside_ink_survives_the_page_checkpoint() -> None:
    cell = Cell(row=0, col=0, row_span=1, col_span=1, page=1, bbox=(0, 0, 9, 9))
    cell.provenance = Provenance(engine="fake", set_aside=[(1, 2, 3, 4)])
    back = Cell.from_dict(json.loads(json.dumps(cell.to_dict())))
    assert back.provenance is not None and back.provenance.set_aside == [(1, 2, 3, 4)]


def test_a_blot_or_a_short_stroke_alone_is_no_text() -> None:
    # A filled 8 × 6 toner blot was read as "■"; a 2 × 9 piece of a broken rule as "1".
    assert line_crops(_cell((90, 26, 98, 32)), (0, 0, 200, 60), CHAR_H, 4) == []
    assert line_crops(_cell((150, 24, 152, 33)), (0, 0, 200, 60), CHAR_H, 4) == []
    # A digit 1 stands as tall as the text and is read.
    assert len(line_crops(_cell((100, 20, 103, 38)), (0, 0, 200, 60), CHAR_H, 4)) == 1


def test_a_lost_rules_remnant_inside_a_merged_cell_is_no_text() -> None:
    # Three rows merged because their rules were lost: a stub of one (29 × 3) stays on
    # the row line at y = 60 and was read as "1"; the same bar elsewhere may be "一".
    mask = np.zeros((120, 200), np.uint8)
    cv2.rectangle(mask, (0, 0), (199, 119), 255, 2)
    mask[58:61, 20:49] = 255
    assert cell_ink(mask, (0, 0, 200, 120), CHAR_H, 4, inner_rows=[40, 60]).lines == []
    assert len(cell_ink(mask, (0, 0, 200, 120), CHAR_H, 4).lines) == 1


class _ReadsAnAmount:
    name = "fake"
    digits_only = False

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        return [LineReading("12.50", 0.999) for _ in crops]

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        raise no_digits_reading(self.name)


def test_a_blank_cells_dust_reaches_its_provenance() -> None:
    # The cell on the left holds a toner dot only: exported blank, and the dot is on record.
    mask = np.zeros((40, 200), np.uint8)
    mask[18:22, 40:44] = 255
    for x0, y0, x1, y1 in _number(130, 12):
        mask[y0:y1, x0:x1] = 255
    cells = [
        Cell(row=0, col=c, row_span=1, col_span=1, page=1, bbox=(100 * c, 0, 100 * c + 100, 40))
        for c in (0, 1)
    ]
    page = Page(number=1, width=200, height=40, dpi=200, tables=[Table(0, 1, (0, 0, 200, 40), 1, 2, cells)])
    prepared = PreparedPage(255 - mask, mask, CHAR_H, 0, 0.0, 200)
    read_page_text(page, prepared, PageGeometry(CHAR_H), _ReadsAnAmount(), 0.9)
    blank, amount = page.tables[0].cells
    assert blank.text == "" and blank.status is CellStatus.EMPTY
    assert blank.provenance is not None and blank.provenance.set_aside == [(40, 18, 44, 22)]
    assert amount.text == "12.50" and amount.provenance is not None and amount.provenance.set_aside == []
