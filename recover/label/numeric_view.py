"""A table's numeric view: which rows are its body, which columns hold amounts, which
columns carry subject codes and the full 类/款/项 code of each coded row.

Decided once, by labelling (:func:`numeric_view`), and kept on the table
(``Table.view``): the checks, tidy export, review queue and cross-table lookups all read it.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable

from recover.model import CellStatus, NumericView, Slot, Table
from recover.read.amounts import strip_marks
from recover.read.chinese import has_chinese

TOTAL_LABEL = re.compile(r"^(合计|总计)|^(本年)?(收入|支出)?(合计|总计)$")
"""A row label that totals the rows above it (合计, 总计, 本年支出合计 …)."""
SUBTOTAL_LABEL = re.compile(r"小计$")
"""A row label that closes a block (…小计)."""
_CODE_SPLIT = re.compile(r"^\d{3}(\s+\d{2}){0,2}$")
AMOUNT_SHARE = 0.6  # of a column's cells with digits that must be amounts for it to hold amounts


def is_total_label(text: str) -> bool:
    """合计/总计/小计 labels of total rows (also merged across code columns)."""
    compact = re.sub(r"\s+", "", text)
    return bool(TOTAL_LABEL.search(compact) or SUBTOTAL_LABEL.search(compact))


def code_columns(table: Table, texts: dict[Slot, str]) -> list[int]:
    """Leftmost columns of subject codes: 3/5/7-digit codes, "210 15 01", or 2-digit 款/项.

    The search stops at the first column of names: amounts further right are never codes.
    """
    cols = []
    for col in range(min(table.n_cols, 4)):
        filled = [t for t in (texts.get((r, col), "").strip() for r in range(table.n_rows)) if t]
        codes = [t for t in filled if _CODE_SPLIT.match(t) or (t.isdigit() and len(t) in (2, 3, 5, 7))]
        # 合计 / 小计 labels of total rows, often merged across the code columns, are no words.
        words = [t for t in filled if has_chinese(t) and not is_total_label(t)]
        # A code column carries up to four header words (项目 / 功能分类 / 科目编码 / 类).
        if codes and len(codes) >= len(words) - 4 and len(words) <= 4:
            cols.append(col)
        elif words:
            break
    return cols


def counts_columns(row: int, cols: Iterable[int], texts: dict[Slot, str]) -> bool:
    """A 栏次 row: the columns' numbers 1, 2, 3, … printed under the header, no amounts (a
    column whose number did not survive leaves a gap, a speck one outlier); its label
    (栏次, 行次) may stand before them."""
    filled = {c: t for c in cols if (t := texts.get((row, c), "").strip()) and not has_chinese(t)}
    digits = {c: d for c, t in filled.items() if (d := re.sub(r"\D", "", t))}
    if not digits or any(len(d) > 2 for d in digits.values()) or any(len(t) > 3 for t in filled.values()):
        return False
    offsets = Counter(int(d) - c for c, d in digits.items())
    _, agreeing = offsets.most_common(1)[0]
    return agreeing >= 3 and agreeing >= len(filled) - 1 and agreeing >= 0.75 * len(filled)


def numbering_row(row: int, numeric_cols: list[int], n_cols: int, texts: dict[Slot, str]) -> bool:
    """A 栏次 row (decided here once; the checks and proof coverage read the view): labelled
    栏次, or numbers rising by one from amount column to amount column, or the grid columns'
    numbers (:func:`counts_columns`)."""
    if counts_columns(row, range(n_cols), texts):
        return True
    label = "".join(texts.get((row, c), "") for c in range(n_cols) if c not in numeric_cols)
    if "栏次" in re.sub(r"\s+", "", label):
        return True
    marks = [strip_marks(re.sub(r"\s+", "", texts.get((row, c), ""))) for c in numeric_cols]
    filled = [t for t in marks if t]
    ints = [int(t) for t in filled if t.isdigit()]
    return (
        len(ints) >= 3 and len(ints) == len(filled) and all(b == a + 1 for a, b in itertools.pairwise(ints))
    )


def _single_values(table: Table) -> dict[Slot, bool]:
    """Which single-slot cells hold an amount."""
    return {(c.row, c.col): c.value is not None for c in table.cells if c.row_span == 1 and c.col_span == 1}


def numeric_view(table: Table) -> NumericView:
    """Body rows, amount columns, code columns and row codes of ``table``."""
    texts = {(c.row, c.col): c.text for c in table.cells}
    code_cols = code_columns(table, texts)
    amounts = _single_values(table)
    numeric_cols = []
    for col in range(table.n_cols):
        if col in code_cols:
            continue
        # Among cells with digits, most must be amounts; a misread one ("2.389.43") still
        # leaves its column numeric, and header text does not count against it.
        with_digits = [r for r in range(table.n_rows) if any(ch.isdigit() for ch in texts.get((r, col), ""))]
        found = [r for r in with_digits if amounts.get((r, col))]
        if found and len(found) >= AMOUNT_SHARE * len(with_digits):
            numeric_cols.append(col)
    body = [r for r in range(table.n_rows) if any(amounts.get((r, c)) for c in numeric_cols)]
    # A 栏次 row under the header prints the columns' numbers where amounts go: no amounts.
    numbering = [r for r in body if numbering_row(r, numeric_cols, table.n_cols, texts)]
    body = [r for r in body if r not in numbering]
    # A column right of the amounts that is blank in every body row is a column of zeros
    # (上级补助收入 with nothing this year): it still belongs to the total's parts.
    blank = {
        (c.row, c.col) for c in table.cells if c.status is CellStatus.EMPTY and c.row_span == c.col_span == 1
    }
    first_amount_col = min(numeric_cols, default=table.n_cols)
    zero_cols = [
        col
        for col in range(first_amount_col + 1, table.n_cols)
        if col not in numeric_cols and body and all((row, col) in blank for row in body)
    ]
    view = NumericView(body, sorted(numeric_cols + zero_cols), code_cols, numbering_rows=numbering)
    # A 单位代码 column beside the subject codes keys units: a row's subject code comes from
    # the other code columns; a unit row (no subject code) keeps its unit code, the level
    # the 合计 row totals.
    units = {c.col for c in table.columns if c.id == "unit_code"}
    subject_cols = [c for c in code_cols if c not in units]
    view.row_codes = row_codes(texts, view) | row_codes(
        texts, NumericView(body, view.numeric_cols, subject_cols)
    )
    return view


def row_codes(texts: dict[Slot, str], view: NumericView) -> dict[int, str]:
    """Full subject code (3/5/7 digits) of each body row, whatever its printed layout."""
    code_cols = view.code_cols
    codes: dict[int, str] = {}
    last_lei = last_kuan = ""
    full_xiang = False  # the last code was a 项 printed in full (one code column)
    for row in view.body_rows:
        pieces = [texts.get((row, c), "").replace(" ", "") for c in code_cols]
        pieces = [p for p in pieces if p.isdigit()]
        if not pieces:
            continue
        if len(pieces) == 1 and len(pieces[0]) in (3, 5, 7):
            code = pieces[0]
        else:
            joined = "".join(pieces)
            if len(pieces[0]) == 3:
                code = joined
            elif last_lei and len(pieces) == 1 and len(pieces[0]) == 2:
                # "08" printed under its 类 (and "01" under its 款): inherit the parent. In
                # one code column after a 项 printed in full, a 2-digit code is the next 款.
                first_col = next(c for c in code_cols if texts.get((row, c), "").strip())
                under_kuan = first_col == code_cols[-1] and last_kuan and not full_xiang
                code = (last_kuan if under_kuan else last_lei) + pieces[0]
            else:
                continue
        full_xiang = len(code_cols) == 1 and len(pieces[0]) == 7
        if len(code) not in (3, 5, 7):
            continue
        codes[row] = code
        if len(code) == 3:
            last_lei, last_kuan = code, ""
        elif len(code) == 5:
            last_kuan = code
    return codes
