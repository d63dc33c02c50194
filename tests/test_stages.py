"""The stage contracts: geometry on the page, the numeric view kept by labelling, checks once
over joined tables, kept lossless pages, typed flags, and the engine's digits capability."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from table_builder import make_table

from recover.check.stage import check_stage
from recover.errors import OutputError
from recover.label.stage import label_document
from recover.model import (
    SCHEMA_VERSION,
    Document,
    FlagKind,
    Page,
    PageGeometry,
    RuleSource,
    Table,
    Verdict,
)
from recover.prepare.kept_pages import KeptPages
from recover.read.ocr.engine import LineReading, UnsupportedCapabilityError, no_digits_reading
from recover.read.reread import digits_reader, kept_page_rereader


class _WordsOnly:
    """An engine that cannot restrict its output to digits, and says so."""

    name = "words-only"
    digits_only = False

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        return [LineReading("字", 0.9) for _ in crops]

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        raise no_digits_reading(self.name)


def _document(*tables: Table) -> Document:
    pages = [Page(number=n, width=1000, height=1000, dpi=200, tables=[t]) for n, t in enumerate(tables, 1)]
    for page in pages:
        for table in page.tables:
            table.page = page.number
            for cell in table.cells:
                cell.page = page.number
    return Document(source="t.pdf", sha256="0" * 64, pages=pages)


def test_an_engine_without_digits_reading_refuses_it_and_the_checks_go_without() -> None:
    engine = _WordsOnly()
    assert digits_reader(engine) is None
    with pytest.raises(UnsupportedCapabilityError):
        engine.recognize_digits([np.zeros((8, 8), np.uint8)])
    assert kept_page_rereader(Document("x", "0"), KeptPages(Path("/nonexistent")), engine) is None


def test_geometry_derives_every_length_and_round_trips() -> None:
    geometry = PageGeometry(char_height=24, rule_width=3, dpi=200, scale=1.0)
    assert geometry.rule_clearance == 2 and geometry.cell_margin == 3 + 2 and geometry.crop_pad == 6
    assert PageGeometry(char_height=6).snap == 3  # never below its floor on tiny text
    page = Page(number=1, width=10, height=10, dpi=200, geometry=geometry)
    assert Page.from_dict(page.to_dict()).geometry == geometry
    assert Document("x", "0", [page]).to_dict()["schema_version"] == SCHEMA_VERSION == 3


def test_labelling_records_the_numeric_view_once_and_it_survives_result_json() -> None:
    table = make_table(
        [
            ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["201", "一般公共服务支出", "30.00", "10.00", "20.00"],
            ["20101", "人大事务", "30.00", "10.00", "20.00"],
        ]
    )
    doc = label_document(_document(table))
    view = doc.tables[0].view
    assert view.body_rows == [1, 2] and view.numeric_cols == [2, 3, 4] and view.code_cols == [0]
    assert view.row_codes == {1: "201", 2: "20101"}
    again = Document.from_dict(doc.to_dict()).tables[0].view
    assert again == view


def test_checks_run_once_after_labelling_with_typed_rules_and_flags() -> None:
    table = make_table(
        [
            ["项目", "合计", "基本支出", "项目支出"],
            ["甲", "30.00", "10.00", "20.00"],
            ["乙", "50.00", "20.00", "30.00"],
            ["丙", "71.00", "30.00", "40.00"],  # clearly printed and off by 1.00
        ]
    )
    # The digits-only re-read reads the same digits: the break is the filing's own.
    doc = check_stage(label_document(_document(table)), reread=lambda cell: cell.text)
    checks = doc.tables[0].checks
    assert checks is not None
    by_row = {r.rule.target[0]: r for r in checks.rules if r.rule.source is RuleSource.HEADER}
    assert by_row[1].verdict is Verdict.HOLDS and by_row[3].verdict is Verdict.SOURCE_INCONSISTENCY
    assert str(by_row[3].off_by) == "1.00"
    cell = doc.tables[0].cell_at(3, 1)
    assert cell is not None and [f.kind for f in cell.flags] == [FlagKind.SOURCE_INCONSISTENCY]
    assert Document.from_dict(doc.to_dict()).tables[0].checks == checks


def test_kept_pages_are_lossless_and_loaded_back(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    gray = rng.integers(0, 256, (60, 80), dtype=np.uint8)
    mask = (gray > 128).astype(np.uint8) * 255
    KeptPages(tmp_path).save(3, gray, mask)
    loaded = KeptPages(tmp_path).load(3)
    assert loaded is not None
    assert np.array_equal(loaded[0], gray) and np.array_equal(loaded[1], mask)
    assert KeptPages(tmp_path).load(4) is None


def test_kept_ink_mask_is_a_one_bit_png_and_a_grey_mask_is_refused(tmp_path: Path) -> None:
    mask = np.zeros((40, 50), np.uint8)
    mask[10:20, 5:45] = 255
    kept = KeptPages(tmp_path)
    kept.save(1, np.full((40, 50), 200, np.uint8), mask)
    assert kept.ink_path(1).read_bytes()[24] == 1  # IHDR bit depth: the mask costs one bit a pixel
    with pytest.raises(OutputError, match="other than 0 and 255"):
        kept.save(2, np.full((40, 50), 200, np.uint8), mask // 2)
