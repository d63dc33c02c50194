"""Crops a reviewer sees: the cell with a margin, inside its row for context.

Cut from the prepared page image kept by extraction (``page-images/NNNN.jpg``), in the
same pixel coordinates as every cell's bbox.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from recover.export.outputs import write_atomic
from recover.model import BBox, Table

PAGE_IMAGES = "page-images"
CROPS = "crops"
_JPEG_QUALITY = 85


def page_image_path(doc_dir: Path, page: int) -> Path:
    """Where the prepared image of a page is kept."""
    return doc_dir / PAGE_IMAGES / f"{page:04d}.jpg"


def encode_page_image(gray: np.ndarray) -> bytes | None:
    """The prepared page as kept on disk (JPEG); None when it cannot be encoded."""
    ok, data = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY])
    return data.tobytes() if ok else None


def save_page_image(doc_dir: Path, page: int, gray: np.ndarray) -> None:
    """Keep the prepared (upright, deskewed) page so crops can be cut after extraction."""
    data = encode_page_image(gray)
    if data is not None:
        write_atomic(page_image_path(doc_dir, page), data)


def row_context_box(table: Table, bbox: BBox, margin: int) -> BBox:
    """The cell's row band across the whole table, with ``margin`` pixels around it."""
    left, right = table.bbox[0], table.bbox[2]
    return (left - margin, bbox[1] - margin, right + margin, bbox[3] + margin)


def cut_crop(page_gray: np.ndarray, table: Table, bbox: BBox) -> np.ndarray:
    """The row band around the cell, the cell itself outlined in red."""
    height = max(1, bbox[3] - bbox[1])
    margin = max(4, height // 2)  # half a row above and below: the neighbours' edges show
    x0, y0, x1, y1 = row_context_box(table, bbox, margin)
    h, w = page_gray.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    crop = cv2.cvtColor(page_gray[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR)
    thickness = max(2, height // 15)
    cv2.rectangle(crop, (bbox[0] - x0, bbox[1] - y0), (bbox[2] - x0, bbox[3] - y0), (0, 0, 230), thickness)
    return crop


def write_crop(path: Path, crop: np.ndarray) -> None:
    """PNG, atomically."""
    ok, data = cv2.imencode(".png", crop)
    if ok:
        write_atomic(path, data.tobytes())
