"""The check stage: every table's totals (with proven repairs), then the rules between
tables and against the filing's own text. Runs once, after labelling and assembling."""

from __future__ import annotations

from recover.check.document import check_document
from recover.check.repair import check_table
from recover.model import Document
from recover.read.reread import Reread


def check_stage(doc: Document, reread: Reread | None, complete: bool = True) -> Document:
    """Check each table, then the document; ``complete`` is False when only some pages were
    read (absent forms are then not reported)."""
    for table in doc.tables:
        table.checks = check_table(table, reread=reread)
    return check_document(doc, reread=reread, complete=complete)
