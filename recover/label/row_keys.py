"""Row keys against the national classification: a body row's subject code and name must be
a code/name pair of 政府收支分类科目 (``2101505 医疗保障政策管理``).

:func:`judge` decides one pair: confirmed; an OCR-damaged code or name that has exactly one
match (the name names one code a misread digit away, or the name is a near reading of the
code's own name) is corrected, with the evidence; an unknown code, or a code and a name that
are both valid but of different subjects, is left as printed for the check stage to flag.
Rows keyed by a unit code (307 / 307001 湖南省医疗保障局本级) are units, not subjects: not judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from recover.label.classification import Classification, default_classification, normalise_name
from recover.label.numeric_view import row_codes
from recover.model import CellStatus, Repair, Table
from recover.read.amounts import parse_amount

NAME_NEAR = 85.0  # similarity at which a printed name is a misreading of the code's name
_LETTER_DIGITS = str.maketrans("OoDQSsIl|Zz", "00005511122")
_UNIT_NAME = re.compile(r"(本级|局|厅|委员会|办公室|中心|站|所|队|学校|馆|公司|医院|协会|集团)$")


class RowKeyVerdict(StrEnum):
    """What the classification says about a row's code and name."""

    CONFIRMED = "confirmed"  # the pair is in the classification
    CODE_KNOWN = "code known"  # no name printed; the code is in the classification
    CODE_CORRECTED = "code corrected"  # a misread code, settled by its name
    NAME_CORRECTED = "name corrected"  # a misread name, settled by its code
    UNLISTED_XIANG = "unlisted 项"  # a 项 the file does not list, under a 款 it has
    UNKNOWN_CODE = "unknown code"  # no edition has the code, and no unique correction
    MISMATCH = "code/name mismatch"  # the code and the name are of different subjects
    UNIT = "unit row"  # keyed by a unit code, not a subject


@dataclass(frozen=True)
class RowKeyJudgement:
    """The verdict, the code and name the row should carry, and why."""

    verdict: RowKeyVerdict
    code: str
    name: str
    evidence: str = ""

    @property
    def problem(self) -> bool:
        """An unknown code or a mismatch: for review, never changed."""
        return self.verdict in (RowKeyVerdict.UNKNOWN_CODE, RowKeyVerdict.MISMATCH)


def clean_code(text: str) -> str:
    """A printed code with whitespace removed and letters OCR reads for digits (O, S, l …)
    turned back into digits; empty when it is not code-like."""
    compact = re.sub(r"\s+", "", text).translate(_LETTER_DIGITS)
    # A speck read beside the code ("日205", "2101505•") is not part of it.
    found = re.fullmatch(r"\D?(\d+)\D?", compact)
    return found.group(1) if found else ""


def _one_inserted(read: str, code: str) -> bool:
    """``read`` is ``code`` with one digit more (a rule or speck read as "1")."""
    return len(read) == len(code) + 1 and any(read[:i] + read[i + 1 :] == code for i in range(len(read)))


def _one_digit_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def is_unit_row(code: str, name: str, cls: Classification) -> bool:
    """A row keyed by a unit (部门/单位) code: 6 digits beside a name that is no subject's,
    or a code outside the classification beside an organisation's name."""
    if len(code) == 6:
        # Beside a subject's name, six digits are a code misread or fused (210210 for two
        # rows of 210), not a unit's.
        return not cls.codes_named(name)
    # 307 is also 债务利息及费用支出: beside an organisation's name it keys that unit.
    return not cls.codes_named(name) and bool(_UNIT_NAME.search(normalise_name(name)))


