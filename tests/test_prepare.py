"""Page preparation: seal ink removed, skew measured, character height from the page."""

from __future__ import annotations

import cv2
import numpy as np

from recover.prepare.ink import ink_mask, seal_free_gray
from recover.prepare.orientation import MAX_SKEW_DEG, estimate_skew, rotate_small
from recover.prepare.text_blobs import estimate_char_height


def _ruled_page() -> np.ndarray:
    img = np.full((1200, 1600), 255, np.uint8)
    for y in range(200, 1000, 50):
        cv2.line(img, (200, y), (1400, y), 0, 2)
    for x in (200, 500, 900, 1400):
        cv2.line(img, (x, 200), (x, 950), 0, 2)
    for y in range(240, 950, 50):
        cv2.putText(img, "1,234.56", (950, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2)
    return img


def test_red_seal_disappears_but_black_ink_under_it_stays() -> None:
    rgb = np.full((400, 400, 3), 255, np.uint8)
    cv2.line(rgb, (20, 200), (380, 200), (0, 0, 0), 2)  # a rule under the seal
    cv2.putText(rgb, "808", (150, 190), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    seal = np.zeros((400, 400), np.uint8)
    cv2.circle(seal, (200, 200), 120, 255, 8)
    cv2.circle(seal, (200, 200), 40, 255, -1)
    paper_before = rgb.min(axis=2) > 200
    red = np.array([225, 40, 50], np.float32)
    alpha = (seal > 0)[..., None] * 0.8
    rgb = (rgb * (1 - alpha) + rgb * red / 255 * alpha).astype(np.uint8)  # multiply blend
    mask = ink_mask(seal_free_gray(rgb), 200)
    ring = (seal > 0) & paper_before  # seal pixels over paper
    assert (mask[ring] > 0).mean() < 0.02
    assert (mask[199:202, 20:380] > 0).mean() > 0.95  # the rule survives through the seal
    text = np.zeros_like(seal)
    cv2.putText(text, "808", (150, 190), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 255, 2)
    assert (mask[text > 0] > 0).mean() > 0.8


def test_a_seal_on_dim_paper_leaves_no_ring_of_false_ink() -> None:
    # Uneven light: the paper darkens to the right, where the seal is. Lifting the seal to
    # the page's brightest paper drew a bright disc whose rim the local threshold marked
    # as ink (the "2S", "aAY", "L7" lines read in the cells under a seal).
    shade = np.linspace(250, 185, 600, dtype=np.float32)[None, :, None]
    rgb = np.repeat(np.repeat(shade, 400, axis=0), 3, axis=2)
    seal = np.zeros((400, 600), np.uint8)
    cv2.circle(seal, (420, 200), 120, 255, 10)
    cv2.circle(seal, (420, 200), 50, 255, -1)
    red = np.array([211, 44, 44], np.float32)
    alpha = (seal > 0)[..., None] * 0.8
    rgb = (rgb * (1 - alpha) + rgb * red / 255 * alpha).astype(np.uint8)
    mask = ink_mask(seal_free_gray(rgb), 200)
    near = cv2.dilate(seal, np.ones((15, 15), np.uint8)) > 0
    assert (mask[near] > 0).mean() < 0.02


def test_skew_is_measured_within_a_tenth_of_a_degree() -> None:
    page = _ruled_page()
    for angle in (-5.0, -2.3, 0.0, 1.7, 4.6):
        tilted = rotate_small(page, angle, 255)
        mask = ink_mask(tilted, 200)
        assert abs(estimate_skew(mask) + angle) <= 0.1


def _every_angle_at_full_size(mask: np.ndarray) -> float:
    """The skew search scoring every coarse angle on the full mask (the search before the
    coarse stage was ranked on a smaller one)."""
    scale = min(1.0, 1200 / max(mask.shape))
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)

    def sharpness(angle: float) -> float:
        profile = rotate_small(small, angle, 0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = 0.0
    for step, span in ((0.5, MAX_SKEW_DEG), (0.1, 0.5), (0.02, 0.1)):
        best = max((float(a) for a in np.arange(best - span, best + span + step / 2, step)), key=sharpness)
    return best


def test_the_ranked_coarse_stage_chooses_the_angle_of_the_full_search() -> None:
    page = _ruled_page()
    for angle in (-7.2, -3.1, -0.4, 0.26, 2.9, 6.3):
        mask = ink_mask(rotate_small(page, angle, 255), 200)
        assert estimate_skew(mask) == _every_angle_at_full_size(mask)


def test_character_height_follows_the_print_size() -> None:
    small = np.full((800, 1200), 255, np.uint8)
    large = small.copy()
    for y in range(100, 700, 60):
        cv2.putText(small, "2024 1,234 567", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
        cv2.putText(large, "2024 1,234 567", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3)
    h_small = estimate_char_height(ink_mask(small, 200), 200)
    h_large = estimate_char_height(ink_mask(large, 200), 200)
    assert 1.7 <= h_large / h_small <= 2.3


def test_no_reddish_pixel_is_missed_by_the_red_against_gray_test() -> None:
    from recover.prepare.ink import _RED_MARGIN, _no_reddish

    # Every colour there is, as one image: a reddish one's red stands above its gray by at
    # least what the cheap test looks for, so a page where none does has no reddish pixel.
    levels = np.arange(256, dtype=np.uint8)
    r, g, b = (a.reshape(4096, 4096) for a in np.meshgrid(levels, levels, levels, indexing="ij"))
    rgb = np.dstack([r, g, b])
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    reddish = r.astype(np.int16) - np.maximum(g, b).astype(np.int16) > _RED_MARGIN
    assert int((r[reddish].astype(np.int16) - gray[reddish]).min()) >= int(0.701 * (_RED_MARGIN + 1) - 0.5)
    y, x = np.nonzero(reddish)
    for k in range(0, len(y), 4999):  # a reddish pixel on a page of its own is found
        assert not _no_reddish(rgb[y[k] : y[k] + 1, x[k] : x[k] + 2], gray[y[k] : y[k] + 1, x[k] : x[k] + 2])
    shades = np.repeat(levels.reshape(16, 16, 1), 3, axis=2)  # black and gray print only
    shades_gray = cv2.cvtColor(shades, cv2.COLOR_RGB2GRAY)
    assert _no_reddish(shades, shades_gray)
    assert np.array_equal(seal_free_gray(shades), shades_gray)
