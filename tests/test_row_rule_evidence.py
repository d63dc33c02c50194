"""A worn row rule versus a row of character strokes, on synthetic pages (no OCR engine).

The 一般公共预算支出表's header groups 功能分类科目编码 over 类 | 款 | 项; beside it
功能分类科目名称 is one cell over both header rows, its words across the split's line. Scanned
harsh, the split is printed thinner than the rules and the wall between the code group and
the name cell is worn away above the split: the split still runs wall to wall and parts its
row into two of the table's row pitch. The strokes of 一、一 in a body row stop inside their
cell, at mid-height of the text line they belong to.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from recover.layout.reconstruct import TableGrid, reconstruct_tables
from recover.layout.segments import rule_masks, segments_from_rule_masks
from recover.layout.text_ink import BoundaryTextInk

CHAR_H = 20
ROW_H = 3 * CHAR_H  # the table's row pitch
BODY_ROWS = 6


def _word(img: np.ndarray, left: int, y_mid: int, n: int) -> None:
    """``n`` 中-like characters from ``left``, centred on ``y_mid``."""
    for i in range(n):
        x = left + i * CHAR_H + CHAR_H // 10
        top = y_mid - 2 * CHAR_H // 5
        cv2.rectangle(img, (x, top), (x + 4 * CHAR_H // 5, top + 4 * CHAR_H // 5), 255, 2)


def _expenditure_table(split_width: int, strokes: bool, worn: int = 0) -> tuple[np.ndarray, list[int]]:
    """The header (title row, code group over 类 | 款 | 项, merged name cell) and body rows;
    the split under the code group ``split_width`` px thick (0: not printed), the wall
    between the code group and the name cell worn away above the split and a character
    below it; ``worn`` px of the split's right end lost. With ``strokes``, a body row's name
    starts with 一、一 (bridged to one stroke)."""
    xs = [CHAR_H, 5 * CHAR_H, 9 * CHAR_H, 13 * CHAR_H, 33 * CHAR_H, 41 * CHAR_H, 49 * CHAR_H]
    ys = [CHAR_H + r * ROW_H for r in range(3 + BODY_ROWS + 1)]
    img = np.zeros((ys[-1] + 2 * CHAR_H, xs[-1] + 2 * CHAR_H), np.uint8)
    for y in (ys[0], ys[1], *ys[3:]):
        cv2.line(img, (xs[0], y), (xs[-1], y), 255, 3)
    for x in (xs[0], *xs[4:]):
        cv2.line(img, (x, ys[1]), (x, ys[-1]), 255, 3)
    cv2.line(img, (xs[0], ys[0]), (xs[0], ys[1]), 255, 3)
    cv2.line(img, (xs[-1], ys[0]), (xs[-1], ys[1]), 255, 3)
    for x in xs[1:3]:
        cv2.line(img, (x, ys[2]), (x, ys[-1]), 255, 3)
    cv2.line(img, (xs[3], ys[2] + CHAR_H), (xs[3], ys[-1]), 255, 3)  # worn above: a character short
    if split_width:
        cv2.line(img, (xs[0], ys[2]), (xs[3] + 1 - worn, ys[2]), 255, split_width)
    _word(img, (xs[0] + xs[-1]) // 2 - CHAR_H, (ys[0] + ys[1]) // 2, 2)  # 项目
    _word(img, xs[0] + CHAR_H // 2, (ys[1] + ys[2]) // 2, 8)  # 功能分类科目编码
    for left, right in itertools.pairwise(xs[:4]):
        _word(img, (left + right) // 2 - CHAR_H // 2, (ys[2] + ys[3]) // 2, 1)  # 类, 款, 项
    _word(img, xs[3] + 6 * CHAR_H, ys[2], 8)  # 功能分类科目名称, centred on the split's line
    for top, bottom in itertools.pairwise(ys[3:]):
        mid = (top + bottom) // 2
        _word(img, xs[0] + CHAR_H // 2, mid, 3)
        if strokes and top == ys[5]:  # 一、一般公共服务支出 | 一、一般 …: the strokes bridged
            for left, rest in ((xs[3], 8), (xs[4], 3)):
                cv2.line(img, (left + CHAR_H // 3, mid), (left + 13 * CHAR_H // 3 + 2, mid), 255, 3)
                _word(img, left + 9 * CHAR_H // 2 + 2, mid, rest)
            _word(img, xs[5] + 3 * CHAR_H, mid, 4)
            continue
        _word(img, xs[3] + CHAR_H // 2, mid, 8)
        for left in xs[4:-1]:
            _word(img, left + 3 * CHAR_H, mid, 4)
    return img, ys


def _table(img: np.ndarray) -> TableGrid:
    horiz, vert = rule_masks(img, CHAR_H)
    segments = segments_from_rule_masks(horiz, vert, CHAR_H)
    ink = BoundaryTextInk(img, horiz, vert, CHAR_H)
    tables = reconstruct_tables(segments, CHAR_H, ink.separates, ink.crossed_length, ink.flush_against)
    return max(tables, key=lambda t: (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]))


def _row_at(table: TableGrid, y: int) -> bool:
    return any(abs(line - y) <= 3 for line in table.grid.row_lines)


def test_worn_header_split_beside_a_merged_word_is_a_row_rule() -> None:
    img, ys = _expenditure_table(split_width=2, strokes=False)  # thinner than the 3 px rules
    table = _table(img)
    assert _row_at(table, ys[2])
    assert table.n_rows == 3 + BODY_ROWS
    # The name cell stays one cell over both header rows.
    assert any(c.row == 1 and c.row_end == 2 and c.col == 3 for c in table.cells)


def test_unprinted_header_split_is_still_no_row() -> None:
    img, ys = _expenditure_table(split_width=0, strokes=False)
    assert not _row_at(_table(img), ys[2])


def test_strokes_of_yi_inside_a_text_line_are_no_row_rule_beside_a_worn_split() -> None:
    img, ys = _expenditure_table(split_width=2, strokes=True)
    table = _table(img)
    assert _row_at(table, ys[2])
    assert table.n_rows == 3 + BODY_ROWS
    stroke_y = (ys[5] + ys[6]) // 2
    assert not _row_at(table, stroke_y)


def test_header_split_worn_short_of_its_wall_is_a_row_rule() -> None:
    """cn_budget 300 dpi harsh 万里24 p26: the split's last stretch is lost too, a character
    short of the worn wall; it still covers most of the 项 slot, past the 类 | 款 walls."""
    img, ys = _expenditure_table(split_width=2, strokes=False, worn=CHAR_H)
    table = _table(img)
    assert _row_at(table, ys[2])
    assert table.n_rows == 3 + BODY_ROWS


def test_split_that_stops_early_in_its_last_slot_is_no_wall_to_wall_rule() -> None:
    """Worn past half of its last slot, the line no longer shows where it ends."""
    from recover.layout.rule_evidence import _Line, _wall_to_wall
    from recover.layout.segments import Segment

    walls = [20, 100, 180, 260]

    def line(start: int, end: int) -> _Line:
        return _Line(True, 50, [Segment(True, 50, start, end, 2)])

    assert _wall_to_wall(line(20, 259), walls, 4)
    assert _wall_to_wall(line(20, 240), walls, 4)  # 60 of the last 80 px
    assert not _wall_to_wall(line(20, 210), walls, 4)  # 30 of 80
    assert not _wall_to_wall(line(20, 90), walls, 4)  # most of one slot, but no wall passed
    assert not _wall_to_wall(line(30, 240), walls, 4)  # neither end on a wall
