"""Subject-code lists: where a table prints its classification codes, and each row's full code.

Codes of the function classification (类/款/项: 205 / 20508 / 2050803) and of the economic
ones (类/款: 301 工资福利支出 over 30101 基本工资; 501 over 50101) are printed in one column
("2050803"), split over 类/款/项 columns ("205 | 08 | 03", "301 | 01", even "301 | 2"), as a
suffix under their parent ("08" under 205), or in the name's own cell ("2050803 培训支出"). A
basic-expenditure table by economic class (公开06表) prints several (code, name, amount)
lists side by side. Each list is a :class:`CodeList`: its code columns, the amount columns it
governs and its rows' full codes in reading order. The leftmost list starts from the codes
labelling recorded (``table.view.row_codes``); rows it left without a code, and the lists to
its right, are resolved here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recover.model import Table
from recover.read.chinese import has_chinese

if TYPE_CHECKING:  # discover uses these lists; the numbers are its own
    from recover.check.discover import TableNumbers

CODE_SHARE = 0.6  # of a column's filled body cells that must be codes for it to be a code column
_LEADING_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(?=[\u4e00-\u9fff])")
_LEVELS = (3, 5, 7)
_TOTAL = re.compile(r"合计|总计|小计")
_SPECKS = re.compile(r"^[.,:;·•\-_]+|[.,:;·•\-_]+$")


@dataclass(frozen=True)
class CodeList:
    """One list of coded rows: its code columns, the amount columns it governs, and
    (row, full code) in reading order."""

    cols: tuple[int, ...]
    value_cols: tuple[int, ...]
    codes: tuple[tuple[int, str], ...]


def _pieces(numbers: TableNumbers, row: int, cols: tuple[int, ...]) -> list[tuple[int, str]]:
    out = []
    for col in cols:
        # A speck beside a code ("22102.", "·301") is no part of it.
        text = _SPECKS.sub("", numbers.texts.get((row, col), "").replace(" ", ""))
        if text.isdigit():
            out.append((col, text))
    return out


def resolve(
    pieces: list[tuple[int, str]], cols: tuple[int, ...], lei: str, kuan: str, printed: set[str]
) -> str | None:
    """The full code of a row from the digits printed in its code columns: a whole code, a
    类 with its 款 (and 项) split over columns (short ones padded: "301 | 2" is 30102), or a
    2-digit suffix printed alone: a 款 under its 类 when codes printed in full below start with
    it (or when it sits in a 款 column), else a 项 under its 款."""
    if not pieces:
        return None
    texts = [t for _, t in pieces]
    if len(texts) == 1 and len(texts[0]) in _LEVELS:
        return texts[0]
    if len(texts[0]) == 3 and all(len(t) <= 2 for t in texts[1:]):
        return texts[0] + "".join(t.zfill(2) for t in texts[1:])
    if len(texts) != 1 or len(texts[0]) > 2 or not lei:
        return None
    suffix = texts[0].zfill(2)
    in_xiang_col = len(cols) > 2 and pieces[0][0] == cols[-1]
    as_kuan = lei + suffix
    if kuan and not any(c.startswith(as_kuan) for c in printed) and (in_xiang_col or len(cols) == 1):
        return kuan + suffix
    return as_kuan


def _label_code(numbers: TableNumbers, row: int, names: range) -> str | None:
    """A code printed in the name's cell ("2050803培训支出"), left of the amounts."""
    for col in names:
        match = _LEADING_CODE.match(numbers.texts.get((row, col), "").strip())
        if match:
            return match.group(1)
    return None


def _walk(
    numbers: TableNumbers, cols: tuple[int, ...], known: dict[int, str], names: range
) -> list[tuple[int, str]]:
    """(row, full code) of the list's rows in reading order; ``names`` are the columns a
    code printed with its name may sit in."""
    codes: list[tuple[int, str]] = []
    lei = kuan = ""
    pieces = {row: _pieces(numbers, row, cols) for row in numbers.body_rows}
    printed = {t for found in pieces.values() for _, t in found if len(t) in (5, 7)}
    for row in numbers.body_rows:
        # A suffix printed alone is resolved here, with what is printed below it in view.
        alone = len(pieces[row]) == 1 and len(pieces[row][0][1]) <= 2
        code = (None if alone else known.get(row)) or resolve(pieces[row], cols, lei, kuan, printed)
        if code is None:
            code = _label_code(numbers, row, names)
        if code is None or len(code) not in _LEVELS:
            continue
        codes.append((row, code))
        if len(code) == 3:
            lei, kuan = code, ""
        elif len(code) == 5:
            kuan = code
    return _unprinted_parents(numbers, codes, names)


