"""Compare two output folders of ``recover extract``: every file byte for byte, result.json
and page checkpoints without their timing (page ``seconds``), the review queue by its items.

Used by the tests of ``--jobs``/``--ray`` and by ``benchmarks/throughput.py``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from recover.review.queue import DB_NAME


def _without_timing(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_timing(v) for k, v in data.items() if k != "seconds"}
    if isinstance(data, list):
        return [_without_timing(v) for v in data]
    return data


def _comparable(path: Path) -> bytes | Any:
    if path.suffix == ".json":
        return _without_timing(json.loads(path.read_text(encoding="utf-8")))
    return path.read_bytes()


def review_items(out: Path) -> list[tuple[Any, ...]]:
    """Every row of the review queue's items, in key order."""
    db = out / DB_NAME
    if not db.is_file():
        return []
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT * FROM items ORDER BY key"))


def output_differences(a: Path, b: Path) -> list[str]:
    """What differs between output folders ``a`` and ``b`` (empty when they are the same)."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.name != DB_NAME}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.name != DB_NAME}
    problems = [f"only in {a}: {p}" for p in sorted(files_a - files_b)]
    problems += [f"only in {b}: {p}" for p in sorted(files_b - files_a)]
    problems += [
        f"differs: {p}" for p in sorted(files_a & files_b) if _comparable(a / p) != _comparable(b / p)
    ]
    if review_items(a) != review_items(b):
        problems.append(f"review items differ ({len(review_items(a))} vs {len(review_items(b))})")
    return problems
