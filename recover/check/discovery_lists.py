"""Totals of side-by-side lists: a table printed as several (项目, 金额) column pairs.

The 收支总表 forms print 收入 beside 支出 (by function, by 部门预算 and 政府预算 economic
class), each pair its own list: its 一、二、… items, the sub-items under an item (经费拨款
under 一、一般公共预算拨款收入), a 本年…合计 row over the items, the carried-over rows
(上年结转, 年终结转结余) and a 总计 row = 本年合计 + those rows; the lists' 总计 rows are
equal (收入总计 = 支出总计), and so are equal-named 本年支出合计 rows.

Each rule is read from the labels a list prints and kept only when its numbers hold it
(:func:`recover.check.discovery_support.supported`); only 收入总计 = 支出总计, a rule of the
form, stands without that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recover.check.constraints import Constraint, RuleSource
from recover.check.discovery_support import (
    compact,
    count_blanks_as_zero,
    equation,
    line_number_columns,
    name_columns,
    supported,
    words,
)
from recover.model import Table

if TYPE_CHECKING:
    from recover.check.discover import TableNumbers

ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.．，,]")
"""A list's top-level item: 一、… 二、…"""
YEAR_TOTAL = re.compile(r"合计$")
"""本年收入合计, 本年支出合计, 合计: the total of the items above it."""
GRAND_TOTAL = re.compile(r"总计$")
"""收入总计, 支出总计, 总计: the year's total plus what was carried over."""
HEADINGS = {"栏次", "行次", "项目"}


@dataclass(frozen=True)
class PrintedList:
    """One (项目, 金额) list of a table: its names column, amount columns and heading."""

    names: int
    amounts: tuple[int, ...]
    heading: str  # the header over the names (收入 / 支出), '' when none


@dataclass(frozen=True)
class _Rows:
    """A list's rows by role: items before its 合计, the 合计, the carried rows, the 总计."""

    items: list[tuple[int, str]]
    year_total: int | None
    carried: list[int]
    grand_total: int | None


def printed_lists(table: Table, numbers: TableNumbers) -> list[PrintedList]:
    """The lists of a table: each names column with the amount columns up to the next."""
    names = name_columns(table, numbers)
    lines = line_number_columns(numbers)
    amounts = [c for c in numbers.numeric_cols if c not in names and c not in lines]
    found = []
    for i, col in enumerate(names):
        end = names[i + 1] if i + 1 < len(names) else table.n_cols
        own = tuple(c for c in amounts if col < c < end)
        if own:
            found.append(PrintedList(col, own, _heading(table, numbers, col)))
    return found


def _heading(table: Table, numbers: TableNumbers, col: int) -> str:
    first_body = numbers.body_rows[0]
    over = [c for c in table.cells if c.row_end < first_body and c.col <= col <= c.col_end and c.text]
    return compact(min(over, key=lambda c: c.row).text) if over else ""


def _roles(pl: PrintedList, rows: range, numbers: TableNumbers) -> _Rows:
    items: list[tuple[int, str]] = []
    year_total = grand_total = None
    carried: list[int] = []
    for row in rows:
        label = words(numbers.texts.get((row, pl.names), ""))
        valued = any(numbers.values.get((row, c)) for c in pl.amounts)
        if label in HEADINGS or not (label or valued):
            continue
        if GRAND_TOTAL.search(label):
            grand_total = row
            break
        if YEAR_TOTAL.search(label) and year_total is None:
            year_total = row
        elif year_total is None:
            items.append((row, label))
        else:
            carried.append(row)
    return _Rows(items, year_total, carried, grand_total)


def _group(
    pl: PrintedList, label: str, target: int, parts: list[int], numbers: TableNumbers, source: RuleSource
) -> list[Constraint]:
    """The rule in each amount column of the list, kept when the numbers support it."""
    group = [
        c
        for col in pl.amounts
        if (c := equation(source, label, (target, col), [(r, col) for r in parts], numbers)) is not None
    ]
    return group if group and supported(group, numbers.values) else []


def _item_rules(pl: PrintedList, roles: _Rows, numbers: TableNumbers) -> list[Constraint]:
    """合计 = Σ the 一、二、… items; each item = Σ the sub-items printed under it."""
    ordinal = [(r, lab) for r, lab in roles.items if ORDINAL.match(lab)]
    found: list[Constraint] = []
    total = roles.year_total if roles.year_total is not None else roles.grand_total
    if total is not None:
        label = words(numbers.texts.get((total, pl.names), ""))
        # An amount without a name is an item that lost its label, or a stray mark read as a
        # digit: the numbers tell which.
        unnamed = [r for r, lab in roles.items if not lab]
        named = [r for r, _ in ordinal] if ordinal else [r for r, lab in roles.items if lab]
        for top in (sorted(named + unnamed), named):
            kept = _group(pl, f"{label} = Σ its items", total, top, numbers, RuleSource.LIST_TOTAL)
            if kept:
                found += kept
                break
    for i, (row, label) in enumerate(ordinal):
        end = ordinal[i + 1][0] if i + 1 < len(ordinal) else (total if total is not None else 1 << 30)
        under = [r for r, lab in roles.items if row < r < end and lab]
        if under:
            found += _sub_items(pl, row, label, under, numbers)
    return found


