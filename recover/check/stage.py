"""The check stage: every table's totals (with proven repairs) and structure, then the rules
between tables and against the filing's own text, and last every amount's trust tier. Runs
once, after labelling and assembling."""

from __future__ import annotations

from recover.check.document import check_document
from recover.check.repair import check_table
from recover.check.structure import check_structure
from recover.check.tiers import assign_tiers
from recover.model import Document
from recover.read.reread import Reread


def check_stage(doc: Document, reread: Reread | None, complete: bool = True) -> Document:
    """Check each table, then the document; ``complete`` is False when only some pages were
    read (absent forms are then not reported). Every amount ends proven, repaired,
    unproven, flagged or reviewed."""
    for table in doc.tables:
        table.checks = check_table(table, reread=reread)
        check_structure(table)
    return assign_tiers(check_document(doc, reread=reread, complete=complete))
