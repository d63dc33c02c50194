"""Ink mask → ruling-line segments (the only image step of grid reconstruction)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Segment:
    """A straight ruling-line piece: horizontal (pos = y) or vertical (pos = x)."""

    horizontal: bool
    pos: int
    start: int
    end: int
    thickness: int

    def to_list(self) -> list[int]:
        """Compact JSON form: [h, pos, start, end, thickness]."""
        return [int(self.horizontal), self.pos, self.start, self.end, self.thickness]

    @classmethod
    def from_list(cls, v: list[int]) -> Segment:
        """Inverse of :meth:`to_list`."""
        return cls(bool(v[0]), v[1], v[2], v[3], v[4])


def rule_masks(mask: np.ndarray, char_h: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling-line masks.

    A horizontal rule is a run longer than two characters; a vertical one longer than a
    character (a one-row header split is barely taller than its text). Short gaps in
    broken or faint rules are bridged afterwards, on the rule masks only, so text never
    gets joined into a rule.
    """
    h_len = max(6, 2 * char_h)
    v_len = max(5, int(1.2 * char_h))
    horiz = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vert = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    bridge = max(3, char_h // 2)
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge)))
    return horiz, vert


def _segments_of(line_mask: np.ndarray, horizontal: bool, max_thickness: int) -> list[Segment]:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(line_mask, connectivity=8)
    found = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        length, thick = (w, h) if horizontal else (h, w)
        if thick > max_thickness:
            # A thick blob is a filled area or a skewed bundle; keep its centre line only
            # when it is clearly elongated.
            if length < 8 * thick:
                continue
        if horizontal:
            rows = np.nonzero(labels[y : y + h, x : x + w] == i)[0]
            pos = y + int(np.median(rows))
            found.append(Segment(True, pos, x, x + w, min(h, max_thickness)))
        else:
            cols = np.nonzero(labels[y : y + h, x : x + w] == i)[1]
            pos = x + int(np.median(cols))
            found.append(Segment(False, pos, y, y + h, min(w, max_thickness)))
    return found


def find_segments(mask: np.ndarray, char_h: int) -> list[Segment]:
    """All ruling-line segments of a page's ink mask."""
    horiz, vert = rule_masks(mask, char_h)
    max_thickness = max(2, char_h // 2)
    return _segments_of(horiz, True, max_thickness) + _segments_of(vert, False, max_thickness)
