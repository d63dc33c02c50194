"""Outputs: CSV layout and safety, atomic writes, resumable page checkpoints, JSON round trip."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from recover.atomic_write import write_atomic
from recover.export.csv_text import csv_safe
from recover.export.outputs import load_page_checkpoints, table_csv, write_page_checkpoint
from recover.model import Cell, CellStatus, Document, Grid, Page, PageStatus, Provenance, Table, TableMeta


def _table() -> Table:
    cells = [
        Cell(0, 0, 1, 2, 1, (0, 0, 200, 40), "收入预算", status=CellStatus.OK),
        Cell(1, 0, 1, 1, 1, (0, 40, 100, 80), "=SUM(A1)", status=CellStatus.OK),
        Cell(
            1,
            1,
            1,
            1,
            1,
            (100, 40, 200, 80),
            "-1,234.50",
            Decimal("-1234.50"),
            0.97,
            CellStatus.OK,
            Provenance("rapidocr", raw_text="-1,234.50", line_scores=[0.97]),
        ),
    ]
    return Table(
        0, 1, (0, 0, 200, 80), 2, 2, cells, Grid([0, 40, 80], [0, 100, 200]), TableMeta(title="t", unit="元")
    )


def test_csv_has_bom_merged_text_top_left_and_no_formulas() -> None:
    data = table_csv(_table())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = data.decode("utf-8-sig").splitlines()
    assert rows[0] == "收入预算,"
    assert rows[1] == '\'=SUM(A1),"-1,234.50"'  # formula neutralised, negative amount kept


def test_csv_safe_only_touches_text() -> None:
    assert csv_safe("-12", is_number=True) == "-12"
    assert csv_safe("@cmd", is_number=False) == "'@cmd"
    assert csv_safe("合计", is_number=False) == "合计"


def test_document_round_trips_through_json() -> None:
    doc = Document("a.pdf", "ff" * 32, [Page(1, 100, 80, 200, tables=[_table()])], engine="rapidocr")
    again = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert again.to_dict() == doc.to_dict()
    cell = again.pages[0].tables[0].cells[2]
    assert cell.value == Decimal("-1234.50") and isinstance(cell.value, Decimal)
    assert again.pages[0].tables[0].cell_at(0, 1) is again.pages[0].tables[0].cells[0]


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "result.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["result.json"]


def test_checkpoints_resume_only_for_the_same_file(tmp_path: Path) -> None:
    page = Page(2, 100, 80, 200, tables=[_table()])
    write_page_checkpoint(tmp_path, "aa", page)
    write_page_checkpoint(tmp_path, "aa", Page(3, 100, 80, 200, status=PageStatus.FAILED))
    assert list(load_page_checkpoints(tmp_path, "aa")) == [2]  # failed pages are redone
    assert load_page_checkpoints(tmp_path, "bb") == {}  # another file's checkpoints are ignored
    (tmp_path / "pages" / "0002.json").write_text("{broken", encoding="utf-8")
    assert load_page_checkpoints(tmp_path, "aa") == {}