def _unprinted_parents(
    numbers: TableNumbers, codes: list[tuple[int, str]], names: range
) -> list[tuple[int, str]]:
    """A named row without a (readable) code right above a code whose parent appears nowhere
    is that parent: 行政事业单位医疗 over 2101101 is 21011, whatever its code cell reads."""
    coded = {row for row, _ in codes}
    known = {code for _, code in codes}
    by_row = dict(codes)
    following: str | None = None
    for row in reversed(numbers.body_rows):
        if row in coded:
            following = by_row[row]
            continue
        label = "".join(numbers.texts.get((row, c), "") for c in names)
        parent = following[:-2] if following and len(following) > 3 else None
        if parent and parent not in known and has_chinese(label) and not _TOTAL.search(label):
            by_row[row] = parent
            known.add(parent)
            following = parent
        else:
            following = None
    return sorted(by_row.items())


def _code_columns(numbers: TableNumbers, after: int) -> list[int]:
    """Columns right of ``after`` (the lead code columns) whose filled body cells are mostly
    codes of one hierarchy
    (a 5-digit code under a 3-digit one printed in the same column), or 1–2 digit 款 printed
    beside such a column."""
    found: list[int] = []
    for col in range(after + 1, numbers.n_cols):
        filled = [t for r in numbers.body_rows if (t := numbers.texts.get((r, col), "").replace(" ", ""))]
        codes = [t for t in filled if t.isdigit() and len(t) in (1, 2, *_LEVELS)]
        if len(codes) < 3 or len(codes) < CODE_SHARE * len(filled):
            continue
        heads = {t for t in codes if len(t) == 3}
        nested = any(len(t) == 5 and t[:3] in heads for t in codes)
        suffixes = found and found[-1] == col - 1 and all(len(t) <= 2 for t in codes)
        if nested or suffixes or (heads and len(heads) < len(codes) and all(len(t) == 3 for t in codes)):
            found.append(col)
    return found


def _blocks(cols: list[int]) -> list[tuple[int, ...]]:
    blocks: list[list[int]] = []
    for col in cols:
        if blocks and col == blocks[-1][-1] + 1:
            blocks[-1].append(col)
        else:
            blocks.append([col])
    return [tuple(b) for b in blocks]


def _named(numbers: TableNumbers, block: tuple[int, ...]) -> bool:
    """A list's codes are followed by the items' names: words in most of the rows."""
    col = block[-1] + 1
    named = [r for r in numbers.body_rows if has_chinese(numbers.texts.get((r, col), ""))]
    return len(named) >= CODE_SHARE * len(numbers.body_rows)


def _suffix_columns(numbers: TableNumbers, lead: tuple[int, ...]) -> tuple[int, ...]:
    """The lead code columns and the 款/项 columns printed right after them with 1–2 digits
    ("301 | 2"), which labelling may have taken for amounts."""
    cols = list(lead)
    while cols and cols[-1] + 1 < numbers.n_cols:
        col = cols[-1] + 1
        filled = [t for r in numbers.body_rows if (t := numbers.texts.get((r, col), "").replace(" ", ""))]
        short = [t for t in filled if t.isdigit() and len(t) <= 2]
        if len(short) < 2 or len(short) < CODE_SHARE * len(filled):
            break
        cols.append(col)
    return tuple(cols)


def code_lists(table: Table, numbers: TableNumbers) -> list[CodeList]:
    """The table's code lists, left to right."""
    view = table.view
    lead = _suffix_columns(numbers, tuple(view.code_cols))
    beside = [b for b in _blocks(_code_columns(numbers, max(lead, default=-1))) if _named(numbers, b)]
    blocks = [lead, *beside]
    # Codes are never amounts, even where labelling took a column of them for one.
    amounts = [c for c in numbers.numeric_cols if all(c not in b for b in blocks)]
    lists = []
    for i, cols in enumerate(blocks):
        end = blocks[i + 1][0] if i + 1 < len(blocks) else numbers.n_cols
        low = cols[-1] if cols else -1
        value_cols = tuple(c for c in amounts if low < c < end)
        if not value_cols:
            continue
        # Labelling's codes stand unless a suffix column it did not count completes them.
        known = dict(view.row_codes) if i == 0 and lead == tuple(view.code_cols) else {}
        names = range(low + 1, value_cols[0]) if cols else range(value_cols[0])
        codes = _walk(numbers, cols, known, names)
        if codes:
            lists.append(CodeList(cols, value_cols, tuple(codes)))
    return lists