def _sub_items(pl: PrintedList, row: int, label: str, under: list[int], numbers: TableNumbers) -> list[Constraint]:
    """An item over the sub-items printed under it; when they do not add up to it, the last
    sub-item that heads the rest (非税收入拨款 over 行政事业性收费收入 …), where the numbers say so."""
    flat = _group(pl, f"{label} = Σ its sub-items", row, under, numbers, RuleSource.LIST_TOTAL)
    if flat:
        return flat
    for k in range(1, len(under) - 1):
        head = under[k]
        outer = _group(pl, f"{label} = Σ its sub-items", row, under[: k + 1], numbers, RuleSource.LIST_TOTAL)
        inner_label = words(numbers.texts.get((head, pl.names), ""))
        inner = _group(pl, f"{inner_label} = Σ its sub-items", head, under[k + 1 :], numbers, RuleSource.LIST_TOTAL)
        if outer and inner:
            return outer + inner
    return []


def _carry_rule(pl: PrintedList, roles: _Rows, numbers: TableNumbers) -> list[Constraint]:
    """总计 = 本年合计 + the rows printed between them (结转结余 …)."""
    if roles.year_total is None or roles.grand_total is None:
        return []
    label = words(numbers.texts.get((roles.grand_total, pl.names), ""))
    parts = [roles.year_total, *roles.carried]
    return _group(pl, f"{label} = 本年合计 + 结转结余", roles.grand_total, parts, numbers, RuleSource.BALANCE)


def _equal_totals(lists: list[tuple[PrintedList, _Rows]], numbers: TableNumbers) -> list[Constraint]:
    """The lists' 总计 rows agree (收入总计 = 支出总计: a rule of the form when the lists are
    headed 收入 and 支出); equal-named 本年…合计 rows agree where the numbers say so."""
    found: list[Constraint] = []
    grand = [(pl, r.grand_total) for pl, r in lists if r.grand_total is not None]
    sides = {pl.heading for pl, _ in grand}
    for pl, row in grand[1:]:
        first_pl, first_row = grand[0]
        con = equation(
            RuleSource.BALANCE, "收入总计 = 支出总计", (first_row, first_pl.amounts[0]), [(row, pl.amounts[0])], numbers
        )
        if con is not None and ({"收入", "支出"} <= sides or supported([con], numbers.values)):
            found.append(con)
    by_label: dict[str, list[tuple[PrintedList, int]]] = {}
    for pl, r in lists:
        if r.year_total is not None:
            by_label.setdefault(words(numbers.texts.get((r.year_total, pl.names), "")), []).append((pl, r.year_total))
    for label, same in by_label.items():
        (first_pl, first_row), *rest = same
        for pl, row in rest:
            con = equation(
                RuleSource.BALANCE, f"{label} agrees", (first_row, first_pl.amounts[0]), [(row, pl.amounts[0])], numbers
            )
            if con is not None and supported([con], numbers.values):
                found.append(con)
    return found


def list_rules(table: Table, numbers: TableNumbers) -> list[Constraint]:
    """The totals of a table printed as (项目, 金额) lists, side by side or one with 一、二、…
    items; none in a table whose rows carry subject codes (their hierarchy says it)."""
    if table.view.row_codes or not numbers.body_rows:
        return []
    lists = printed_lists(table, numbers)
    rows = range(numbers.body_rows[0], numbers.body_rows[-1] + 1)
    if not lists or (len(lists) < 2 and not _has_ordinals(lists[0], rows, numbers)):
        return []
    found: list[Constraint] = []
    roles = []
    for pl in lists:
        count_blanks_as_zero(table, numbers, list(rows), list(pl.amounts))
        r = _roles(pl, rows, numbers)
        roles.append((pl, r))
        found += _item_rules(pl, r, numbers) + _carry_rule(pl, r, numbers)
    return found + _equal_totals(roles, numbers)


def _has_ordinals(pl: PrintedList, rows: range, numbers: TableNumbers) -> bool:
    labels = [words(numbers.texts.get((r, pl.names), "")) for r in rows]
    return sum(bool(ORDINAL.match(lab)) for lab in labels) >= 2
