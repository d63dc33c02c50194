"""Fill the review queue after extraction: items, their crops, and re-checks of earlier
decisions (a re-extraction of the same file keeps them)."""

from __future__ import annotations

import copy
import logging
import sqlite3
from pathlib import Path

import cv2

from recover.errors import OutputError
from recover.model import Document
from recover.prepare.kept_pages import KeptPages
from recover.review.crops import CROPS, cut_crop, write_crop
from recover.review.decisions import apply_to_table, settled_by_totals
from recover.review.items import table_items
from recover.review.queue import DB_NAME, KIND_HEADER, Item, ReviewQueue

log = logging.getLogger(__name__)


def build_queue(out_root: Path, doc_dir: Path, doc: Document) -> list[Item]:
    """Replace the document's items in ``OUT/review.sqlite``; write each item's crop."""
    items_by_table = {n: table_items(doc, doc_dir.name, n, t) for n, t in enumerate(doc.tables, start=1)}
    _write_crops(doc_dir, doc, items_by_table)
    all_items = [i for items in items_by_table.values() for i in items]
    try:
        queue = ReviewQueue(out_root)
    except sqlite3.Error as exc:
        raise OutputError(f"{out_root / DB_NAME}: cannot write the review queue ({exc})") from None
    try:
        queue.replace_items(doc.sha256, all_items)
        decided = queue.decisions(doc.sha256)
        if decided:
            for n, table in enumerate(doc.tables, start=1):
                items = items_by_table[n]
                if any(i.key in decided for i in items):
                    # On a copy: the extraction's own outputs keep what was read.
                    reviewed = copy.deepcopy(table)
                    apply_to_table(reviewed, items, decided)
                    queue.set_resolved(doc.sha256, n, settled_by_totals(reviewed, items, decided))
    except sqlite3.Error as exc:  # a full disk, a locked or damaged database
        raise OutputError(f"{out_root / DB_NAME}: cannot write the review queue ({exc})") from None
    finally:
        queue.close()
    return all_items


def _write_crops(doc_dir: Path, doc: Document, items_by_table: dict[int, list[Item]]) -> None:
    tables = dict(enumerate(doc.tables, start=1))
    by_page: dict[int, list[Item]] = {}
    for items in items_by_table.values():
        for item in items:
            by_page.setdefault(item.page, []).append(item)
    kept = KeptPages(doc_dir)
    for page, items in by_page.items():
        image_path = kept.gray_path(page)
        gray = cv2.imread(str(image_path), cv2.IMREAD_GRAYSCALE)
        if gray is None:
            # Without the page image the item still shows its reading, just no picture.
            log.warning("%s: page image missing; review items of page %d have no crop", image_path, page)
            continue
        for item in items:
            target = doc_dir / CROPS / item.crop
            table = tables[item.table_no]
            if item.kind == KIND_HEADER:
                header_cells = [
                    c for c in table.cells if c.col <= item.col <= c.col_end and c.row < table.header_rows
                ]
                if not header_cells:
                    continue
                x0 = min(c.bbox[0] for c in header_cells)
                y0 = min(c.bbox[1] for c in header_cells)
                x1 = max(c.bbox[2] for c in header_cells)
                y1 = max(c.bbox[3] for c in header_cells)
                write_crop(target, cut_crop(gray, table, (x0, y0, x1, y1)))
                continue
            cell = table.cell_at(item.row, item.col)
            if cell is not None:
                write_crop(target, cut_crop(gray, table, cell.bbox))
