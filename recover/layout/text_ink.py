"""Text ink near a cell boundary: evidence for a lost rule versus a merged cell."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from recover.model import BBox, PageGeometry


@dataclass(frozen=True)
class _Planes:
    """The boolean images the answers read, made inside ``area`` (x0, y0, x1, y1 of the page)."""

    area: BBox
    ink: np.ndarray  # all ink
    text: np.ndarray  # ink off the rules and their halo
    bare: np.ndarray  # ink off the rules themselves
    words_h: np.ndarray  # text joined along rows
    words_v: np.ndarray  # text joined along columns

    def holds(self, vertical: bool, rows: tuple[int, int], cols: tuple[int, int]) -> bool:
        """Every bound of a question's ranges (in its own orientation: transposed for a
        horizontal boundary) lies in the area, so its slices read the same pixels here."""
        (r0, r1), (c0, c1) = (rows, cols) if vertical else (cols, rows)
        x0, y0, x1, y1 = self.area
        return x0 <= min(c0, c1) and max(c0, c1) <= x1 and y0 <= min(r0, r1) and max(r0, r1) <= y1

    def origin(self, vertical: bool) -> tuple[int, int]:
        """Where the area starts along a question's rows and across them."""
        return (self.area[1], self.area[0]) if vertical else (self.area[0], self.area[1])


