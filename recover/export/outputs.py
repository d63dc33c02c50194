"""Write a document's outputs atomically: per-table CSVs, workbook, result.json, checkpoints.

Layout under ``OUT/<input-stem>/``:
``tables/<nn>.csv`` (UTF-8 with BOM so Excel opens it as UTF-8) with its sidecar
``status/<nn>.csv`` (each cell's trust tier in the same grid), ``tidy.csv``, ``findings.csv``
(format ``csv``), ``<input-stem>.xlsx`` (format ``xlsx``), ``result.json`` (the whole model and
the formats chosen; always), ``pages/<nnnn>.json`` (one checkpoint per finished page, so a
rerun resumes).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from recover.atomic_write import write_atomic
from recover.errors import OutputError
from recover.export.csv_text import csv_safe
from recover.export.findings import findings_csv
from recover.export.formats import DEFAULT_FORMATS, OutputFormat, format_names, workbook_path
from recover.export.tidy import tidy_csv
from recover.model import CellStatus, Document, Page, Table

TABLES = "tables"  # tables/NN.csv: each table's text as printed
STATUS = "status"  # status/NN.csv: the same grid, each cell's status (trust tier)


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


def table_status_csv(table: Table) -> bytes:
    """The sidecar of ``table_csv``: the same grid, each cell's status (its trust tier) where
    the table CSV has its text; blank where the grid is blank."""
    grid = [["" for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for cell in table.cells:
        if cell.text or cell.status is not CellStatus.EMPTY:
            grid[cell.row][cell.col] = cell.status.value
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


def write_document(
    doc_dir: Path, doc: Document, unit: str | None = None, formats: frozenset[OutputFormat] = DEFAULT_FORMATS
) -> list[Path]:
    """Write the document's outputs in ``formats`` (amounts of the tidy rows in ``unit`` when
    given) and ``result.json``; returns the files written.

    Outputs of a format not asked for are removed: left from an earlier run, they would
    disagree with ``result.json`` (after review decisions, say).
    """
    written = _write_csvs(doc_dir, doc, unit) if OutputFormat.CSV in formats else _remove_csvs(doc_dir)
    book = workbook_path(doc_dir)
    if OutputFormat.XLSX in formats:
        # openpyxl takes half a second to import: only runs that write workbooks load it.
        from recover.export.workbook import workbook_bytes

        write_atomic(book, workbook_bytes(doc, Path(doc.source).stem, unit))
        written.append(book)
    else:
        _remove(book)
    write_json(doc_dir / "result.json", {**doc.to_dict(), "formats": format_names(formats)})
    written.append(doc_dir / "result.json")
    return written


def _write_csvs(doc_dir: Path, doc: Document, unit: str | None) -> list[Path]:
    written = []
    for n, table in enumerate(doc.tables, start=1):
        for folder, content in ((TABLES, table_csv(table)), (STATUS, table_status_csv(table))):
            path = doc_dir / folder / f"{n:02d}.csv"
            write_atomic(path, content)
            written.append(path)
    # CSVs of an earlier run with more tables would otherwise linger and mislead.
    keep = set(written)
    for folder in (TABLES, STATUS):
        for stale in (doc_dir / folder).glob("*.csv"):
            if stale not in keep:
                _remove(stale)
    write_atomic(doc_dir / "tidy.csv", tidy_csv(doc, Path(doc.source).stem, unit))
    write_atomic(doc_dir / "findings.csv", findings_csv(doc))
    return [*written, doc_dir / "tidy.csv", doc_dir / "findings.csv"]


def _remove_csvs(doc_dir: Path) -> list[Path]:
    tables = [p for folder in (TABLES, STATUS) for p in (doc_dir / folder).glob("*.csv")]
    for stale in [*tables, doc_dir / "tidy.csv", doc_dir / "findings.csv"]:
        _remove(stale)
    return []


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot remove an outdated output ({exc.strerror or exc})") from None
