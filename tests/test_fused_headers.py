"""A header cell naming two columns its row prints apart (预算数决算数): a column line lost."""

from __future__ import annotations

from table_builder import make_table

from recover.check.stage import check_stage
from recover.label.stage import label_document
from recover.model import CellStatus, Document, FlagKind, Page, Table

HEADER = ["预算数", "决算数", "预算数", "决算数", "预算数", "决算数"]
BODY = ["0.95", "0.90", "", "", "0.95", "0.90"]


def _checked(header: list[str], body: list[str]) -> Table:
    table = make_table([header, body])
    table.header_rows = 1
    document = Document("/in/three.pdf", "12" * 32, [Page(1, 800, 600, 200, tables=[table])], engine="test")
    check_stage(label_document(document), None)
    return table


def test_a_header_cell_naming_two_repeated_columns_doubts_the_table() -> None:
    # The rule between the middle pair was lost: its two headers read as one cell.
    header = ["预算数", "决算数", "预算数决算数", "预算数", "决算数"]
    table = _checked(header, ["0.95", "0.90", "", "0.95", "0.90"])
    assert [f.kind for f in table.flags] == [FlagKind.TWO_VALUES]
    assert table.flags[0].at == (0, 2)
    amounts = [c for c in table.cells if c.row == 1 and c.value is not None]
    assert amounts and all(c.status is CellStatus.FLAGGED for c in amounts)


def test_a_header_of_repeated_pairs_printed_apart_is_left_alone() -> None:
    table = _checked(HEADER, BODY)
    assert not table.flags
    assert {c.status for c in table.cells if c.row == 1 and c.value is not None} == {CellStatus.UNPROVEN}


def test_a_name_that_reads_as_two_others_once_is_no_fused_header() -> None:
    # 项目支出 = 项目 + 支出, but the row does not repeat those as columns of their own.
    table = _checked(["项目", "支出", "项目支出", "合计"], ["一般公共服务", "", "10.00", "10.00"])
    assert not table.flags
