"""Rules a harsh scan lost between amounts (recorded-style segments and synthetic masks, no OCR).

Worn rules of a 预算03表 at 200 dpi: the row rule between two amounts of one column is gone
there and in the empty columns beside it, and so is the column rule between them; the text
on both sides proves the row rule, and the merges around it through the empty slots must
not fuse the two amounts into one cell ("246.46381.96").
"""

from __future__ import annotations

import cv2
import numpy as np

from recover.layout.reconstruct import cells_from_grid
from recover.layout.segments import Segment, rule_masks
from recover.layout.text_ink import BoundaryTextInk
from recover.model import Grid

CHAR_H = 20
ROWS, COLS = [0, 50, 100, 150], [0, 100, 200, 300]


def _segments(lost: set[tuple[bool, int, int]]) -> list[Segment]:
    """Every rule of a 3 × 3 grid, slot by slot, less the ``lost`` (horizontal, line, slot) pieces."""
    segs = []
    for k, y in enumerate(ROWS):
        segs += [Segment(True, y, COLS[j], COLS[j + 1], 2) for j in range(3) if (True, k, j) not in lost]
    for k, x in enumerate(COLS):
        segs += [Segment(False, x, ROWS[j], ROWS[j + 1], 2) for j in range(3) if (False, k, j) not in lost]
    return segs


def test_a_rule_proven_by_text_on_both_sides_is_not_merged_around() -> None:
    # Lost: the row rule y = 100 in columns 1 and 2, the column rule x = 200 in rows 1 and 2.
    lost = {(True, 2, 1), (True, 2, 2), (False, 2, 1), (False, 2, 2)}

    def separated(vertical: bool, pos: int, lo: int, hi: int, before: int, after: int) -> bool:
        return not vertical and pos == 100 and hi <= 200  # the amounts above and below, column 1

    cells = cells_from_grid(_segments(lost), Grid(ROWS, COLS), CHAR_H, separated)
    spans = {(c.row, c.col): (c.row_end, c.col_end) for c in cells}
    assert spans[(1, 1)] == (1, 1) and spans[(2, 1)] == (2, 1)  # the two amounts stay apart
    assert spans[(1, 2)] == (2, 2)  # the empty column's own slots may merge


def test_a_faded_rules_dots_do_not_join_an_amount_across_it() -> None:
    # Two right-aligned amounts side by side; the column rule between them printed only as
    # dots, the left amount ending 5 px before it. Joined into words, the dots chained the
    # amount over the rule: the two amounts were read as one cell "1,781.52| 1,781.52".
    mask = np.zeros((60, 260), np.uint8)
    cv2.rectangle(mask, (0, 0), (259, 59), 255, 2)
    mask[2:58:8, 129:132] = 255  # the faded rule's 3 × 2 dots along x = 130
    mask[3:58:8, 129:132] = 255
    for x0 in (40, 170):  # "digits": 8 × 16 blobs 4 px apart
        for i in range(7):
            mask[22:38, x0 + 12 * i : x0 + 12 * i + 8] = 255
    mask[22:38, 125 - 8 : 125] = 255  # the left amount's last digit, 5 px before the rule
    horiz, vert = rule_masks(mask, CHAR_H)
    ink = BoundaryTextInk(mask, horiz, vert, CHAR_H)
    assert ink.separates(True, 130, 4, 56, 0, 260)


def test_a_word_across_the_line_still_crosses_it() -> None:
    # A heading centred over a lost column rule: its characters run through the line.
    mask = np.zeros((60, 260), np.uint8)
    for i in range(4):
        mask[20:40, 90 + 22 * i : 90 + 22 * i + 18] = 255
    horiz, vert = rule_masks(mask, CHAR_H)
    ink = BoundaryTextInk(mask, horiz, vert, CHAR_H)
    assert not ink.separates(True, 130, 4, 56, 0, 260)


def test_a_thin_stroke_across_a_lost_rule_is_no_word_across_it() -> None:
    # Two amounts one above the other, the row rule between them lost; a 3 px wide piece
    # of a seal's rim runs down across it. A character is wider than that along the line.
    mask = np.zeros((120, 200), np.uint8)
    for y0 in (22, 82):
        for i in range(6):
            mask[y0 : y0 + 16, 60 + 12 * i : 68 + 12 * i] = 255
    mask[50:70, 150:153] = 255
    horiz, vert = rule_masks(mask, CHAR_H)
    ink = BoundaryTextInk(mask, horiz, vert, CHAR_H)
    assert ink.separates(False, 60, 4, 196, 0, 120)
