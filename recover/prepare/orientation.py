"""Turn a page upright (quarter turns, see quarter_turn) and correct small skew."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from recover.prepare.ink import ink_mask, seal_free_gray
from recover.prepare.quarter_turn import QuarterTurnChooser, rotate_quarter
from recover.prepare.text_blobs import estimate_char_height

MAX_SKEW_DEG = 8.0
COARSE_SHRINK = 4  # the coarse skew stage ranks its angles on a mask this many times smaller,
COARSE_KEEP = 4  # and scores this many of the best at full size (its choice ranked 1st or 2nd there)
MIN_COARSE_PX = 100  # a mask smaller than this after shrinking is too coarse to rank on
MIN_TEXT_PX = 14  # characters smaller than this are enlarged before anything else
TARGET_TEXT_PX = 24


@dataclass(frozen=True)
class PreparedPage:
    """An upright, deskewed page with its ink mask and length scale."""

    gray: np.ndarray
    mask: np.ndarray
    char_h: int
    rotation: int  # clockwise quarter-turn applied, degrees
    skew: float  # degrees of skew corrected
    dpi: int  # effective resolution of ``gray`` (after any enlargement)
    scale: float = 1.0  # how much preparation enlarged the rendered page


def rotate_small(img: np.ndarray, degrees: float, fill: int) -> np.ndarray:
    """Rotate about the centre by a small angle, keeping the canvas size; uncovered
    corners get ``fill``."""
    if abs(degrees) < 0.01:
        return img
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(
        img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


def _sharpness(img: np.ndarray, angle: float) -> float:
    """How sharp the horizontal projection profile of ``img`` turned by ``angle`` is."""
    # Row sums as integers (exact, and ~9× faster than numpy's float sum of the image).
    profile = cv2.reduce(rotate_small(img, angle, 0), 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S)
    return float(np.square(np.diff(profile.ravel().astype(np.float64))).sum())


def _coarse_candidates(small: np.ndarray, angles: list[float]) -> list[float]:
    """The coarse stage's angles worth scoring at full size: the ``COARSE_KEEP`` best on a
    mask ``COARSE_SHRINK`` times smaller (in their order, so ties fall as before)."""
    if min(small.shape[:2]) < COARSE_SHRINK * MIN_COARSE_PX:
        return angles
    tiny = cv2.resize(small, None, fx=1 / COARSE_SHRINK, fy=1 / COARSE_SHRINK, interpolation=cv2.INTER_AREA)
    scores = [_sharpness(tiny, a) for a in angles]
    best = sorted(range(len(angles)), key=lambda i: scores[i], reverse=True)[:COARSE_KEEP]
    return [angles[i] for i in sorted(best)]


def estimate_skew(mask: np.ndarray) -> float:
    """Angle (degrees, counter-clockwise positive) that makes rows of ink horizontal.

    Maximises the sharpness of the horizontal projection profile, which rules and text
    lines both produce; searched coarse-to-fine on a downscaled mask. The coarse stage's
    half-degree steps are told apart on a quarter-size mask as well: only its best few are
    scored at full size (the same angle as scoring all of them on every benchmark page,
    BENCHMARKS.md "Session 8: CPU per scanned page").
    """
    scale = min(1.0, 1200 / max(mask.shape))
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    best = 0.0
    for stage, (step, span) in enumerate(((0.5, MAX_SKEW_DEG), (0.1, 0.5), (0.02, 0.1))):
        angles = [float(a) for a in np.arange(best - span, best + span + step / 2, step)]
        if stage == 0:
            angles = _coarse_candidates(small, angles)
        best = max(angles, key=lambda a: _sharpness(small, a))
    return best


def ink_at_reading_size(rgb: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Seal-free gray, ink mask, character height and resolution, enlarged if the text is small."""
    gray = seal_free_gray(rgb)
    mask = ink_mask(gray, dpi)
    char_h = estimate_char_height(mask, dpi)
    if char_h < MIN_TEXT_PX:
        # Low-resolution input (a 72-dpi crop, a screenshot): the recogniser and every
        # length derived from the character height need more pixels per glyph.
        factor = TARGET_TEXT_PX / char_h
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        dpi = round(dpi * factor)
        mask = ink_mask(gray, dpi)
        char_h = estimate_char_height(mask, dpi)
    return gray, mask, char_h, dpi


def prepare_page(rgb: np.ndarray, dpi: int, turns: QuarterTurnChooser | None) -> PreparedPage:
    """Seal-free, upright, deskewed grayscale page plus its ink mask and character height.

    ``turns`` decides the quarter turn; without it the page is taken as upright.
    """
    rendered_dpi = dpi
    gray, mask, char_h, dpi = ink_at_reading_size(rgb, dpi)
    rotation = turns.choose(gray, mask, char_h).turn if turns is not None else 0
    if rotation:
        gray, mask = rotate_quarter(gray, rotation), rotate_quarter(mask, rotation)
    skew = estimate_skew(mask)
    if abs(skew) >= 0.05:
        # Fill uncovered corners with the paper's own brightness: white against grey paper
        # would draw an edge, and repeating border pixels smears rules into streaks.
        gray = rotate_small(gray, skew, int(np.percentile(gray, 90)))
        mask = ink_mask(gray, dpi)
    return PreparedPage(gray, mask, char_h, rotation, skew, dpi, dpi / rendered_dpi)
