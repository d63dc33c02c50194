"""Amount normalisation keeps the printed form and parses exact Decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recover.read.amounts import clean_text, parse_amount
from recover.read.join_lines import join_lines


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
