"""Rules a worn scan broke: a short column rule in pieces, a table cut in two at one height."""

from __future__ import annotations

from recover.layout.reconstruct import reconstruct_tables
from recover.layout.segments import Segment

CHAR_H = 40  # a 300 dpi page: every tolerance derives from it


def _h(y: int, x0: int, x1: int) -> Segment:
    return Segment(True, y, x0, x1, 8)


def _v(x: int, y0: int, y1: int) -> Segment:
    return Segment(False, x, y0, y1, 8)


def _header_group_table(pieces: list[Segment]) -> list[Segment]:
    """A two-column header group (预算数 | 决算数) over rows 963–1163: the rule between the
    two sub-columns is printed over those two rows only, and ``pieces`` are what is left of it."""
    rows = [_h(y, 100, 1000) for y in (700, 850, 963, 1063, 1163)]
    walls = [_v(100, 700, 1163), _v(400, 850, 1163), _v(1000, 700, 1163)]
    return rows + walls + pieces


def test_a_short_rule_broken_in_two_still_splits_its_columns() -> None:
    # 83 + 74 px of a 200 px rule: each piece shorter than a long rule and touching one rule only.
    pieces = [_v(700, 962, 1045), _v(700, 1095, 1169)]
    (table,) = reconstruct_tables(_header_group_table(pieces), CHAR_H)
    assert table.grid.col_lines == [100, 400, 700, 1000]


def test_character_strokes_between_two_rules_are_no_rule() -> None:
    # A vertical stroke pair inside one row (a character's, e.g. 川), touching no rule.
    strokes = [_v(700, 985, 1030), _v(700, 1080, 1140)]
    (table,) = reconstruct_tables(_header_group_table(strokes), CHAR_H)
    assert table.grid.col_lines == [100, 400, 1000]


def _list_table(top: int, rows: int, pitch: int) -> list[Segment]:
    """A 3-column list of ``rows`` rows."""
    bottom = top + rows * pitch
    segs = [_h(top + r * pitch, 370, 2140) for r in range(rows + 1)]
    return segs + [_v(x, top, bottom) for x in (374, 562, 1763, 2138)]


# The rules of a 9-row unit list (序号 | 单位名称 | 备注) on a harsh 300 dpi scan, as found
# (cn_budget 附件2 page 4): every column rule is broken somewhere between y=2108 and 2271,
# so the rules above and below no longer touch.
_CUT_LIST = [
    *(_h(y, x0, x1) for y, x0, x1 in [(1470, 373, 2142), (1602, 399, 2112), (1734, 373, 2089)]),
    *(_h(y, x0, x1) for y, x0, x1 in [(1866, 372, 2143), (1999, 643, 2143), (1999, 373, 534)]),
    *(_h(y, x0, x1) for y, x0, x1 in [(2130, 1668, 2132), (2131, 443, 1569), (2263, 440, 2067)]),
    *(_h(y, x0, x1) for y, x0, x1 in [(2395, 413, 2080), (2527, 450, 2143), (2659, 402, 2142)]),
    *(_v(x, y0, y1) for x, y0, y1 in [(374, 1468, 1912), (374, 2122, 2325), (374, 2432, 2533)]),
    *(_v(x, y0, y1) for x, y0, y1 in [(562, 1469, 2209), (562, 2271, 2663), (1763, 1468, 2108)]),
    *(_v(x, y0, y1) for x, y0, y1 in [(1763, 2168, 2663), (2138, 1468, 1787), (2138, 1901, 2124)]),
    _v(2138, 2183, 2587),
]


def test_a_table_whose_column_rules_all_break_at_one_height_is_one_table() -> None:
    tables = reconstruct_tables(_CUT_LIST, 57)
    assert len(tables) == 1
    assert tables[0].grid.row_lines == [1470, 1602, 1734, 1866, 1999, 2131, 2263, 2395, 2527, 2659]
    assert tables[0].n_cols == 3


def test_two_tables_one_above_the_other_stay_two() -> None:
    # Same columns, but a title's height of paper between them: two printed tables.
    segs = _list_table(200, 4, 100) + _list_table(800, 4, 100)
    tables = reconstruct_tables(segs, CHAR_H)
    assert [t.n_rows for t in tables] == [4, 4]
