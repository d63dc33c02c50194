"""Draw what the pipeline saw over the prepared page: rules, cells and their status."""

from __future__ import annotations

import cv2
import numpy as np

from recover.layout.segments import Segment
from recover.model import CellStatus, Page

# BGR colours per cell status.
_STATUS_COLOUR = {
    CellStatus.EMPTY: (200, 200, 200),
    CellStatus.OK: (0, 160, 0),
    CellStatus.LOW_CONFIDENCE: (0, 140, 255),
    CellStatus.REPAIRED: (255, 120, 0),
    CellStatus.FLAGGED: (0, 0, 255),
    # Drawn after the page stages, before the checks: the tiers below appear only when an
    # overlay is drawn from a checked model.
    CellStatus.PROVEN: (0, 160, 0),
    CellStatus.UNPROVEN: (150, 150, 150),
    CellStatus.REVIEWED: (0, 200, 120),
}


def draw_overlay(gray: np.ndarray, page: Page, segments: list[Segment]) -> np.ndarray:
    """BGR image: detected rule segments in blue, cells outlined by status colour."""
    canvas = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    for s in segments:
        if s.horizontal:
            cv2.line(canvas, (s.start, s.pos), (s.end, s.pos), (255, 0, 0), 1)
        else:
            cv2.line(canvas, (s.pos, s.start), (s.pos, s.end), (255, 0, 0), 1)
    for table in page.tables:
        x0, y0, x1, y1 = table.bbox
        cv2.rectangle(canvas, (x0, y0), (x1, y1), (255, 0, 255), 2)
        for cell in table.cells:
            cx0, cy0, cx1, cy1 = cell.bbox
            colour = _STATUS_COLOUR[cell.status]
            thickness = 1 if cell.status in (CellStatus.EMPTY, CellStatus.OK, CellStatus.PROVEN) else 3
            cv2.rectangle(canvas, (cx0 + 2, cy0 + 2), (cx1 - 2, cy1 - 2), colour, thickness)
    return canvas
