"""Tables without vertical rules, found from the alignment of their text (pure steps)."""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from recover.layout.aligned import aligned_tables
from recover.layout.segments import rule_masks, segments_from_rule_masks
from recover.prepare.orientation import prepare_page

COLS_X = [60, 420, 640, 860]
ROWS = [
    ["Variable", "Ratio", "95% CI", "p value"],
    ["Age", "1.000", "0.31-2.27", "0.716"],
    ["Gender", "0.426", "0.15-1.19", "0.142"],
    ["Surgery", "3.140", "0.92-10.7", "0.010"],
    ["Location", "1.267", "0.38-4.21", "0.710"],
]


def _page(rules: bool, rows: list[list[str]] = ROWS) -> np.ndarray:
    img = np.full((700, 1100, 3), 255, np.uint8)
    for r, row in enumerate(rows):
        y = 150 + 70 * r
        for x, text in zip(COLS_X, row, strict=False):
            cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2, cv2.LINE_AA)
    if rules:
        for y in (100, 175, 150 + 70 * (len(rows) - 1) + 30):
            cv2.line(img, (40, y), (1060, y), (0, 0, 0), 2)
    return img


def _tables(img: np.ndarray):  # type: ignore[no-untyped-def]
    prepared = prepare_page(img, 200, None)
    horiz, vert = rule_masks(prepared.mask, prepared.char_h)
    segments = segments_from_rule_masks(horiz, vert, prepared.char_h)
    return aligned_tables(prepared.mask, segments, prepared.char_h)


def test_horizontal_rules_only_table_gets_its_columns_from_the_text() -> None:
    found = _tables(_page(rules=True))
    assert len(found) == 1
    grid, layout = found[0]
    assert layout == "partially ruled"
    assert (grid.n_rows, grid.n_cols) == (5, 4)
    # Every column line lies in the gutter between the printed columns.
    for line, (left, right) in zip(grid.grid.col_lines[1:-1], itertools.pairwise(COLS_X), strict=True):
        assert left + 100 < line < right


def test_borderless_table_is_found_and_marked_as_such() -> None:
    found = _tables(_page(rules=False))
    assert len(found) == 1 and found[0][1] == "borderless"
    assert (found[0][0].n_rows, found[0][0].n_cols) == (5, 4)


def test_a_paragraph_is_not_a_table() -> None:
    lines = [["The committee reviewed the budget of the district and found"]] * 5
    assert _tables(_page(rules=False, rows=lines)) == []


def test_borderless_cells_go_to_review_with_lower_confidence(reader, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from recover.model import CellStatus
    from recover.pipeline import ExtractOptions, iter_document

    path = tmp_path / "borderless.png"
    cv2.imwrite(str(path), _page(rules=False))
    page = next(iter_document(path, reader, ExtractOptions(dpi=200)))[0]
    assert [t.layout for t in page.tables] == ["borderless"]
    filled = [c for c in page.tables[0].cells if c.text]
    assert len(filled) == 20
    assert all(c.confidence <= 0.8 and c.status is not CellStatus.OK for c in filled)
    assert page.tables[0].cell_at(3, 1).text == "3.140"  # type: ignore[union-attr]