class BoundaryTextInk:
    """Answers whether text separates two grid slots across an unruled boundary.

    Built from the page's ink mask minus its rule masks, so stubs of the rule itself
    never count as text. The images it reads are made on the first question, inside the
    rules' box and a reach around it (every question of a grid lies there), and a question
    is asked in that area's coordinates; one outside it has them made for the whole page,
    so every answer is the whole page's.
    """

    def __init__(self, mask: np.ndarray, horiz: np.ndarray, vert: np.ndarray, char_h: int) -> None:
        self._mask, self._horiz, self._vert = mask, horiz, vert
        # Characters of one word or line are separate components; joined across the small
        # gaps between them, a heading centred over a lost boundary counts as crossing it.
        self._join = PageGeometry(char_h).gap
        self._reach = PageGeometry(char_h).snap
        self._thin = max(4, char_h // 5)
        self._min_text = max(8, char_h * char_h // 8)  # a speck of dust is not text
        self._char_h = char_h
        self._flush = PageGeometry(char_h).flush
        self._made: _Planes | None = None

    def _planes(self, vertical: bool, rows: tuple[int, int], cols: tuple[int, int]) -> _Planes:
        """The images, made where a question reads rows × cols."""
        if self._made is None:
            self._made = self._make(self._rules_area())
        if not self._made.holds(vertical, rows, cols):
            height, width = self._mask.shape[:2]
            if self._made.area != (0, 0, width, height):
                self._made = self._make((0, 0, width, height))
        return self._made

    def _slots(
        self, vertical: bool, lo: int, hi: int, pos: int, before: int, after: int
    ) -> tuple[_Planes, int, int, int, int, int]:
        """The images for a boundary between two slots and :meth:`separates`' arguments in
        their coordinates; a column before ``before`` must lie in the area too, so that no
        slice bound there can be negative (it would count from the far edge)."""
        planes = self._planes(vertical, (lo, hi), (before - 1, after))
        along, across = planes.origin(vertical)
        return planes, lo - along, hi - along, pos - across, before - across, after - across

    def _rules_area(self) -> BBox:
        """The rules' box widened by the farthest a question looks past a grid line."""
        x, y, w, h = cv2.boundingRect(cv2.bitwise_or(self._horiz, self._vert))
        height, width = self._mask.shape[:2]
        pad = 2 * self._char_h + 3
        return (max(0, x - pad), max(0, y - pad), min(width, x + w + pad), min(height, y + h + pad))

    def _make(self, area: BBox) -> _Planes:
        """The images inside ``area``, from the inputs around it by the dilations' reach
        (a crop's border then adds nothing a page-wide dilation would not)."""
        height, width = self._mask.shape[:2]
        x0, y0, x1, y1 = area
        m = self._join + 3
        ex0, ey0, ex1, ey1 = max(0, x0 - m), max(0, y0 - m), min(width, x1 + m), min(height, y1 + m)
        crop = (slice(ey0, ey1), slice(ex0, ex1))
        mask, lines = self._mask[crop], cv2.bitwise_or(self._horiz[crop], self._vert[crop])
        rules = cv2.dilate(lines, np.ones((5, 5), np.uint8))
        text = cv2.bitwise_and(mask, cv2.bitwise_not(rules))
        # Without the halo: a character 1–2 px clear of a rule (tight rows of a coarse
        # render) must not count as running through it.
        bare = cv2.bitwise_and(mask, cv2.bitwise_not(lines))
        words_h = cv2.dilate(text, np.ones((1, self._join), np.uint8))
        words_v = cv2.dilate(text, np.ones((self._join, 1), np.uint8))
        inner = (slice(y0 - ey0, y1 - ey0), slice(x0 - ex0, x1 - ex0))
        # 0/1 bytes are numpy's booleans: ``image > 0`` without numpy's slower pass over a crop.
        planes = (
            cv2.threshold(im[inner], 0, 1, cv2.THRESH_BINARY)[1].view(bool)
            for im in (mask, text, bare, words_h, words_v)
        )
        return _Planes(area, *planes)

    def crossed_length(self, vertical: bool, pos: int, start: int, end: int, thickness: int) -> int:
        """Pixels of the run from ``start`` to ``end`` at ``pos`` that a character or word
        runs through: one blob of ink on both sides of the run, joined where its ink touches
        the run's own ink from both sides. A rule keeps clear of the text on both its sides."""
        across = self._mask.shape[1] if vertical else self._mask.shape[0]
        lo, hi = max(0, pos - 2 * self._char_h), min(across, pos + 2 * self._char_h)
        r0, r1 = max(0, start), max(0, end)
        planes = self._planes(vertical, (r0, r1), (lo, hi))
        (d_along, d_across), text = planes.origin(vertical), planes.bare if vertical else planes.bare.T
        band = text[r0 - d_along : r1 - d_along, lo - d_across : hi - d_across].astype(np.uint8)
        if band.size == 0:
            return 0
        at = pos - lo
        # The run's own ink is cut out (a faint rule's unfound remnant would chain the text
        # of both sides); the cut is bridged only along the run where ink touches it (the
        # next pixel) on both sides: a stroke through it, not text printed close to it.
        half = max(thickness, self._thin) // 2
        z0, z1 = max(0, at - half), min(band.shape[1], at + half + 1)
        band[:, z0:z1] = 0
        touching = band[:, max(0, z0 - 1) : z0].any(axis=1) & band[:, z1 : z1 + 1].any(axis=1)
        band[touching, z0:z1] = 1
        count, labels, stats, _ = cv2.connectedComponentsWithStats(band, connectivity=8)
        x0 = stats[:, cv2.CC_STAT_LEFT]
        x1 = x0 + stats[:, cv2.CC_STAT_WIDTH]
        # A character is taller than a stroke: a thin blob across is a faint rule's remnant.
        tall = stats[:, cv2.CC_STAT_HEIGHT] >= self._thin
        through = (x0 < at - self._reach) & (x1 > at + self._reach) & tall
        through[0] = False
        if not through[1:count].any():
            return 0
        return int(through[labels[:, max(0, at - 1) : at + 2]].any(axis=1).sum())

    def separates(self, vertical: bool, pos: int, lo: int, hi: int, before: int, after: int) -> bool:
        """True when no text crosses the boundary and either both sides hold text or the
        line itself is still partly printed (a dotted or faded remnant of the rule).

        The boundary runs at ``pos`` from ``lo`` to ``hi``; the two slots extend from
        ``before`` to ``pos`` and from ``pos`` to ``after`` across it.
        """
        planes, lo, hi, pos, before, after = self._slots(vertical, lo, hi, pos, before, after)
        band = planes.text[lo:hi, :] if vertical else planes.text[:, lo:hi].T
        # Slots end at the page's edge (OpenCV's labelling crashes the process on an empty image).
        before, after = max(0, before), min(band.shape[1], after)
        if band.size == 0 or pos - 1 < before or pos + 2 > after:
            return False
        words = planes.words_h[lo:hi, :] if vertical else planes.words_v[:, lo:hi].T
        if self._crossing(words[:, before:after], pos - before, self._reach):
            return False
        left = band[:, before + 2 : pos - 2].sum() >= self._min_text
        right = band[:, pos + 3 : after - 2].sum() >= self._min_text
        ink = planes.ink[lo:hi, :] if vertical else planes.ink[:, lo:hi].T
        return bool((left and right) or self._remnant_share(ink[:, before:after], pos - before) >= 0.3)

    def flush_against(self, vertical: bool, pos: int, lo: int, hi: int, before: int, after: int) -> bool:
        """True when text on the near side ends within a cell's padding of the boundary (an
        amount set right, as amounts are) and the far side holds none: the text is bounded
        by the line, not centred in a cell that runs across it (a 合计 label's merge).
        Arguments as for :meth:`separates`."""
        planes, lo, hi, pos, before, after = self._slots(vertical, lo, hi, pos, before, after)
        text = planes.text
        band = text[lo:hi, :] if vertical else text[:, lo:hi].T
        before, after = max(0, before), min(band.shape[1], after)  # slots end at the page's edge
        if band.size == 0 or pos - 1 < before or pos + 2 > after:
            return False
        near, far = band[:, before + 2 : pos - 2], band[:, pos + 3 : after - 2]
        # Text that starts on the slot's far line runs on from the slot before (a label
        # centred in a cell merged across both): only text within its own slot is bounded.
        if near.sum() < self._min_text or self._left_gap(near) < self._thin:
            return False
        gap = self._right_gap(near)
        if far.sum() < self._min_text:
            # Clear of the line too: a label run up to it is no amount set in its cell.
            return self._thin <= gap <= self._flush
        # Two amounts side by side, each set right in its own slot and clear of the line
        # between them: two cells (the line's faded dots may touch neither).
        return self._thin <= min(gap, self._left_gap(far)) and max(gap, self._right_gap(far)) <= self._flush

    @staticmethod
    def _right_gap(text: np.ndarray) -> int:
        inked = np.nonzero(text.sum(axis=0) >= 2)[0]  # a lone pixel of dust is no edge
        return int(text.shape[1] - 1 - inked[-1]) if inked.size else text.shape[1]

    @staticmethod
    def _left_gap(text: np.ndarray) -> int:
        inked = np.nonzero(text.sum(axis=0) >= 2)[0]
        return int(inked[0]) if inked.size else text.shape[1]

    def _remnant_share(self, region: np.ndarray, pos: int) -> float:
        """Share of the boundary covered by thin ink on the line (dots of a faded rule)."""
        _, labels, stats, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8), connectivity=8)
        x0 = stats[:, cv2.CC_STAT_LEFT]
        x1 = x0 + stats[:, cv2.CC_STAT_WIDTH]
        thin = (stats[:, cv2.CC_STAT_WIDTH] <= self._thin) & (x0 <= pos + 2) & (x1 >= pos - 2)
        thin[0] = False
        on_line = thin[labels[:, max(0, pos - 2) : pos + 3]]
        return float(on_line.any(axis=1).mean()) if on_line.size else 0.0

    @staticmethod
    def _crossing(region: np.ndarray, pos: int, reach: int) -> bool:
        """A word reaching well past the line on both sides (a remnant of the rule is thin)."""
        _, _, stats, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8), connectivity=8)
        x0 = stats[1:, cv2.CC_STAT_LEFT]
        x1 = x0 + stats[1:, cv2.CC_STAT_WIDTH]
        return bool(np.any((x0 < pos - reach) & (x1 > pos + reach)))
