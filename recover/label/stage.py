"""The label stage: header paths, canonical column ids, form, year and the numeric view
(body rows, amount columns, row codes) of every table.

Each table is labelled on its own; a table that continues another (no header of its own)
takes the continued table's names in the assemble stage, which decides continuations.
"""

from __future__ import annotations

from recover.label.economic_columns import resolve_shared
from recover.label.flatten import column_paths, header_row_count
from recover.label.forms import filing_year, identify_form, row_scheme
from recover.label.fused_codes import split_code_names
from recover.label.match import THRESHOLD, match_path
from recover.label.measure_blocks import measure_repeated_blocks
from recover.label.numeric_view import numeric_view
from recover.label.row_keys import RowKeyVerdict, settle_row_keys
from recover.label.sibling_columns import complete_sequences
from recover.label.table_meta import is_running_text
from recover.label.total_columns import total_by_amounts
from recover.label.vocabulary import Vocabulary, default_vocabulary
from recover.model import ColumnMapping, ColumnStatus, Document, Table

ROW_KEYS = {"code_lei", "code_kuan", "code_xiang", "subject_code", "subject_name", "unit_code", "unit_name"}
TOTAL_LABELS = {"合计", "总计"}
COLUMN_NUMBERS = {"", "栏次", "行次栏次"}


def column_path(printed: list[str], vocab: Vocabulary | None = None) -> list[str]:
    """The path a column is named by: a trailing column number ("1", "栏次") numbers the
    column, it does not name it; under a code or name header, a trailing 合计/总计 labels the
    body's total row, not the column. Both are dropped."""
    vocab = vocab or default_vocabulary()
    while len(printed) > 1 and (printed[-1].isdigit() or vocab.fold(printed[-1]) in COLUMN_NUMBERS):
        printed = printed[:-1]
    if len(printed) > 1 and printed[-1] in TOTAL_LABELS and match_path(printed[:-1], vocab).id in ROW_KEYS:
        return printed[:-1]
    return printed


def map_columns(printed_paths: list[list[str]], vocab: Vocabulary | None = None) -> list[ColumnMapping]:
    """Canonical ids of one table's columns from their printed header paths. The columns
    are mapped together: a name both economic classifications use takes the one the
    table's other columns follow."""
    columns = []
    for col, printed in enumerate(printed_paths):
        if not printed:
            columns.append(ColumnMapping(col, [], None, 0.0, ColumnStatus.NO_HEADER))
            continue
        path = column_path(printed, vocab)
        found = match_path(path, vocab)
        mapped = found.id is not None and found.score >= THRESHOLD
        status = ColumnStatus.MAPPED if mapped else ColumnStatus.UNMAPPED
        columns.append(ColumnMapping(col, path, found.id, round(found.score, 1), status))
    resolve_shared(columns)
    vocab = vocab or default_vocabulary()
    measure_repeated_blocks(columns, vocab)
    complete_sequences(columns, vocab)
    return columns


def map_table(table: Table, vocab: Vocabulary) -> None:
    """Flatten the header, map each column, record the numeric view, check the row keys
    against the classification, identify the form, read the year."""
    table.header_rows = header_row_count(table)
    table.columns = map_columns(column_paths(table, table.header_rows), vocab)
    split_code_names(table)
    table.view = numeric_view(table)
    total_by_amounts(table, vocab)
    judged = settle_row_keys(table)
    rows = row_scheme([j.code for _, j in judged if j.verdict is not RowKeyVerdict.UNIT])
    ids = [c.id for c in table.columns]
    # A sentence or a section heading of the report above the table names no form.
    title = "" if is_running_text(table.meta.title) else table.meta.title
    lines = [line for line in table.meta.context_lines if not is_running_text(line)]
    form = identify_form(title or " ".join(lines), ids, vocab, rows)
    if form.id is None and not title:
        # No title line was found (a seal or a faint scan broke it up): the columns decide.
        form = identify_form("", ids, vocab, rows)
    table.meta.form = form.id or ""
    table.meta.form_score = round(form.score, 1)
    table.meta.year = filing_year(" ".join([table.meta.title, *table.meta.context_lines]))


def label_document(doc: Document, vocab: Vocabulary | None = None) -> Document:
    """Label every table of the document."""
    vocab = vocab or default_vocabulary()
    for table in doc.tables:
        map_table(table, vocab)
    return doc
