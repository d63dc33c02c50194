"""The benchmark scorer counts what it claims to count."""

from __future__ import annotations

from benchmarks.score import GtCell, GtTable, score_page
from recover.model import Cell, CellStatus, Table


def _pred(texts: list[list[str]], spans: dict[tuple[int, int], tuple[int, int]] | None = None) -> Table:
    spans = spans or {}
    cells = []
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            rs, cs = spans.get((r, c), (1, 1))
            cells.append(Cell(r, c, rs, cs, 1, (0, 0, 1, 1), text, None, 1.0, CellStatus.OK))
    return Table(0, 1, (0, 0, 1, 1), len(texts), len(texts[0]), cells)


def test_exact_table_scores_full_marks() -> None:
    gt = GtTable(
        2,
        2,
        [
            GtCell(0, 0, 0, 0, "合 计"),
            GtCell(0, 1, 0, 1, "1,000"),
            GtCell(1, 0, 1, 0, "A"),
            GtCell(1, 1, 1, 1, "2.50"),
        ],
    )
    f = score_page([gt], [_pred([["合计", "1,000"], ["A", "2.50"]])]).figures()
    assert f["tables_found_pct"] == 100 and f["grid_exact_pct"] == 100
    assert f["cell_exact_pct"] == 100 and f["numeric_exact_pct"] == 100 and f["cer_pct"] == 0


def test_misread_digit_and_missing_span_are_counted() -> None:
    gt = GtTable(2, 2, [GtCell(0, 0, 0, 1, "收入"), GtCell(1, 0, 1, 0, "项目"), GtCell(1, 1, 1, 1, "1,888")])
    pred = _pred([["收入", ""], ["项目", "1,333"]])  # no span, and 8 read as 3 three times
    f = score_page([gt], [pred]).figures()
    assert f["grid_exact_pct"] == 0
    assert f["numeric_exact_pct"] == 0
    assert round(f["cell_exact_pct"], 2) == 66.67
    assert f["cer_pct"] == round(100 * 3 / 9, 2)


def test_missing_table_and_extra_table() -> None:
    gt = GtTable(1, 1, [GtCell(0, 0, 0, 0, "x")])
    f = score_page([gt], []).figures()
    assert f["tables_found"] == 0 and f["tables_expected"] == 1
    f2 = score_page([], [_pred([["y"]])]).figures()
    assert f2["tables_extra"] == 1
