"""The prepared pages of a document kept in its output folder, losslessly.

Extraction keeps each prepared page with tables (``page-images/NNNN.png``, the upright,
deskewed, seal-free gray image) and its ink mask (``NNNN-ink.png``): the checks re-read
suspect cells from them after every page is done (also when a rerun resumes), and the
review page cuts its crops from the same image, in the same pixels as every cell's box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from recover.atomic_write import write_atomic
from recover.errors import OutputError

PAGE_IMAGES = "page-images"
_IN_MEMORY = 3  # pages held decoded at once (a table stitched over three pages)
# Lossless either way; chosen for speed (benchmarks/cpu_stages.py, BENCHMARKS.md "Session 6: speed"):
# zlib level 1 with the "sub" filter and Huffman-only coding encodes a gray page ~2× faster than
# level 1's adaptive filters, and no larger; the ink mask (0/255 only) as a 1-bit PNG ~4× faster
# and half the size. Both read back to the same pixels (a 1-bit PNG decodes to 0/255 gray).
_PNG_GRAY = [
    cv2.IMWRITE_PNG_COMPRESSION,
    1,
    cv2.IMWRITE_PNG_FILTER,
    cv2.IMWRITE_PNG_FILTER_SUB,
    cv2.IMWRITE_PNG_STRATEGY,
    cv2.IMWRITE_PNG_STRATEGY_HUFFMAN_ONLY,
]
_PNG_MASK = [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_BILEVEL, 1]


@dataclass
class KeptPages:
    """Read and write the kept prepared pages of one document folder."""

    doc_dir: Path
    _loaded: dict[int, tuple[np.ndarray, np.ndarray] | None] = field(default_factory=dict, repr=False)

    def gray_path(self, page: int) -> Path:
        """Where the prepared gray image of ``page`` is kept."""
        return self.doc_dir / PAGE_IMAGES / f"{page:04d}.png"

    def ink_path(self, page: int) -> Path:
        """Where the ink mask of ``page`` is kept."""
        return self.doc_dir / PAGE_IMAGES / f"{page:04d}-ink.png"

    def save(self, page: int, gray: np.ndarray, mask: np.ndarray) -> None:
        """Keep a prepared page (atomically: a reader never sees half an image)."""
        if cv2.countNonZero(cv2.inRange(mask, 1, 254)):
            # Every ink mask is thresholded to 0/255; any other value would not survive a 1-bit PNG.
            raise OutputError(f"{self.ink_path(page)}: the ink mask holds values other than 0 and 255")
        for path, image, params in (
            (self.gray_path(page), gray, _PNG_GRAY),
            (self.ink_path(page), mask, _PNG_MASK),
        ):
            ok, data = cv2.imencode(".png", image, params)
            if not ok:
                raise OutputError(f"{path}: the prepared page could not be encoded as PNG")
            write_atomic(path, data.tobytes())

    def load(self, page: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The prepared gray image and ink mask of ``page`` (None when not kept)."""
        if page not in self._loaded:
            if len(self._loaded) >= _IN_MEMORY:
                self._loaded.pop(next(iter(self._loaded)))  # tables come in page order
            gray = cv2.imread(str(self.gray_path(page)), cv2.IMREAD_GRAYSCALE)
            mask = cv2.imread(str(self.ink_path(page)), cv2.IMREAD_GRAYSCALE)
            self._loaded[page] = None if gray is None or mask is None else (gray, mask)
        return self._loaded[page]
