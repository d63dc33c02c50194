"""A point the recogniser read as a character, put back from the ink (no OCR engine).

Blob layouts recorded from a 150 dpi 预算03表 (case_040, character height 22): the digits of
"22.12" fuse in pairs, the point stays a separate speck on the baseline.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from recover.model import Cell, CellStatus
from recover.read.decimal_point import PointMark, point_mark, point_restored
from recover.read.page_text import REGROUPED_CONFIDENCE, fill_from_ocr

CHAR_H = 22
# (x, y, w, h, area) of the line's blobs: "22" | point | "1" | "2" (in two pieces)
TWENTY_TWO_12 = np.array(
    [(0, 0, 26, 20, 200), (30, 13, 5, 6, 24), (41, 1, 7, 19, 90), (52, 1, 12, 11, 60), (52, 12, 11, 8, 50)]
)


def test_the_point_is_found_with_the_widths_of_the_digits_around_it() -> None:
    assert point_mark(TWENTY_TWO_12, CHAR_H) == PointMark(before=26, after=23)


def test_a_speck_above_the_baseline_or_at_the_end_is_no_point() -> None:
    high = TWENTY_TWO_12.copy()
    high[1, 1] = 2  # at the top of the line: a mark, not a point
    assert point_mark(high, CHAR_H) is None
    assert point_mark(TWENTY_TWO_12[:2], CHAR_H) is None  # nothing after it


@pytest.mark.parametrize(
    ("reading", "restored"),
    [
        ("22112", "22.12"),  # the point read as 1
        ("22812", "22.12"),
        ("275%92", None),  # a width that fits no place: 4 px before, 23 after
        ("22.12", None),  # the reading has its point
        ("2212", None),  # the point dropped, not misread: the checks' own alternative
        ("2,2112", None),
    ],
)
def test_only_the_place_the_widths_fit_becomes_the_point(reading: str, restored: str | None) -> None:
    mark = PointMark(before=26, after=23) if reading != "275%92" else PointMark(before=4, after=23)
    assert point_restored(reading, mark) == restored


def test_without_a_point_in_the_ink_nothing_changes() -> None:
    assert point_restored("22112", None) is None


def test_a_three_digit_head_fits_its_own_place() -> None:
    assert point_restored("759109", PointMark(before=38, after=26)) == "759.09"
    assert point_restored("275592", PointMark(before=39, after=25)) == "275.92"


def test_a_restored_point_waits_for_a_total() -> None:
    cell = Cell(row=1, col=2, row_span=1, col_span=1, page=1, bbox=(0, 0, 100, 30))
    fill_from_ocr(cell, [("22112", 0.99)], "fake", 0.9, [], PointMark(before=26, after=23))
    assert (cell.text, cell.value) == ("22.12", Decimal("22.12"))
    assert cell.confidence == REGROUPED_CONFIDENCE and cell.status is CellStatus.LOW_CONFIDENCE
    assert cell.provenance is not None and cell.provenance.reread.startswith("decimal point")


def test_a_piece_of_a_worn_digit_is_no_point() -> None:
    # "2101501": the worn 5 fell into its top bar, its bowl and a speck of its tail under
    # the bowl; the reading "2101.01" that the speck suggested broke the subject code.
    blobs = np.array(
        [(0, 0, 14, 20, 150), (18, 0, 8, 20, 90), (30, 0, 14, 20, 150), (48, 0, 8, 20, 90), (61, 15, 3, 3, 9),
         (62, 0, 10, 4, 30), (62, 7, 12, 13, 80), (75, 0, 14, 20, 150), (93, 0, 7, 20, 80)]
    )  # fmt: skip
    assert point_mark(blobs, CHAR_H) is None
