"""Turn a page upright (quarter turns) and correct small skew."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from recover.model import BBox
from recover.prepare.ink import ink_mask, seal_free_gray
from recover.prepare.text_blobs import estimate_char_height, text_line_boxes
from recover.read.ocr.engine import LineRecognizer

MAX_SKEW_DEG = 8.0
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


def rotate_quarter(img: np.ndarray, degrees_cw: int) -> np.ndarray:
    """Rotate by a multiple of 90° clockwise."""
    turns = (degrees_cw // 90) % 4
    if turns == 0:
        return img
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(img, codes[turns])


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


def estimate_skew(mask: np.ndarray) -> float:
    """Angle (degrees, counter-clockwise positive) that makes rows of ink horizontal.

    Maximises the sharpness of the horizontal projection profile, which rules and text
    lines both produce; searched coarse-to-fine on a downscaled mask.
    """
    scale = min(1.0, 1200 / max(mask.shape))
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)

    def sharpness(angle: float) -> float:
        profile = rotate_small(small, angle, 0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = 0.0
    for step, span in ((0.5, MAX_SKEW_DEG), (0.1, 0.5), (0.02, 0.1)):
        angles = np.arange(best - span, best + span + step / 2, step)
        best = max((float(a) for a in angles), key=sharpness)
    return best


def _sample_lines(mask: np.ndarray, char_h: int, horizontal: bool, limit: int) -> list[BBox]:
    """The longest line-like ink blobs running in one direction."""
    picked = []
    for box in text_line_boxes(mask, char_h, horizontal):
        length = box[2] - box[0] if horizontal else box[3] - box[1]
        across = box[3] - box[1] if horizontal else box[2] - box[0]
        if length >= 2.5 * across and char_h * 0.6 <= across <= char_h * 2:
            picked.append((length, box))
    picked.sort(key=lambda item: -item[0])
    return [box for _, box in picked[:limit]]


def choose_rotation(gray: np.ndarray, mask: np.ndarray, char_h: int, reader: LineRecognizer) -> int:
    """Clockwise quarter turn (0, 90, 180, 270) after which the page reads best.

    Line-like blobs of both directions are read in the two turns that would make them
    horizontal; the recogniser's confidence-weighted character count decides. Without
    enough blobs the page is left as it is.
    """
    pad = max(2, char_h // 4)
    wide = _sample_lines(mask, char_h, True, 8)
    tall = _sample_lines(mask, char_h, False, 8)
    if len(wide) + len(tall) < 2:
        return 0

    def crops(boxes: list[BBox]) -> list[np.ndarray]:
        return [gray[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad] for x0, y0, x1, y1 in boxes]

    scores: dict[int, float] = {}
    for turn, boxes in ((0, wide), (180, wide), (90, tall), (270, tall)):
        if not boxes:
            scores[turn] = 0.0
            continue
        readings = reader.recognize([rotate_quarter(c, turn) for c in crops(boxes)])
        scores[turn] = sum(r.score * len(r.text.strip()) for r in readings if r.score > 0.5)
    best = max(scores, key=lambda t: scores[t])
    # Stay upright unless another turn reads clearly better.
    return best if scores[best] > 1.2 * scores[0] else 0


def prepare_page(rgb: np.ndarray, dpi: int, reader: LineRecognizer | None) -> PreparedPage:
    """Seal-free, upright, deskewed grayscale page plus its ink mask and character height.

    ``reader`` decides the quarter turn; without one the page is taken as upright.
    """
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
    rotation = choose_rotation(gray, mask, char_h, reader) if reader is not None else 0
    if rotation:
        gray, mask = rotate_quarter(gray, rotation), rotate_quarter(mask, rotation)
    skew = estimate_skew(mask)
    if abs(skew) >= 0.05:
        # Fill uncovered corners with the paper's own brightness: white against grey paper
        # would draw an edge, and repeating border pixels smears rules into streaks.
        gray = rotate_small(gray, skew, int(np.percentile(gray, 90)))
        mask = ink_mask(gray, dpi)
    return PreparedPage(gray=gray, mask=mask, char_h=char_h, rotation=rotation, skew=skew)