def judge(code: str, name: str, cls: Classification) -> RowKeyJudgement:
    """The classification's verdict on one row's (cleaned) code and printed name."""
    printed = normalise_name(name)
    subject = cls.get(code)
    if is_unit_row(code, name, cls):
        return RowKeyJudgement(RowKeyVerdict.UNIT, code, name)
    if subject is not None and not printed:
        return RowKeyJudgement(RowKeyVerdict.CODE_KNOWN, code, name)
    if subject is not None and cls.accepts(code, name):
        return RowKeyJudgement(RowKeyVerdict.CONFIRMED, code, name)
    named = [c for c in cls.codes_named(name) if len(c) == len(code)]
    if subject is not None:
        return _known_code(code, name, named, cls)
    parent = cls.get(code[:5]) if len(code) == 7 else None
    if len(code) not in (3, 5, 7):
        near = [c for c in cls.codes_named(name) if _one_inserted(code, c)]
    elif parent is not None:
        # Under a 款 the file has, an unlisted 项 may be real (2120101 行政运行 of 城乡社区管理
        # 事务): only a sibling of that name, a digit away, shows a misreading.
        near = [c for c in named if c.startswith(parent.code) and _one_digit_apart(c, code)]
    else:
        near = [c for c in named if _one_digit_apart(c, code)]
    if len(near) == 1:
        evidence = f"code read {code!r}: {near[0]} is the only code named {name} a misread digit away"
        return RowKeyJudgement(RowKeyVerdict.CODE_CORRECTED, near[0], name, evidence)
    if not named and printed and parent is None:
        # Both damaged: a code a digit away whose name the printed one is a near reading of.
        close = [
            (s.code, s.name)
            for s in cls.subjects.values()
            if _one_digit_apart(s.code, code)
            and max(fuzz.ratio(printed, normalise_name(n)) for n in s.names) >= 90
        ]
        if len(close) == 1:
            found, right = close[0]
            evidence = (
                f"code read {code!r}, name read {name!r}: {found} {right} is the only subject that near"
            )
            return RowKeyJudgement(RowKeyVerdict.CODE_CORRECTED, found, right, evidence)
    if parent is not None:
        # 类 and 款 are complete, 项 only as far as the filings at hand show them.
        return RowKeyJudgement(
            RowKeyVerdict.UNLISTED_XIANG, code, name, f"项 {code} under {parent.code} {parent.name}"
        )
    hint = f" ({name} is {', '.join(named)})" if named else ""
    return RowKeyJudgement(
        RowKeyVerdict.UNKNOWN_CODE, code, name, f"subject code {code} is in no edition{hint}"
    )


def _known_code(code: str, name: str, named: list[str], cls: Classification) -> RowKeyJudgement:
    """A valid code whose printed name is not its name: a misread name, or a mismatch."""
    subject = cls.get(code)
    assert subject is not None
    if named:
        return RowKeyJudgement(
            RowKeyVerdict.MISMATCH,
            code,
            name,
            f"subject code {code} is {subject.name}, but {name} is {', '.join(named)}",
        )
    printed = normalise_name(name)
    own = {normalise_name(n) for n in subject.names}
    mine = max(fuzz.ratio(printed, n) for n in own)
    # The name must be nearer the code's own name than any other name of its 类 at that level.
    rival = max(
        (
            fuzz.ratio(printed, normalise_name(n))
            for s in cls.subjects.values()
            if len(s.code) == len(code) and s.code[:3] == code[:3]
            for n in s.names
            if normalise_name(n) not in own
        ),
        default=0.0,
    )
    # Near: similar overall, or one character misread in a name of four or more.
    one_off = len(printed) >= 4 and min(Levenshtein.distance(printed, n) for n in own) == 1
    if (mine >= NAME_NEAR or one_off) and mine > rival:
        evidence = f"name read {name!r}: code {code} is {subject.name} (similarity {mine:.0f})"
        return RowKeyJudgement(RowKeyVerdict.NAME_CORRECTED, code, subject.name, evidence)
    return RowKeyJudgement(
        RowKeyVerdict.MISMATCH, code, name, f"subject code {code} is {subject.name}, not {name}"
    )


@dataclass(frozen=True)
class RowKey:
    """Where a body row prints its key: the code pieces (column, cleaned digits) and the name."""

    row: int
    code: str
    pieces: tuple[tuple[int, str], ...]
    name_col: int | None
    name: str


def subject_code_cols(table: Table) -> list[int]:
    """The code columns that hold subject codes (a 单位代码 column beside them does not)."""
    units = {c.col for c in table.columns if c.id == "unit_code"}
    return [c for c in table.view.code_cols if c not in units]


def name_column(table: Table, code_cols: list[int]) -> int | None:
    """The column of subject names: the one mapped as such, else the first after the codes."""
    mapped = [c.col for c in table.columns if c.id in ("subject_name", "expenditure_item")]
    if mapped:
        return mapped[0]
    after = max(table.view.code_cols, default=-1) + 1
    return after if code_cols and after < table.n_cols else None


