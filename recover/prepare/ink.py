"""Grayscale and binary ink images of a page, with red seal (印章) ink taken out."""

from __future__ import annotations

import cv2
import numpy as np

# A pixel is seal ink when red dominates both other channels, even slightly: JPEG chroma
# blurs a seal's edges into weakly red pixels. Black ink printed under a seal stays
# dark in every channel (also in red) and so survives.
_RED_MARGIN = 12


def seal_free_gray(rgb: np.ndarray) -> np.ndarray:
    """Grayscale page where red seal ink is made as light as the paper under it.

    Seal ink lets red through, black ink does not: under the seal the red channel still
    shows the print. Scaled so that seal-on-paper comes out at the paper's own gray there
    (no brighter halo, which the local threshold would ring with false ink; uneven light
    kept), black ink under the seal stays dark.
    """
    r = rgb[:, :, 0]
    redness = r.astype(np.int16) - np.maximum(rgb[:, :, 1], rgb[:, :, 2]).astype(np.int16)
    reddish = redness > _RED_MARGIN
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if not reddish.any():
        return gray
    # JPEG keeps colour at half resolution: a seal's edge pixels look gray, so the red
    # channel is used a little beyond the clearly red pixels too.
    near_red = cv2.dilate(reddish.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    factor = _paper_gray_per_red(rgb, gray, redness, reddish, near_red)
    lifted = np.clip(r.astype(np.float32) * factor, 0, 255).astype(np.uint8)
    gray[near_red] = lifted[near_red]
    return gray


def _paper_gray_per_red(
    rgb: np.ndarray, gray: np.ndarray, redness: np.ndarray, reddish: np.ndarray, near_red: np.ndarray
) -> np.ndarray:
    """Per pixel, what the red channel is multiplied by to give the gray of the paper.

    Paper off the seal fixes gray per red; seal over paper (the light half of the clearly
    red pixels) also dims red a little, by its transmission. A pixel only partly seal (a
    JPEG-blurred edge) gets that dimming in proportion to its redness.
    """
    r = rgb[:, :, 0]
    plain = ~near_red
    light = plain & (gray >= np.median(gray[plain])) if plain.any() else near_red
    paper_r = max(1.0, float(np.median(r[light])))
    ratio = float(np.median(gray[light])) / paper_r
    transmission = min(1.0, float(np.percentile(r[reddish], 75)) / paper_r)
    full = max(1.0, float(np.median(redness[reddish])))
    seal = np.clip(redness.astype(np.float32) / full, 0.0, 1.0)
    return np.asarray(ratio / (1.0 - seal * (1.0 - transmission)), dtype=np.float32)


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
