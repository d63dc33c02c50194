"""Amount normalisation keeps the printed form and parses exact Decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recover.model import Cell, CellStatus
from recover.read.amounts import clean_text, parse_amount, regrouped
from recover.read.join_lines import join_lines
from recover.read.page_text import REGROUPED_CONFIDENCE, fill_from_ocr


@pytest.mark.parametrize(
    ("raw", "text", "value"),
    [
        ("3,644.13", "3,644.13", Decimal("3644.13")),
        ("768. 04", "768.04", Decimal("768.04")),
        ("３，６４４．１３", "3,644.13", Decimal("3644.13")),
        ("1, 633, 000", "1,633,000", Decimal("1633000")),
        ("0", "0", Decimal("0")),
        ("-12.50", "-12.50", Decimal("-12.50")),
        ("0.01", "0.01", Decimal("0.01")),
        ("12.5%", "12.5%", None),
        ("——", "——", None),
        ("2.389.43", "2.389.43", None),  # two decimal points: not an amount, never guessed
        ("一般公共服务支出", "一般公共服务支出", None),
        ("210 15 01", "2101501", Decimal("2101501")),
    ],
)
def test_clean_and_parse(raw: str, text: str, value: Decimal | None) -> None:
    assert clean_text(raw) == text
    assert parse_amount(clean_text(raw)) == value


def test_values_are_decimal_not_float() -> None:
    value = parse_amount("0.1")
    assert isinstance(value, Decimal)
    assert value + parse_amount("0.2") == Decimal("0.3")  # type: ignore[operator]


def test_chinese_punctuation_is_full_width() -> None:
    assert clean_text("预算不单列,并入本级") == "预算不单列，并入本级"
    assert clean_text("单位:元") == "单位：元"


def test_wrapped_lines_join_without_space_in_chinese() -> None:
    assert join_lines(["事业单位", "经营收入"]) == "事业单位经营收入"
    assert join_lines(["Blood", "Pressure"]) == "Blood Pressure"
    assert join_lines(["", "合计", " "]) == "合计"


@pytest.mark.parametrize(
    ("reading", "printed"),
    [
        ("4.297.58", "4,297.58"),  # grouping commas read as points (200 dpi, faded toner)
        ("1:369.68", "1,369.68"),
        ("246,46", "246.46"),  # the decimal point read as a comma
        ("4.245,44", "4,245.44"),  # both swapped
        ("1,359,91", "1,359.91"),
        ("-1.234.56", "-1,234.56"),
        ("5,667.26", None),  # parses as printed: nothing to put right
        ("1.234.567", None),  # a last group of three: grouping or decimals, unknowable
        ("1234,56", None),  # four digits before a separator: no grouping explains it
        ("22112", None),  # a lost point is not a separator: only the checks may propose it
    ],
)
def test_regrouped_moves_only_the_separators(reading: str, printed: str | None) -> None:
    assert regrouped(reading) == printed


def _ocr_cell(lines: list[tuple[str, float]]) -> Cell:
    cell = Cell(row=1, col=2, row_span=1, col_span=1, page=1, bbox=(0, 0, 100, 30))
    fill_from_ocr(cell, lines, "fake", 0.9)
    return cell


def test_a_regrouped_reading_has_a_value_but_no_total_yet_confirms_it() -> None:
    cell = _ocr_cell([("4.297.58", 0.98)])
    assert (cell.text, cell.value) == ("4,297.58", Decimal("4297.58"))
    assert cell.confidence == REGROUPED_CONFIDENCE and cell.status is CellStatus.LOW_CONFIDENCE
    assert cell.provenance is not None and cell.provenance.raw_text == "4.297.58"
    assert cell.provenance.reread == "separators misread: regrouped"
    assert Cell.from_dict(cell.to_dict()).provenance == cell.provenance  # reaches result.json


def test_two_lines_are_never_regrouped_into_one_amount() -> None:
    # Two amounts of a merged cell, one above the other: no single number, no value.
    cell = _ocr_cell([("3,846.03", 0.99), ("2.399.21", 0.94)])
    assert cell.value is None
