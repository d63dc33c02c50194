"""Ink mask → ruling-line segments (the only image step of grid reconstruction)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from recover.model import PageGeometry


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


def components(binary: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, tuple[int, int]]:
    """8-connected components of a mask inside the box of its ink: count, labels, stats
    (both relative to the box) and the box's origin (x, y).

    No component leaves the box, so it labels as the whole page does, on the share of the
    page the ink spans; the box starts on an even row and column, so OpenCV's 2×2 blocks
    are the page's and the labels come in the page's order. 16-bit labels take half the time of 32-bit
    ones; OpenCV raises rather than wrap when the labels overflow 16 bits, and then the
    32-bit call labels the box.
    """
    x, y, w, h = cv2.boundingRect(binary)
    x, y = x - x % 2, y - y % 2
    box = binary[y : y + max(2, h + 1), x : x + max(2, w + 1)]
    try:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(box, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(box, connectivity=8, ltype=cv2.CV_32S)
    return n, labels, stats, (x, y)


def _rule_mask(mask: np.ndarray, char_h: int, horizontal: bool, length: int, bridge: int) -> np.ndarray:
    """Runs of ink along one direction, tolerant of faint, jagged and broken rules.

    Fragments longer than a glyph stroke are kept first, gaps between collinear
    fragments are bridged, and only then must the run reach its full ``length``.
    Working on fragments means text is never joined into a rule.
    """

    # Worked on as columns: OpenCV's column filters are faster than its row filters on a
    # long kernel, and transposing commutes with every step (centred kernels, same borders).
    work = cv2.transpose(mask) if horizontal else mask

    def kernel(n: int, across: int = 1) -> np.ndarray:
        return cv2.getStructuringElement(cv2.MORPH_RECT, (across, n))

    # A one-pixel wobble (residual skew, scan jitter) must not cut a rule.
    thick = cv2.dilate(work, kernel(1, 3))
    runs = cv2.morphologyEx(thick, cv2.MORPH_OPEN, kernel(_fragment(char_h)))
    # Dashes of a broken rule are separate components: thin across, longer than a
    # stroke gap along. Glyphs are a character tall and never qualify.
    _n, labels, stats, (x0, y0) = components(thick)
    along, across = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    # Vertical dashes must outgrow a digit, so a column of "1"s never chains into a rule.
    min_along = PageGeometry(char_h).gap if horizontal else int(1.1 * char_h)
    dash = (across <= max(4, char_h // 3)) & (along >= min_along) & (along >= 3 * across)
    dash[0] = False
    _paint(runs[y0 : y0 + labels.shape[0], x0 : x0 + labels.shape[1]], labels, stats, np.flatnonzero(dash))
    runs = cv2.morphologyEx(runs, cv2.MORPH_CLOSE, kernel(bridge))
    runs = cv2.morphologyEx(runs, cv2.MORPH_OPEN, kernel(length))
    return cv2.transpose(runs) if horizontal else runs


def _paint(runs: np.ndarray, labels: np.ndarray, stats: np.ndarray, ids: np.ndarray) -> None:
    """Set the pixels of components ``ids`` in ``runs``, one component's box at a time
    (a dash's box is a sliver of the page: a tenth of the time of one page-wide lookup)."""
    for i in ids:
        x, y, w, h = stats[i, :4]
        box = runs[y : y + h, x : x + w]
        box[labels[y : y + h, x : x + w] == i] = 255


def rule_masks(mask: np.ndarray, char_h: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling-line masks.

    A horizontal rule is a run longer than two characters; a vertical one longer than a
    character (a one-row header split is barely taller than its text).
    """
    horizontal = (max(6, 2 * char_h), max(3, int(1.5 * char_h)))  # length, bridge
    vertical = (max(5, int(1.2 * char_h)), max(3, char_h))
    # Worked inside the ink's box and a margin of every kernel's whole length: no step
    # reaches a crop edge that is not the page's, so each gives the page-wide masks there
    # and paper around them (a page's margins are a fifth of it).
    margin = 3 + _fragment(char_h) + max(horizontal[1], vertical[1]) + max(horizontal[0], vertical[0])
    x, y, w, h = cv2.boundingRect(mask)
    height, width = mask.shape[:2]
    box = (
        slice(max(0, y - margin), min(height, y + h + margin)),
        slice(max(0, x - margin), min(width, x + w + margin)),
    )
    horiz, vert = np.zeros_like(mask), np.zeros_like(mask)
    horiz[box] = _rule_mask(mask[box], char_h, True, *horizontal)
    vert[box] = _rule_mask(mask[box], char_h, False, *vertical)
    return horiz, vert


def _fragment(char_h: int) -> int:
    """Least run kept before bridging: longer than any glyph stroke, so bridging never
    grafts text onto a rule's end."""
    return max(3, int(1.5 * char_h))


def _segments_of(line_mask: np.ndarray, horizontal: bool, max_thickness: int) -> list[Segment]:
    n, labels, stats, (x0, y0) = components(line_mask)
    found = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        length, thick = (w, h) if horizontal else (h, w)
        # A thick blob is a filled area or a skewed bundle; keep its centre line only
        # when it is clearly elongated.
        if thick > max_thickness and length < 8 * thick:
            continue
        if horizontal:
            rows = np.nonzero(labels[y : y + h, x : x + w] == i)[0]
            pos = y0 + y + int(np.median(rows))
            found.append(Segment(True, pos, x0 + x, x0 + x + w, min(h, max_thickness)))
        else:
            cols = np.nonzero(labels[y : y + h, x : x + w] == i)[1]
            pos = x0 + x + int(np.median(cols))
            found.append(Segment(False, pos, y0 + y, y0 + y + h, min(w, max_thickness)))
    return found


def segments_from_rule_masks(horiz: np.ndarray, vert: np.ndarray, char_h: int) -> list[Segment]:
    """Segments of already computed rule masks, without the image's own border."""
    max_thickness = max(2, char_h // 2)
    found = _segments_of(horiz, True, max_thickness) + _segments_of(vert, False, max_thickness)
    height, width = horiz.shape[:2]
    return [s for s in found if not _on_image_border(s, width, height)]


def _on_image_border(s: Segment, width: int, height: int) -> bool:
    """A line that reaches the edge of the image is the scanner bed or the paper's edge:
    tables are printed inside margins."""
    along = width if s.horizontal else height
    across = height if s.horizontal else width
    return s.start <= 1 or s.end >= along - 1 or s.pos <= 2 or s.pos >= across - 3


def find_segments(mask: np.ndarray, char_h: int) -> list[Segment]:
    """All ruling-line segments of a page's ink mask."""
    horiz, vert = rule_masks(mask, char_h)
    return segments_from_rule_masks(horiz, vert, char_h)
