"""A decimal point seen in a line's ink, and a reading that took it for a character.

At 150 dpi a blurred point is read as "1", "4", "8", "5" or "%" ("22112" for 22.12), yet the
ink still shows it: a speck on the baseline with digits on both sides. The widths of the
ink before and after it, against the reading's digits, say which character it became.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from recover.model import PageGeometry
from recover.read.amounts import parse_amount

_FIT = 0.25
"""Most the digit pitch before the point may differ from the one after it (share)."""
_HEAD = re.compile(r"^\d[\d,]*$")


@dataclass(frozen=True)
class PointMark:
    """A decimal point in a line's ink: the widths (px) of the digits' ink before and after it."""

    before: int
    after: int


def point_mark(blobs: np.ndarray, char_h: int) -> PointMark | None:
    """The rightmost point-sized blob on the line's baseline, clear of every glyph, with
    glyphs on both sides.

    ``blobs``: (x, y, w, h, …) of the line's ink, in its own coordinates.
    """
    if len(blobs) < 3:
        return None
    geometry = PageGeometry(char_h)
    x, y, w, h = (blobs[:, i].astype(int) for i in range(4))
    bottom, top = int((y + h).max()), int(y.min())
    speck = (w < geometry.dust) & (h < geometry.dust)
    low = (2 * y >= top + bottom) & (y + h >= bottom - geometry.thin)
    glyph = ~speck
    best = None
    for i in np.flatnonzero(speck & low):
        left, right = glyph & (x + w <= x[i]), glyph & (x >= x[i] + w[i])
        # Clear of every glyph: a piece broken off a digit (the tail of a worn "5") lies
        # under the digit it belongs to; a point stands in the gap between two.
        clear = not (glyph & ~left & ~right).any()
        if clear and left.any() and right.any() and (best is None or x[i] > x[best[0]]):
            before = int((x + w)[left].max() - x[left].min())
            after = int((x + w)[right].max() - x[right].min())
            best = (i, PointMark(before, after))
    return best[1] if best is not None else None


def point_restored(reading: str, mark: PointMark | None) -> str | None:
    """``reading`` with the one character the point was read as put back to "." ("22112" →
    "22.12"); None without a point in the ink, with one in the reading, or unless exactly one
    place fits the ink's widths. The caller lowers the confidence: a total must confirm it."""
    body = reading.replace(" ", "")
    if mark is None or "." in body or not mark.before or not mark.after:
        return None
    fits = []
    for decimals in (1, 2, 3):
        i = len(body) - 1 - decimals
        head, tail = body[:i], body[i + 1 :]
        if i < 1 or body[i] == "," or not _HEAD.match(head) or not tail.isdigit():
            continue
        before, after = mark.before / sum(ch.isdigit() for ch in head), mark.after / decimals
        if abs(before - after) <= _FIT * max(before, after):
            fits.append(f"{head}.{tail}")
    return fits[0] if len(fits) == 1 and parse_amount(fits[0]) is not None else None
