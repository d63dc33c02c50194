"""Merged header rows → one path per column ("支出预算 / 基本支出 / 人员经费")."""

from __future__ import annotations

import re

from recover.model import Table
from recover.read.chinese import has_chinese

_BODY_LABEL = re.compile(r"^(合计|总计|本年收入合计|本年支出合计)$")
_ENUMERATED = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、])")
_NUMBERING = {"序号", "行次"}
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$|^\d{3}(\s+\d{2}){1,2}$")


def header_row_count(table: Table) -> int:
    """Rows above the body: the body starts at the first row with an amount, a subject
    code, an enumerated item ("一、…"), a 合计/总计 label standing alone (a header row
    may start with 合计 too, but then other column names follow it) or, under a 序号 / 行次
    header, a reading that is no words (a damaged number: ``I`` for 1 still numbers a row)."""
    numbering: set[int] = set()
    for row in range(table.n_rows):
        cells = sorted((c for c in table.cells if c.row == row), key=lambda c: c.col)
        if any(c.value is not None and c.row_span == 1 for c in cells):
            return row
        if any(c.col in numbering and c.text.strip() and not has_chinese(c.text) for c in cells):
            return row
        numbering |= {c.col for c in cells if c.col_span == 1 and c.text.replace(" ", "") in _NUMBERING}
        texts = [c.text.replace(" ", "") for c in cells if c.text.strip()]
        first = texts[0] if texts else ""
        if _CODE.match(first) or _ENUMERATED.match(first):
            return row
        if _BODY_LABEL.match(first) and not any(has_chinese(t) for t in texts[1:]):
            return row
    return table.n_rows


def column_paths(table: Table, header_rows: int) -> list[list[str]]:
    """For each column, the distinct header texts covering it, top to bottom."""
    paths: list[list[str]] = []
    for col in range(table.n_cols):
        path: list[str] = []
        for row in range(header_rows):
            cell = table.cell_at(row, col)
            text = "" if cell is None else re.sub(r"\s+", "", cell.text)
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths
