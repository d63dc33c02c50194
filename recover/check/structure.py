"""Structure must prove itself: a grid that contradicts its own content is flagged as a whole.

Arithmetic proves amounts; nothing proves the grid they sit in unless the table's own content
agrees with it. Three contradictions are looked for, each a table flag (``Table.flags``, with
the slot it points at) that findings and the review queue show:

- two values in one cell: a cell's text holds two amounts (``462.78441.66``, two lines), an
  amount and a label, a code and a name, or more digits than one code has; or one amount spans
  columns that the header or the other rows keep apart (which column is it?);
  those cells are flagged too: their value cannot be exported as read;
- an empty column inside a header group: a column with no header of its own (a header cell
  spans it and its neighbours) and no figure in any body row, beside columns that hold amounts;
- a body row with amounts but no label: nothing in its code or name columns (typically just
  below a merged block that swallowed its label).
"""

from __future__ import annotations

import re
from collections import Counter

from recover.check.confusion import looks_like_amount
from recover.label.classification import LEVEL_LENGTHS
from recover.label.fused_codes import fused_code_name
from recover.model import Cell, CellStatus, Flag, FlagKind, Table, key_cols
from recover.read.amounts import parse_amount
from recover.read.chinese import chinese_count

_SEPARATORS = re.compile(r"[\s|｜/]+")
_SHOWN = 3  # places named in a table flag's message


def _amount_pattern(places: int) -> str:
    """A printed amount with ``places`` decimals, separators possibly misread (. for , : for .)."""
    return rf"(?:\d{{1,3}}(?:[,.]\d{{3}})+|\d+)[.:]\d{{{places}}}"


def _single(text: str, places: int) -> bool:
    """Reads as one amount once misread separators are allowed: ``1.234.56`` is 1,234.56."""
    commas = rf"\d{{1,3}}(?:[,:]\d{{3}})*[.:]\d{{{places}}}|\d+[.:]\d{{{places}}}"
    dots = rf"\d{{1,3}}(?:\.\d{{3}})+[.,:]\d{{{places}}}"
    return re.fullmatch(commas, text) is not None or re.fullmatch(dots, text) is not None


def _styled(word: str, places: int | None) -> bool:
    """An amount as the table prints them: its decimals when known, else two digits at least."""
    if places:
        return re.fullmatch(_amount_pattern(places), word) is not None and parse_amount(word) is not None
    return parse_amount(word) is not None and sum(ch.isdigit() for ch in word) >= 2


def two_amounts(text: str, places: int | None) -> tuple[str, str] | None:
    """The first two amounts of a text that holds two or more, else None.

    Amounts apart (a space, a bar, a line break) count when each is printed as the table
    prints amounts (a stray ``1`` from a ruling line does not); run together they are told
    apart by the table's decimals (``300.00300.00``), never when the text also reads as one
    amount with misread separators.
    """
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    styled = [p for p in parts if _styled(p, places)]
    if len(styled) >= 2:
        return styled[0], styled[1]
    if not places:
        return None
    body = re.sub(r"\s+", "", text)
    if _single(body, places):
        return None
    splits = [(body[:cut], body[cut:].lstrip("|｜/")) for cut in range(1, len(body))]
    both = [(a, b) for a, b in splits if _single(a, places) and _single(b, places)]
    # The most even split names the likeliest pair: 4.873.86 | 3,538.28, not 4.873.863,53 | 8.28.
    return min(both, key=lambda ab: abs(len(ab[0]) - len(ab[1])), default=None)


def table_places(table: Table) -> int | None:
    """The decimals the table prints its amounts with, when two in three agree (else None)."""
    counts: Counter[int] = Counter()
    for cell in table.cells:
        if cell.value is not None and cell.col in table.view.numeric_cols:
            exponent = cell.value.as_tuple().exponent
            counts[-exponent if isinstance(exponent, int) and exponent < 0 else 0] += 1
    if sum(counts.values()) < 3:
        return None
    places, n = counts.most_common(1)[0]
    return places if n * 3 >= 2 * sum(counts.values()) else None


Slots = dict[tuple[int, int], Cell]
"""Every grid slot and the cell covering it (merged cells cover several)."""


def slots_of(table: Table) -> Slots:
    """The table's slot index: one lookup per slot instead of a scan of the cells."""
    return {slot: cell for cell in table.cells for slot in cell.slots}


def _columns_kept_apart(table: Table, at: Slots, cell: Cell) -> bool:
    """The header, or most other body rows, have more than one cell over ``cell``'s columns."""
    span = range(cell.col, cell.col_end + 1)

    def distinct(row: int) -> int:
        return len({id(c) for col in span if (c := at.get((row, col))) is not None})

    if any(distinct(r) > 1 for r in range(table.header_rows)):
        return True
    others = [r for r in table.view.body_rows if not cell.row <= r <= cell.row_end]
    return bool(others) and 2 * sum(distinct(r) > 1 for r in others) >= len(others)


