"""The data model every stage reads and enriches: Document → Page → Table → Cell.

Each object round-trips through plain dicts (``to_dict`` / ``from_dict``) so that
``result.json`` is the whole model and recorded stage outputs can be replayed in tests.
Amounts are ``Decimal`` in memory and strings in JSON, never floats.
"""

from recover.model.cell import BBox, Cell, CellStatus, Provenance, Repair, Review, Suggestion, TextSource
from recover.model.checks import (
    DocumentChecks,
    DocumentRule,
    DroppedRule,
    DropReason,
    RuleKind,
    TableChecks,
    Term,
)
from recover.model.flags import Flag, FlagKind
from recover.model.page import SCHEMA_VERSION, Document, Page, PageGeometry, PageSource, PageStatus, TextLine
from recover.model.proof import KEY_COLUMNS, ProofTally, is_amount, key_cols, proof_of, table_proof
from recover.model.region import Region, RegionKind
from recover.model.rules import CheckedRule, Constraint, RuleSource, Slot, Verdict, last_place_unit
from recover.model.table import (
    ColumnMapping,
    ColumnStatus,
    Grid,
    NumericView,
    Table,
    TableLayout,
    TableMeta,
)

__all__ = [
    "KEY_COLUMNS",
    "SCHEMA_VERSION",
    "BBox",
    "Cell",
    "CellStatus",
    "CheckedRule",
    "ColumnMapping",
    "ColumnStatus",
    "Constraint",
    "Document",
    "DocumentChecks",
    "DocumentRule",
    "DropReason",
    "DroppedRule",
    "Flag",
    "FlagKind",
    "Grid",
    "NumericView",
    "Page",
    "PageGeometry",
    "PageSource",
    "PageStatus",
    "ProofTally",
    "Provenance",
    "Region",
    "RegionKind",
    "Repair",
    "Review",
    "RuleKind",
    "RuleSource",
    "Slot",
    "Suggestion",
    "Table",
    "TableChecks",
    "TableLayout",
    "TableMeta",
    "Term",
    "TextLine",
    "TextSource",
    "Verdict",
    "is_amount",
    "key_cols",
    "last_place_unit",
    "proof_of",
    "table_proof",
]
