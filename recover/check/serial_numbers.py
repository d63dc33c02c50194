"""The count a 序号 / 行次 column prints (1, 2, 3 …): arithmetic the table prints too.

A column that numbers its rows must count on from one filled row to the next. A number that
breaks the count where both neighbours, or one neighbour that is itself in the count, say
what it must be, is a misreading: repaired when the digit-confusion model explains the
printed number as that one (the count then holds, as a total would), flagged otherwise. A
number in the count stays ``ok``: these cells are row keys, not amounts (README, trust
tiers), and no amount's tier changes with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from recover.check.confusion import alternatives
from recover.model import Cell, CellStatus, Flag, FlagKind, Repair, Table
from recover.read.chinese import has_chinese

NUMBERING_IDS = frozenset({"serial_no", "row_number"})
COUNT_RULE = "the count of its column (序号 / 行次 1, 2, 3 …)"


def numbering_cols(table: Table) -> set[int]:
    """Columns that number their rows (序号, 行次): headed so, and their body readings mostly
    numbers or readings that are no words (a damaged number: ``B`` for ``3``)."""
    found: set[int] = set()
    for col in {m.col for m in table.columns if m.id in NUMBERING_IDS}:
        texts = [c.text.strip() for c in table.cells if c.col == col and c.row >= table.header_rows]
        filled = [t for t in texts if t]
        numbers = sum(t.isdigit() for t in filled)
        damaged = sum(not has_chinese(t) for t in filled) - numbers
        # Mostly numbers; or some numbers, and readings that are no words beside them.
        if filled and (2 * numbers >= len(filled) or (numbers and 2 * (numbers + damaged) > len(filled))):
            found.add(col)
    return found


@dataclass(frozen=True)
class _Place:
    """A filled body cell of a numbering column and the number it reads (None: not a number)."""

    cell: Cell
    number: int | None


def _places(table: Table, col: int) -> list[_Place]:
    cells = sorted(
        (c for c in table.cells if c.col == col and c.row >= table.header_rows and c.text.strip()),
        key=lambda c: c.row,
    )
    return [_Place(c, int(c.text.strip()) if c.text.strip().isdigit() else None) for c in cells]


def _follows(before: _Place | None, after: _Place | None) -> bool:
    return (
        before is not None
        and after is not None
        and before.number is not None
        and after.number == before.number + 1
    )


def _in_count(places: list[_Place], i: int) -> bool:
    """A number the count confirms: one more than the number before it, one less than the
    one after it, or a 1 that opens the column."""
    prev = places[i - 1] if i > 0 else None
    nxt = places[i + 1] if i + 1 < len(places) else None
    return _follows(prev, places[i]) or _follows(places[i], nxt) or (i == 0 and places[i].number == 1)


def _expected(places: list[_Place], i: int, confirmed: list[bool]) -> tuple[int | None, bool]:
    """The number the count asks for at ``i`` (None: it cannot tell) and whether the count
    contradicts the reading (a neighbour that reads as a number asks for another one).
    It can tell when both neighbours ask for the same number, or when only the neighbours
    the count confirms themselves ask, and for one number."""
    wants: dict[int, int] = {}
    for j, step in ((i - 1, 1), (i + 1, -1)):
        number = places[j].number if 0 <= j < len(places) else None
        if number is not None:
            wants[j] = number + step
    clash = any(w != places[i].number for w in wants.values())
    if len(wants) == 2 and len(set(wants.values())) == 1:
        return next(iter(wants.values())), clash
    sure = {w for j, w in wants.items() if confirmed[j]}
    return (sure.pop() if len(sure) == 1 else None), clash


def _repair_or_flag(cell: Cell, want: int | None, shown: str) -> None:
    if want is not None and want >= 0:
        for alt in alternatives(cell.text.strip()):
            if alt.value == want:
                text = str(want)
                cell.repair = Repair(cell.text, text, text, alt.explanation, [COUNT_RULE])
                cell.text, cell.value, cell.status = text, alt.value, CellStatus.REPAIRED
                return
    hint = "" if want is None else f"; it must be {want}, which no single misreading explains"
    cell.status = CellStatus.FLAGGED
    cell.flags.append(Flag(FlagKind.UNEXPLAINED, f"breaks the count of its column ({shown}){hint}"))


def check_numbering(table: Table) -> None:
    """Flag (or repair) each number of a numbering column that breaks its count (in place)."""
    for col in sorted(numbering_cols(table)):
        places = _places(table, col)
        confirmed = [p.number is not None and _in_count(places, i) for i, p in enumerate(places)]
        for i, place in enumerate(places):
            if place.number is None or confirmed[i] or place.cell.status is not CellStatus.OK:
                continue
            want, clash = _expected(places, i, confirmed)
            if not clash:
                continue  # no neighbour reads as a number: nothing says it is wrong
            shown = ", ".join(p.cell.text.strip() for p in places[max(0, i - 1) : i + 2])
            _repair_or_flag(place.cell, want, shown)
