"""Document stage: header paths, canonical column ids and forms for every table.

Runs over the whole document because a table that continues on the next page prints no
header there: it takes the mapping of the table it continues (same column count).
"""

from __future__ import annotations

from recover.label.flatten import column_paths, header_row_count
from recover.label.forms import filing_year, identify_form
from recover.label.match import THRESHOLD, match_path
from recover.label.vocabulary import Vocabulary, default_vocabulary
from recover.model import ColumnMapping, Document, Table

ROW_KEYS = {"code_lei", "code_kuan", "code_xiang", "subject_code", "subject_name", "unit_code", "unit_name"}
TOTAL_LABELS = {"合计", "总计"}


def column_path(printed: list[str], vocab: Vocabulary | None = None) -> list[str]:
    """The path a column is named by: under a code or name header, a trailing 合计/总计
    labels the body's total row, not the column, and is dropped."""
    if len(printed) > 1 and printed[-1] in TOTAL_LABELS and match_path(printed[:-1], vocab).id in ROW_KEYS:
        return printed[:-1]
    return printed


def map_table(table: Table, vocab: Vocabulary) -> None:
    """Flatten the header, map each column, identify the form, read the year."""
    table.header_rows = header_row_count(table)
    table.columns = []
    for col, printed in enumerate(column_paths(table, table.header_rows)):
        if not printed:
            table.columns.append(ColumnMapping(col, [], None, 0.0, "no header"))
            continue
        path = column_path(printed, vocab)
        found = match_path(path, vocab)
        status = "mapped" if found.id is not None and found.score >= THRESHOLD else "unmapped"
        table.columns.append(ColumnMapping(col, path, found.id, round(found.score, 1), status))
    title = table.meta.title or " ".join(table.meta.context_lines)
    form = identify_form(title, [c.id for c in table.columns], vocab)
    table.meta.form = form.id or ""
    table.meta.form_score = round(form.score, 1)
    table.meta.year = filing_year(" ".join([table.meta.title, *table.meta.context_lines]))


def _continue_from(previous: Table, table: Table, inherit_columns: bool) -> None:
    """Take form, year, unit and organisation (and the column names) of the table continued."""
    if inherit_columns:
        table.columns = [ColumnMapping(c.col, c.path, c.id, c.score, c.status) for c in previous.columns]
    table.meta.form, table.meta.form_score = previous.meta.form, previous.meta.form_score
    table.meta.year = table.meta.year or previous.meta.year
    table.meta.unit = table.meta.unit or previous.meta.unit
    table.meta.organisation = table.meta.organisation or previous.meta.organisation
    table.meta.continues = previous.meta.continues or f"page {previous.page} table {previous.index + 1}"


def map_document(doc: Document, vocab: Vocabulary | None = None) -> Document:
    """Map every table; headerless continuation tables inherit from the one they continue."""
    vocab = vocab or default_vocabulary()
    previous: Table | None = None
    for table in doc.tables:
        map_table(table, vocab)
        same_columns = previous is not None and previous.n_cols == table.n_cols
        if previous is not None and same_columns and (table.header_rows == 0 or not table.meta.title):
            # Headerless, or a header repeated without a title: the table continues.
            _continue_from(previous, table, inherit_columns=table.header_rows == 0)
        if table.header_rows > 0 or previous is None or previous.n_cols != table.n_cols:
            previous = table
    return doc
