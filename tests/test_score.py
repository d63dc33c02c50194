"""The benchmark scorer counts what it claims to count."""

from __future__ import annotations

import copy

from table_builder import make_table

from benchmarks.headers import stitched_pairs
from benchmarks.score import GtCell, GtTable, score_page
from recover.assemble.stitch import stitch
from recover.model import Cell, CellStatus, Document, Page, Table


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


def _stitched_doc(join: bool) -> tuple[Document, dict[int, list[Table]]]:
    """Page 1 holds a table whose rows run on into page 2 (no header there); when ``join``
    the assemble stage's ``stitch`` has joined page 2's part into page 1's table."""
    first = make_table([["项目", "金额"], ["一般公共服务支出", "100.00"], ["教育支出", "50.00"]])
    rest = make_table([["科学技术支出", "30.00"], ["卫生健康支出", "20.00"]])
    other = make_table([["单位名称", "人数"], ["办公室", "5"]])
    first.page, rest.page, other.page = 1, 2, 2
    gt_pages = {1: [copy.deepcopy(first)], 2: [copy.deepcopy(rest), copy.deepcopy(other)]}
    pages = [Page(1, 1000, 1400, 200, tables=[first]), Page(2, 1000, 1400, 200, tables=[rest, other])]
    if join:
        stitch(first, rest, 0)
        pages[1].tables.remove(rest)
    return Document("x.pdf", "", pages), gt_pages


def test_stitched_table_is_scored_once_against_its_first_page() -> None:
    doc, gt_pages = _stitched_doc(join=True)
    pairs = stitched_pairs(doc, gt_pages, continued={2})
    assert [(page, gt.cells[0].text, pred is not None) for page, gt, pred in pairs] == [
        (1, "项目", True),
        (2, "单位名称", True),
    ]
    assert pairs[0][2] is doc.pages[0].tables[0] and pairs[0][2].n_rows == 5


def test_joined_page_that_does_not_continue_stays_a_miss() -> None:
    doc, gt_pages = _stitched_doc(join=True)
    pairs = stitched_pairs(doc, gt_pages, continued=set())
    assert [(page, gt.cells[0].text, pred is not None) for page, gt, pred in pairs] == [
        (1, "项目", True),
        (2, "科学技术支出", False),
        (2, "单位名称", True),
    ]


def test_continued_page_left_apart_is_scored_on_its_own() -> None:
    doc, gt_pages = _stitched_doc(join=False)
    pairs = stitched_pairs(doc, gt_pages, continued={2})
    assert [(page, pred is not None) for page, _, pred in pairs] == [(1, True), (2, True), (2, True)]
    assert pairs[1][2] is doc.pages[1].tables[0]
