"""Which ink is a rule, on recorded crops of real seed_scans pages (no OCR engine).

Each fixture (benchmarks/record_grid_fixtures.py --seed-out) is the ink mask around one
table of a scanned standard form and the grid its ground truth prints: seal arcs and stars
across the rules, a caption's stroke joined to the frame, a doubled frame, a faint table,
merged 市州 cells beside a broken rule.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from recover.layout.reconstruct import TableGrid, reconstruct_tables
from recover.layout.segments import Segment, rule_masks, segments_from_rule_masks
from recover.layout.stubs import stub_reason
from recover.layout.text_ink import BoundaryTextInk

SCANS = Path(__file__).parent / "fixtures" / "grid_scans"
FIXTURES = sorted(SCANS.glob("*.json"))


def _largest(tables: list[TableGrid]) -> TableGrid:
    return max(tables, key=lambda t: (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]))


def _layout(mask: np.ndarray, char_h: int, evidence: bool = True) -> tuple[list[TableGrid], list[Segment]]:
    horiz, vert = rule_masks(mask, char_h)
    segments = segments_from_rule_masks(horiz, vert, char_h)
    if not evidence:
        return reconstruct_tables(segments, char_h), segments
    ink = BoundaryTextInk(mask, horiz, vert, char_h)
    tables = reconstruct_tables(segments, char_h, ink.separates, ink.crossed_length, ink.flush_against)
    return tables, segments


def _fixture(name: str) -> tuple[dict[str, object], np.ndarray]:
    fixture = json.loads((SCANS / f"{name}.json").read_text(encoding="utf-8"))
    mask = cv2.imread(str(SCANS / f"{name}.png"), cv2.IMREAD_GRAYSCALE)
    assert mask is not None
    return fixture, mask


def _known_gap(path: Path) -> str:
    return str(json.loads(path.read_text(encoding="utf-8")).get("known_gap", ""))


# A fixture with a ``known_gap`` records a page the tool does not yet get right: strict, so
# the day it does the test says so.
CASES = [
    pytest.param(
        p, id=p.stem, marks=pytest.mark.xfail(strict=True, reason=_known_gap(p)) if _known_gap(p) else ()
    )
    for p in FIXTURES
]


@pytest.mark.parametrize("path", CASES)
def test_scanned_form_gets_its_printed_grid(path: Path) -> None:
    fixture, mask = _fixture(path.stem)
    tables, _ = _layout(mask, int(fixture["char_h"]))  # type: ignore[call-overload]
    table = _largest(tables)
    assert (table.n_rows, table.n_cols) == (fixture["n_rows"], fixture["n_cols"]), fixture["shows"]


def test_seal_arcs_and_star_make_no_columns_or_rows() -> None:
    # 预算12表 under a seal: without the text evidence its arcs and star split columns.
    fixture, mask = _fixture("case_002_p1")
    char_h = int(fixture["char_h"])  # type: ignore[call-overload]
    naive = _largest(_layout(mask, char_h, evidence=False)[0])
    assert (naive.n_rows, naive.n_cols) != (fixture["n_rows"], fixture["n_cols"])
    table = _largest(_layout(mask, char_h)[0])
    assert (table.n_rows, table.n_cols) == (7, 18)


def test_faint_table_keeps_amounts_of_neighbouring_columns_apart() -> None:
    # 预算03表 with rules mostly lost: "5,667.26" and "4,297.58" were read as one cell.
    fixture, mask = _fixture("case_004_p1")
    table = _largest(_layout(mask, int(fixture["char_h"]))[0])  # type: ignore[call-overload]
    # The 合计 row and the two below it: 合计, 基本支出 and 项目支出 are three cells each.
    for row in (1, 2, 3):
        amounts = [c for c in table.cells if c.row == row and 2 <= c.col <= 4]
        assert [(c.col, c.col_end) for c in amounts][:2] == [(2, 2), (3, 3)]
        assert amounts[2].col == 4


def test_amount_beside_an_empty_column_that_lost_its_rule_is_a_cell_of_its_own() -> None:
    # 预算03表: columns 5–7 are empty and lost their rules below the header; the amounts of
    # column 4, set right against the line the header draws, were 1 × 2 cells with column 5.
    fixture, mask = _fixture("case_004_p1")
    table = _largest(_layout(mask, int(fixture["char_h"]))[0])  # type: ignore[call-overload]
    for row in range(1, 7):
        assert [(c.col, c.col_end) for c in table.cells if c.row == row and c.col == 4] == [(4, 4)]
    # 246.46 over 381.96 in column 3 beside the empty column 4: two cells, not one 2 × 2.
    stacked = [c for c in table.cells if c.col == 3 and 13 <= c.row <= 14]
    assert [(c.row, c.row_end, c.col_end) for c in stacked] == [(13, 13, 3), (14, 14, 3)]
    # The 合计 label's merge over 编码 and 名称 is not flush with the line: it stays merged.
    assert any(c.row == 1 and (c.col, c.col_end) == (0, 1) for c in table.cells)


def test_two_amounts_set_right_beside_a_faded_rule_are_two_cells() -> None:
    # 预算03表: 1,781.52 | 1,781.52 in one row, the faded rule's dots between them joined to
    # the left one (a "word crossing the line"); each is set right in its own column.
    fixture, mask = _fixture("case_040_p1")
    table = _largest(_layout(mask, int(fixture["char_h"]))[0])  # type: ignore[call-overload]
    assert [(c.col, c.col_end) for c in table.cells if c.row == 16 and c.col in (2, 3)] == [(2, 2), (3, 3)]


def test_merged_region_cell_does_not_swallow_its_rows() -> None:
    # 补助经费安排表: a stretch of the rule beside a merged 市州 cell is lost to the scan.
    fixture, mask = _fixture("case_056_p3")
    table = _largest(_layout(mask, int(fixture["char_h"]))[0])  # type: ignore[call-overload]
    tall = [c for c in table.cells if c.row_end > c.row]
    assert len(tall) >= 4
    assert all(c.col == c.col_end == 0 for c in tall)


def test_faint_table_cut_to_a_stub_is_reported() -> None:
    # The verticals below the fifth row are lost (as on a faint 150 dpi scan): the grid that
    # comes out is a stub, and the rules that go on below it say so.
    fixture, mask = _fixture("case_004_p1")
    char_h = int(fixture["char_h"])  # type: ignore[call-overload]
    tables, segments = _layout(mask, char_h)
    whole = _largest(tables)
    assert stub_reason(whole, segments, [], char_h) is None
    cut = whole.grid.row_lines[5]
    faint = [s for s in segments if s.horizontal or s.start < cut - char_h]
    faint = [
        Segment(False, s.pos, s.start, min(s.end, cut), s.thickness) if not s.horizontal else s for s in faint
    ]
    stub = _largest(reconstruct_tables(faint, char_h))
    assert stub.n_rows < 8
    reason = stub_reason(stub, faint, [], char_h)
    assert reason is not None and "not recovered" in reason


def _stacked_header_table(char_h: int) -> np.ndarray:
    """A 3 × 4 table whose wide header cell holds a word stacked in lines, the characters'
    vertical strokes on one line (as in a narrow 机关事业单位基本养老保险缴费 header)."""
    img = np.zeros((12 * char_h, 24 * char_h), np.uint8)
    xs = [char_h, 6 * char_h, 12 * char_h, 18 * char_h, 23 * char_h]
    ys = [char_h, 7 * char_h, 9 * char_h, 11 * char_h]
    for x in xs:
        if x != 12 * char_h:
            cv2.line(img, (x, ys[0]), (x, ys[-1]), 255, 2)
        else:
            cv2.line(img, (x, ys[1]), (x, ys[-1]), 255, 2)
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 255, 2)
    stroke_x, first = 9 * char_h, ys[0] + char_h
    # Stacked tight, the vertical strokes of the characters of four lines touch.
    cv2.line(img, (stroke_x, first), (stroke_x, first + 4 * char_h), 255, 2)
    for line in range(4):  # 中-like characters: a box the stroke runs through
        top = first + line * char_h + char_h // 5
        corner = (stroke_x - char_h // 2, top), (stroke_x + char_h // 2, top + 3 * char_h // 5)
        cv2.rectangle(img, *corner, 255, 2)
    for r in range(1, 3):
        for c in range(4):
            x = xs[c] + char_h
            cv2.rectangle(img, (x, ys[r] + char_h // 2), (x + 2 * char_h, ys[r] + 3 * char_h // 2), 255, 2)
    return img


def test_stacked_header_strokes_are_not_a_column_rule() -> None:
    char_h = 20
    mask = _stacked_header_table(char_h)
    table = _largest(_layout(mask, char_h)[0])
    assert (table.n_rows, table.n_cols) == (3, 4)
    assert any(c.row == 0 and c.col == 1 and c.col_end == 2 for c in table.cells)


def test_stacked_header_strokes_split_the_header_without_text_evidence() -> None:
    char_h = 20
    naive = _largest(_layout(_stacked_header_table(char_h), char_h, evidence=False)[0])
    assert naive.n_cols == 5


def _box_word(img: np.ndarray, x_mid: int, y_mid: int, char_h: int, n: int) -> None:
    """``n`` 中-like characters side by side, centred on (x_mid, y_mid)."""
    left = x_mid - n * char_h // 2
    for i in range(n):
        x = left + i * char_h + char_h // 10
        top = y_mid - 3 * char_h // 10
        cv2.rectangle(img, (x, top), (x + 4 * char_h // 5, top + 3 * char_h // 5), 255, 2)


def _worn_header_table(char_h: int) -> np.ndarray:
    """A 6-row table whose first header cell is split by a rule printed only along its
    middle: the scan wore both its ends away, short of the column rules either side."""
    img = np.zeros((16 * char_h, 32 * char_h), np.uint8)
    xs = [char_h, 11 * char_h, 21 * char_h, 31 * char_h]
    ys = [char_h, 3 * char_h, 5 * char_h, 7 * char_h, 9 * char_h, 11 * char_h, 13 * char_h]
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 255, 2)
    for y in ys:
        if y != ys[1]:
            cv2.line(img, (xs[0], y), (xs[-1], y), 255, 2)
    # A character short of either column rule: 80% of its cell, 27% of the table's width.
    cv2.line(img, (xs[0] + char_h, ys[1]), (xs[1] - char_h, ys[1]), 255, 2)
    return img


def test_rule_worn_at_both_ends_still_splits_its_cell() -> None:
    char_h = 20
    mask = _worn_header_table(char_h)
    table = _largest(_layout(mask, char_h)[0])
    assert (table.n_rows, table.n_cols) == (6, 3)
    assert any(c.row == 0 and c.col == 0 and c.row_end == 0 for c in table.cells)


def _split_under_merged_header(char_h: int) -> np.ndarray:
    """A tall header over a short body; the right header cell's word is centred over the
    column split that starts below it (预算数 | 决算数 under 公务接待费)."""
    img = np.zeros((20 * char_h, 32 * char_h), np.uint8)
    xs = [char_h, 11 * char_h, 21 * char_h, 31 * char_h]
    ys = [char_h, 4 * char_h, 7 * char_h, 10 * char_h, 13 * char_h, 15 * char_h]
    split = 26 * char_h
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 255, 2)
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 255, 2)
    cv2.line(img, (split, ys[-2]), (split, ys[-1]), 255, 2)  # the split under the header, 14% of it
    _box_word(img, split, (ys[0] + ys[-2]) // 2, char_h, 5)
    return img


def test_column_split_below_a_merged_header_word_is_kept() -> None:
    char_h = 20
    table = _largest(_layout(_split_under_merged_header(char_h), char_h)[0])
    assert table.n_cols == 4
    assert any(c.col == 2 and c.col_end == 3 and c.row_end < 4 for c in table.cells)


def test_text_close_to_a_rule_does_not_run_through_it() -> None:
    # A coarse render of tight rows (a text-layer page at 24 px per character box): the
    # characters above and below stop 1–2 px short of the rule; a stroke through it touches.
    char_h = 23
    img = np.zeros((8 * char_h, 20 * char_h), np.uint8)
    y = 4 * char_h
    cv2.rectangle(img, (char_h, y - 1), (19 * char_h, y + 2), 255, -1)  # a 4 px rule
    for i in range(4):
        x = 2 * char_h + i * char_h
        cv2.rectangle(img, (x, y - 13), (x + 10, y - 3), 255, 1)  # 1 px clear above
        cv2.rectangle(img, (x, y + 5), (x + 10, y + 15), 255, 1)  # 2 px clear below
    horiz, vert = rule_masks(img, char_h)
    (rule,) = segments_from_rule_masks(horiz, vert, char_h)
    ink = BoundaryTextInk(img, horiz, vert, char_h)
    assert ink.crossed_length(False, rule.pos, rule.start, rule.end, rule.thickness) == 0
    for i in range(4):
        x = 12 * char_h + i * char_h
        cv2.rectangle(img, (x, y - 12), (x + 10, y + 12), 255, 1)  # boxes the rule runs through
    ink = BoundaryTextInk(img, *rule_masks(img, char_h), char_h)
    assert ink.crossed_length(False, rule.pos, rule.start, rule.end, rule.thickness) >= 4 * 2  # both sides


def _plain_table(rows: int, cols: int, row_h: int, col_w: int) -> tuple[np.ndarray, list[int], list[int]]:
    """A fully ruled ``rows`` × ``cols`` table (2 px rules) on an empty mask."""
    img = np.zeros(((rows + 2) * row_h, (cols + 2) * col_w), np.uint8)
    xs = [col_w + c * col_w for c in range(cols + 1)]
    ys = [row_h + r * row_h for r in range(rows + 1)]
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 255, 2)
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 255, 2)
    return img, xs, ys


def test_strokes_of_a_row_of_yi_are_no_row_rule() -> None:
    # 公开01表's "一、一般公共预算财政拨款收入 … 一、一般公共服务支出": the strokes of 一、一
    # at the start of two cells lie on one line across the row's middle, long enough for a
    # rule and starting on the frame; the characters after them run across that line.
    char_h = 26
    img, xs, ys = _plain_table(4, 3, 2 * char_h, 12 * char_h)
    mid = (ys[1] + ys[2]) // 2
    for x in (xs[0], xs[2]):
        start = x + char_h // 3 if x == xs[0] else x + char_h // 2
        cv2.line(img, (start, mid), (start + 4 * char_h + 2, mid), 255, 3)  # 一、一, bridged
        half = 2 * char_h // 5
        for i in range(7):  # 般公共预算…: characters a character tall, centred on the row
            left = start + 4 * char_h + 6 + i * char_h
            cv2.rectangle(img, (left, mid - half), (left + 2 * half, mid + half), 255, 2)
    tables, segments = _layout(img, char_h)
    assert any(s.horizontal and abs(s.pos - mid) <= 2 for s in segments)  # found as a segment
    table = _largest(tables)
    assert (table.n_rows, table.n_cols) == (4, 3)


def test_a_seal_ring_thicker_than_the_rules_is_no_row_rule() -> None:
    # The top of a grey seal's ring (the mask keeps it): a short thick arc across a row's
    # middle that ends on a column rule, where a stroke of a real rule would be anchored.
    char_h = 20
    img, xs, ys = _plain_table(5, 4, 3 * char_h, 7 * char_h)
    mid = (ys[3] + ys[4]) // 2
    cv2.line(img, (xs[3] - 5 * char_h, mid), (xs[3] - 1, mid), 255, 7)  # 3.5 × the rules
    table = _largest(_layout(img, char_h)[0])
    assert (table.n_rows, table.n_cols) == (5, 4)
    cv2.line(img, (xs[3] - 5 * char_h, mid), (xs[3] - 1, mid), 0, 7)
    cv2.line(img, (xs[3] - 5 * char_h, mid), (xs[3] - 1, mid), 255, 2)  # as thin as the rules: kept
    table = _largest(_layout(img, char_h)[0])
    assert table.n_rows == 6


def test_a_column_rule_broken_in_every_row_is_kept() -> None:
    # A faint rule (22-column 预算02表): left in pieces shorter than a long rule, each in one
    # row and touching no rule across; together they run along most of the table.
    char_h = 20
    img, xs, ys = _plain_table(4, 3, 4 * char_h, 8 * char_h)
    split = (xs[1] + xs[2]) // 2
    for top, bottom in itertools.pairwise(ys):  # gaps wider than the bridging
        cv2.line(img, (split, top + char_h), (split, bottom - char_h), 255, 2)
    for top in ys[:-1]:
        _box_word(img, (xs[1] + split) // 2, top + 2 * char_h, char_h, 2)
        _box_word(img, (split + xs[2]) // 2, top + 2 * char_h, char_h, 2)
    table = _largest(_layout(img, char_h)[0])
    assert (table.n_rows, table.n_cols) == (4, 4)


def test_faint_rule_left_in_two_pieces_is_a_column() -> None:
    # 预算02表 scanned faint: the rule between 财政专户管理资金 and 单位资金 (上年结转结余) is
    # left in two pieces, one in the header, one in the body, each touching one rule.
    fixture, mask = _fixture("case_037_p1")
    table = _largest(_layout(mask, int(fixture["char_h"]))[0])  # type: ignore[call-overload]
    cols = table.grid.col_lines
    widths = [b - a for a, b in itertools.pairwise(cols)]
    assert len(widths) >= 21
    # The last two columns are about as wide as their neighbours, not one double column.
    assert max(widths[-2:]) < 1.5 * min(widths[-4:-2])


class _PageWide(BoundaryTextInk):
    """The images made for the whole page from the start (as before they were made in the rules' area)."""

    def _rules_area(self) -> tuple[int, int, int, int]:
        height, width = self._mask.shape[:2]
        return (0, 0, width, height)


def test_boundary_ink_made_in_the_rules_area_answers_as_the_whole_page() -> None:
    rng = np.random.default_rng(5)
    answers = set()
    for trial in range(12):
        char_h = int(rng.integers(12, 30))
        mask, cols, rows = _plain_table(
            int(rng.integers(2, 6)), int(rng.integers(2, 5)), 2 * char_h, 5 * char_h
        )
        page = np.zeros((mask.shape[0] + 800, mask.shape[1] + 800), np.uint8)
        top, left = int(rng.integers(150, 650)), int(rng.integers(150, 650))
        page[top : top + mask.shape[0], left : left + mask.shape[1]] = mask
        for _ in range(150):  # characters, over rules too, inside and outside the table
            x, y = int(rng.integers(0, page.shape[1] - 4)), int(rng.integers(0, page.shape[0] - 4))
            page[y : y + int(rng.integers(2, char_h)), x : x + int(rng.integers(2, char_h))] = 255
        horiz, vert = rule_masks(page, char_h)
        height, width = page.shape
        questions: list[tuple[str, tuple[bool | int, ...]]] = []
        for _ in range(150):
            vertical = bool(rng.random() < 0.5)
            along, across = (height, width) if vertical else (width, height)
            pos = int(rng.integers(0, across))
            lo = int(rng.integers(0, along))
            hi = lo + int(rng.integers(0, 4 * char_h))
            before, after = (
                max(0, pos - int(rng.integers(0, 6 * char_h))),
                pos + int(rng.integers(0, 6 * char_h)),
            )
            questions.append(("separates", (vertical, pos, lo, hi, before, after)))
            questions.append(("flush_against", (vertical, pos, lo, hi, before, after)))
            questions.append(("crossed_length", (vertical, pos, lo, hi, int(rng.integers(1, 5)))))
        # Questions on grid lines first (answered from the rules' area), then anywhere.
        # Questions on grid lines first, between the slots beside them (answered from the
        # rules' area), then anywhere.
        xs, ys = [left + c for c in cols], [top + r for r in rows]
        grid_lines = [(True, i, xs, ys) for i in range(len(xs))] + [
            (False, i, ys, xs) for i in range(len(ys))
        ]
        for vertical, i, across, along in grid_lines:
            before, after = across[max(0, i - 1)], across[min(len(across) - 1, i + 1)]
            lo, hi = along[0], along[-1]
            questions.insert(0, ("separates", (vertical, across[i], lo, hi, before, after)))
            questions.insert(0, ("crossed_length", (vertical, across[i], lo, hi, 2)))
        area, whole = BoundaryTextInk(page, horiz, vert, char_h), _PageWide(page, horiz, vert, char_h)
        for k, (name, args) in enumerate(questions):
            answer = getattr(area, name)(*args)
            assert answer == getattr(whole, name)(*args), (trial, name, args)
            answers.add(bool(answer))
            if k == 2 * len(grid_lines) - 1:  # the grid's own questions kept to the rules' area
                assert area._made is not None and area._made.area != (0, 0, width, height)
        assert area._made is not None and area._made.area == (0, 0, width, height)  # then the page's
    assert answers == {True, False}


def test_boundary_questions_off_the_page_answer_no() -> None:
    """A slot that runs past the page's edge ends there: the answer is no text boundary, not
    a crash (OpenCV's labelling of an empty slice took the whole process down)."""
    img = np.zeros((400, 600), np.uint8)
    cv2.rectangle(img, (50, 50), (550, 350), 255, 2)
    cv2.putText(img, "12", (100, 150), cv2.FONT_HERSHEY_SIMPLEX, 1, 255, 2)
    ink = BoundaryTextInk(img, *rule_masks(img, 20), 20)
    off_page = [(True, 700, 0, 400, 650, 750), (True, 100, 0, 400, -30, 200), (True, 590, 0, 400, 560, 650)]
    for question in off_page:
        assert ink.separates(*question) is False
        assert ink.flush_against(*question) is False
