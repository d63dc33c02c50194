"""Cell box → the single-line crops its text is printed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from recover.model import BBox, PageGeometry
from recover.read.decimal_point import PointMark, point_mark


@dataclass(frozen=True)
class LineCrop:
    """One text line inside a cell, as a page-pixel box, and a decimal point its ink shows."""

    bbox: BBox
    point: PointMark | None = None


def _bands(profile: np.ndarray) -> list[tuple[int, int]]:
    """Runs of non-zero entries as (start, end) half-open intervals."""
    on = np.concatenate(([0], (profile > 0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(on))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _merge_bands(bands: list[tuple[int, int]], char_h: int) -> list[tuple[int, int]]:
    """Join bands that together still fit one character height (e.g. the strokes of 三)."""
    limit = int(char_h * 1.3)
    merged = list(bands)
    changed = True
    while changed and len(merged) > 1:
        changed = False
        best = None
        for i in range(len(merged) - 1):
            span = merged[i + 1][1] - merged[i][0]
            if span <= limit and (best is None or span < best[1]):
                best = (i, span)
        if best is not None:
            i = best[0]
            merged[i : i + 2] = [(merged[i][0], merged[i + 1][1])]
            changed = True
    return merged


def _text_ink(inner: np.ndarray, char_h: int) -> np.ndarray:
    """Cell ink without rule remnants (thin pieces along the cell's edge) and specks."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats((inner > 0).astype(np.uint8), connectivity=8)
    if n <= 1:
        return inner
    h_img, w_img = inner.shape
    x, y, w, h, area = (stats[:, i] for i in range(5))
    thin = PageGeometry(char_h).thin
    # A rule remnant is a sliver along the edge it touches; "一" beside the left edge is
    # thin the other way and stays.
    side_sliver = ((x == 0) | (x + w == w_img)) & (w <= thin) & (h > 2 * w)
    top_sliver = ((y == 0) | (y + h == h_img)) & (h <= thin) & (w > 2 * h)
    speck = area < PageGeometry(char_h).speck
    keep = ~(side_sliver | top_sliver | speck)
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


@dataclass(frozen=True)
class CellInk:
    """A cell's text lines, and the dust set aside unread (page-pixel boxes)."""

    lines: list[LineCrop]
    set_aside: list[BBox]


def _blobs(inner: np.ndarray) -> np.ndarray:
    """(x, y, w, h, area) of every ink blob of ``inner``."""
    n, _, stats, _ = cv2.connectedComponentsWithStats((inner > 0).astype(np.uint8), connectivity=8)
    return stats[1:n, :5]


def _no_text_alone(blobs: np.ndarray, char_h: int, cell_h: int, rules_at: list[int]) -> np.ndarray:
    """Blobs that are no text on their own (beside text they may be its point or comma).

    Dust smaller than a character or a dash both ways (a toner dot, a seal's speck, a dot
    of a faded rule); a solid blot thick both ways ("■"); a thin stroke shorter than a
    digit (a broken rule's piece read as "1"); a thin bar along ``rules_at``, the rows of
    the grid a merged cell spans (the lost rule's remnant). The recogniser would read
    them as "1", "•", "■" or "日".
    """
    geometry = PageGeometry(char_h)
    _x, y, w, h, area = (blobs[:, i] for i in range(5))
    # Also under a quarter of the cell's height: a character fills more of its row even
    # where the page's character height is only an estimate (a text layer's font size).
    dust = min(geometry.dust, cell_h // 4)
    specks = (w < dust) & (h < dust)
    thick = np.minimum(w, h) > geometry.thin
    blots = thick & (w < geometry.blot) & (h < geometry.blot) & (w < 2 * h) & (area >= 0.6 * w * h)
    strokes = (w <= geometry.thin) & (h > 2 * w) & (h < geometry.short_stroke)
    centre = y + h / 2
    on_rule = np.zeros(len(blobs), dtype=bool)
    for pos in rules_at:
        on_rule |= np.abs(centre - pos) <= geometry.snap
    bars = (h <= geometry.thin) & (w > 2 * h) & on_rule
    return np.asarray(specks | blots | strokes | bars, dtype=bool)


def _line_of(
    band: np.ndarray, char_h: int, cell_h: int, rules_at: list[int]
) -> tuple[tuple[int, int] | None, np.ndarray, PointMark | None]:
    """The text's columns [x0, x1) within one band of a cell, the dust blobs kept out, and
    the decimal point its kept ink shows.

    A band of dust alone is no line (nor one of blots or rule remnants; ``rules_at``: the
    band's own y of the grid rows inside the cell). Dust a character height clear of the band's text is
    set aside too; a decimal point or comma sits between or beside its digits and stays.
    """
    blobs = _blobs(band)
    dust = _no_text_alone(blobs, char_h, cell_h, rules_at)
    text = blobs[~dust]
    if text.size == 0:
        return None, blobs, None
    x0, x1 = int(text[:, 0].min()), int((text[:, 0] + text[:, 2]).max())
    reach = char_h
    near = dust & (blobs[:, 0] + blobs[:, 2] >= x0 - reach) & (blobs[:, 0] <= x1 + reach)
    kept = blobs[~dust | near]
    span = (int(kept[:, 0].min()), int((kept[:, 0] + kept[:, 2]).max()))
    return span, blobs[dust & ~near], point_mark(kept, char_h)


def cell_ink(
    mask: np.ndarray, bbox: BBox, char_h: int, rule_margin: int, inner_rows: Sequence[int] = ()
) -> CellInk:
    """Text lines inside a cell, top to bottom, and the dust set aside; no lines when the
    cell holds no ink or dust only.

    ``rule_margin`` pixels are kept off each side so the ruling lines never count as ink;
    ``inner_rows``: page y of the grid's row lines inside a merged cell (where a lost
    rule leaves remnants).
    """
    x0, y0, x1, y1 = bbox
    h_img, w_img = mask.shape[:2]
    # Clamped to the image: a box found near the edge may reach past it.
    ix0, iy0 = max(0, x0 + rule_margin), max(0, y0 + rule_margin)
    ix1, iy1 = min(w_img, x1 - rule_margin), min(h_img, y1 - rule_margin)
    if ix1 - ix0 < 2 or iy1 - iy0 < 2 or not cv2.countNonZero(mask[iy0:iy1, ix0:ix1]):
        return CellInk([], [])  # no ink: no line and no dust (as the steps below find)
    inner = _text_ink(mask[iy0:iy1, ix0:ix1], char_h)
    # Dust is smaller than a stroke: ignore rows/cols with a single pixel.
    rows = _bands((inner > 0).sum(axis=1) > 1)
    min_band = PageGeometry(char_h).thin
    rows = [b for b in _merge_bands(rows, char_h) if b[1] - b[0] >= min_band]
    crops, set_aside = [], []
    for a, b in rows:
        rules_at = [y - iy0 - a for y in inner_rows]
        span, far, point = _line_of(inner[a:b], char_h, inner.shape[0], rules_at)
        set_aside += [_page_box(blob, ix0, iy0 + a) for blob in far]
        if span is not None:
            crops.append(LineCrop((ix0 + span[0], iy0 + a, ix0 + span[1], iy0 + b), point))
    if not crops:
        # Dust alone: nothing is read, every blob of it is set aside.
        set_aside = [_page_box(blob, ix0, iy0) for blob in _blobs(inner)]
    return CellInk(crops, set_aside)


def _page_box(blob: np.ndarray, dx: int, dy: int) -> BBox:
    x, y, w, h = (int(v) for v in blob[:4])
    return (dx + x, dy + y, dx + x + w, dy + y + h)


def line_crops(mask: np.ndarray, bbox: BBox, char_h: int, rule_margin: int) -> list[LineCrop]:
    """Text lines inside a cell, top to bottom; empty when the cell holds no ink or dust only."""
    return cell_ink(mask, bbox, char_h, rule_margin).lines


def padded_crop(gray: np.ndarray, box: BBox, pad: int) -> np.ndarray:
    """The image inside ``box`` with paper around it: ``pad`` above and below, and a
    line height more at the sides, which the recogniser needs to read a lone "0" surely."""
    x0, y0, x1, y1 = box
    crop = gray[y0:y1, x0:x1]
    side = pad + (y1 - y0)
    return np.pad(crop, ((pad, pad), (side, side)), mode="constant", constant_values=255)
