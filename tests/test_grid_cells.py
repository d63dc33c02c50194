"""A cell's ink: dust alone is no text, a dash alone is (line crops, no OCR engine)."""

from __future__ import annotations

import cv2
import numpy as np

from recover.read.cell_lines import line_crops

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
