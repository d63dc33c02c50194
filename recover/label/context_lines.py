"""Text lines outside tables (titles, 编制部门, 单位) found from the ink mask."""

from __future__ import annotations

import numpy as np

from recover.model import BBox
from recover.prepare.text_blobs import text_line_boxes


def context_line_boxes(mask: np.ndarray, region: BBox, char_h: int) -> list[BBox]:
    """Boxes of text chunks inside ``region``, top to bottom then left to right.

    Blobs on one baseline are joined into a line; a gap wider than two characters
    splits it into chunks ("编制部门：…" and "单位：元" are read separately).
    """
    x0, y0, x1, y1 = region
    if x1 - x0 < char_h or y1 - y0 < char_h // 2:
        return []
    found = [
        (bx0 + x0, by0 + y0, bx1 + x0, by1 + y0)
        for bx0, by0, bx1, by1 in text_line_boxes(mask[y0:y1, x0:x1], char_h, True)
    ]
    blobs = [b for b in found if char_h * 0.4 <= b[3] - b[1] <= char_h * 4]
    blobs.sort(key=lambda b: (b[1] + b[3]) / 2)
    lines: list[list[BBox]] = []
    for b in blobs:
        centre = (b[1] + b[3]) / 2
        if lines and abs(centre - (lines[-1][0][1] + lines[-1][0][3]) / 2) < char_h * 0.5:
            lines[-1].append(b)
        else:
            lines.append([b])
    for flat in found:
        # 一 or a dash joins the line it stands in; it never starts one of its own.
        home = next((line for line in lines if _flat_character(flat, line, char_h)), None)
        if home is not None:
            home.append(flat)
    chunks: list[BBox] = []
    for line in lines:
        line.sort(key=lambda b: b[0])
        current = list(line[0])
        for b in line[1:]:
            if b[0] - current[2] > 2 * char_h:
                chunks.append((current[0], current[1], current[2], current[3]))
                current = list(b)
            else:
                current = [current[0], min(current[1], b[1]), max(current[2], b[2]), max(current[3], b[3])]
        chunks.append((current[0], current[1], current[2], current[3]))
    return chunks


def _flat_character(blob: BBox, text: list[BBox], char_h: int) -> bool:
    """一 or a dash standing apart: flat, no wider than a large character, and beside text
    on its line (a rule or an underline stands alone)."""
    x0, y0, x1, y1 = blob
    if y1 - y0 >= char_h * 0.4 or not char_h * 0.6 <= x1 - x0 <= char_h * 3:
        return False
    centre = (y0 + y1) / 2
    return any(b[1] <= centre <= b[3] and min(abs(b[0] - x1), abs(x0 - b[2])) <= 2 * char_h for b in text)