def _spanned_amount(table: Table, at: Slots, cell: Cell, places: int | None) -> str | None:
    """The amount of a cell spanning amount columns that the grid elsewhere keeps apart
    (``合计2,844.89`` over the label and the amount columns counts)."""
    if cell.col_span < 2 or not any(c in table.view.numeric_cols for c in range(cell.col, cell.col_end + 1)):
        return None
    pattern = _amount_pattern(places) if places else r"\d[\d,]*(?:\.\d+)?"
    amount = next((m.group(0) for m in re.finditer(pattern, cell.text) if _styled(m.group(0), places)), None)
    if amount is None or not _columns_kept_apart(table, at, cell):
        return None
    return amount


def _flag_cell(cell: Cell, flag: Flag) -> None:
    if cell.status is not CellStatus.REVIEWED and flag not in cell.flags:
        cell.status = CellStatus.FLAGGED
        cell.flags.append(flag)


def _where(cells: list[tuple[int, int]]) -> str:
    shown = ", ".join(f"row {r + 1} column {c + 1}" for r, c in cells[:_SHOWN])
    more = f" and {len(cells) - _SHOWN} more" if len(cells) > _SHOWN else ""
    return shown + more


def _two_values_flag(found: list[tuple[int, int]], what: str, why: str) -> Flag | None:
    """The table's flag for the cells ``found`` holding two values (None when there are none)."""
    if not found:
        return None
    message = f"the grid contradicts its content: {len(found)} {what} ({_where(found)}){why}"
    return Flag(FlagKind.TWO_VALUES, message, at=found[0])


def _fused_codes(text: str) -> bool:
    """Digits only, more of them than the longest code of the classification (7, a 项's):
    several codes run together, rows the grid merged."""
    digits = text.strip()
    return digits.isdigit() and len(digits) > max(LEVEL_LENGTHS)


def _amount_and_label(table: Table, at: Slots, cell: Cell, places: int | None) -> tuple[str, str] | None:
    """An amount run into words (``91,016,775.35二、社会保障和就业支出``: the next list's label,
    the column rule between them lost), in either order: in an amount column's cell, or in a
    cell over columns that the header or the other rows keep apart."""
    if chinese_count(cell.text) < 2:
        return None
    if cell.col_span > 1 and not _columns_kept_apart(table, at, cell):
        return None
    if cell.col_span == 1 and cell.col not in table.view.numeric_cols:
        return None
    pattern = _amount_pattern(places) if places else r"\d[\d,]*\.\d+"
    match = re.search(pattern, cell.text)
    if match is None or not _styled(match.group(0), places):
        return None
    words = (cell.text[: match.start()] + cell.text[match.end() :]).strip()
    return (match.group(0), words) if chinese_count(words) >= 2 else None


def two_values(table: Table) -> Flag | None:
    """Cells holding two amounts, or one amount over columns kept apart (flagged each)."""
    places, keys, at = table_places(table), key_cols(table), slots_of(table)
    found: list[tuple[int, int]] = []
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        codes_only = all(c in keys for c in range(cell.col, cell.col_end + 1))
        if cell.row < table.header_rows or not cell.text:
            continue
        lines = cell.provenance.raw_text.split("\n") if cell.provenance is not None else []
        pair = None if codes_only else two_amounts(cell.text, places) or two_amounts(" ".join(lines), places)
        if (named := fused_code_name(table, cell)) is not None:
            reason = f"holds a code and a name ({named[0]}, {named[1]}): the grid lost the rule between them"
        elif codes_only:
            if not _fused_codes(cell.text):
                continue
            reason = f"holds {len(cell.text.strip())} digits, more than one code has: the grid merged rows"
        elif (labelled := _amount_and_label(table, at, cell, places)) is not None:
            figure, words = labelled
            reason = f"holds an amount and a label ({figure}, {words}): the grid lost the rule between them"
        elif pair is not None:
            reason = f"holds two amounts ({pair[0]} and {pair[1]}): the grid merged two cells"
        elif (amount := _spanned_amount(table, at, cell, places)) is not None:
            reason = (
                f"one amount ({amount}) over columns {cell.col + 1}–{cell.col_end + 1}, "
                "which the grid keeps apart elsewhere: which column is it?"
            )
        else:
            continue
        _flag_cell(cell, Flag(FlagKind.TWO_VALUES, reason))
        found.append((cell.row, cell.col))
    return _two_values_flag(found, "cell(s) hold two values", "")


def _unread(cell: Cell) -> bool:
    """A blank cell whose ink was not read: what it says is unknown."""
    return not cell.text and any(f.kind is FlagKind.NOT_READ for f in cell.flags)


def _header_over(table: Table, at: Slots, col: int) -> Cell | None:
    """The lowest header cell over ``col`` that names something; None when none does, or
    when a blank header cell over it holds ink that was not read (its name is unknown)."""
    for row in range(table.header_rows - 1, -1, -1):
        cell = at.get((row, col))
        if cell is not None and (cell.text or _unread(cell)):
            return cell if cell.text else None
    return None


