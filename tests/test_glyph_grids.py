"""A heavy title's strokes are not a table; a ruled table with text is."""

from __future__ import annotations

import itertools

import cv2
import numpy as np
from conftest import EVAL, need_eval

from recover.layout.glyph_grids import RULE_ASPECT, glyphs_in, is_glyph_grid
from recover.layout.reconstruct import TableGrid
from recover.model import Grid


def _grid(rows: list[int], cols: list[int]) -> TableGrid:
    return TableGrid((cols[0], rows[0], cols[-1], rows[-1]), Grid(rows, cols), [])


def _ruled(mask: np.ndarray, rows: list[int], cols: list[int]) -> None:
    for y in rows:
        mask[y : y + 2, cols[0] : cols[-1] + 2] = 255
    for x in cols:
        mask[rows[0] : rows[-1] + 2, x : x + 2] = 255


def test_a_ruled_table_with_text_in_its_cells_is_kept() -> None:
    mask = np.zeros((400, 600), np.uint8)
    rows, cols = [50, 100, 150, 200, 250], [50, 200, 350, 500]
    _ruled(mask, rows, cols)
    for top in rows[:-1]:
        for left in cols[:-1]:
            for k in range(4):  # four 20-px characters per cell, inside it
                x = left + 20 + 30 * k
                mask[top + 15 : top + 35, x : x + 18] = 255
    assert not is_glyph_grid(mask, _grid(rows, cols))


def test_lines_through_large_characters_are_not_a_table() -> None:
    mask = np.zeros((400, 600), np.uint8)
    for k in range(4):  # four 90-px characters side by side, as in a cover's title
        x = 60 + 110 * k
        mask[100:190, x : x + 90] = 255
    # Strokes of those characters line up into "rules" 20 px apart: rows shorter than the text.
    rows, cols = [110, 130, 150, 170], [70, 180, 290, 400]
    assert is_glyph_grid(mask, _grid(rows, cols))


def test_an_empty_ruled_table_is_kept() -> None:
    mask = np.zeros((400, 600), np.uint8)
    rows, cols = [50, 80, 110, 140], [50, 200, 350, 500]
    _ruled(mask, rows, cols)
    assert not is_glyph_grid(mask, _grid(rows, cols))


def test_a_filing_cover_in_a_heavy_font_yields_no_table(reader, tmp_path) -> None:  # type: ignore[no-untyped-def]
    need_eval()
    from recover.pipeline import ExtractOptions, iter_document

    pdf = EVAL / "cn_budget" / "pdf" / "24年普陀区财政局（测试问题版本）.pdf"
    pages = {p.number: p for p, _, _ in iter_document(pdf, reader, ExtractOptions(pages={1, 8}))}
    assert pages[1].tables == [] and pages[1].notes
    assert all("strokes of large characters" in n for n in pages[1].notes)
    assert len(pages[8].tables) == 1 and not pages[8].notes  # 收入决算表: kept whole


def _reference(mask: np.ndarray, grid: TableGrid) -> tuple[bool, list[tuple[int, int, int, int]]]:
    """The glyph test blob by blob, as it was before it worked on arrays."""
    x0, y0, x1, y1 = grid.bbox
    rows = grid.grid.row_lines
    pad = min(y1 - y0, 3 * max(b - a for a, b in itertools.pairwise(rows)))
    cx0, cy0 = max(0, x0 - pad), max(0, y0 - pad)
    crop = mask[cy0 : min(mask.shape[0], y1 + pad), cx0 : min(mask.shape[1], x1 + pad)]
    count, _, stats, _ = cv2.connectedComponentsWithStats((crop > 0).astype(np.uint8), connectivity=8)
    tol_x, tol_y = max(3.0, 0.05 * (x1 - x0)), max(3.0, 0.05 * (y1 - y0))
    glyphs = []
    for x, y, w, h, _area in stats[1:count]:
        if w < 2 or h < 2 or max(w, h) > RULE_ASPECT * min(w, h):
            continue
        gx, gy = int(cx0 + x), int(cy0 + y)
        if (
            abs(gx - x0) <= tol_x
            and abs(gx + w - x1) <= tol_x
            and abs(gy - y0) <= tol_y
            and abs(gy + h - y1) <= tol_y
        ):
            continue
        if x0 <= gx + w / 2 <= x1 and y0 <= gy + h / 2 <= y1:
            glyphs.append((gx, gy, int(w), int(h)))
    if not glyphs or grid.n_rows < 1:
        return False, glyphs
    text_h = float(np.median([g[3] for g in glyphs]))
    if float(np.median(np.diff(np.asarray(rows, dtype=np.float64)))) >= 0.8 * text_h:
        return False, glyphs
    cols = grid.grid.col_lines
    cut = sum(
        any(y + 0.15 * h < r < y + 0.85 * h for r in rows[1:-1])
        or any(x + 0.15 * w < c < x + 0.85 * w for c in cols[1:-1])
        for x, y, w, h in glyphs
    )
    return cut >= 0.5 * len(glyphs), glyphs


def test_the_glyph_test_on_arrays_answers_as_blob_by_blob() -> None:
    rng = np.random.default_rng(3)
    answers = set()
    for _ in range(80):
        mask = np.zeros((300, 400), np.uint8)
        for _ in range(int(rng.integers(0, 40))):  # blobs of every size, some elongated, some at the edges
            x, y = int(rng.integers(-10, 400)), int(rng.integers(-10, 300))
            mask[max(0, y) : y + int(rng.integers(1, 60)), max(0, x) : x + int(rng.integers(1, 60))] = 255
        step = int(rng.integers(4, 50))
        top, left = int(rng.integers(0, 200)), int(rng.integers(0, 250))
        rows = [top + step * k for k in range(int(rng.integers(2, 8)))]
        cols = sorted({left + int(c) for c in rng.integers(0, 150, int(rng.integers(2, 6)))} | {left})
        if len(cols) < 2:
            cols.append(left + 100)
        if rng.random() < 0.3:
            _ruled(mask, [min(r, 297) for r in rows], [min(c, 397) for c in cols])
        grid = _grid(rows, cols)
        found, glyphs = _reference(mask, grid)
        assert is_glyph_grid(mask, grid) is found
        assert sorted((g.x, g.y, g.w, g.h) for g in glyphs_in(mask, grid)) == sorted(glyphs)
        answers.add(found)
    assert answers == {True, False}
