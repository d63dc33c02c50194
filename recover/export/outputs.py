"""Write a document's outputs atomically: per-table CSVs, result.json, page checkpoints.

Layout under ``OUT/<input-stem>/``:
``tables/<nn>.csv`` (UTF-8 with BOM so Excel opens it as UTF-8), ``result.json`` (the whole
model), ``pages/<nnnn>.json`` (one checkpoint per finished page, so a rerun resumes).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from recover.errors import OutputError
from recover.export.csv_text import csv_safe
from recover.export.findings import findings_csv
from recover.export.tidy import tidy_csv
from recover.model import Document, Page, Table


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            # A full disk must not leave half a file behind, even under a temporary name.
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
        raise OutputError(f"{path}: cannot write output ({exc.strerror or exc})") from None


def write_json(path: Path, obj: Any) -> None:
    """Atomically write pretty UTF-8 JSON."""
    write_atomic(path, json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8"))


def table_csv(table: Table) -> bytes:
    """CSV bytes of a table: rows as printed, a merged cell's text in its top-left slot."""
    grid = [["" for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for cell in table.cells:
        grid[cell.row][cell.col] = csv_safe(cell.text, cell.value is not None)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(grid)
    return buf.getvalue().encode("utf-8-sig")


def document_dir(out_root: Path, source: Path) -> Path:
    """The output folder of one input file."""
    return out_root / source.stem


def write_page_checkpoint(doc_dir: Path, sha256: str, page: Page) -> None:
    """Record a finished page so an interrupted run can resume after it."""
    write_json(doc_dir / "pages" / f"{page.number:04d}.json", {"sha256": sha256, "page": page.to_dict()})


def load_page_checkpoints(doc_dir: Path, sha256: str) -> dict[int, Page]:
    """Finished pages of an earlier run on the same file (same hash); others are ignored."""
    done: dict[int, Page] = {}
    folder = doc_dir / "pages"
    if not folder.is_dir():
        return done
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged checkpoint is simply redone
        if record.get("sha256") == sha256 and record.get("page", {}).get("status") != "failed":
            page = Page.from_dict(record["page"])
            done[page.number] = page
    return done


def write_document(doc_dir: Path, doc: Document, unit: str | None = None) -> list[Path]:
    """Write every table's CSV, ``tidy.csv`` (amounts in ``unit`` when given) and
    ``result.json``; returns the table CSV paths."""
    written = []
    tables_dir = doc_dir / "tables"
    for n, table in enumerate(doc.tables, start=1):
        path = tables_dir / f"{n:02d}.csv"
        write_atomic(path, table_csv(table))
        written.append(path)
    # CSVs of an earlier run with more tables would otherwise linger and mislead.
    if tables_dir.is_dir():
        keep = {p.name for p in written}
        for stale in tables_dir.glob("*.csv"):
            if stale.name not in keep:
                stale.unlink()
    write_atomic(doc_dir / "tidy.csv", tidy_csv(doc, Path(doc.source).stem, unit))
    write_atomic(doc_dir / "findings.csv", findings_csv(doc))
    write_json(doc_dir / "result.json", doc.to_dict())
    return written