def _filled(table: Table, at: Slots, col: int) -> bool:
    """A figure in ``col`` in some body row (a merged cell covering it counts; specks of
    ink read as ``•`` or ``日`` do not)."""
    for row in table.view.body_rows:
        cell = at.get((row, col))
        if cell is not None and (cell.value is not None or looks_like_amount(cell.text)):
            return True
    return False


def empty_column(table: Table) -> Flag | None:
    """Amount columns with no header of their own and no figure, inside a header group."""
    numeric = set(table.view.numeric_cols)
    if not numeric or not table.header_rows or not table.view.body_rows:
        return None
    found: list[tuple[int, int]] = []
    keys, at = key_cols(table), slots_of(table)
    for col in range(min(numeric), table.n_cols):
        if col in keys or _filled(table, at, col):
            continue
        group = _header_over(table, at, col)
        if group is None or group.col_span < 2:
            continue  # a header of its own (or one not read): an empty column may be blank
        siblings = [c for c in range(group.col, group.col_end + 1) if c != col]
        if any(c in numeric and _filled(table, at, c) for c in siblings):
            found.append((table.view.body_rows[0], col))
    if not found:
        return None
    cols = ", ".join(str(c + 1) for _, c in found)
    message = (
        f"the grid contradicts its content: column(s) {cols} have no header of their own and no "
        "figure in any row, inside a header group that holds amounts "
        "(a column line too many, or a header line lost)"
    )
    return Flag(FlagKind.EMPTY_COLUMN, message, at=found[0])


def _labelled(table: Table, at: Slots, row: int, numeric: set[int]) -> bool | None:
    """Whether the row has any text outside the amount columns (None: a label left unread)."""
    for col in range(table.n_cols):
        cell = None if col in numeric else at.get((row, col))
        if cell is not None and (cell.text or _unread(cell)):
            return True if cell.text else None
    return False


def _merged_block_above(table: Table, at: Slots, row: int, numeric: set[int]) -> bool:
    """A merged cell in the label columns ends just above ``row`` (it may have swallowed its label)."""
    above = [at.get((row - 1, col)) for col in range(table.n_cols) if col not in numeric]
    return any(c is not None and c.row_span > 1 and c.row_end == row - 1 for c in above)


def unlabelled_rows(table: Table) -> Flag | None:
    """Body rows with amounts but no label at all just below a merged block, in a table
    whose rows carry labels (a form of one row of amounts under its 栏次 row has none)."""
    keys, at = key_cols(table), slots_of(table)
    numeric = set(table.view.numeric_cols) - keys
    rows = table.view.body_rows
    if not numeric or not rows:
        return None
    labelled = {r: _labelled(table, at, r, numeric) for r in rows}
    if 2 * sum(1 for v in labelled.values() if v) < len(rows):
        return None  # labels are not what this table's rows carry
    found: list[tuple[int, int]] = []
    for row in rows:
        cells = [(c, at.get((row, c))) for c in sorted(numeric)]
        amounts = [c for c, x in cells if x is not None and x.row == row and x.value is not None]
        if amounts and labelled[row] is False and _merged_block_above(table, at, row, numeric):
            found.append((row, amounts[0]))
    if not found:
        return None
    message = (
        f"the grid contradicts its content: {len(found)} body row(s) hold amounts but no label, "
        f"just below a merged block ({_where(found)})"
    )
    return Flag(FlagKind.UNLABELLED_ROW, message, at=found[0])


def _fused_names(text: str, names: set[str]) -> tuple[str, str] | None:
    for first in names:
        rest = text[len(first) :] if text.startswith(first) and len(text) > len(first) else ""
        if rest in names:
            return first, rest
    return None


def fused_headers(table: Table) -> Flag | None:
    """Header cells naming two columns that their header row prints apart, again and again,
    beside them (``预算数决算数`` where 预算数 and 决算数 head columns of their own over each
    group): a column line lost."""
    found: list[tuple[int, int]] = []
    for row in range(table.header_rows):
        cells = [c for c in table.cells if c.row == row and c.text]
        # Names the row repeats (a 预算数 | 决算数 pair over each group): the columns it prints apart.
        counts = Counter(_SEPARATORS.sub("", c.text) for c in cells)
        names = {name for name, n in counts.items() if n >= 2}
        for cell in cells:
            pair = _fused_names(_SEPARATORS.sub("", cell.text), names)
            if pair is not None:
                reason = f"names two columns ({pair[0]}, {pair[1]}) that the header prints apart elsewhere"
                _flag_cell(cell, Flag(FlagKind.TWO_VALUES, reason))
                found.append((row, cell.col))
    return _two_values_flag(found, "header cell(s) name two columns", ": a column line lost")


def check_structure(table: Table) -> list[Flag]:
    """Flag the table (``table.flags``) wherever its grid contradicts its content; the cells
    holding two values are flagged too. Returns the table's structure flags."""
    flags = [
        f
        for check in (two_values, fused_headers, empty_column, unlabelled_rows)
        if (f := check(table)) is not None
    ]
    table.flags = [f for f in table.flags if not f.kind.structural] + flags
    return flags
