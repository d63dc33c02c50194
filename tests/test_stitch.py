"""Stitching tables over page breaks: a 3-page 补助经费安排表 transcribed from seed 001.

Its header is repeated on every page; the 常德市 cell is merged down rows on both sides
of the first break (empty above it, named below), and the 湘西土家族苗族自治州 name is cut
by the second break ("湘西土" | "家族苗族自治州").
"""

from __future__ import annotations

from recover.assemble.stitch import assemble_document
from recover.label.stage import label_document
from recover.model import Cell, CellStatus, Document, FlagKind, Grid, Page, Table, TableMeta
from recover.read.amounts import clean_text, parse_amount

HEADER = ["市州", "县市区", "金额", "备注"]
COL_X = [100, 260, 520, 680, 900]
ROW_H = 70
# (text, rows spanned) per slot; None: covered by a merged cell above.
Slot = tuple[str, int] | None
PAGE_1: list[list[Slot]] = [
    [("全省合计", 1), ("", 1), ("2715.00", 1), ("来源：财社2023-30号", 1)],
    [("长沙市", 3), ("长沙市小计", 1), ("270.00", 1), ("", 1)],
    [None, ("市本级及所辖区小计", 1), ("250.00", 1), ("", 1)],
    [None, ("长沙市本级", 1), ("170.00", 1), ("", 1)],
    [("岳阳市", 5), ("岳阳市小计", 1), ("245.00", 1), ("", 1)],
    [None, ("市本级及所辖区小计", 1), ("165.00", 1), ("", 1)],
    [None, ("岳阳市本级", 1), ("165.00", 1), ("", 1)],
    [None, ("汨罗市", 1), ("20.00", 1), ("", 1)],
    [None, ("平江县", 1), ("20.00", 1), ("", 1)],
    [("", 1), ("常德市小计", 1), ("155.00", 1), ("", 1)],
]
PAGE_2: list[list[Slot]] = [
    [("常德市", 5), ("市本级及所辖区小计", 1), ("15.00", 1), ("", 1)],
    [None, ("常德市本级", 1), ("15.00", 1), ("", 1)],
    [None, ("澧县", 1), ("100.00", 1), ("", 1)],
    [None, ("桃源县", 1), ("20.00", 1), ("", 1)],
    [None, ("石门县", 1), ("20.00", 1), ("", 1)],
    [("张家界市", 2), ("张家界市小计", 1), ("130.00", 1), ("", 1)],
    [None, ("桑植县", 1), ("100.00", 1), ("", 1)],
    [("湘西土", 3), ("湘西土家族苗族自治州小计", 1), ("240.00", 1), ("", 1)],
    [None, ("湘西土家族苗族自治州本级", 1), ("40.00", 1), ("", 1)],
    [None, ("吉首市", 1), ("20.00", 1), ("", 1)],
]
PAGE_3: list[list[Slot]] = [
    [("家族苗族自治州", 5), ("凤凰县", 1), ("20.00", 1), ("", 1)],
    [None, ("花垣县", 1), ("100.00", 1), ("", 1)],
    [None, ("保靖县", 1), ("20.00", 1), ("", 1)],
    [None, ("永顺县", 1), ("20.00", 1), ("", 1)],
    [None, ("龙山县", 1), ("20.00", 1), ("", 1)],
]


def _table(page: int, top: int, body: list[list[Slot]], title: str = "") -> Table:
    rows: list[list[Slot]] = [[(h, 1) for h in HEADER], *body]
    row_y = [top + ROW_H * r for r in range(len(rows) + 1)]
    cells = []
    for r, row in enumerate(rows):
        for c, slot in enumerate(row):
            if slot is None:
                continue
            text, span = slot
            cells.append(
                Cell(
                    row=r, col=c, row_span=span, col_span=1, page=page,
                    bbox=(COL_X[c], row_y[r], COL_X[c + 1], row_y[r + span]),
                    text=clean_text(text), value=parse_amount(clean_text(text)), confidence=0.99,
                    status=CellStatus.OK if text else CellStatus.EMPTY,
                )
            )  # fmt: skip
    bbox = (COL_X[0], row_y[0], COL_X[-1], row_y[-1])
    meta = TableMeta(title=title)
    return Table(0, page, bbox, len(rows), len(HEADER), cells, Grid(row_y, COL_X), meta)


def _document() -> Document:
    parts = [
        _table(1, 200, PAGE_1, "2023年中央财政医疗服务与保障能力提升补助经费安排表"),
        _table(2, 60, PAGE_2),
        _table(3, 60, PAGE_3),
    ]
    pages = [Page(n, 1000, 1000, 200, tables=[t]) for n, t in enumerate(parts, start=1)]
    return Document(source="seed-001.pdf", sha256="0" * 64, pages=pages)


def test_three_page_table_becomes_one_without_repeated_headers() -> None:
    doc = assemble_document(label_document(_document()))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    rows = table.rows_as_text()
    assert len(rows) == 1 + len(PAGE_1) + len(PAGE_2) + len(PAGE_3)
    assert sum(r[0] == "市州" for r in rows) == 1  # the header once, at the top
    assert table.meta.parts == ["page 1 table 1", "page 2 table 1", "page 3 table 1"]
    amounts = [c for c in table.cells if c.value is not None]
    assert {c.page for c in amounts} == {1, 2, 3}
    assert [c.text for c in amounts if c.page == 3] == ["20.00", "100.00", "20.00", "20.00", "20.00"]


def test_merged_cells_cut_by_a_break_are_joined() -> None:
    table = assemble_document(label_document(_document())).tables[0]
    changde = [c for c in table.cells if c.col == 0 and "常德" in c.text]
    assert len(changde) == 1
    # One cell from page 1's last row (常德市小计) down over page 2's five 常德 rows.
    assert changde[0].row_span == 6 and changde[0].page == 1
    assert table.cell_at(changde[0].row, 1).text == "常德市小计"  # type: ignore[union-attr]
    xiangxi = [c for c in table.cells if c.col == 0 and c.text.startswith("湘西")]
    assert [c.text for c in xiangxi] == ["湘西土家族苗族自治州"]
    assert xiangxi[0].row_span == 3 + 5


def test_a_repeated_header_with_scan_specks_still_repeats() -> None:
    doc = _document()
    for cell in doc.pages[1].tables[0].cells + doc.pages[2].tables[0].cells:
        if cell.row == 0 and cell.col in (0, 1):
            cell.text += {0: "■", 1: "_"}[cell.col]  # "市州■", "县市区_": specks beside the words
    doc = assemble_document(label_document(doc))
    assert len(doc.tables) == 1
    assert sum(r[0].startswith("市州") for r in doc.tables[0].rows_as_text()) == 1


def test_a_new_table_with_its_own_header_is_not_stitched() -> None:
    doc = _document()
    other = doc.pages[1].tables[0]
    for cell in other.cells:
        if cell.row == 0:
            cell.text = {0: "项目", 1: "合计", 2: "基本支出", 3: "项目支出"}[cell.col]
    doc = assemble_document(label_document(doc))
    # Page 2 names columns of its own: a new table. Page 3 repeats page 1's header, which is
    # not the header of the table it would continue (page 2's): three tables.
    assert len(doc.tables) == 3
    assert all(not t.meta.parts for t in doc.tables)


def test_a_broken_total_on_a_headerless_continuation_page_is_flagged(reader, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # 财政局 决算 pp. 12-13 scanned; on p. 13 (no header: its rule is printed on p. 12) one
    # amount is re-printed with a digit changed. Only the stitched table can see it.
    import numpy as np
    from conftest import need_eval

    from benchmarks.check_score import plant_inconsistency
    from benchmarks.degrade import degrade, save_image_pdf
    from benchmarks.run import _render, _seed, cnbudget_cases
    from recover.extract import extract_file
    from recover.pipeline import ExtractOptions

    need_eval()
    cases = {(p.name, n): (p, raw) for p, n, _, raw in cnbudget_cases(1)}
    pdf, raw13 = cases[("上海市普陀区财政局2024年度部门决算.pdf", 13)]
    rng = np.random.default_rng(_seed("plant", pdf.name, 13))
    planted = plant_inconsistency(_render(pdf, 13, 200), raw13[0], 200, rng)
    assert planted is not None
    rgb13, _, text = planted
    pages = [
        degrade(_render(pdf, 12, 200), 200, "medium", _seed(pdf.name, 12, 200, "medium")).rgb,
        degrade(rgb13, 200, "medium", _seed(pdf.name, 13, 200, "medium")).rgb,
    ]
    scan = tmp_path / "two-pages.pdf"
    save_image_pdf(pages, 200, str(scan), quality=95)
    doc, _ = extract_file(scan, tmp_path / "out", reader, ExtractOptions(dpi=200))
    assert len(doc.tables) == 1 and len(doc.tables[0].meta.parts) == 2
    cell = next(c for c in doc.tables[0].cells if c.page == 2 and c.text == text)
    # The rule only the joined table shows is checked with the rest of it; read clearly, the
    # page is at fault.

    assert cell.status is CellStatus.FLAGGED
    assert any(f.kind is FlagKind.SOURCE_INCONSISTENCY for f in cell.flags)


def test_a_repeated_header_over_a_body_row_without_amounts_still_repeats() -> None:
    # A continuation page often starts with rows whose amounts are blank (a 收支总表's
    # 国有资本经营预算补助 | 十八、粮油物资储备支出 …): the labeller counts such a row as a
    # header row, so the page's header is one row longer than the continued table's. Its
    # top row still repeats that header; the row below is a body row of the joined table.
    doc = _document()
    blank = doc.pages[1].tables[0].cell_at(1, 2)
    assert blank is not None
    blank.text, blank.value, blank.status = "", None, CellStatus.EMPTY
    doc = label_document(doc)
    assert doc.pages[1].tables[0].header_rows == 2
    doc = assemble_document(doc)
    assert len(doc.tables) == 1
    rows = doc.tables[0].rows_as_text()
    assert len(rows) == 1 + len(PAGE_1) + len(PAGE_2) + len(PAGE_3)
    assert sum(r[0] == "市州" for r in rows) == 1
    assert rows[1 + len(PAGE_1)][1] == "市本级及所辖区小计"


def _titled_continuation(title: str) -> Document:
    doc = _document()
    doc.pages[0].tables[0].meta.form_label = "预算01表"
    doc.pages[1].tables[0].meta.title = title
    return assemble_document(label_document(doc))


def test_a_title_marked_continued_of_the_same_form_continues() -> None:
    # "预算01表(续)" over the second page of the 预算01表: the title says it continues.
    own = "2023年中央财政医疗服务与保障能力提升补助经费安排表（续）"
    for title in ("预算01表(续)", "预算01表（续表）", "（续）", own):
        doc = _titled_continuation(title)
        assert len(doc.tables) == 1, title
        assert doc.tables[0].meta.parts == ["page 1 table 1", "page 2 table 1", "page 3 table 1"]


def test_a_title_marked_continued_of_another_form_is_a_table_of_its_own() -> None:
    doc = _titled_continuation("预算05表(续)")
    assert len(doc.tables) == 2  # page 2 begins another form; page 3 continues it
    assert doc.tables[1].meta.parts == ["page 2 table 1", "page 3 table 1"]
