"""The fast rule masks (transposed rows, 16-bit labels in the ink's box, dashes painted per
box) give the same masks and segments as the straightforward page-wide version."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from recover.layout.segments import Segment, _segments_of, components, rule_masks
from recover.model import PageGeometry


def _reference_rule_mask(
    mask: np.ndarray, char_h: int, horizontal: bool, length: int, bridge: int
) -> np.ndarray:
    """The rule mask as written before the speed-ups (32-bit labels, one page-wide lookup)."""

    def kernel(n: int, across: int = 1) -> np.ndarray:
        return cv2.getStructuringElement(cv2.MORPH_RECT, (n, across) if horizontal else (across, n))

    thick = cv2.dilate(mask, kernel(1, 3))
    runs = cv2.morphologyEx(thick, cv2.MORPH_OPEN, kernel(max(3, int(1.5 * char_h))))
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(thick, connectivity=8, ltype=cv2.CV_32S)
    along = stats[:, cv2.CC_STAT_WIDTH if horizontal else cv2.CC_STAT_HEIGHT]
    across = stats[:, cv2.CC_STAT_HEIGHT if horizontal else cv2.CC_STAT_WIDTH]
    min_along = PageGeometry(char_h).gap if horizontal else int(1.1 * char_h)
    dash = (across <= max(4, char_h // 3)) & (along >= min_along) & (along >= 3 * across)
    dash[0] = False
    runs = cv2.bitwise_or(runs, np.where(dash, 255, 0).astype(np.uint8)[labels])
    runs = cv2.morphologyEx(runs, cv2.MORPH_CLOSE, kernel(bridge))
    return cv2.morphologyEx(runs, cv2.MORPH_OPEN, kernel(length))


def _reference_masks(mask: np.ndarray, char_h: int) -> tuple[np.ndarray, np.ndarray]:
    horiz = _reference_rule_mask(mask, char_h, True, max(6, 2 * char_h), max(3, int(1.5 * char_h)))
    vert = _reference_rule_mask(mask, char_h, False, max(5, int(1.2 * char_h)), max(3, char_h))
    return horiz, vert


def _page(seed: int, height: int = 701, width: int = 523, char_h: int = 20) -> np.ndarray:
    """Rules (solid, dashed, wobbly), glyph-like blobs and specks at odd offsets."""
    rng = np.random.default_rng(seed)
    page = np.zeros((height, width), np.uint8)
    x0, y0 = int(rng.integers(3, 40)), int(rng.integers(3, 40))
    for y in range(y0, height - 20, int(rng.integers(30, 60))):
        if rng.random() < 0.4:  # dashed: dash and gap lengths around a glyph's
            dash, gap = int(rng.integers(4, 30)), int(rng.integers(2, 12))
            for x in range(x0, width - 10, dash + gap):
                page[y : y + int(rng.integers(1, 4)), x : x + dash] = 255
        else:
            page[y : y + int(rng.integers(1, 4)), x0 : width - int(rng.integers(5, 30))] = 255
            page[y + 1, x0 + 50 : x0 + 90] = 255  # a one-pixel step of a jagged rule
    for x in range(x0, width - 10, int(rng.integers(40, 120))):
        if rng.random() < 0.4:
            dash, gap = int(rng.integers(4, 40)), int(rng.integers(2, 14))
            for y in range(y0, height - 10, dash + gap):
                page[y : y + dash, x : x + int(rng.integers(1, 4))] = 255
        else:
            page[y0 : height - int(rng.integers(5, 30)), x : x + int(rng.integers(1, 4))] = 255
    for _ in range(400):  # glyph strokes and specks
        y, x = int(rng.integers(0, height - char_h)), int(rng.integers(0, width - char_h))
        h, w = int(rng.integers(1, char_h)), int(rng.integers(1, char_h))
        page[y : y + h, x : x + w : int(rng.integers(1, 4))] = 255
    return page


def _reference_segments(line_mask: np.ndarray, horizontal: bool, max_thickness: int) -> list[Segment]:
    """Segments of page-wide 32-bit labels, as written before the speed-ups."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(line_mask, connectivity=8, ltype=cv2.CV_32S)
    found = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        length, thick = (w, h) if horizontal else (h, w)
        if thick > max_thickness and length < 8 * thick:
            continue
        rows, cols = np.nonzero(labels[y : y + h, x : x + w] == i)
        if horizontal:
            found.append(Segment(True, y + int(np.median(rows)), x, x + w, min(h, max_thickness)))
        else:
            found.append(Segment(False, x + int(np.median(cols)), y, y + h, min(w, max_thickness)))
    return found


@pytest.mark.parametrize("seed", range(8))
def test_rule_masks_and_segments_as_reference(seed: int) -> None:
    page = _page(seed)
    if seed % 2:
        page = page[1:, 1:]  # ink box at an odd row and column
    horiz, vert = rule_masks(page, 20)
    ref_h, ref_v = _reference_masks(page, 20)
    assert np.array_equal(horiz, ref_h) and np.array_equal(vert, ref_v)
    assert horiz.any() and vert.any()
    for line_mask, horizontal in ((horiz, True), (vert, False)):
        assert _segments_of(line_mask, horizontal, 3) == _reference_segments(line_mask, horizontal, 3)


def test_components_overflowing_16_bits_label_as_32_bit() -> None:
    page = np.zeros((700, 700), np.uint8)
    page[1::2, 1::2] = 255  # 122 500 isolated pixels: more labels than 16 bits hold
    n, labels, stats, (x0, y0) = components(page)
    ref_n, ref_labels, ref_stats, _ = cv2.connectedComponentsWithStats(page, connectivity=8, ltype=cv2.CV_32S)
    assert n == ref_n == 122_501
    assert labels.dtype == np.int32
    assert np.array_equal(stats[:, 2:], ref_stats[:, 2:])
    assert np.array_equal(stats[:, :2] + (x0, y0), ref_stats[:, :2])
    assert np.array_equal(labels, ref_labels[y0 : y0 + labels.shape[0], x0 : x0 + labels.shape[1]])


def test_components_of_an_empty_mask() -> None:
    n, _labels, stats, _ = components(np.zeros((30, 40), np.uint8))
    assert n == 1 and stats.shape[0] == 1
    assert rule_masks(np.zeros((30, 40), np.uint8), 10)[0].shape == (30, 40)


@pytest.mark.parametrize("seed", range(6))
def test_rule_masks_inside_the_ink_box_as_reference_on_a_page_with_margins(seed: int) -> None:
    # The crop's edges then lie inside the page (a page's margins), at odd offsets.
    rng = np.random.default_rng(100 + seed)
    char_h = int(rng.integers(10, 30))
    ink = _page(seed, 401, 333, char_h)
    page = np.zeros((401 + 400, 333 + 500), np.uint8)
    top, left = int(rng.integers(121, 400)), int(rng.integers(121, 500))
    page[top : top + 401, left : left + 333] = ink
    horiz, vert = rule_masks(page, char_h)
    ref_h, ref_v = _reference_masks(page, char_h)
    assert horiz.any() and vert.any()
    assert np.array_equal(horiz, ref_h) and np.array_equal(vert, ref_v)