def row_keys(table: Table) -> list[RowKey]:
    """Every row below the header with a (possibly misread) subject code, and its name."""
    cols = subject_code_cols(table)
    if not cols:
        return []
    texts = {(c.row, c.col): c.text for c in table.cells}
    cleaned = {s: (clean_code(t) or t) if s[1] in cols else t for s, t in texts.items()}
    # Every row below the header: a row whose amounts did not read is still keyed.
    rows = list(range(table.header_rows, table.n_rows))
    view = replace(table.view, code_cols=cols, body_rows=rows)
    name_col = name_column(table, cols)
    # The codes labelling settled (corrected, or resolved by the classification) stand.
    codes = row_codes(cleaned, view) | table.view.row_codes
    for row in rows:
        # A code with a digit too many ("1208") is a key to judge too (6 digits: a unit).
        odd = [cleaned.get((row, c), "") for c in cols if cleaned.get((row, c), "").isdigit()]
        if row not in codes and len(odd) == 1 and len(odd[0]) in (4, 8):
            codes[row] = odd[0]
    keys = []
    for row, code in sorted(codes.items()):
        pieces = tuple(
            (c, clean_code(texts.get((row, c), ""))) for c in cols if clean_code(texts.get((row, c), ""))
        )
        # The name cell may be merged across columns (and anchored in the 项 column).
        cell = table.cell_at(row, name_col) if name_col is not None else None
        name = cell.text if cell is not None else ""
        keys.append(RowKey(row, code, pieces, name_col, name))
    return keys


def settle_row_keys(table: Table, cls: Classification | None = None) -> list[tuple[RowKey, RowKeyJudgement]]:
    """Judge every row key of a labelled table; apply the corrections (text of the code or
    name cells only, each with a :class:`Repair` saying why) and give corrected rows their
    corrected code. Unit rows keep their unit code (the level a 合计 row totals). Problems
    stay as printed: the check stage flags them."""
    cls = cls or default_classification()
    judged = []
    for key in row_keys(table):
        verdict = judge(key.code, key.name, cls)
        judged.append((key, verdict))
        if verdict.problem or verdict.verdict is RowKeyVerdict.UNIT:
            continue
        # A code read with letters for digits ("21O15") is rewritten too, as a correction.
        if not _rewrite_code(table, key, verdict, cls):
            continue
        if key.row in table.view.body_rows:
            table.view.row_codes[key.row] = verdict.code
        if verdict.name != key.name and key.name_col is not None:
            _correct(table, key.row, key.name_col, verdict.name, verdict.evidence, cls)
    return judged


def _rewrite_code(table: Table, key: RowKey, verdict: RowKeyJudgement, cls: Classification) -> bool:
    """Write the judged code back into the row's code cells (a code printed in pieces, or
    under its parent, is split the same way); False when the change would fall in digits
    the row does not print."""
    joined = "".join(text for _, text in key.pieces)
    if len(verdict.code) != len(key.code):
        # A digit too many: only a code printed in one cell is rewritten.
        if len(key.pieces) != 1:
            return False
        col = key.pieces[0][0]
        _correct(table, key.row, col, verdict.code, verdict.evidence, cls)
        return True
    if (
        not joined
        or not key.code.endswith(joined)
        or verdict.code[: -len(joined)] != key.code[: -len(joined)]
    ):
        return False
    suffix = verdict.code[-len(joined) :]
    start = 0
    for col, text in key.pieces:
        new = suffix[start : start + len(text)]
        start += len(text)
        cell = table.cell_at(key.row, col)
        if cell is not None and re.sub(r"\s+", "", cell.text) != new:
            evidence = verdict.evidence or f"code read {cell.text!r}: letters read for digits"
            _correct(table, key.row, col, new, evidence, cls)
    return True


def _correct(table: Table, row: int, col: int, text: str, evidence: str, cls: Classification) -> None:
    cell = table.cell_at(row, col)
    if cell is None or cell.text == text:
        return
    source = f"政府收支分类科目 ({cls.edition} edition)"
    cell.repair = Repair(printed=cell.text, value=text, text=text, explanation=evidence, constraints=[source])
    # The value follows the corrected text, as the read stage and a review set it: a code's
    # digits parse as a number, and the misreading's must not stay behind (result.json).
    cell.text, cell.value, cell.status = text, parse_amount(text), CellStatus.REPAIRED
