"""Which outputs a document folder holds (``--format csv,xlsx,json``), and where that is recorded.

``json`` is ``result.json``: the whole model, which the review queue, ``recover export`` and a
resumed run read back, so it is always written; ``--format json`` alone means *only* it.
``csv`` is the per-table CSVs with ``tidy.csv`` and ``findings.csv``; ``xlsx`` is one workbook
per filing. The formats chosen are recorded in ``result.json`` (``"formats"``) so that
``recover export`` rewrites the same outputs after review.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from recover.errors import RecoverError


class OutputFormat(StrEnum):
    """An output a document folder can hold."""

    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


DEFAULT_FORMATS = frozenset({OutputFormat.CSV, OutputFormat.JSON})
"""What ``recover extract`` writes unless told otherwise (and what older output folders hold)."""


def workbook_path(doc_dir: Path) -> Path:
    """Where a document folder's workbook lives: named after the filing, so several open at once."""
    return doc_dir / f"{doc_dir.name}.xlsx"


def parse_formats(spec: str) -> frozenset[OutputFormat]:
    """The formats named in ``spec`` (comma-separated), ``json`` always among them."""
    chosen = {OutputFormat.JSON}
    for part in spec.split(","):
        name = part.strip().lower()
        if name not in {f.value for f in OutputFormat}:
            names = ", ".join(f.value for f in OutputFormat)
            raise RecoverError(f"--format: '{part.strip()}' is not one of {names} (e.g. csv,xlsx)")
        chosen.add(OutputFormat(name))
    return frozenset(chosen)


def recorded_formats(result: dict[str, Any]) -> frozenset[OutputFormat]:
    """The formats an earlier run wrote, from its ``result.json`` (older runs: the default)."""
    names = result.get("formats")
    if not isinstance(names, list):
        return DEFAULT_FORMATS
    return frozenset({OutputFormat.JSON, *(OutputFormat(n) for n in names if n in set(OutputFormat))})


def format_names(formats: frozenset[OutputFormat]) -> list[str]:
    """The formats as recorded in ``result.json``, in a stable order."""
    return [f.value for f in OutputFormat if f in formats]
