"""A heavy title's strokes are not a table; a ruled table with text is."""

from __future__ import annotations

import numpy as np
from conftest import EVAL, need_eval

from recover.layout.glyph_grids import is_glyph_grid
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
