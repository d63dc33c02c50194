"""``findings.csv``: what the checks found wrong with the filing itself, one row each.

The consistency report of a filing, for the reader who wants the problems rather than the
data: totals that do not add up as printed, forms that disagree with each other or with the
text, forms missing from the standard set, notes (template placeholders, other years), and
what the extraction set aside (lines that were no table), failed to read, or extracted as a
grid that contradicts its own content (``table structure``: the table as a whole needs a look).
"""

from __future__ import annotations

import csv
import io

from recover.export.csv_text import csv_safe
from recover.model import Document, RuleKind, Table, Verdict

HEADER = ["kind", "status", "page", "table", "where", "says"]


def finding_rows(doc: Document) -> list[list[str]]:
    """Rows of ``findings.csv``: notes on the input file, then in page order (document-wide
    findings last)."""
    rows: list[list[str]] = [["note", "", "", "", "", note] for note in doc.notes]
    for number, table in enumerate(doc.tables, start=1):
        rows.extend(_table_findings(number, table))
    checks = doc.checks
    if checks is not None:
        tables = {(t.page, t.index + 1): n for n, t in enumerate(doc.tables, start=1)}
        for rule in checks.rules:
            if rule.status is Verdict.HOLDS:
                continue
            kind = "text vs tables" if rule.kind is RuleKind.STATEMENT else "between tables"
            first = rule.left[0] if rule.left else None
            other = rule.right[0] if rule.right else first
            found_at = None if other is None else tables.get((other.page, other.table or 0))
            says = rule.says if rule.off_by is None else f"{rule.says}: off by {rule.off_by}"
            rows.append(
                [
                    kind,
                    rule.status.value,
                    "" if first is None else str(first.page),
                    f"{found_at:02d}" if found_at else "",
                    "" if first is None else first.label,
                    says,
                ]
            )
        for form in checks.missing_forms:
            rows.append(
                ["missing form", "", "", "", form, f"a {checks.publication} publishes {form}; none was found"]
            )
        rows.extend(["note", "", "", "", "", note] for note in checks.notes)
    # What the extraction itself set aside or could not read: nothing leaves silently.
    for read in doc.pages:
        rows.extend(["set aside", "", str(read.number), "", "", note] for note in read.notes)
        rows.extend(["page failed", "", str(read.number), "", "", error] for error in read.errors)
    return rows


def _table_findings(number: int, table: Table) -> list[list[str]]:
    """One table's rows: totals the filing breaks, and a grid that contradicts its content."""
    rows = []
    for found in table.checks.inconsistencies if table.checks else []:
        row, col = found.rule.target
        cell = table.cell_at(row, col)
        page = str(cell.page if cell is not None else table.page)  # a stitched table's own page
        says = f"{found.rule.label} is off by {found.off_by} as printed"
        where = f"row {row + 1}, column {col + 1}"
        rows.append(["within table", "source inconsistency", page, f"{number:02d}", where, says])
    for flag in table.flags:
        # The grid itself contradicts the table's content: the whole table needs a look.
        cell = table.cell_at(*flag.at) if flag.at is not None else None
        page = str(cell.page if cell is not None else table.page)
        where = f"row {flag.at[0] + 1}, column {flag.at[1] + 1}" if flag.at is not None else ""
        rows.append(["table structure", flag.kind.value, page, f"{number:02d}", where, flag.message])
    return rows


def findings_csv(doc: Document) -> bytes:
    """CSV bytes (UTF-8 with BOM, formulas neutralised) of :func:`finding_rows`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([[csv_safe(v, False) for v in row] for row in finding_rows(doc)])
    return buf.getvalue().encode("utf-8-sig")
