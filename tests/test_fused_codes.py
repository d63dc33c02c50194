"""A 项 code and its name read as one cell (``01行政运行``): split where the name column is
free, flagged where it is not — never exported ``ok`` as one value."""

from __future__ import annotations

from table_builder import make_table

from recover.check.stage import check_stage
from recover.label.fused_codes import SPLIT
from recover.label.stage import label_document
from recover.model import Cell, CellStatus, Document, FlagKind, Page, Table

ROWS = [
    ["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
    ["类", "款", "项", "", "", "", ""],
    ["201", "", "", "一般公共服务支出", "310.00", "300.00", "10.00"],
    ["201", "06", "", "财政事务", "310.00", "300.00", "10.00"],
    ["201", "06", "01", "行政运行", "300.00", "300.00", ""],
    ["201", "06", "02", "一般行政管理事务", "10.00", "", "10.00"],
]


def _header(table: Table) -> Table:
    """科目编码 over 类 | 款 | 项; the other headers over both header rows."""
    merged = {(0, 0): (1, 3), **{(0, c): (2, 1) for c in range(3, 7)}}
    covered = {(0, 1), (0, 2), *((1, c) for c in range(3, 7))}
    table.cells = [c for c in table.cells if (c.row, c.col) not in covered]
    for cell in table.cells:
        if (cell.row, cell.col) in merged:
            cell.row_span, cell.col_span = merged[(cell.row, cell.col)]
    return table


def _checked(table: Table) -> Table:
    document = Document("/in/codes.pdf", "ef" * 32, [Page(1, 800, 600, 200, tables=[table])], engine="test")
    check_stage(label_document(document), None)
    return table


def _cell(table: Table, row: int, col: int) -> Cell:
    cell = table.cell_at(row, col)
    assert cell is not None
    return cell


def _fused(row: int, name_text: str | None) -> Table:
    """ROWS with row ``row``'s 项 cell reading ``01行政运行``: spanning the name column when
    ``name_text`` is None (the rule between them lost), else beside a name cell reading it."""
    table = _header(make_table(ROWS))
    code = _cell(table, row, 2)
    code.text = code.provenance.raw_text = "01行政运行"  # type: ignore[union-attr]
    code.value = None
    name = _cell(table, row, 3)
    if name_text is None:
        table.cells.remove(name)
        code.col_span = 2
        code.bbox = (code.bbox[0], code.bbox[1], name.bbox[2], code.bbox[3])
    else:
        name.text = name_text
        name.status = CellStatus.OK if name_text else CellStatus.EMPTY
    return table


def test_a_code_spanning_its_name_column_is_split_at_the_column_line() -> None:
    table = _checked(_fused(4, None))
    code, name = _cell(table, 4, 2), _cell(table, 4, 3)
    assert (code.col_span, code.text, code.status) == (1, "01", CellStatus.OK)
    assert (name.col, name.text, name.status) == (3, "行政运行", CellStatus.OK)
    assert code.bbox[2] == name.bbox[0] == 300
    assert code.provenance is not None and code.provenance.reread == SPLIT
    assert table.view.row_codes[4] == "2010601"
    assert not table.flags
    assert _cell(table, 4, 4).status is CellStatus.PROVEN


def test_a_code_beside_a_blank_name_cell_gives_it_the_name() -> None:
    table = _checked(_fused(4, ""))
    assert (_cell(table, 4, 2).text, _cell(table, 4, 3).text) == ("01", "行政运行")
    assert table.view.row_codes[4] == "2010601"
    assert not table.flags


def test_a_code_and_name_beside_a_name_of_its_own_is_flagged() -> None:
    table = _checked(_fused(4, "行政运行"))
    code = _cell(table, 4, 2)
    assert code.status is CellStatus.FLAGGED
    assert [f.kind for f in code.flags] == [FlagKind.TWO_VALUES]
    assert [f.kind for f in table.flags] == [FlagKind.TWO_VALUES]
