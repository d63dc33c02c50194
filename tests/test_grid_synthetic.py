"""Grid reconstruction on drawn tables: spans, several tables, dense rows, broken rules."""

from __future__ import annotations

import cv2
import numpy as np

from recover.layout.reconstruct import reconstruct_tables
from recover.layout.segments import find_segments
from recover.prepare.ink import ink_mask


def _draw_table(
    img: np.ndarray,
    x0: int,
    y0: int,
    col_w: list[int],
    row_h: list[int],
    merges: list[tuple[int, int, int, int]],
    thickness: int = 2,
) -> None:
    """Draw a ruled grid; ``merges`` are (r0, c0, r1, c1) cells whose inner rules are left out."""
    xs = np.cumsum([x0, *col_w])
    ys = np.cumsum([y0, *row_h])
    n_rows, n_cols = len(row_h), len(col_w)

    def merged(r: int, c: int) -> tuple[int, int, int, int] | None:
        return next((m for m in merges if m[0] <= r <= m[2] and m[1] <= c <= m[3]), None)

    for r in range(n_rows):
        for c in range(n_cols):
            m = merged(r, c)
            # Right edge of slot (r, c)
            if c == n_cols - 1 or m is None or c == m[3]:
                cv2.line(img, (int(xs[c + 1]), int(ys[r])), (int(xs[c + 1]), int(ys[r + 1])), 0, thickness)
            if r == n_rows - 1 or m is None or r == m[2]:
                cv2.line(img, (int(xs[c]), int(ys[r + 1])), (int(xs[c + 1]), int(ys[r + 1])), 0, thickness)
    cv2.line(img, (int(xs[0]), int(ys[0])), (int(xs[-1]), int(ys[0])), 0, thickness)
    cv2.line(img, (int(xs[0]), int(ys[0])), (int(xs[0]), int(ys[-1])), 0, thickness)


def _write_text(img: np.ndarray, x: int, y: int, text: str, scale: float) -> None:
    cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, scale, 0, 1, cv2.LINE_AA)


def _spans(table) -> list[tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    return sorted(
        (c.row, c.col, c.row_end, c.col_end) for c in table.cells if c.row_end > c.row or c.col_end > c.col
    )


def test_merged_header_and_body_spans() -> None:
    img = np.full((900, 1400), 255, np.uint8)
    merges = [(0, 0, 0, 2), (0, 3, 0, 5), (1, 0, 2, 0), (3, 0, 6, 0), (1, 3, 1, 5)]
    _draw_table(img, 100, 100, [120, 200, 150, 150, 150, 150], [45, 45, 45] + [40] * 12, merges)
    for r in range(12):
        _write_text(img, 360, 250 + r * 40, f"{1234 + r * 17:,}", 0.7)
    mask = ink_mask(img, 200)
    tables = reconstruct_tables(find_segments(mask, 25), 25)
    assert len(tables) == 1
    t = tables[0]
    assert (t.n_rows, t.n_cols) == (15, 6)
    assert _spans(t) == sorted(merges)


def test_two_tables_on_one_page() -> None:
    img = np.full((1400, 1200), 255, np.uint8)
    _draw_table(img, 100, 100, [200, 200, 200], [40] * 5, [])
    _draw_table(img, 100, 700, [150, 150, 150, 150], [40] * 8, [(0, 0, 0, 3)])
    tables = reconstruct_tables(find_segments(ink_mask(img, 200), 25), 25)
    assert [(t.n_rows, t.n_cols) for t in tables] == [(5, 3), (8, 4)]
    assert _spans(tables[1]) == [(0, 0, 0, 3)]


def test_dense_rows_at_150_dpi() -> None:
    # Rows 15 px high with 10 px text: the kind of table that packs 40 rows on a page.
    img = np.full((900, 900), 255, np.uint8)
    _draw_table(img, 50, 50, [80, 300, 150, 150], [15] * 40, [], thickness=1)
    for r in range(40):
        _write_text(img, 60, 62 + r * 15, str(100 + r), 0.35)
        _write_text(img, 500, 62 + r * 15, str(1000 + r), 0.35)
    tables = reconstruct_tables(find_segments(ink_mask(img, 150), 10), 10)
    assert len(tables) == 1
    assert (tables[0].n_rows, tables[0].n_cols) == (40, 4)
    assert _spans(tables[0]) == []


def test_broken_faint_rules_still_separate_cells() -> None:
    img = np.full((700, 1000), 255, np.uint8)
    _draw_table(img, 100, 100, [200, 200, 200], [50] * 8, [(0, 0, 0, 1)])
    img[img < 128] = 170  # faint print
    rng = np.random.default_rng(7)
    ys, xs = np.nonzero(img < 255)
    for i in rng.choice(len(ys), size=len(ys) // 200, replace=False):
        img[ys[i] - 4 : ys[i] + 4, xs[i] - 4 : xs[i] + 4] = 255  # toner dropouts (~10% of the rules)
    tables = reconstruct_tables(find_segments(ink_mask(img, 200), 25), 25)
    assert len(tables) == 1
    assert (tables[0].n_rows, tables[0].n_cols) == (8, 3)
    assert _spans(tables[0]) == [(0, 0, 0, 1)]


def test_dashes_and_underlines_in_text_are_not_rules() -> None:
    img = np.full((700, 1000), 255, np.uint8)
    _draw_table(img, 100, 100, [250, 250], [60] * 4, [])
    for r in range(4):
        cv2.line(img, (150, 130 + r * 60), (200, 130 + r * 60), 0, 2)  # "——" placeholder
    cv2.line(img, (120, 600), (400, 600), 0, 2)  # a signature underline below the table
    tables = reconstruct_tables(find_segments(ink_mask(img, 200), 25), 25)
    assert [(t.n_rows, t.n_cols) for t in tables] == [(4, 2)]


def test_scanner_edge_is_not_part_of_a_table() -> None:
    # A band from the image's top edge (a scanner bed, a rotation wedge) in line with the
    # table's left border.
    img = np.full((900, 1000), 255, np.uint8)
    _draw_table(img, 30, 300, [200, 200, 200], [50] * 8, [])
    cv2.line(img, (30, 0), (30, 290), 0, 6)
    tables = reconstruct_tables(find_segments(ink_mask(img, 200), 25), 25)
    assert [(t.n_rows, t.n_cols) for t in tables] == [(8, 3)]
    assert tables[0].bbox[1] >= 295  # the table does not grow up to the image's top
