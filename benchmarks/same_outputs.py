"""Compare two output folders of ``recover extract``: every file byte for byte, but result.json
and page checkpoints without their timing (page ``seconds``), a workbook without its creation
time, and the review queue by its items.

Used by the tests of ``--jobs``/``--ray`` and by ``benchmarks/throughput.py``.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from recover.review.queue import DB_NAME
from recover.workers.finished import FINISHED

_TIMING = "seconds"
_WORKBOOK_TIMES = "docProps/core.xml"  # the workbook's created/modified times


def _without_timing(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_timing(v) for k, v in data.items() if k != _TIMING}
    if isinstance(data, list):
        return [_without_timing(v) for v in data]
    return data


def _comparable(path: Path) -> Any:
    if path.suffix == ".json":
        return _without_timing(json.loads(path.read_text(encoding="utf-8")))
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return {name: book.read(name) for name in book.namelist() if name != _WORKBOOK_TIMES}
    return path.read_bytes()


def review_items(out: Path) -> list[tuple[Any, ...]]:
    """Every row of the review queue's items, in key order."""
    db = out / DB_NAME
    if not db.is_file():
        return []
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT * FROM items ORDER BY key"))


def _outputs(folder: Path) -> set[Path]:
    """The outputs to compare: not the queue's own files, not a run's ``finished.json`` record."""
    return {
        p.relative_to(folder)
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(DB_NAME) and p.name != FINISHED
    }


def output_differences(a: Path, b: Path) -> list[str]:
    """What differs between output folders ``a`` and ``b`` (empty when they are the same)."""
    files_a, files_b = _outputs(a), _outputs(b)
    problems = [f"only in {a}: {p}" for p in sorted(files_a - files_b)]
    problems += [f"only in {b}: {p}" for p in sorted(files_b - files_a)]
    problems += [
        f"differs: {p}" for p in sorted(files_a & files_b) if _comparable(a / p) != _comparable(b / p)
    ]
    items_a, items_b = review_items(a), review_items(b)
    if items_a != items_b:
        problems.append(f"review items differ ({len(items_a)} vs {len(items_b)})")
    return problems
