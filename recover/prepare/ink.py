"""Grayscale and binary ink images of a page, with red seal (印章) ink taken out."""

from __future__ import annotations

import cv2
import numpy as np

# A pixel is seal ink when red dominates both other channels, even slightly: JPEG chroma
# blurs a seal's edges into weakly red pixels. Black ink printed under a seal stays
# dark in every channel (also in red) and so survives.
_RED_MARGIN = 12


def seal_free_gray(rgb: np.ndarray) -> np.ndarray:
    """Grayscale page where red seal ink is made as light as the paper under it."""
    r = rgb[:, :, 0]
    redness = r.astype(np.int16) - np.maximum(rgb[:, :, 1], rgb[:, :, 2]).astype(np.int16)
    reddish = (redness > _RED_MARGIN).astype(np.uint8)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if not reddish.any():
        return gray
    # JPEG keeps colour at half resolution: a seal's edge pixels look gray, so the red
    # channel is used a little beyond the clearly red pixels too.
    near_red = cv2.dilate(reddish, np.ones((5, 5), np.uint8)) > 0
    gray[near_red] = r[near_red]
    # Seal ink is a little darker than paper even in the red channel; lift it to paper.
    paper = int(np.percentile(gray, 90))
    light = (reddish > 0) & (r >= int(0.75 * paper))
    gray[light] = paper
    return gray


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
