"""Grayscale and binary ink images of a page, with red seal (印章) ink taken out."""

from __future__ import annotations

import cv2
import numpy as np

# A pixel is seal ink when red dominates both other channels, even slightly: JPEG chroma
# blurs a seal's edges into weakly red pixels. Black ink printed under a seal stays
# dark in every channel (also in red) and so survives.
_RED_MARGIN = 12
# Under a seal, what comes out this close to the paper's gray around it is the seal's rim:
# print is far darker, and the ink threshold takes nothing this light as ink anyway.
_RIM_SHARE = 0.9
_BLOCK = 8  # px: the paper's brightness varies over many of these


def seal_free_gray(rgb: np.ndarray) -> np.ndarray:
    """Grayscale page where red seal ink is made as light as the paper under it.

    Seal ink takes a little red and much green and blue from the paper under it, so how
    much red it took follows from how red the pixel is: adding that back gives the paper
    there (uneven light kept; a page-wide paper level draws a bright disc on dim paper
    whose rim the local threshold rings with false ink). Black print under the seal is
    dark in red too and stays dark.
    """
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if _no_reddish(rgb, gray):
        return gray
    r = rgb[:, :, 0]
    redness = r.astype(np.int16) - np.maximum(rgb[:, :, 1], rgb[:, :, 2]).astype(np.int16)
    reddish = redness > _RED_MARGIN
    if not reddish.any():
        return gray
    # JPEG keeps colour at half resolution: a seal's edge pixels look gray, so the red
    # channel is used a little beyond the clearly red pixels too.
    near_red = cv2.dilate(reddish.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    plain = ~near_red
    light = plain & (gray >= np.median(gray[plain])) if plain.any() else near_red
    paper_r = float(np.median(r[light]))
    gray_per_red = float(np.median(gray[light])) / max(1.0, paper_r)
    # Red taken per unit of redness, from the seal's own ink over paper (its redder half:
    # print under the seal is not red, a blurred edge only a little).
    core = reddish & (redness >= np.median(redness[reddish]))
    taken = max(0.0, float(np.median((paper_r - r[core]) / redness[core])))
    paper = r.astype(np.float32) + taken * np.maximum(redness, 0).astype(np.float32)
    top = float(np.percentile(gray[plain], 99)) if plain.any() else 255.0
    lifted = np.clip(paper * gray_per_red, 0, top).astype(np.uint8)
    # The seal's strokes keep a rim a little darker than their middle (JPEG, ink pooling):
    # what is within a few percent of the paper around it is paper; print is far darker.
    around = _local_paper(gray, near_red)
    rim = near_red & (lifted.astype(np.float32) >= _RIM_SHARE * around)
    gray[near_red] = lifted[near_red]
    gray[rim] = np.maximum(lifted[rim], around[rim])
    return gray


def _no_reddish(rgb: np.ndarray, gray: np.ndarray) -> bool:
    """True when no pixel can be reddish (red above both other channels by more than
    ``_RED_MARGIN``): a cheap necessary test on the red channel against the gray.

    Gray is 0.299 r + 0.587 g + 0.114 b (OpenCV rounds it to the nearest integer), so r −
    gray is 0.587 (r − g) + 0.114 (r − b) ± 0.5; a reddish pixel (both differences at least
    ``_RED_MARGIN`` + 1) has r − gray ≥ 0.701 (``_RED_MARGIN`` + 1) − 0.5. A page of black
    and gray print has r − gray ≤ 1 everywhere; any other colour is decided by the redness
    image.
    """
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.size == 0:
        return False
    least = int(0.701 * (_RED_MARGIN + 1) - 0.5)  # 8: what a reddish pixel's r − gray is at least
    above = cv2.subtract(cv2.extractChannel(rgb, 0), gray)  # saturating: 0 where r ≤ gray
    return bool(cv2.minMaxLoc(above)[1] < least)


def _local_paper(gray: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """The paper's gray around each pixel (a slowly varying field), ignoring ``hidden``.

    Means of small blocks, the text-heavy ones voted out by a median, the hidden ones
    filled in from around them, smoothly enlarged back to the page.
    """
    h, w = gray.shape
    size = (max(1, w // _BLOCK), max(1, h // _BLOCK))
    small = cv2.medianBlur(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), 5)
    hole = cv2.dilate(
        cv2.resize(hidden.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST), np.ones((3, 3), np.uint8)
    )
    if hole.any() and not hole.all():
        small = cv2.inpaint(small, hole, 5, cv2.INPAINT_TELEA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def ink_mask(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Binary mask (255 = ink) robust to uneven light and faint printing."""
    # The neighbourhood spans a few character heights, so shading gradients cancel out
    # while strokes and faint rules stand out from their local background.
    block = int(dpi * 0.25) | 1
    mask = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)
    # Drop isolated specks (scanner noise) smaller than a printed dot at this resolution.
    speck = max(1, dpi // 150)
    if speck > 1:
        kernel = np.ones((speck, speck), np.uint8)
        opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        # Keep thin strokes: only remove components that vanish entirely under opening.
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        keep = np.zeros(n, dtype=bool)
        keep[np.unique(labels[opened > 0])] = True
        small = stats[:, cv2.CC_STAT_AREA] <= speck * speck * 2
        keep |= ~small
        keep[0] = False
        mask = np.where(keep[labels], 255, 0).astype(np.uint8)
    return mask
