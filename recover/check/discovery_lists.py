"""Totals of side-by-side lists: a table printed as several (项目, 金额) column pairs.

The 收支总表 forms print 收入 beside 支出 (by function, by 部门预算 and 政府预算 economic
class), each pair its own list: its 一、二、… items, the sub-items under an item (经费拨款
under 一、一般公共预算拨款收入), a 本年…合计 row over the items, the carried-over rows
(上年结转, 年终结转结余) and a 总计 row = 本年合计 + those rows; the lists' 总计 rows are
equal (收入总计 = 支出总计), and so are equal-named 本年支出合计 rows.

Each rule is read from the labels a list prints and kept only when its numbers hold it
(:func:`recover.check.discovery_support.kept`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recover.check.constraints import Constraint, RuleSource
from recover.check.discovery_support import (
    amount_columns,
    count_blanks_as_zero,
    equation,
    kept,
    name_columns,
    words,
)
from recover.label.classification import default_classification
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
    """One (项目, 金额) list of a table: its names column and its amount columns."""

    names: int
    amounts: tuple[int, ...]


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
    amounts = [c for c in amount_columns(table, numbers) if c not in names]
    found = []
    for i, col in enumerate(names):
        end = names[i + 1] if i + 1 < len(names) else table.n_cols
        own = tuple(c for c in amounts if col < c < end)
        if own:
            found.append(PrintedList(col, own))
    return found


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


@dataclass(frozen=True)
class _Lists:
    """The table being read and its numbers."""

    table: Table
    numbers: TableNumbers

    def label(self, row: int, pl: PrintedList) -> str:
        return words(self.numbers.texts.get((row, pl.names), ""))

    def group(
        self, pl: PrintedList, what: str, target: int, parts: list[int], explain: bool = True
    ) -> list[Constraint]:
        """The rule in each amount column of the list, where the numbers support it."""
        source = RuleSource.BALANCE if "结转" in what else RuleSource.LIST_TOTAL
        group = [
            c
            for col in pl.amounts
            if (c := equation(source, what, (target, col), [(r, col) for r in parts], self.numbers))
            is not None
        ]
        return kept(group, self.table, self.numbers, explain)

    def first(self, pl: PrintedList, what: str, target: int, options: list[list[int]]) -> list[Constraint]:
        """The first reading of a rule's parts that holds as read, else the first that one
        misreading explains."""
        for explain in (False, True):
            for parts in options:
                if parts and (found := self.group(pl, what, target, parts, explain)):
                    return found
        return []


def _item_rules(lists: _Lists, pl: PrintedList, roles: _Rows) -> list[Constraint]:
    """合计 = Σ the 一、二、… items; each item = Σ the sub-items printed under it."""
    ordinal = [(r, lab) for r, lab in roles.items if ORDINAL.match(lab)]
    found: list[Constraint] = []
    total = roles.year_total if roles.year_total is not None else roles.grand_total
    if total is not None:
        # An amount without a name is an item that lost its label, or a stray mark read as a
        # digit: the numbers tell which.
        unnamed = [r for r, lab in roles.items if not lab]
        named = [r for r, _ in ordinal] if ordinal else [r for r, lab in roles.items if lab]
        what = f"{lists.label(total, pl)} = Σ its items"
        found += lists.first(pl, what, total, [sorted(named + unnamed), named])
    for i, (row, label) in enumerate(ordinal):
        end = ordinal[i + 1][0] if i + 1 < len(ordinal) else (total if total is not None else 1 << 30)
        under = [r for r, lab in roles.items if row < r < end and lab]
        if under:
            found += _sub_items(lists, pl, row, label, under)
    return found


def _sub_items(lists: _Lists, pl: PrintedList, row: int, label: str, under: list[int]) -> list[Constraint]:
    """An item over the sub-items printed under it; when they do not add up to it, or the
    national classification says a sub-item heads the rest (非税收入拨款 over 行政事业性收费收入
    …, the 103 非税收入 class over its 款), that sub-item over the rest, where the numbers say so."""
    what = f"{label} = Σ its sub-items"
    flat = lists.group(pl, what, row, under, explain=False)
    for k in range(1, len(under) - 1):
        head, rest = under[k], under[k + 1 :]
        classified = _heads_by_class(lists.label(head, pl), [lists.label(r, pl) for r in rest])
        if flat and not classified:
            continue
        outer = lists.group(pl, what, row, under[: k + 1], explain=False)
        inner = lists.group(pl, f"{lists.label(head, pl)} = Σ its sub-items", head, rest, False)
        if outer and (inner or (classified and _holds_as_read(lists, pl, head, rest))):
            return outer + inner
    return flat or lists.group(pl, what, row, under)


def _heads_by_class(head: str, rest: list[str]) -> bool:
    """Whether every label of ``rest`` names a subject of one class whose name ``head``
    prints (纳入一般公共预算管理的非税收入拨款 over 专项收入, 罚没收入 …: 103 非税收入)."""
    classification = default_classification()
    parents: set[str] = set()
    for label in rest:
        codes = classification.codes_named(label)
        named = {p for c in codes if (p := c[:-2]) and (name := classification.name_of(p)) and name in head}
        if not named:
            return False
        parents |= named
    return len(rest) >= 2 and len(parents) == 1


def _holds_as_read(lists: _Lists, pl: PrintedList, head: int, rest: list[int]) -> bool:
    """The head equals the sum of the rows under it in every amount column, as read."""
    for col in pl.amounts:
        con = equation(RuleSource.LIST_TOTAL, "", (head, col), [(r, col) for r in rest], lists.numbers)
        if con is None or not con.holds(lists.numbers.values):
            return False
    return True


def _carry_rule(lists: _Lists, pl: PrintedList, roles: _Rows) -> list[Constraint]:
    """总计 = 本年合计 + the rows printed between them (结转结余 …)."""
    if roles.year_total is None or roles.grand_total is None:
        return []
    what = f"{lists.label(roles.grand_total, pl)} = 本年合计 + 结转结余"
    return lists.group(pl, what, roles.grand_total, [roles.year_total, *roles.carried])


def _equal_totals(lists: _Lists, printed: list[tuple[PrintedList, _Rows]]) -> list[Constraint]:
    """The lists' 总计 rows agree (收入总计 = 支出总计), and so do equal-named 本年…合计 rows,
    column by column, where the numbers say so."""
    pairs: dict[str, list[tuple[PrintedList, int]]] = {}
    for pl, r in printed:
        if r.grand_total is not None:
            pairs.setdefault("收入总计 = 支出总计", []).append((pl, r.grand_total))
        if r.year_total is not None:
            pairs.setdefault(f"{lists.label(r.year_total, pl)} agrees", []).append((pl, r.year_total))
    found: list[Constraint] = []
    for what, same in pairs.items():
        (first_pl, first_row), *rest = same
        for pl, row in rest:
            for a, b in zip(first_pl.amounts, pl.amounts, strict=False):
                con = equation(RuleSource.BALANCE, what, (first_row, a), [(row, b)], lists.numbers)
                found += kept([con], lists.table, lists.numbers) if con is not None else []
    return found


_PREFIXES = re.compile(r"^([一二三四五六七八九十]+[、.．，,])?(机关|按项目管理的)?")


def _item_key(label: str) -> str:
    """An item's name as both economic classes print it: 机关工资福利支出 (政府预算) is
    工资福利支出 (部门预算), 按项目管理的商品和服务支出 is 商品和服务支出 of the projects."""
    return _PREFIXES.sub("", label).replace("(", "（").replace(")", "）")


def _same_items(lists: _Lists, printed: list[tuple[PrintedList, _Rows]]) -> list[Constraint]:
    """An item of one list = Σ the items another list names alike (机关商品和服务支出 =
    商品和服务支出 + 按项目管理的商品和服务支出), where the numbers say so."""
    found: list[Constraint] = []
    for pl, roles in printed:
        for other, other_roles in printed:
            if other is pl:
                continue
            keys: dict[str, list[int]] = {}
            for row, label in other_roles.items:
                keys.setdefault(_item_key(label), []).append(row)
            for row, label in roles.items:
                parts = keys.get(_item_key(label)) if label else None
                if (parts and _item_key(label) != label) or (parts and len(parts) > 1):
                    what = f"{label} = Σ the items named alike"
                    for a, b in zip(pl.amounts, other.amounts, strict=False):
                        con = equation(
                            RuleSource.BALANCE, what, (row, a), [(r, b) for r in parts], lists.numbers
                        )
                        found += kept([con], lists.table, lists.numbers) if con is not None else []
    return found


def list_rules(table: Table, numbers: TableNumbers) -> list[Constraint]:
    """The totals of a table printed as (项目, 金额) lists, side by side or one with 一、二、…
    items; none in a table whose rows carry subject codes (their hierarchy says it)."""
    if table.view.row_codes or not numbers.body_rows:
        return []
    printed = printed_lists(table, numbers)
    rows = range(numbers.body_rows[0], numbers.body_rows[-1] + 1)
    if not printed or (len(printed) < 2 and not _has_ordinals(printed[0], rows, numbers)):
        return []
    lists = _Lists(table, numbers)
    found: list[Constraint] = []
    for pl in printed:
        count_blanks_as_zero(table, numbers, list(rows), list(pl.amounts))
    roles = _aligned([(pl, _roles(pl, rows, numbers)) for pl in printed])
    for pl, r in roles:
        found += _item_rules(lists, pl, r) + _carry_rule(lists, pl, r)
    return found + _equal_totals(lists, roles) + _same_items(lists, roles)


def _aligned(printed: list[tuple[PrintedList, _Rows]]) -> list[tuple[PrintedList, _Rows]]:
    """Side-by-side lists print their 总计 on one row: a list whose 总计 label did not read
    (支面计) has it on the row where the others print theirs, after its carried rows. The
    rules on it are kept only where the numbers hold them."""
    grand = {r.grand_total for _, r in printed if r.grand_total is not None}
    if len(grand) != 1:
        return printed
    (row,) = grand
    out = []
    for pl, r in printed:
        if r.grand_total is None and r.year_total is not None and row in r.carried:
            out.append((pl, _Rows(r.items, r.year_total, [c for c in r.carried if c < row], row)))
        else:
            out.append((pl, r))
    return out


def _has_ordinals(pl: PrintedList, rows: range, numbers: TableNumbers) -> bool:
    labels = [words(numbers.texts.get((r, pl.names), "")) for r in rows]
    return sum(bool(ORDINAL.match(lab)) for lab in labels) >= 2
